// Declarations of `contextio-signer/verify` (hand-written: the runtime is js/verify.js over the
// verify build of the wasm binding).
import type { SignatureMethod, InitInput, SyncInitInput } from './contextio_signer.js';

export type { SignatureMethod };

/** A request as the server received it. */
export interface ReceivedRequest {
  /** The HTTP method, as received. */
  method: string;
  /**
   * The absolute URL as the client addressed it: the public scheme, host and port (behind a
   * proxy that ends TLS, the proxy's), the path and the query as received.
   */
  url: string | URL;
  /** A `Headers`, an array of pairs, or an object of strings (Node's `req.headers`). */
  headers?: Headers | ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | number | readonly string[] | undefined>>;
  /** The body: text (read as UTF-8) or its bytes (a Buffer, a Uint8Array, an ArrayBuffer). */
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null;
}

/** What the server holds for a consumer key (another field is refused: a misspelt one must not fall back to a default). */
export interface ConsumerRecord {
  /** The consumer secret. */
  secret: string;
  /** The signature methods this consumer may use. Default `['HMAC-SHA1']`. */
  signatureMethods?: readonly SignatureMethod[];
  /**
   * Whether every request must carry a token (3-legged: a consumer whose secret is shipped in
   * pages or extensions). Default `true`; `false` also accepts consumer-only (2-legged) ones.
   */
  requireToken?: boolean;
}

/** What the server holds for a token (another field is refused, as for a consumer). */
export interface TokenRecord {
  /** The token secret. */
  secret: string;
}

/** What the nonce lookup is asked about: record it, and say whether it is new. */
export interface NonceClaim {
  consumerKey: string;
  token: string | null;
  /** `oauth_timestamp`, seconds since the epoch. */
  timestamp: number;
  nonce: string;
}

type Awaitable<T> = T | PromiseLike<T>;

/** The server's lookups and policy. */
export interface VerifyOptions {
  /** The consumer's secret and policy, or `null` for an unknown key. */
  consumer: (consumerKey: string) => Awaitable<ConsumerRecord | null | undefined>;
  /** The token's secret, or `null` for an unknown (expired, revoked) token. */
  token: (consumerKey: string, token: string) => Awaitable<TokenRecord | null | undefined>;
  /**
   * Called last, only for an authentic request that carries a timestamp and a nonce: records the
   * nonce and answers `true` when it is new, `false` when it was seen before (a replay).
   */
  nonce: (claim: NonceClaim) => Awaitable<boolean>;
  /** The server clock: seconds since the epoch, or a Date. Default: now. */
  now?: number | Date;
  /** How far a timestamp may be from `now`, either way, in seconds. Default 300. */
  window?: number;
  /** The realm of the `WWW-Authenticate` challenge. Default none (`realm=""`). */
  realm?: string;
  /**
   * Whether a refused signature shows the base string the server computed (`debug_sbs`), for
   * `diagnoseRefusal`. Default `false`: turn on in development only.
   */
  debugBaseString?: boolean;
}

/** A verified request. */
export interface Verified {
  ok: true;
  consumerKey: string;
  /** `null` for a consumer-only (2-legged) request. */
  token: string | null;
  signatureMethod: SignatureMethod;
  /**
   * The request's own parameters, decoded, in the order received (header, query, form body):
   * every parameter but the `oauth_*` protocol ones and `realm`.
   */
  parameters: Array<[string, string]>;
}

/** The OAuth Problem Reporting word of a refusal. */
export type OAuthProblem =
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'version_rejected'
  | 'signature_method_rejected'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_invalid';

/** A refused request, ready to send: `res.writeHead(v.status, v.headers).end(v.body)`. */
export interface Refused {
  ok: false;
  /** 400 (a missing, duplicated or unsupported parameter or method) or 401 (RFC 5849 §3.2). */
  status: 400 | 401;
  problem: OAuthProblem;
  headers: {
    /** `OAuth realm="...", oauth_problem="..."` and the rest of the report. */
    'WWW-Authenticate': string;
    'Content-Type': 'application/x-www-form-urlencoded';
  };
  /** The report, form-encoded: `oauth_problem=...` and its companions. */
  body: string;
  /** A short explanation for the server's log. Never a secret, never a value of the request. */
  reason: string;
}

/**
 * Verifies a request as a server received it (RFC 5849 §3.2): collects its parameters (header,
 * query, form body), checks the version, the signature method, the consumer, the token, the
 * signature (in constant time), `oauth_body_hash`, the timestamp's window, and last the nonce.
 * Throws an `OAuthSignError` (`INVALID_OPTIONS`, `INVALID_REQUEST`) for a call that is wrong
 * itself; a lookup's own error is passed on. No result holds a secret.
 */
export declare function verifyRequest(request: ReceivedRequest, options: VerifyOptions): Promise<Verified | Refused>;

/** Instantiates this entry's own module (pages, workers); Node, Deno and Bun need no call. */
export default function init(
  moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** Instantiates this entry's module synchronously from its bytes. */
export declare function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;
