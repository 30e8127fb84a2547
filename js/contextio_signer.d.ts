// The public TypeScript declarations of contextio-signer (hand-written: the runtime API is
// js/api.js over the wasm binding).
/** Where the OAuth protocol parameters are sent (RFC 5849 §3.5). */
export type Placement = 'header' | 'query' | 'body';

/** What a signer signs with. */
export type SignerMode = 'three-legged' | 'two-legged' | 'new-user';

/**
 * How requests are signed (`oauth_signature_method`). `'HMAC-SHA1'` (RFC 5849 §3.4.2) is the
 * default and Context.IO's; `'HMAC-SHA256'` and `'HMAC-SHA512'` are what NetSuite, Magento and
 * WooCommerce ask for; `'PLAINTEXT'` (RFC 5849 §3.4.4) sends the secrets themselves as the
 * signature, so a PLAINTEXT signer signs only `https:` URLs and `http:` to a loopback host
 * (`PLAINTEXT_NEEDS_HTTPS` otherwise).
 */
export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA512' | 'PLAINTEXT';

/**
 * Options of `new Signer(options)` and `signRequest(options, request)`. Any other field is refused
 * (`INVALID_OPTIONS`, naming it), and each field must have the type declared here.
 */
export interface SignerOptions {
  /** The consumer key (API key). Required, non-empty. */
  consumerKey: string;
  /** The consumer secret. Required, non-empty. Never readable back from a signer. */
  consumerSecret: string;
  /** The user's `access_token`. Required with `tokenSecret` unless `twoLegged`. */
  token?: string;
  /** The user's `access_token_secret`. Never readable back from a signer. */
  tokenSecret?: string;
  /**
   * Explicit opt-in to 2-legged signing (consumer key only). Accepted only in a server runtime
   * (Node, Deno, Bun); a page, worker or extension gets `TWO_LEGGED_FORBIDDEN`.
   */
  twoLegged?: boolean;
  /** `realm` of the Authorization header (never signed). Printable ASCII. */
  realm?: string;
  /** Default placement of the protocol parameters. Default `'header'`. */
  placement?: Placement;
  /** Whole seconds added to the local clock for default timestamps (server clock correction). */
  clockOffset?: number;
  /** How requests are signed. Default `'HMAC-SHA1'`; an unknown method is `INVALID_OPTIONS`. */
  signatureMethod?: SignatureMethod;
}

/**
 * Options of `Signer.forNewUser(options)`: consumer credentials only. The signer adds users
 * (Context.IO) and signs the temporary-credentials request of RFC 5849 §2.1 (a `POST` with
 * `callback`), nothing else.
 */
export interface NewUserSignerOptions {
  consumerKey: string;
  consumerSecret: string;
  realm?: string;
  placement?: Placement;
  clockOffset?: number;
  signatureMethod?: SignatureMethod;
}

/** A query or form value. Numbers and booleans are written with `String(value)`. */
export type ParamValue = string | number | boolean;

/** Name/value pairs; an array value repeats the name; `null` and `undefined` are skipped. */
export type ParamRecord = Record<string, ParamValue | readonly ParamValue[] | null | undefined>;

/**
 * A request to sign. Any other field is refused (`INVALID_OPTIONS`, naming it and suggesting the
 * field it resembles), and each field must have the type declared here.
 */
export interface SignableRequest {
  /** HTTP method, any case (sent upper case). */
  method: string;
  /** Absolute http(s) URL; may carry a query (form-decoded for signing: `+` is a space). */
  url: string | URL;
  /** Extra query parameters, appended to the URL percent-encoded (`%20`, never `+`). */
  query?: ParamRecord | URLSearchParams;
  /**
   * The body. Objects and URLSearchParams are form-encoded and signed; a string is sent as is
   * and signed only when `contentType` is `application/x-www-form-urlencoded`.
   */
  body?: string | URLSearchParams | ParamRecord;
  /** Content-Type of the body; objects and URLSearchParams default to form encoding. */
  contentType?: string;
  /** Overrides the signer's placement. */
  placement?: Placement;
  /** Overrides the signer's realm. */
  realm?: string;
  /** Overrides the random nonce (tests, replaying a failure). */
  nonce?: string;
  /** Overrides the timestamp, in whole seconds since the epoch (tests, replaying a failure). */
  timestamp?: number;
  /** Send `oauth_version=1.0`. Default `true`. */
  includeVersion?: boolean;
  /**
   * `oauth_callback` of the temporary-credentials request (RFC 5849 §2.1): an absolute URL or
   * `'oob'`. Sent and signed with the other protocol parameters (never as a query or body
   * field, which is `INVALID_OPTIONS`).
   */
  callback?: string;
  /**
   * `oauth_verifier` of the token-credentials request (RFC 5849 §2.3), signed with the
   * temporary credentials as `token`/`tokenSecret`. Sent and signed with the other protocol
   * parameters.
   */
  verifier?: string;
  /**
   * Send `oauth_body_hash` (draft-eaton-oauth-bodyhash; LTI 1.1, Mastercard): the base64 of the
   * signature method's hash of the body as sent (the empty string without a body). Not for a
   * form body (`INVALID_BODY`) nor with PLAINTEXT (`INVALID_OPTIONS`). Default `false`.
   */
  bodyHash?: boolean;
}

/**
 * The protocol parameters of a signed request, values not percent-encoded. (A type, not an
 * interface, so that it is still a `Record<string, string>`.)
 */
