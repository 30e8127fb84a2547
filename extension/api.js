// The API client: turns (credentials, method, path, parameters) into a signed fetch against the
// configured API base, shapes the answer, has every refusal diagnosed by the package
// (`contextio-signer/diagnose`), and sends a refused request once more when the diagnosis says
// a fresh signature will do (`retryFor`, the one retry rule).
//
// It always signs 3-legged: with `Signer.forNewUser` (consumer only, and the signer itself
// refuses anything but adding a user) or with one user's own token pair. Never `twoLegged`.

import { CONTEXT_IO_CODES, isSecretParameter } from '../common/constants.js';
import { ExtensionError } from './errors.js';
import { originPattern } from './origins.js';

/** HTTP methods the extension sends. */
export const METHODS = Object.freeze(['GET', 'POST', 'PUT', 'DELETE']);

/**
 * The methods a server may receive twice with the effect of once (RFC 9110 §9.2.2): a request
 * refused as a replay (`nonce_used`) is sent again only with one of these, since the server has
 * seen this very request before and may have acted on that earlier copy.
 */
export const IDEMPOTENT_METHODS = Object.freeze(['GET', 'PUT', 'DELETE']);

/** Statuses of an OAuth refusal: the server did not process the request. */
export const REFUSAL_STATUSES = Object.freeze([401, 403]);

/**
 * Context.IO error codes (`{"type":"error","code":N}`) and their names, the extension's error
 * codes for them: the shared table's (`CONTEXT_IO_CODES`, common/constants.js), which the local
 * server answers by and which are the diagnosis' problem codes (106 `TIMESTAMP_REFUSED`, 107
 * `NONCE_USED`, ...).
 * @type {Readonly<Record<number, string>>}
 */
