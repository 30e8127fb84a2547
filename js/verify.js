// The package's third entry, `contextio-signer/verify`: the server's side of a signed request.
// Its own module and its own wasm (the `verify-exports` build of the binding), so a page that
// signs loads none of it. In a worker or a page call `await init()` once (Node, Deno and Bun
// load verify-node.js, which needs none).
import init, { initSync, verifyRead, verifyCheck } from './contextio_signer_verify_glue.js';
import { createVerify } from './verify-api.js';

/**
 * Verifies a request as a server received it (RFC 5849 §3.2): `{ ok: true, consumerKey, token,
 * signatureMethod, parameters }`, or the refusal in OAuth Problem Reporting's words `{ ok: false,
 * status, problem, headers, body, reason }`, ready to send. See verify.d.ts.
 */
export const verifyRequest = createVerify({ verifyRead, verifyCheck });

export { init as default, initSync };
