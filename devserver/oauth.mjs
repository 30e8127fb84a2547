// OAuth 1.0a request verification (RFC 5849, https://www.rfc-editor.org/rfc/rfc5849): HMAC-SHA1
// (§3.4.2), and for a consumer whose config lists them HMAC-SHA256, HMAC-SHA512 and PLAINTEXT
// (§3.4.4); the body hash of draft-eaton-oauth-bodyhash-00
// (https://datatracker.ietf.org/doc/html/draft-eaton-oauth-bodyhash-00) when a request sends one.
//
// This module and request.mjs are the referee of the project: they never use the project's own
// Rust/wasm signer. request.mjs parses the request as sent (WHATWG `URL`/`URLSearchParams`,
// §3.4.1.3.1) for the server and for the differential test alike; here the base string and the
// signatures are computed by the npm package `oauth-sign` (§3.4.1.1: `generateBase`; `hmacsign`,
// `hmacsign256`, `plaintext`), fed as described in `toOauthSignParams`, with node:crypto where
// oauth-sign has nothing (the HMAC-SHA512 of its base string, the body hash's SHA digests), and
// the request's signer is identified.
//
// Check order (first failure wins):
//   Authorization header syntax (101), query/body encoding (400) -- both in request.mjs --
//   -> duplicate or missing oauth_* parameters, oauth_version, a signature method this server
//      does not know, oauth_timestamp syntax (101) -> consumer key (102)
//   -> a signature method the consumer does not accept, an oauth_body_hash that cannot be right
//      (with PLAINTEXT or a form body) (101) -> token (103) -> signature (105)
//   -> body hash (101) -> timestamp window (106) -> nonce replay (107).
// The timestamp and nonce are checked after the signature so that only authentic requests learn
// about clock skew and only authentic requests consume nonces. The body hash is compared once the
// signature has shown that it is what the signer sent: a mismatch then means the body is not the
// one signed.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { generateBase, hmacsign, hmacsign256, plaintext } from 'oauth-sign';
import { isSecretParameter } from '../common/constants.js';
import { ApiError, ErrorCode, oauthParameterError, parameterRejected, refusal } from './errors.mjs';
import { isFormContentType } from './request.mjs';

/**
 * The signature methods this server can verify, as `oauth_signature_method` spells them
 * (case-sensitive). RFC 5849 §3.4 defines HMAC-SHA1, RSA-SHA1 (not offered: it needs a
 * consumer's public key, which Context.IO never had) and PLAINTEXT; HMAC-SHA256 and HMAC-SHA512
 * are the same construction with SHA-2, as the OAuth 1.0a APIs in use define them.
 */
