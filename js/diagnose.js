// The package's second entry, `contextio-signer/diagnose`: why a server refused a signed
// request. Its own module and its own wasm (the `diagnose` build of the binding), so a page that
// only signs loads none of it. In a page, a worker or an extension call `await init()` once
// (Node, Deno and Bun load diagnose-node.js, which needs none).
import init, { initSync, diagnose } from './contextio_signer_diagnose_glue.js';
import { createDiagnose } from './diagnose-api.js';

/**
 * Why a server refused a request this package signed: the problem (a stable code and the
 * server's own word), a cause and advice for a person, and, where the answer shows the base
 * string the server computed, every difference from ours. Never contains a secret.
 *
 * `signed` is what `signRequest` returned (its `baseString` and `oauthParameters` are read);
 * `response` is `{ status, headers, body }`: the status, the headers (a `Headers`, an array of
 * pairs or an object), and the body as text.
 */
export const diagnoseRefusal = createDiagnose(diagnose);

export { init as default, initSync };
