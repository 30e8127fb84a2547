// The API client: turns (credentials, method, path, parameters) into a signed fetch against the
// configured API base, shapes the answer, and corrects the clock once when the server refuses
// the timestamp.
//
// It always signs 3-legged: with `Signer.forNewUser` (consumer only, and the signer itself
// refuses anything but adding a user) or with one user's own token pair. Never `twoLegged`.

import { ExtensionError } from './errors.js';
import { originPattern } from './origins.js';

/** A local clock this far from the server's (seconds) is corrected even when requests succeed. */
export const SKEW_TOLERANCE_SECONDS = 60;

/** HTTP methods the extension sends. */
export const METHODS = Object.freeze(['GET', 'POST', 'PUT', 'DELETE']);

/** Context.IO error codes (`{"type":"error","code":N}`) and the extension's names for them. */
export const API_ERROR_CODES = Object.freeze({
  101: 'OAUTH_PARAMETER',
  102: 'UNKNOWN_CONSUMER',
  103: 'UNKNOWN_TOKEN',
  105: 'BAD_SIGNATURE',
  106: 'TIMESTAMP_REFUSED',
  107: 'NONCE_REPLAYED',
  108: 'FORBIDDEN',
});

/**
 * Resolves a path relative to the API base. The path must start with `/` and stay under the
 * base: no `.` or `..` segment (also percent-encoded), no query or fragment (parameters go in
 * `query`), no backslash, no control character, no `//` (which would name another host).
 * @param {string} apiBase e.g. `http://127.0.0.1:8787/lite`
 * @param {unknown} path e.g. `/users/abc/email_accounts`
 * @returns {string} The absolute URL.
 * @throws {ExtensionError} INVALID_PATH.
 */