export const SIGNATURE_METHODS = Object.freeze(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT']);

/** What a consumer accepts when its config lists no `signatureMethods`: Context.IO's rule. */
export const DEFAULT_SIGNATURE_METHODS = Object.freeze(['HMAC-SHA1']);

/** The node:crypto hash of each HMAC method, which is also its body hash (PLAINTEXT has none). */
const HASH_OF = Object.freeze({ 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' });

/** Allowed distance, in seconds, between oauth_timestamp and the server clock. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

const REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature'];

/**
 * What a 105 answer shows in the base string it sends back for the value of a parameter whose
 * name marks it as a secret of the caller's (`isSecretParameter`, common/constants.js: a
 * password, a refresh token, a provider secret, ...); the signature is of course computed over
 * the real values.
 */
export const HIDDEN_VALUE = '<hidden>';

/**
 * Shapes name/value pairs for `oauth-sign`.
 *
 * oauth-sign 0.9.0 walks an object with `for..in`; an array value becomes one pair per element,
 * then every pair is encoded (encodeURIComponent plus !*'() -> %21 %2A %27 %28 %29, uppercase hex,
 * i.e. RFC 3986 unreserved only) and sorted by encoded name, then encoded value, with JS `<`/`>`.
 * The encoded strings are ASCII, so UTF-16 comparison is byte comparison: that is exactly
 * RFC 5849 §3.4.1.3.2, duplicates included, provided every value is passed as an array of
 * strings. Two traps avoided here: a plain `{}` would swallow a parameter named `__proto__`
 * (the setter), so the object has a null prototype; and a non-array object value would be
 * flattened as `name[prop]`, so values are always arrays of strings.
 * @param {Iterable<[string, string]>} pairs
 * @returns {Record<string, string[]>}
 */
export function toOauthSignParams(pairs) {
  const params = Object.create(null);
  for (const [name, value] of pairs) (params[name] ??= []).push(String(value));
  return params;
}

/**
 * Signature base string (§3.4.1.1) computed by oauth-sign.
 * @param {string} method
 * @param {string} uri Base string URI.
 * @param {Iterable<[string, string]>} pairs Parameters without oauth_signature.
 * @returns {string}
 */
export function signatureBaseString(method, uri, pairs) {
  return generateBase(method, uri, toOauthSignParams(pairs));
}

/**
 * HMAC-SHA1 signature (§3.4.2) computed by oauth-sign.
 * @param {string} method
 * @param {string} uri Base string URI.
 * @param {Iterable<[string, string]>} pairs Parameters without oauth_signature.
 * @param {string} consumerSecret
 * @param {string} tokenSecret Empty for consumer-only requests.
 * @returns {string} base64 signature.
 */
export function hmacSha1Signature(method, uri, pairs, consumerSecret, tokenSecret) {
  return hmacsign(method, uri, toOauthSignParams(pairs), consumerSecret, tokenSecret);
}

/**
 * The signature of a request by one method, computed by the server's own code: oauth-sign's
 * `hmacsign` (HMAC-SHA1, §3.4.2), `hmacsign256` (HMAC-SHA256, the same construction with
 * SHA-256) and `plaintext` (PLAINTEXT, §3.4.4: `enc(consumer secret)&enc(token secret)`); for
 * HMAC-SHA512, which oauth-sign 0.9.0 lacks, node:crypto's HMAC-SHA512 of oauth-sign's base string
 * (`generateBase`), keyed with oauth-sign's `plaintext`: the HMAC key of §3.4.2 is exactly the
 * PLAINTEXT signature.
 * @param {string} signatureMethod One of {@link SIGNATURE_METHODS}.
 * @param {string} method
 * @param {string} uri Base string URI.
 * @param {Iterable<[string, string]>} pairs Parameters without oauth_signature (PLAINTEXT signs
 *   none of them).
 * @param {string} consumerSecret
 * @param {string} tokenSecret Empty for consumer-only requests.
 * @returns {string} base64 for the HMACs; the plain key for PLAINTEXT.
 */
export function signatureOf(signatureMethod, method, uri, pairs, consumerSecret, tokenSecret) {
  switch (signatureMethod) {
    case 'HMAC-SHA1':
      return hmacsign(method, uri, toOauthSignParams(pairs), consumerSecret, tokenSecret);
    case 'HMAC-SHA256':
      return hmacsign256(method, uri, toOauthSignParams(pairs), consumerSecret, tokenSecret);
    case 'HMAC-SHA512':
      return createHmac('sha512', plaintext(consumerSecret, tokenSecret))
        .update(generateBase(method, uri, toOauthSignParams(pairs)))
        .digest('base64');
    case 'PLAINTEXT':
      return plaintext(consumerSecret, tokenSecret);
    default:
      throw new TypeError(`unknown signature method ${String(signatureMethod).slice(0, 20)}`);
  }
}

/**
 * The body hash (draft-eaton-oauth-bodyhash-00): the base64 of the signature method's hash
 * (SHA-1, SHA-256, SHA-512) of the body's exact bytes, the empty string when there is none.
 * @param {string} signatureMethod An HMAC method of {@link SIGNATURE_METHODS} (PLAINTEXT has no hash).
 * @param {Uint8Array | string | null | undefined} body Bytes as received; a string is its UTF-8.
 * @returns {string}
 */
export function bodyHashOf(signatureMethod, body) {
  const hash = HASH_OF[signatureMethod];
  if (!hash) throw new TypeError(`no body hash for signature method ${String(signatureMethod).slice(0, 20)}`);
  return createHash(hash).update(body ?? '').digest('base64');
}

/**
 * Compares a received signature (or body hash) with the expected one in constant time: both are
 * hashed to SHA-256 first, so that neither their bytes nor the expected length (for PLAINTEXT,
 * the length of the secrets) shows in the time taken.
 */
function sameSignature(received, expected) {
  const digest = (text) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}

/**
 * Remembers (consumer, token, timestamp, nonce) tuples for as long as their timestamp is inside
 * the window, so a replay within the window is detected. Memory is bounded: expired entries are
 * pruned periodically and the cache refuses new entries past `maxEntries`.
 *
 * With a `journalFile`, every accepted nonce is also appended to that file before the request
 * is answered, and the live entries are read back at start: a replay is refused across a
 * restart or a crash too. The journal is compacted (live entries only, written atomically) at
 * each start; a line torn by a crash is ignored.
 */
export class NonceCache {
  /** @param {{windowSeconds?: number, maxEntries?: number, journalFile?: string | null, now?: number, reset?: boolean}} [opts] */
  constructor({ windowSeconds = TIMESTAMP_WINDOW_SECONDS, maxEntries = 100_000, journalFile = null, now = 0, reset = false } = {}) {
    this.windowSeconds = windowSeconds;
    this.maxEntries = maxEntries;
    /** @type {Map<string, number>} key -> last second at which the timestamp is still accepted */
    this.entries = new Map();
    this.nextPrune = 0;
    /** @type {number | null} append-mode descriptor of the journal */
    this.journal = null;
    if (journalFile) this.openJournal(journalFile, now, reset);
  }

  /** Loads the live entries of the journal, compacts it, and keeps it open for appending. */
  openJournal(file, now, reset) {
    if (!reset && existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        try {
          const [key, until] = JSON.parse(line);
          if (typeof key === 'string' && Number.isFinite(until) && until >= now) this.entries.set(key, until);
        } catch {
          // An empty line, or the last line torn by a crash mid-append.
        }
      }
    }
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, [...this.entries].map((e) => JSON.stringify(e) + '\n').join(''));
    renameSync(tmp, file);
    this.journal = openSync(file, 'a');
  }

  /** Number of remembered nonces. */
  get size() {
    return this.entries.size;
  }

  /**
   * Records a nonce; returns false when it was already recorded.
   * @param {{consumerKey: string, token: string, timestamp: number, nonce: string, now: number}} e
   * @returns {boolean}
   */
  remember({ consumerKey, token, timestamp, nonce, now }) {
    if (now >= this.nextPrune || this.entries.size >= this.maxEntries) this.prune(now);
    const key = JSON.stringify([consumerKey, token, timestamp, nonce]);
    if (this.entries.has(key)) return false;
    if (this.entries.size >= this.maxEntries) {
      throw new ApiError(503, ErrorCode.UNAVAILABLE, 'too many requests inside the replay window; retry later');
    }
    const until = timestamp + this.windowSeconds;
    this.entries.set(key, until);
    if (this.journal !== null) appendFileSync(this.journal, JSON.stringify([key, until]) + '\n');
    return true;
  }

  /** Closes the journal. */
  close() {
    if (this.journal !== null) closeSync(this.journal);
    this.journal = null;
  }

  /** Drops entries whose timestamp can no longer be accepted. @param {number} now */
  prune(now) {
    for (const [key, until] of this.entries) if (until < now) this.entries.delete(key);
    this.nextPrune = now + 30;
  }
}

/**
 * @typedef {object} Consumer
 * @property {string} key
 * @property {string} secret
 * @property {boolean} threeLegged
 * @property {Array<{type: string, key: string, secret: string}>} oauthProviders From the config
 *   file; applied to the state at start (Store#applyConfigProviders).
 * @property {string[]} signatureMethods The `oauth_signature_method`s it may sign with
 *   ({@link SIGNATURE_METHODS}); from the config file, {@link DEFAULT_SIGNATURE_METHODS} when absent.
 */

/**
 * @typedef {object} TokenRecord
 * @property {'user' | 'connect'} kind Permanent user pair, or temporary connect-token pair.
 * @property {string} token
 * @property {string} secret
 * @property {string} [userId] For kind 'user'.
 * @property {string} [connectToken] For kind 'connect'.
 */

/**
 * Verifies one request. Throws an {@link ApiError} (401) describing the first problem; returns
 * who signed it.
 * @param {object} req
 * @param {string} req.method HTTP method as received.
 * @param {import('./request.mjs').ParsedRequest} req.request The request as `parseRequest` read it
 *   (which already refused a malformed header, 101, and malformed encodings, 400).
 * @param {object} deps
 * @param {(key: string) => Consumer | undefined} deps.findConsumer
 * @param {(consumerKey: string, token: string, now: number) => TokenRecord | undefined} deps.findToken
 * @param {number} deps.now Server clock, unix seconds.
 * @param {NonceCache} deps.nonces
 * @returns {{consumer: Consumer, token: TokenRecord | null, realm: string | null}}
 */
export function verifyRequest({ method, request }, { findConsumer, findToken, now, nonces }) {
  const all = request.parameters;
  /** @type {Record<string, string>} */
  const oauth = Object.create(null);
  const sourceOf = Object.create(null);
  for (const { name, value, source } of all) {
    if (!name.startsWith('oauth_')) continue;
    if (name in oauth) {
      throw parameterRejected(`${name} is given more than once (in the ${sourceOf[name]} and in the ${source})`, name);
    }
    oauth[name] = value;
    sourceOf[name] = source;
  }
  const missing = REQUIRED.filter((n) => !oauth[n]);
  if (missing.length > 0) {
    throw oauthParameterError(
      `missing or empty OAuth parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        '(send them in the Authorization header, the query string or a form body)',
      { oauth_problem: 'parameter_absent', oauth_parameters_absent: missing.join('&') },
    );
  }
  if ('oauth_version' in oauth && oauth.oauth_version !== '1.0') {
    throw oauthParameterError(`oauth_version must be "1.0" when present, got "${oauth.oauth_version.slice(0, 20)}"`, {
      oauth_problem: 'version_rejected',
      oauth_acceptable_versions: '1.0-1.0',
    });
  }
  const signatureMethod = oauth.oauth_signature_method;
  if (!SIGNATURE_METHODS.includes(signatureMethod)) {
    throw oauthParameterError(
      `unsupported oauth_signature_method "${signatureMethod.slice(0, 20)}"; this server knows ${SIGNATURE_METHODS.join(', ')} ` +
        '(each consumer accepts HMAC-SHA1 unless its config lists others)',
      { oauth_problem: 'signature_method_rejected' },
    );
  }
  if (!/^[0-9]{1,12}$/.test(oauth.oauth_timestamp)) {
    throw parameterRejected('oauth_timestamp must be a whole number of seconds since 1970-01-01 UTC', 'oauth_timestamp');
  }
  const consumer = findConsumer(oauth.oauth_consumer_key);
  if (!consumer) {
    throw refusal(ErrorCode.CONSUMER_KEY_REFUSED, `unknown consumer key "${oauth.oauth_consumer_key.slice(0, 80)}"`);
  }
  const accepted = consumer.signatureMethods ?? DEFAULT_SIGNATURE_METHODS;
  if (!accepted.includes(signatureMethod)) {
    const only = accepted.length === 1 ? `${accepted[0]} only` : accepted.join(', ');
    throw oauthParameterError(
      `unsupported oauth_signature_method "${signatureMethod}"; this consumer accepts ${only}`,
      { oauth_problem: 'signature_method_rejected' },
    );
  }

  const hasBodyHash = 'oauth_body_hash' in oauth;
  if (hasBodyHash && signatureMethod === 'PLAINTEXT') {
    throw parameterRejected(
      'oauth_body_hash cannot be checked with PLAINTEXT: the body hash uses the hash of the signature method, and PLAINTEXT has none ' +
        '(sign with an HMAC method, or send no oauth_body_hash)',
      'oauth_body_hash',
    );
  }
  if (hasBodyHash && isFormContentType(request.contentType)) {
    throw parameterRejected(
      'oauth_body_hash must not be sent with a form-encoded body (application/x-www-form-urlencoded): ' +
        'its parameters are signed already (draft-eaton-oauth-bodyhash-00)',
      'oauth_body_hash',
    );
  }

  // An empty oauth_token (sent by some 2-legged clients) means "no token"; it is still signed.
  let token = null;
  if (oauth.oauth_token) {
    token = findToken(consumer.key, oauth.oauth_token, now) ?? null;
    if (!token) {
      throw refusal(ErrorCode.TOKEN_REFUSED, 'unknown, expired or revoked oauth_token');
    }
  }

  /** @type {Array<[string, string]>} */
  const pairs = all.filter((p) => p.name !== 'oauth_signature').map((p) => [p.name, p.value]);
  const uri = request.baseUri;
  const expected = signatureOf(signatureMethod, method, uri, pairs, consumer.secret, token?.secret ?? '');
  if (!sameSignature(oauth.oauth_signature, expected)) {
    if (signatureMethod === 'PLAINTEXT') {
      // A PLAINTEXT signature is the secrets themselves: the one received is not echoed, and
      // there is no base string to show.
      throw refusal(
        ErrorCode.SIGNATURE_INVALID,
        `Invalid signature ${HIDDEN_VALUE}. A PLAINTEXT signature is the percent-encoded consumer secret, "&", and the ` +
          'percent-encoded token secret (nothing after the "&" without a token), RFC 5849 §3.4.4',
      );
    }
    // The base string the server signed, as Context.IO answered it, but with the value of every
    // parameter named as a secret (a password, a refresh token, a provider secret) shown as
    // <hidden>: the rule of the package's diagnosis, so that a value it hides is hidden here too.
    const shown = pairs.map(([n, v]) => [n, isSecretParameter(n) ? HIDDEN_VALUE : v]);
    const baseString = signatureBaseString(method, uri, shown);
    throw refusal(
      ErrorCode.SIGNATURE_INVALID,
      `Invalid signature ${oauth.oauth_signature}. Signature base string should be ${baseString}`,
      { base_string: baseString },
    );
  }

  if (hasBodyHash) {
    const bodyHash = bodyHashOf(signatureMethod, request.body);
    if (!sameSignature(oauth.oauth_body_hash, bodyHash)) {
      const size = request.body?.length ?? 0;
      throw parameterRejected(
        `oauth_body_hash "${oauth.oauth_body_hash.slice(0, 100)}" does not match the body: the base64 ${HASH_OF[signatureMethod].toUpperCase().replace('SHA', 'SHA-')} ` +
          `of the ${size} byte${size === 1 ? '' : 's'} received is ${bodyHash} (the exact bytes sent, the empty string when there is no body)`,
        'oauth_body_hash',
      );
    }
  }

  const timestamp = Number(oauth.oauth_timestamp);
  if (Math.abs(timestamp - now) > TIMESTAMP_WINDOW_SECONDS) {
    throw refusal(
      ErrorCode.TIMESTAMP_REFUSED,
      `Timestamp ${oauth.oauth_timestamp} is outside the allowed window of ${TIMESTAMP_WINDOW_SECONDS} s (server time ${now})`,
      { server_time: now },
      {
        oauth_problem: 'timestamp_refused',
        oauth_acceptable_timestamps: `${now - TIMESTAMP_WINDOW_SECONDS}-${now + TIMESTAMP_WINDOW_SECONDS}`,
      },
    );
  }

  const fresh = nonces.remember({
    consumerKey: consumer.key,
    token: token?.token ?? '',
    timestamp,
    nonce: oauth.oauth_nonce,
    now,
  });
  if (!fresh) {
    throw refusal(
      ErrorCode.NONCE_USED,
      `Nonce "${oauth.oauth_nonce.slice(0, 80)}" was already used with timestamp ${oauth.oauth_timestamp}; use a fresh nonce for every request`,
    );
  }
  return { consumer, token, realm: request.header?.realm ?? null };
}
