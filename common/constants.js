// The neutral home of what the local API server, the scripts, the tests and the extension share:
// each constant (and the one rule of which names are secret) is written here once and imported
// everywhere else. A plain ES module with no import and no browser or Node API in it, so that the
// server and the scripts (Node), the tests and the extension (source and its built copy) can all
// load it as it is.

/**
 * The local server's published demo consumer (its secret is public, so the server uses it on
 * loopback only). One shape everywhere: the package's option names.
 */
export const DEMO_CONSUMER = Object.freeze({
  consumerKey: 'contextio-demo',
  consumerSecret: 'demo-secret-loopback-only',
});

/** What counts as an e-mail address, in the extension and in the server. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The extension's add-on id in Firefox (`browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'contextio-signer@example.org';

// ---- The vocabulary of refusals ---------------------------------------------------------------

/**
 * @typedef {object} ContextIoCode One of Context.IO's numeric OAuth error codes.
 * @property {string} name Its one name: the code of the problem the package's diagnosis reads
 *   from it (`Problem::code()` in the core, `problem` of `diagnoseRefusal`), which is also the
 *   name the local server (`ErrorCode`) and the extension (`error.code`) give it.
 * @property {string} oauthProblem Its OAuth Problem Reporting word
 *   (https://wiki.oauth.net/w/page/12238543/ProblemReporting): the `oauth_problem` the local
 *   server's challenge names unless the refusal has a more precise one (a 101 may be
 *   `parameter_absent`, `version_rejected`, ...).
 * @property {401 | 403} status The HTTP status it is answered with.
 */

/**
 * Context.IO's numeric OAuth error codes, the `code` of a JSON error
 * `{"type":"error","code":N,"value":"..."}`: the one table the local server answers with and the
 * extension names its errors by. tests/js/vocabulary.test.mjs holds it to the core's mapping
 * (each code, alone and with its word, is diagnosed as its name; no other code is read). Codes
 * and names are API: add, never renumber or rename.
 * @type {Readonly<Record<101 | 102 | 103 | 105 | 106 | 107 | 108, Readonly<ContextIoCode>>>}
 */
export const CONTEXT_IO_CODES = Object.freeze({
  /** A required OAuth parameter is missing, given twice or malformed. */
  101: Object.freeze({ name: 'PARAMETER_REJECTED', oauthProblem: 'parameter_rejected', status: 401 }),
  /** oauth_consumer_key is not a known consumer. */
  102: Object.freeze({ name: 'CONSUMER_KEY_REFUSED', oauthProblem: 'consumer_key_unknown', status: 401 }),
  /** oauth_token is unknown, expired or revoked. */
  103: Object.freeze({ name: 'TOKEN_REFUSED', oauthProblem: 'token_rejected', status: 401 }),
  /** oauth_signature is not the one the server computed. */
  105: Object.freeze({ name: 'SIGNATURE_INVALID', oauthProblem: 'signature_invalid', status: 401 }),
  /** oauth_timestamp is outside the server's window around its clock. */
  106: Object.freeze({ name: 'TIMESTAMP_REFUSED', oauthProblem: 'timestamp_refused', status: 401 }),
  /** The nonce was used before with this consumer, token and timestamp. */
  107: Object.freeze({ name: 'NONCE_USED', oauthProblem: 'nonce_used', status: 401 }),
  /** The credentials are valid but may not reach this resource. */
  108: Object.freeze({ name: 'PERMISSION_DENIED', oauthProblem: 'permission_denied', status: 403 }),
});

/**
 * What in a parameter's name marks its value as a secret of the caller's (a password, a client
 * secret, a refresh token, a private key): the core's rule (`is_secret_parameter` in the Rust
 * diagnosis and verifier), written once for JavaScript. tests/js/vocabulary.test.mjs holds the
 * two to each other.
 */
export const SECRET_NAME_PARTS = Object.freeze(['password', 'secret', 'refresh_token', 'passwd', 'private_key']);

/**
 * Whether a parameter's (or a field's) value is a secret, never to be shown: its name, with
 * ASCII letters lower-cased (as the core does: no other character changes), contains one of
 * {@link SECRET_NAME_PARTS}. The local server's 105 answer shows such a value as `<hidden>`, and
 * the extension hides it from its pages.
 * @param {string} name The name, percent-decoded.
 * @returns {boolean}
 */
export function isSecretParameter(name) {
  const lower = String(name).replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return SECRET_NAME_PARTS.some((part) => lower.includes(part));
}
