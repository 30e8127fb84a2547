// The extension's one error class and its stable codes.
//
// Every error the background answers, and every error a page makes up itself, has a `code`
// from ERROR_CODES (or `HTTP_<status>` for a server answer without a Context.IO code). Codes
// are API for the pages and for anyone reading the answers: add, never rename. Errors of the
// wasm signer (`OAuthSignError`) keep their own codes (`INVALID_ENCODING`, `OUT_OF_SCOPE`, ...).

/** Every code of the extension, with when it is used. */
export const ERROR_CODES = Object.freeze({
  // Messages (pages -> background)
  FORBIDDEN_SENDER: "the sender is not one of this extension's own pages",
  INVALID_MESSAGE: 'a message is not an object with a string "type", or a field has the wrong type or is missing',
  UNKNOWN_MESSAGE: 'a message type the background does not know',
  UNKNOWN_FIELD: 'a message field its type does not take (the message names it, and suggests the known one it resembles)',
  // Settings and access
  INVALID_SETTINGS: 'an API base, consumer key or secret the extension cannot use',
  NO_HOST_ACCESS: 'the browser has not granted access to the API origin (answers carry `origin` and `pattern`)',
  // Requests
  INVALID_PATH: 'an API path that is not relative to the API base or would leave it',
  USER_NOT_FOUND: 'no stored user with that id',
  USER_PATH_MISMATCH: "a path under /users/<id> that names another user than the signing one",
  NETWORK_ERROR: 'the API server could not be reached',
  UNEXPECTED_REDIRECT: 'the API server answered a signed request with a redirect',
  UNEXPECTED_ANSWER: 'the API server answered without the fields the extension needs',
  WASM_UNAVAILABLE: 'the signer (wasm) could not be loaded',
  // Connect flow
  CONNECT_CANCELLED: 'the connect window or tab was closed before the mailbox was connected',
  CONNECT_FAILED: 'the consent page came back without this connect token, or the flow is no longer pending',
  CONNECT_TIMEOUT: 'the mailbox was not connected within 10 minutes',
  CONNECT_INCOMPLETE: 'the connect token was not used: no mailbox was connected',
  // Answers of the API server (Context.IO codes, named as in API_ERROR_CODES: the diagnosis'
  // problem codes), else HTTP_<status>
  PARAMETER_REJECTED: 'Context.IO 101: an OAuth parameter is missing, duplicated or invalid',
  CONSUMER_KEY_REFUSED: 'Context.IO 102: unknown consumer key',
  TOKEN_REFUSED: 'Context.IO 103: unknown, expired or revoked token',
  SIGNATURE_INVALID: "Context.IO 105: bad signature (with the server's base string)",
  TIMESTAMP_REFUSED: 'Context.IO 106: timestamp outside the allowed window (after the one retry the diagnosis allows, with the corrected clock)',
  NONCE_USED: 'Context.IO 107: nonce already used (a GET, PUT or DELETE after one retry with a fresh nonce; a POST is not repeated)',
  PERMISSION_DENIED: 'Context.IO 108: valid credentials, wrong resource',
  // Pages
  NO_ANSWER: 'a page could not reach the background, or got no answer',
  INTERNAL: 'an unexpected failure (a bug): the message names the error',
});

/** Whether `code` is a code of the extension (`HTTP_<status>` included). */
export const isErrorCode = (code) => typeof code === 'string' && (Object.hasOwn(ERROR_CODES, code) || /^HTTP_[1-5]\d\d$/.test(code));

/** An error of the extension, with a stable `code`; answered as `{ ok: false, error: { code, message, ...extra } }`. */
export class ExtensionError extends Error {
  /**
   * @param {keyof typeof ERROR_CODES | `HTTP_${number}`} code
   * @param {string} message What to fix, never a secret.
   * @param {Record<string, unknown>} [extra] More fields of the answered error (never secrets).
   */
  constructor(code, message, extra = {}) {
    if (!isErrorCode(code)) throw new TypeError(`unknown extension error code ${String(code)}`);
    super(message);
    this.name = 'ExtensionError';
    this.code = code;
    this.extra = extra;
  }
}

/**
 * The answer for anything thrown: an ExtensionError as it is, an OAuthSignError with its own
 * code, anything else as INTERNAL (its name and message, which never hold a secret: the signer's
 * messages never do, and nothing else here puts one in a message).
 * @param {any} e
 * @returns {{ok: false, error: {code: string, message: string}}}
 */
export function errorAnswer(e) {
  if (e instanceof ExtensionError) return { ok: false, error: { code: e.code, message: e.message, ...e.extra } };
  if (e?.name === 'OAuthSignError' && typeof e.code === 'string') return { ok: false, error: { code: e.code, message: e.message } };
  return { ok: false, error: { code: 'INTERNAL', message: `unexpected error: ${e?.name ?? 'Error'}: ${e?.message ?? e}` } };
}
