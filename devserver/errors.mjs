// Context.IO-style API errors.
//
// Every error response body is `{"type":"error","code":N,"value":"message"}`, sometimes with
// extra machine-readable fields (`base_string`, `server_time`). The codes are API: the
// extension branches on them, so add new ones, never renumber. The table is repeated in
// devserver/README.md.

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

/** An error that becomes a Context.IO-style JSON error response. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status.
   * @param {number} code One of {@link ErrorCode}.
   * @param {string} value Human-readable message; must never contain a secret.
   * @param {Record<string, unknown>} [extra] Extra body fields (e.g. `base_string`).
   */
  constructor(status, code, value, extra = {}) {
    super(value);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  /** @returns {{type: 'error', code: number, value: string} & Record<string, unknown>} */
  toBody() {
    return { type: 'error', code: this.code, value: this.message, ...this.extra };
  }
}

/** @param {string} value @returns {ApiError} 400, code 400. */
export const badRequest = (value) => new ApiError(400, ErrorCode.BAD_REQUEST, value);

/** @param {string} value @returns {ApiError} 404, code 404. */
export const notFound = (value) => new ApiError(404, ErrorCode.NOT_FOUND, value);

/** @param {string} value @returns {ApiError} 403, code 108. */
export const forbidden = (value) => new ApiError(403, ErrorCode.FORBIDDEN, value);

/** @param {string} value @returns {ApiError} 401, code 101. */
export const oauthParameterError = (value) => new ApiError(401, ErrorCode.OAUTH_PARAMETER, value);
