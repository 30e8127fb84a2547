// What a server parses from an HTTP request as it was sent (RFC 5849 §3.4.1.2, §3.4.1.3.1, §3.5):
// the request URL from the Host header and the request target, the query, a form body and its
// Content-Type, and the `Authorization: OAuth ...` header.
//
// One module, one referee: the dev server verifies every request with it (oauth.mjs, app.mjs),
// and the differential test's oracle (tests/differential/oracle.mjs) reads every request the
// package signs with it too. A parsing fix made here reaches both; nothing here may be copied
// elsewhere.
//
// Order of the checks in `parseRequest` (the first failure wins): the Authorization header
// (401, code 101), then the query's percent-encoding (400), then the form body's UTF-8 and
// percent-encoding (400).

import { badRequest, oauthParameterError, parameterRejected } from './errors.mjs';

/** HTTP whitespace (Fetch standard): what `fetch` strips around a header value, as does Node. */
const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** RFC 3986 unreserved characters and percent-escapes: the only text allowed in a header value. */
const PERCENT_ENCODED = /^(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})*$/;

/**
 * Whether a Content-Type names `application/x-www-form-urlencoded`: its essence, compared
 * case-insensitively, with HTTP whitespace and parameters such as `; charset=UTF-8` ignored.
 * Only such bodies enter the signature (§3.4.1.3.1).
 * @param {string | null | undefined} value
 * @returns {boolean}
 */
export function isFormContentType(value) {
  if (value === null || value === undefined) return false;
  const essence = value.replace(HTTP_WS, '').split(';', 1)[0].replace(HTTP_WS, '').toLowerCase();
  return essence === 'application/x-www-form-urlencoded';
}

/**
 * The full request URL as a server sees it: `scheme://` + the Host header + the request target.
 * An origin-form target is appended to the origin rather than resolved against it, so that a
 * path starting with `//` stays a path instead of becoming a host.
 * @param {{scheme?: string, host: string | undefined, target: string}} input `scheme` is
 *   `http` for this server (it does not speak TLS); the oracle passes the scheme the request used.
 * @returns {URL}
 * @throws {import('./errors.mjs').ApiError} 400 for a missing or malformed Host or an unparseable target.
 */
export function requestUrl({ scheme = 'http', host, target }) {
  if (!host) throw badRequest('missing Host header');
  // RFC 3986 reg-name characters (no percent-escapes), a port, brackets for IPv6: nothing that
  // could move the path, the query or user info into the host when the URL is put together.
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:[\]]+$/.test(host)) throw badRequest('malformed Host header');
  try {
    return target.startsWith('/') ? new URL(`${scheme}://${host}${target}`) : new URL(target);
  } catch {
    throw badRequest('cannot parse the request URL');
  }
}

/**
 * Base string URI (§3.4.1.2): scheme and host as WHATWG `URL` normalizes them (lowercase host,
 * default port dropped), path as received, no query or fragment.
 * @param {URL} url
 * @returns {string}
 */
