// The JavaScript side of `contextio-signer/diagnose`: checks its values (each language checks
// what is its own), hands the Rust core one packet (src/binding/packet.rs) and returns the core's
// diagnosis, parsed from its JSON, so the two languages give the same answer for the same input.
//
// A factory over the binding, so that the wasm-bindgen tests can load this very file next to
// their own build of the binding: `createDiagnose(diagnose)` (they load js/headers.js too).

import { headerPairs } from './headers.js';

const str = (s) => s.length + ':' + s;

function fail(message) {
  const error = new Error(message);
  error.name = 'OAuthSignError';
  error.code = 'INVALID_OPTIONS';
  return error;
}

/**
 * Why a server refused a request this package signed: the problem (a stable code and the
 * server's own word), a cause and advice for a person, and, where the answer shows the base
 * string the server computed, every difference from ours. Never contains a secret.
 *
 * `signed` is what `signRequest` returned (its `baseString` and `oauthParameters` are read);
 * `response` is `{ status, headers, body }`: the status, the headers (a `Headers`, an array of
 * pairs or an object), and the body as text.
 */
function diagnoseRefusal(diagnose, signed, response) {
  if (signed === null || typeof signed !== 'object' || typeof signed.baseString !== 'string') {
    throw fail('signed must be what signRequest returned (with its baseString)');
  }
  if (response === null || typeof response !== 'object') throw fail('response must be { status, headers, body }');
  const { status, headers, body } = response;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw fail('response.status must be an HTTP status, 100 to 599');
  if (body !== undefined && body !== null && typeof body !== 'string') throw fail('response.body must be the body as text');
  const timestamp = signed.oauthParameters != null ? signed.oauthParameters.oauth_timestamp : undefined;
  const pairs = headerPairs(headers, 'response.headers', fail);
  let packet = str(signed.baseString)
    + (typeof timestamp === 'string' && /^[0-9]{1,16}$/.test(timestamp) ? timestamp + ';' : '_')
    + status + ';p' + pairs.length + ';';
  for (const [name, value] of pairs) packet += str(name) + str(value);
  packet += str(body ?? '');
  if (typeof packet.isWellFormed === 'function' && !packet.isWellFormed()) {
    packet = packet.toWellFormed();
  }
  const answer = diagnose(packet);
  if (answer.charCodeAt(0) === 0) {
    const sep = answer.indexOf('\u0001');
    const error = fail(answer.slice(sep + 1));
    error.code = answer.slice(1, sep);
    throw error;
  }
  return JSON.parse(answer);
}

/**
 * `diagnoseRefusal(signed, response)` over a build of the binding's `diagnose(packet)`.
 * @param {(packet: string) => string} diagnose
 */
export function createDiagnose(diagnose) {
  return (signed, response) => diagnoseRefusal(diagnose, signed, response);
}
