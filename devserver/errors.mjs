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
//
// The OAuth codes, their names, words and statuses come from common/constants.js (a table of
// names, not the package: this server stays an independent referee).

import { CONTEXT_IO_CODES } from '../common/constants.js';

/**
 * Stable error codes of the dev server: Context.IO's OAuth refusals (101-108), by the names of
 * the shared table (`CONTEXT_IO_CODES` in common/constants.js, which the extension names its
 * errors by and a test holds to the package's diagnosis: `PARAMETER_REJECTED` 101,
 * `CONSUMER_KEY_REFUSED` 102, `TOKEN_REFUSED` 103, `SIGNATURE_INVALID` 105, `TIMESTAMP_REFUSED`
 * 106, `NONCE_USED` 107, `PERMISSION_DENIED` 108), and the server's own.
 * @readonly
 * @enum {number}
 */
export const ErrorCode = Object.freeze({
  ...Object.fromEntries(Object.entries(CONTEXT_IO_CODES).map(([code, { name }]) => [name, Number(code)])),
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
 * The `oauth_problem` of each code answered with 401 or 403 (OAuth Problem Reporting, from the
 * shared table), unless the error names a more precise one (a 101 may be `parameter_absent`,
 * `version_rejected`, ...).
 * @type {Readonly<Record<number, string>>}
 */
export const OAUTH_PROBLEMS = Object.freeze(
  Object.fromEntries(Object.entries(CONTEXT_IO_CODES).map(([code, { oauthProblem }]) => [code, oauthProblem])),
);

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

/**
 * An OAuth refusal: one of Context.IO's codes, answered with the status of the shared table.
 * @param {number} code One of the OAuth codes of {@link ErrorCode} (101-108).
 * @param {string} value Human-readable message; must never contain a secret.
 * @param {Record<string, unknown>} [extra] Extra body fields (e.g. `base_string`).
 * @param {OAuthProblem} [problem] When more precise than the code's own word.
 * @returns {ApiError}
 */
export function refusal(code, value, extra = {}, problem = undefined) {
  const known = CONTEXT_IO_CODES[code];
  if (!known) throw new TypeError(`${code} is not a Context.IO OAuth code`);
  return new ApiError(known.status, code, value, extra, problem);
}

/** @param {string} value @returns {ApiError} 403, code 108. */
export const forbidden = (value) => refusal(ErrorCode.PERMISSION_DENIED, value);

/**
 * @param {string} value
 * @param {OAuthProblem} [problem] Default `parameter_rejected`, naming no parameter.
 * @returns {ApiError} 401, code 101.
 */
export const oauthParameterError = (value, problem = undefined) => refusal(ErrorCode.PARAMETER_REJECTED, value, {}, problem);

/**
 * @param {string} value
 * @param {string} name The OAuth parameter refused.
 * @returns {ApiError} 401, code 101, `parameter_rejected` naming the parameter.
 */
export const parameterRejected = (value, name) =>
  oauthParameterError(value, { oauth_problem: 'parameter_rejected', oauth_parameters_rejected: name });