export function baseStringUri(url) {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Parses `application/x-www-form-urlencoded` text. The `URLSearchParams` constructor drops one
 * leading `?` (a convenience for `location.search`) that the form parser itself keeps: `?a=1`
 * is a parameter named `?a`. A leading `&` (an empty sequence, skipped) keeps the first byte.
 * @param {string} text
 * @returns {URLSearchParams}
 */
export function parseFormBody(text) {
  return new URLSearchParams(`&${text}`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a form body: its bytes decoded as UTF-8, a leading U+FEFF kept (the form parser
 * works on bytes and keeps it; some frameworks strip it).
 * @param {Uint8Array | string} body
 * @returns {string}
 * @throws {import('./errors.mjs').ApiError} 400 when the bytes are not UTF-8 (a decoder that
 *   replaced them with U+FFFD would only show up as a confusing base-string mismatch).
 */
export function formBodyText(body) {
  if (typeof body === 'string') return body;
  try {
    return UTF8.decode(body);
  } catch {
    throw badRequest('the form body is not valid UTF-8');
  }
}

/**
 * Refuses `application/x-www-form-urlencoded` text whose percent-escapes are malformed or do not
 * decode to UTF-8. `URLSearchParams` silently keeps such bytes or replaces them with U+FFFD, which
 * would make the base string differ from the client's without saying why.
 * @param {string} text
 * @param {string} where "query string" or "form body".
 * @throws {import('./errors.mjs').ApiError} 400 code 400.
 */
export function assertWellFormedUrlencoded(text, where) {
  for (const part of text.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw badRequest(`malformed percent-encoding in the ${where}: "${part.slice(0, 60)}"`);
    }
  }
}

/**
 * Decodes an RFC 3986 percent-encoded header value, refusing raw reserved characters.
 * @param {string} raw
 * @param {string} what Used in the error message.
 * @param {string} [name] The parameter whose value this is (named in the 401's challenge).
 * @returns {string}
 */
function strictPercentDecode(raw, what, name) {
  const refuse = (message) => (name ? parameterRejected(message, name) : oauthParameterError(message));
  if (!PERCENT_ENCODED.test(raw)) {
    const bad = raw.replace(/[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2}/g, '').slice(0, 1);
    throw refuse(`${what} is not percent-encoded (found "${bad}"; RFC 5849 §3.5.1 and §3.6)`);
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    throw refuse(`${what} does not percent-decode to UTF-8`);
  }
}

/**
 * @typedef {object} AuthorizationHeader
 * @property {string | null} realm The realm, a quoted-string with its backslash escapes undone;
 *   never signed.
 * @property {Array<[string, string]>} params The decoded `oauth_*` parameters, in header order.
 * @property {Array<[string, string]>} encoded The same parameters as they appeared (still
 *   percent-encoded), for checks on how a client encodes.
 */

/**
 * Parses an `Authorization: OAuth ...` header (§3.5.1): the scheme (case-insensitive), then
 * comma-separated `name="value"` auth-params (RFC 7235: optional whitespace around `,` and `=`).
 * `realm` (any case) is a quoted-string; every other name must be `oauth_*` and both name and
 * value percent-encoded (RFC 5849 §3.6; lower-case hex accepted). Each name at most once.
 * @param {string | null | undefined} header
 * @returns {AuthorizationHeader | null} null when the header is absent or blank.
 * @throws {import('./errors.mjs').ApiError} 401 code 101 when the header is not well-formed.
 */
export function parseAuthorizationHeader(header) {
  if (header === undefined || header === null || header.trim() === '') return null;
  const scheme = /^\s*([^\s]+)/.exec(header)?.[1] ?? '';
  if (scheme.toLowerCase() !== 'oauth') {
    throw oauthParameterError(`Authorization header must use the OAuth scheme, not "${scheme.slice(0, 20)}"`);
  }
  let rest = header.replace(/^\s*[^\s]+/, '');
  /** @type {AuthorizationHeader} */
  const out = { realm: null, params: [], encoded: [] };
  const seen = new Set();
  for (;;) {
    rest = rest.replace(/^[\s,]+/, '');
    if (rest === '') break;
    const m = /^([^\s=,"]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/s.exec(rest);
    if (!m) {
      throw oauthParameterError(
        `malformed Authorization header near "${rest.slice(0, 30)}": expected name="value" pairs separated by commas`,
      );
    }
    rest = rest.slice(m[0].length);
    const [, rawName, rawValue] = m;
    const key = rawName.toLowerCase() === 'realm' ? 'realm' : rawName;
    if (seen.has(key)) throw parameterRejected(`${rawName} appears twice in the Authorization header`, key);
    seen.add(key);
    if (key === 'realm') {
      out.realm = rawValue.replace(/\\(.)/gs, '$1');
      continue;
    }
    const name = strictPercentDecode(rawName, 'a parameter name in the Authorization header');
    if (!name.startsWith('oauth_')) {
      throw parameterRejected(`unexpected parameter "${name}" in the Authorization header (only realm and oauth_* belong there)`, name);
    }
    out.params.push([name, strictPercentDecode(rawValue, `${name} in the Authorization header`, name)]);
    out.encoded.push([rawName, rawValue]);
  }
  return out;
}

/**
 * @typedef {{name: string, value: string, source: 'query' | 'body' | 'header'}} Parameter
 */

/**
 * Collects the request parameters (§3.4.1.3.1) in order: the query, then the form body (only
 * when the body is a form), then the Authorization header's oauth_* parameters.
 * @param {{url: URL, formBody: string | null, headerParams: Array<[string, string]>}} input
 * @returns {Parameter[]}
 */
export function collectParameters({ url, formBody, headerParams }) {
  /** @type {Parameter[]} */
  const out = [];
  for (const [name, value] of url.searchParams) out.push({ name, value, source: 'query' });
  if (formBody !== null) {
    for (const [name, value] of parseFormBody(formBody)) out.push({ name, value, source: 'body' });
  }
  for (const [name, value] of headerParams) out.push({ name, value, source: 'header' });
  return out;
}

/**
 * @typedef {object} ParsedRequest
 * @property {URL} url
 * @property {string} baseUri Base string URI (§3.4.1.2).
 * @property {Array<[string, string]>} query The query's name/value pairs.
 * @property {string | null} formBody The body's text when it is a form (form Content-Type and a
 *   body present), else null.
 * @property {Array<[string, string]>} form The form body's pairs ([] when not a form).
 * @property {AuthorizationHeader | null} header
 * @property {Parameter[]} parameters Every parameter, in the order of `collectParameters`.
 * @property {string | null} contentType The Content-Type header as received.
 * @property {Uint8Array | null} body The body's exact bytes (a string given is its UTF-8), null
 *   when there is none: what an `oauth_body_hash` is checked against.
 */

/**
 * Everything a server reads from a request before it knows who signed it.
 * @param {object} req
 * @param {URL} req.url The full request URL (see `requestUrl`).
 * @param {string | null | undefined} req.authorization The Authorization header.
 * @param {string | null | undefined} req.contentType The Content-Type header.
 * @param {Uint8Array | string | null | undefined} req.body The body as sent (bytes), if any.
 * @returns {ParsedRequest}
 * @throws {import('./errors.mjs').ApiError} 401 code 101 (header) or 400 (encoding).
 */
export function parseRequest({ url, authorization, contentType, body }) {
  const header = parseAuthorizationHeader(authorization);
  assertWellFormedUrlencoded(url.search.slice(1), 'query string');
  const hasBody = body !== undefined && body !== null;
  const formBody = hasBody && isFormContentType(contentType) ? formBodyText(body) : null;
  if (formBody !== null) assertWellFormedUrlencoded(formBody, 'form body');
  return {
    url,
    baseUri: baseStringUri(url),
    query: [...url.searchParams],
    formBody,
    form: formBody === null ? [] : [...parseFormBody(formBody)],
    header,
    parameters: collectParameters({ url, formBody, headerParams: header?.params ?? [] }),
    contentType: contentType ?? null,
    body: !hasBody ? null : typeof body === 'string' ? new TextEncoder().encode(body) : body,
  };
}