export type OAuthParameters = {
  oauth_body_hash?: string;
  oauth_callback?: string;
  oauth_consumer_key: string;
  oauth_nonce: string;
  oauth_signature: string;
  oauth_signature_method: SignatureMethod;
  oauth_timestamp: string;
  oauth_token?: string;
  oauth_verifier?: string;
  oauth_version?: '1.0';
};

/** A signed request: `fetch(r.url, { method: r.method, headers: r.headers, body: r.body })`. */
export interface SignedRequest {
  /** The upper-case method. */
  method: string;
  /** What to fetch: the query added, and the protocol parameters for placement `'query'`. */
  url: string;
  /** `Authorization` (placement `'header'`) and `Content-Type` (when the body has one). */
  headers: Record<string, string>;
  /** The body to send, if any. */
  body?: string;
  /**
   * The signature: the base64 HMAC for the HMAC methods; for `'PLAINTEXT'` the encoded secrets
   * themselves (`oauthParameters.oauth_signature_method` says which).
   */
  signature: string;
  /**
   * The signature base string (RFC 5849 §3.4.1.1), exactly what was signed (for `'PLAINTEXT'`,
   * which signs no text, the base string an HMAC would have signed).
   */
  baseString: string;
  /** The normalized request parameters (RFC 5849 §3.4.1.3.2). */
  normalizedParameters: string;
  /** Every `oauth_*` parameter sent, `oauth_signature` included (values not encoded). */
  oauthParameters: OAuthParameters;
}

/** Every error code; codes are stable API. */
export type OAuthSignErrorCode =
  | 'INVALID_OPTIONS'
  | 'THREE_LEGGED_REQUIRED'
  | 'TWO_LEGGED_FORBIDDEN'
  | 'OUT_OF_SCOPE'
  | 'INVALID_URL'
  | 'INVALID_METHOD'
  | 'INVALID_ENCODING'
  | 'INVALID_PLACEMENT'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_NONCE'
  | 'INVALID_BODY'
  | 'RANDOM_UNAVAILABLE'
  | 'PLAINTEXT_NEEDS_HTTPS';

/** The `Error` every function of this package throws. Its message never contains a secret. */
export interface OAuthSignError extends Error {
  name: 'OAuthSignError';
  code: OAuthSignErrorCode;
}

/** What `JSON.stringify(signer)` shows: no secret. */
export interface SignerJSON {
  consumerKey: string;
  mode: SignerMode;
}

/**
 * An OAuth 1.0a signer for one consumer and, usually, one user, with one signature method
 * (`'HMAC-SHA1'` unless `signatureMethod` says otherwise).
 *
 * `new Signer(options)` requires the user's `token` and `tokenSecret` (3-legged) and throws
 * `THREE_LEGGED_REQUIRED` without them. `twoLegged: true` is accepted only in a server
 * runtime. Use `Signer.forNewUser` to add users. The secrets cannot be read back:
 * `JSON.stringify(signer)` and `String(signer)` show only the consumer key and the mode.
 * Unknown option fields are refused (`INVALID_OPTIONS`, naming the field).
 */
export declare class Signer {
  /**
   * Builds a signer for one user. Throws an `OAuthSignError` (`THREE_LEGGED_REQUIRED`,
   * `TWO_LEGGED_FORBIDDEN`, `INVALID_OPTIONS`, ...) when the options are not allowed.
   */
  constructor(options: SignerOptions);
  /**
   * The one consumer-only signer allowed everywhere: it signs only `POST` to a path ending
   * in `/users`, `/accounts` or `/connect_tokens` (adding a user) and a `POST` with `callback`
   * (the temporary-credentials request of RFC 5849 §2.1), and throws `OUT_OF_SCOPE` for
   * anything else.
   */
  static forNewUser(options: NewUserSignerOptions): Signer;
  /**
   * Signs a request. The nonce (25 random letters and digits, 148 bits) and timestamp (`Date.now()` plus
   * `clockOffset`) are generated unless given. Throws an `OAuthSignError` on bad input,
   * including an unknown request field.
   */
  signRequest(request: SignableRequest): SignedRequest;
  /** `'three-legged'`, `'two-legged'` or `'new-user'`. */
  readonly mode: SignerMode;
  /** The consumer key (not a secret). */
  readonly consumerKey: string;
  /** The signature method this signer signs with. */
  readonly signatureMethod: SignatureMethod;
  /** `{ consumerKey, mode }`: never a secret. */
  toJSON(): SignerJSON;
  /** `Signer(consumerKey=..., mode=...)`: never a secret. */
  toString(): string;
  /** Frees the signer's wasm memory now rather than at garbage collection (optional). */
  free(): void;
  [Symbol.dispose](): void;
}

/**
 * Signs one request with a signer built from `options` under the same rules as
 * `new Signer(options)` (3-legged unless `twoLegged` in a server runtime).
 */
export declare function signRequest(options: SignerOptions, request: SignableRequest): SignedRequest;

/** Whether `value` is an error thrown by this package (an `OAuthSignError` with a `code`). */
export declare function isOAuthSignError(value: unknown): value is OAuthSignError;

/** What `init` accepts: the `.wasm` as a URL, a request, a response, bytes or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** What `initSync` accepts: the `.wasm` as bytes or a compiled module. */
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** The instantiated module (its exports are internal; only its memory is described). */
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}

/**
 * Loads and instantiates the wasm module; call once, before anything else, in a page, worker,
 * extension or bundled app. Without an argument it fetches `contextio_signer_bg.wasm` next to
 * this file. Not needed in Node, Deno or Bun (the `node` entry instantiates on import).
 */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;

/** Instantiates the wasm module synchronously from bytes or a compiled module. */
export declare function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;