export const API_ERROR_CODES = Object.freeze(Object.fromEntries(Object.entries(CONTEXT_IO_CODES).map(([code, { name }]) => [code, name])));

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
 * Replaces every value whose key names a secret (`access_token_secret`, `consumer_secret`,
 * `password`, `refresh_token`, ...: `isSecretParameter`, the package's rule, common/constants.js)
 * so that no API answer carries one to a page.
 * @param {unknown} value
 * @returns {unknown}
 */
export function redactSecrets(value) {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretParameter(k) ? '(hidden by the extension)' : redactSecrets(v);
    return out;
  }
  return value;
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
 * The one retry rule: whether a refused request may be signed afresh and sent once more, and
 * why. Only an OAuth refusal (401 or 403: the server did not process the request) whose
 * diagnosis says a fresh signature will do:
 *
 * - `'clock'`: the timestamp was refused (`TIMESTAMP_REFUSED`, or `CLOCK_SKEW` read from the
 *   server's `Date`) and the diagnosis gives the seconds to add to the clock offset. No copy of
 *   the request was accepted, whatever its method.
 * - `'nonce'`: the nonce was used before (`NONCE_USED`), and the method is idempotent. The
 *   server has seen this very request (same nonce, same timestamp, same signature): an earlier
 *   copy, delivered twice on the way, may have been acted on, so a POST is not repeated.
 *
 * Anything else (another problem, another status, a method that may not be repeated) is null:
 * the answer goes back with the diagnosis' cause and advice. The caller retries at most once.
 * @param {import('./pkg/diagnose.js').Diagnosis | null} diagnosis
 * @param {{method: string, status: number}} request The method sent and the status answered.
 * @returns {'clock' | 'nonce' | null}
 */
export function retryFor(diagnosis, { method, status }) {
  if (!diagnosis || !REFUSAL_STATUSES.includes(status) || diagnosis.status !== status) return null;
  if (
    diagnosis.retry === 'clock' &&
    (diagnosis.problem === 'TIMESTAMP_REFUSED' || diagnosis.problem === 'CLOCK_SKEW') &&
    Number.isSafeInteger(diagnosis.clockOffset) &&
    diagnosis.clockOffset !== 0
  ) {
    return 'clock';
  }
  if (diagnosis.retry === 'nonce' && diagnosis.problem === 'NONCE_USED' && IDEMPOTENT_METHODS.includes(method)) return 'nonce';
  return null;
}

/** Problems the diagnosis explains well enough to say instead of the server's own message. */
const UNEXPLAINED = new Set(['UNEXPLAINED', 'NOT_REFUSED', 'OTHER']);

/**
 * The error of an answer that is not 2xx: the extension's code (Context.IO's number, else
 * `HTTP_<status>`), a message (the diagnosis' cause and advice where it explains the refusal,
 * else the server's own message), and the diagnosis' `problem`, `cause` and `advice`.
 * @param {{status: number, data: any}} attempt
 * @param {import('./pkg/diagnose.js').Diagnosis | null} diagnosis
 */
export function answerError({ status, data }, diagnosis) {
  const apiCode = data?.type === 'error' && Number.isInteger(data.code) ? data.code : undefined;
  const serverMessage = typeof data?.value === 'string' ? data.value : `the server answered HTTP ${status}`;
  const explained = diagnosis && !UNEXPLAINED.has(diagnosis.problem);
  const error = {
    code: API_ERROR_CODES[apiCode] ?? `HTTP_${status}`,
    message: explained ? `${diagnosis.cause}; ${diagnosis.advice}` : serverMessage,
    status,
  };
  if (apiCode !== undefined) error.apiCode = apiCode;
  if (diagnosis) {
    error.problem = diagnosis.problem;
    error.cause = diagnosis.cause;
    error.advice = diagnosis.advice;
    if (diagnosis.serverBaseString !== null) error.serverBaseString = diagnosis.serverBaseString;
  }
  return error;
}

/**
 * @typedef {object} ApiResult
 * @property {boolean} ok HTTP 2xx.
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {unknown} data Parsed JSON (or text). May contain secrets (a new user's pair): callers redact.
 * @property {ReturnType<typeof signingInfo>} signing Of the request whose answer this is.
 * @property {{from: number, to: number, retried: true} | null} clockCorrection The stored clock
 *   offset changed by a clock retry.
 * @property {{reason: 'clock' | 'nonce', status: number, problem: string, serverProblem: string | null, cause: string, clockOffset: number | null} | null} retried
 *   The refusal that was healed by the one retry (its diagnosis, in short); null when the
 *   answer is the first one.
 * @property {import('./pkg/diagnose.js').Diagnosis | null} diagnosis Of a non-2xx answer.
 * @property {{code: string, message: string, status: number, apiCode?: number, problem?: string, cause?: string, advice?: string, serverBaseString?: string} | null} error
 */

/**
 * @param {object} deps
 * @param {typeof import('./pkg/contextio_signer.js').Signer} deps.Signer
 * @param {(signed: any, response: {status: number, headers: Record<string, string>, body: string}) => Promise<import('./pkg/diagnose.js').Diagnosis>} deps.diagnose
 *   The package's `diagnoseRefusal`, behind its lazy `init()`.
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {typeof fetch} deps.fetch
 * @param {(origin: string) => Promise<boolean>} [deps.canReach] Whether the browser granted
 *   access to an origin (`permissions.contains`); nothing is sent to an origin without it.
 */
export function createApiClient({ Signer, diagnose, storage, fetch, canReach = async () => true }) {
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

  /** Sends a signed request, reads the answer, diagnoses a refusal. */
  async function send(signed, clockOffset) {
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
    const diagnosis = response.ok ? null : await diagnose(signed, { status: response.status, headers, body: text });
    return { status: response.status, ok: response.ok, headers, data, signed, clockOffset, diagnosis };
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
     * Signs and sends a request, with the clock offset stored for its origin. A refusal is
     * diagnosed; when `retryFor` allows it, the request is signed afresh and sent once more (a
     * clock retry first stores the corrected offset for the origin), and never a third time.
     * @returns {Promise<ApiResult>}
     */
    async call({ settings, user, method, path, query, body }) {
      const p = await prepare({ settings, method, path });
      await assertReachable(p.origin);
      const request = { method: p.method, url: p.url, query, body };
      const stored = await storage.clockOffset(p.origin);
      // Every signature has a fresh nonce and the current timestamp.
      let attempt = await send(sign(p.settings, user, request, stored), stored);
      let clockCorrection = null;
      let retried = null;
      const reason = retryFor(attempt.diagnosis, { method: p.method, status: attempt.status });
      if (reason !== null) {
        const refusal = attempt.diagnosis;
        const offset = attempt.clockOffset + (reason === 'clock' ? refusal.clockOffset : 0);
        // Signed before anything is stored: an offset the signer refuses (beyond its bounds)
        // is never kept for the origin.
        const signed = sign(p.settings, user, request, offset);
        if (reason === 'clock') {
          // The diagnosis' offset is relative to the one this request was signed with: the sum
          // is stored (not added to whatever is stored now), so concurrent refusals agree.
          await storage.setClockOffset(p.origin, offset);
          clockCorrection = { from: attempt.clockOffset, to: offset, retried: true };
        }
        retried = {
          reason,
          status: refusal.status,
          problem: refusal.problem,
          serverProblem: refusal.serverProblem,
          cause: refusal.cause,
          clockOffset: reason === 'clock' ? refusal.clockOffset : null,
        };
        attempt = await send(signed, offset);
      }
      const { status, ok, headers, data, diagnosis } = attempt;
      const error = ok ? null : answerError(attempt, diagnosis);
      return { ok, status, headers, data, signing: signingInfo(attempt.signed, attempt.clockOffset), clockCorrection, retried, diagnosis, error };
    },
  };
}

/**
 * An API answer that is not 2xx, as a page's error answer: the error, plus status, headers, data
 * (secrets redacted), signing, the retry that was made and the diagnosis, which the explorer
 * shows.
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
    retried: result.retried,
    diagnosis: result.diagnosis,
    error: result.error,
  };
}
