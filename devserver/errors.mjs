// Context.IO-style API errors.
//
// Every error response body is `{"type":"error","code":N,"value":"message"}`, sometimes with
// extra machine-readable fields (`base_string`, `server_time`). The codes are API: the
// extension branches on them, so add new ones, never renumber. The table is repeated in
// devserver/README.md.
//
// Every 401 and 403 also carries a challenge, `WWW-Authenticate: OAuth realm="...",
// oauth_problem="..."` (RFC 7235 §3.1 requires one on a 401), in the terms of the OAuth Problem
// Reporting extension (https://wiki.oauth.net/w/page/12238543/ProblemReporting): each code has
// its `oauth_problem`, and the thrower may name a more precise one with its parameters
// (`oauth_parameters_absent`, `oauth_acceptable_timestamps`, ...).

/**
 * Stable error codes of the dev server.
 * @readonly
 * @enum {number}
 */
export const ErrorCode = Object.freeze({
  /** A required OAuth parameter is missing or malformed (HTTP 401). */
  OAUTH_PARAMETER: 101,
  /** oauth_consumer_key is not a known consumer (HTTP 401). */
  UNKNOWN_CONSUMER: 102,
  /** oauth_token is unknown, expired or revoked (HTTP 401). */
  UNKNOWN_TOKEN: 103,
  /** oauth_signature does not match the signature the server computed (HTTP 401). */
  BAD_SIGNATURE: 105,
  /** oauth_timestamp is outside the allowed window around the server clock (HTTP 401). */
  TIMESTAMP_OUT_OF_WINDOW: 106,
  /** The nonce was already used with this consumer, token and timestamp (HTTP 401). */
  NONCE_REPLAYED: 107,
  /** The credentials are valid but may not reach this resource (HTTP 403). */
  FORBIDDEN: 108,
  /** A required field is missing or a parameter is malformed (HTTP 400). */
  BAD_REQUEST: 400,
  /** Unknown route or resource (HTTP 404). */
  NOT_FOUND: 404,
  /** Request body larger than the limit (HTTP 413). */
  PAYLOAD_TOO_LARGE: 413,
  /** Unexpected server failure (HTTP 500). */
  INTERNAL: 500,
  /** The server refuses to take more work for now (HTTP 503). */
  UNAVAILABLE: 503,
});

/**
 * The `oauth_problem` of each code answered with 401 or 403 (OAuth Problem Reporting), unless
 * the error names a more precise one (a 101 may be `parameter_absent`, `version_rejected`, ...).
 * @type {Readonly<Record<number, string>>}
 */
export const OAUTH_PROBLEMS = Object.freeze({
  [ErrorCode.OAUTH_PARAMETER]: 'parameter_rejected',
  [ErrorCode.UNKNOWN_CONSUMER]: 'consumer_key_unknown',
  [ErrorCode.UNKNOWN_TOKEN]: 'token_rejected',
  [ErrorCode.BAD_SIGNATURE]: 'signature_invalid',
  [ErrorCode.TIMESTAMP_OUT_OF_WINDOW]: 'timestamp_refused',
  [ErrorCode.NONCE_REPLAYED]: 'nonce_used',
  [ErrorCode.FORBIDDEN]: 'permission_denied',
});

/**
 * @typedef {{oauth_problem: string} & Record<string, string>} OAuthProblem The `oauth_problem`
 *   of a refusal and its companion parameters (`oauth_parameters_absent`, ...), unencoded.
 */

/** RFC 3986 percent-encoding of the unreserved set (RFC 5849 §3.6), for challenge parameters. */
const percentEncode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An error that becomes a Context.IO-style JSON error response. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status.
   * @param {number} code One of {@link ErrorCode}.
   * @param {string} value Human-readable message; must never contain a secret.
   * @param {Record<string, unknown>} [extra] Extra body fields (e.g. `base_string`).
   * @param {OAuthProblem} [problem] For a 401 or 403: the problem, when more precise than the
   *   code's own (`OAUTH_PROBLEMS`), with its parameters.
   */
  constructor(status, code, value, extra = {}, problem = undefined) {
    super(value);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.extra = extra;
    /** @type {OAuthProblem | null} */
    this.problem = status === 401 || status === 403 ? (problem ?? { oauth_problem: OAUTH_PROBLEMS[code] ?? 'permission_denied' }) : null;
  }

  /** @returns {{type: 'error', code: number, value: string} & Record<string, unknown>} */
  toBody() {
    return { type: 'error', code: this.code, value: this.message, ...this.extra };
  }

  /**
   * The `WWW-Authenticate` challenge of a 401 or 403, the errors with a `problem` (RFC 5849
   * §3.5.1 syntax: the realm a quoted string, every other value percent-encoded).
   * @param {string} realm
   * @returns {string}
   */
  challenge(realm) {
    const params = Object.entries(this.problem ?? {}).map(([name, value]) => `${name}="${percentEncode(value)}"`);
    return [`OAuth realm="${realm.replace(/["\\]/g, '\\$&')}"`, ...params].join(', ');
  }
}

/** @param {string} value @returns {ApiError} 400, code 400. */
export const badRequest = (value) => new ApiError(400, ErrorCode.BAD_REQUEST, value);

/** @param {string} value @returns {ApiError} 404, code 404. */
export const notFound = (value) => new ApiError(404, ErrorCode.NOT_FOUND, value);

/** @param {string} value @returns {ApiError} 403, code 108. */
export const forbidden = (value) => new ApiError(403, ErrorCode.FORBIDDEN, value);

/**
 * @param {string} value
 * @param {OAuthProblem} [problem] Default `parameter_rejected`, naming no parameter.
 * @returns {ApiError} 401, code 101.
 */
export const oauthParameterError = (value, problem = undefined) => new ApiError(401, ErrorCode.OAUTH_PARAMETER, value, {}, problem);

/**
 * @param {string} value
 * @param {string} name The OAuth parameter refused.
 * @returns {ApiError} 401, code 101, `parameter_rejected` naming the parameter.
 */
export const parameterRejected = (value, name) =>
  oauthParameterError(value, { oauth_problem: 'parameter_rejected', oauth_parameters_rejected: name });