export function resolveApiUrl(apiBase, path) {
  const bad = (why) => new ExtensionError('INVALID_PATH', `invalid path: ${why}`);
  if (typeof path !== 'string' || !path.startsWith('/')) throw bad('it must start with "/" (relative to the API base)');
  if (path.startsWith('//')) throw bad('it must not start with "//"');
  if (/[?#]/.test(path)) throw bad('put parameters in "query", not in the path');
  if (/[\\\s\u0000-\u001f\u007f]/.test(path)) throw bad('no backslash, space or control character');
  for (const segment of path.split('/').slice(1)) {
    let decoded;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw bad(`malformed percent-encoding in "${segment.slice(0, 40)}"`);
    }
    if (decoded === '.' || decoded === '..') throw bad('"." and ".." segments are not allowed');
  }
  const base = new URL(apiBase);
  const url = new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${path}`);
  const prefix = `${base.pathname.replace(/\/$/, '')}/`;
  if (url.origin !== base.origin || !url.pathname.startsWith(prefix)) throw bad('it leaves the API base');
  return url.href;
}

/**
 * The user id named by a path under `/users/<id>`, percent-decoded, or null.
 * @param {string} path
 * @returns {string | null}
 */
export function userIdInPath(path) {
  const m = /^\/users\/([^/]+)/.exec(path);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/**
 * Replaces every value whose key names a secret (`access_token_secret`, `consumer_secret`, ...)
 * so that no API answer carries one to a page.
 * @param {unknown} value
 * @returns {unknown}
 */
export function redactSecrets(value) {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = /secret|password/i.test(k) ? '(hidden by the extension)' : redactSecrets(v);
    return out;
  }
  return value;
}

/** The server's expected base string from a 105 answer (`base_string`, or parsed from `value`). */
function serverBaseString(data) {
  if (typeof data?.base_string === 'string') return data.base_string;
  const m = /Signature base string should be (\S+)/.exec(typeof data?.value === 'string' ? data.value : '');
  return m ? m[1] : undefined;
}

/**
 * Non-secret signing details of a signed request, for pages.
 * @param {import('./pkg/contextio_signer.js').SignedRequest} signed
 * @param {number} clockOffset
 */
export function signingInfo(signed, clockOffset) {
  return {
    method: signed.method,
    url: signed.url,
    baseString: signed.baseString,
    normalizedParameters: signed.normalizedParameters,
    authorization: signed.headers.Authorization ?? signed.headers.authorization ?? '',
    oauthParameters: { ...signed.oauthParameters },
    contentType: signed.headers['Content-Type'],
    body: signed.body,
    clockOffset,
  };
}

/**
 * Seconds to add to the local clock, as the server sees it: `server_time` of a 106 answer,
 * else the `Date` header; null when neither is there. Both have one-second resolution (their
 * truncation and the answer's transit time roughly cancel out; the server allows 300 s).
 * @param {{data: any, headers: Record<string, string>, receivedAt: number}} attempt
 * @returns {number | null}
 */
export function observedClockOffset({ data, headers, receivedAt }) {
  let serverMs = null;
  if (data?.code === 106 && Number.isFinite(data?.server_time)) serverMs = data.server_time * 1000;
  else if (headers.date && Number.isFinite(Date.parse(headers.date))) serverMs = Date.parse(headers.date);
  return serverMs === null ? null : Math.round((serverMs - receivedAt) / 1000);
}

/**
 * Parameters with every value as a string (`String(value)`, arrays kept), `null` and
 * `undefined` dropped: numbers and booleans from pages are written once, here, the way a form
 * sends them, so what is signed is exactly what the explorer shows.
 * @param {Record<string, unknown> | undefined | null} record
 * @returns {Record<string, string | string[]> | undefined}
 */
export function stringValues(record) {
  if (record === undefined || record === null) return undefined;
  const out = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.map(String) : String(v);
  }
  return out;
}

/**
 * @typedef {object} ApiResult
 * @property {boolean} ok HTTP 2xx.
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {unknown} data Parsed JSON (or text). May contain secrets (a new user's pair): callers redact.
 * @property {ReturnType<typeof signingInfo>} signing Of the request whose answer this is.
 * @property {{from: number, to: number, retried: boolean} | null} clockCorrection
 * @property {{code: string, message: string, status: number, apiCode?: number, serverBaseString?: string} | null} error
 */

/**
 * @param {object} deps
 * @param {typeof import('./pkg/contextio_signer.js').Signer} deps.Signer
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {typeof fetch} deps.fetch
 * @param {() => number} [deps.now] Milliseconds (the local clock).
 * @param {(origin: string) => Promise<boolean>} [deps.canReach] Whether the browser granted
 *   access to an origin (`permissions.contains`); nothing is sent to an origin without it.
 */
export function createApiClient({ Signer, storage, fetch, now = () => Date.now(), canReach = async () => true }) {
  /**
   * Signs one request. `user` null means consumer only (`Signer.forNewUser`).
   * @param {import('./storage.js').Settings} settings
   * @param {import('./storage.js').UserRecord | {accessToken: string, accessTokenSecret: string} | null} user
   */
  function sign(settings, user, { method, url, query, body }, clockOffset) {
    const consumer = { consumerKey: settings.consumerKey, consumerSecret: settings.consumerSecret, clockOffset };
    const signer = user
      ? new Signer({ ...consumer, token: user.accessToken, tokenSecret: user.accessTokenSecret })
      : Signer.forNewUser(consumer);
    try {
      return signer.signRequest({ method, url, query: stringValues(query), body: stringValues(body) });
    } finally {
      try {
        signer.free();
      } catch {
        // already released; nothing else to do
      }
    }
  }

  async function prepare({ settings, method, path }) {
    const s = settings ?? (await storage.settings());
    const m = typeof method === 'string' ? method.toUpperCase() : '';
    if (!METHODS.includes(m)) throw new ExtensionError('INVALID_MESSAGE', `method must be one of ${METHODS.join(', ')}`);
    const url = resolveApiUrl(s.apiBase, path);
    return { settings: s, method: m, url, origin: new URL(url).origin };
  }

  /** Refuses, before signing anything, to send to an origin the browser has not granted. */
  async function assertReachable(origin) {
    if (await canReach(origin)) return;
    throw new ExtensionError(
      'NO_HOST_ACCESS',
      `no access to ${origin}: the browser has not granted this extension access to the API server (grant it from the popup, the explorer or the options page)`,
      { origin, pattern: originPattern(origin) },
    );
  }

  async function send(settings, user, request, clockOffset) {
    const signed = sign(settings, user, request, clockOffset);
    let response;
    try {
      response = await fetch(signed.url, {
        method: signed.method,
        headers: signed.headers,
        body: signed.body,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'manual',
      });
    } catch (e) {
      throw new ExtensionError('NETWORK_ERROR', `cannot reach ${new URL(signed.url).origin}: ${e?.message ?? e}`);
    }
    const receivedAt = now();
    if (response.type === 'opaqueredirect') {
      // A signed request is never followed to another URL: the signature names this one.
      throw new ExtensionError('UNEXPECTED_REDIRECT', `the server redirected ${signed.method} ${signed.url}; check the API base URL`);
    }
    const text = await response.text();
    let data = text;
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
    }
    /** @type {Record<string, string>} */
    const headers = {};
    response.headers.forEach((v, k) => {
      headers[k.toLowerCase()] = v;
    });
    return { status: response.status, ok: response.ok, headers, data, signed, receivedAt };
  }

  return {
    /**
     * Signs without sending, for the explorer's live preview.
     * @returns {Promise<ReturnType<typeof signingInfo>>}
     */
    async preview({ settings, user, method, path, query, body }) {
      const p = await prepare({ settings, method, path });
      const offset = await storage.clockOffset(p.origin);
      return signingInfo(sign(p.settings, user, { method: p.method, url: p.url, query, body }, offset), offset);
    },

    /**
     * Signs and sends a request. On a 401 for the timestamp (code 106, or a `Date` more than
     * SKEW_TOLERANCE_SECONDS off) it stores the server's clock offset for that origin and
     * retries once; a successful answer with a skewed `Date` only stores the offset.
     * @returns {Promise<ApiResult>}
     */
    async call({ settings, user, method, path, query, body }) {
      const p = await prepare({ settings, method, path });
      await assertReachable(p.origin);
      const request = { method: p.method, url: p.url, query, body };
      const stored = await storage.clockOffset(p.origin);
      let offset = stored;
      let attempt = await send(p.settings, user, request, offset);
      let clockCorrection = null;
      const observed = observedClockOffset(attempt);
      const skewed = observed !== null && Math.abs(observed - offset) > SKEW_TOLERANCE_SECONDS;
      if (attempt.status === 401 && observed !== null && (attempt.data?.code === 106 || skewed)) {
        offset = observed;
        await storage.setClockOffset(p.origin, offset);
        clockCorrection = { from: stored, to: offset, retried: true };
        attempt = await send(p.settings, user, request, offset);
      } else if (skewed) {
        offset = observed;
        await storage.setClockOffset(p.origin, offset);
        clockCorrection = { from: stored, to: offset, retried: false };
      }
      const { status, ok, headers, data } = attempt;
      let error = null;
      if (!ok) {
        const apiCode = data?.type === 'error' && Number.isInteger(data.code) ? data.code : undefined;
        error = {
          code: API_ERROR_CODES[apiCode] ?? `HTTP_${status}`,
          message: typeof data?.value === 'string' ? data.value : `the server answered HTTP ${status}`,
          status,
        };
        if (apiCode !== undefined) error.apiCode = apiCode;
        const sbs = apiCode === 105 ? serverBaseString(data) : undefined;
        if (sbs !== undefined) error.serverBaseString = sbs;
      }
      return { ok, status, headers, data, signing: signingInfo(attempt.signed, offset), clockCorrection, error };
    },
  };
}

/**
 * An API answer that is not 2xx, as a page's error answer: the error, plus status, headers, data
 * (secrets redacted) and signing, which the explorer shows.
 * @param {ApiResult} result
 */
export function apiErrorAnswer(result) {
  return {
    ok: false,
    status: result.status,
    headers: result.headers,
    data: redactSecrets(result.data),
    signing: result.signing,
    clockCorrection: result.clockCorrection,
    error: result.error,
  };
}
