// The independent side of the differential test: what a server computes from the request as it
// arrives. It never calls the package: the request the package returned is handed to the fetch
// API's own `Request` (so header values are normalized, the URL serialized and a string body
// UTF-8 encoded exactly as fetch would send them), parsed with WHATWG `URL`/`URLSearchParams`,
// and the base string and HMAC-SHA1 are computed by the npm package `oauth-sign`.
//
// Feeding oauth-sign (0.9.0, read in node_modules/oauth-sign/index.js):
// - `generateBase(method, baseUri, params)` takes the parameters as an object. RFC 5849
//   §3.4.1.3.2 needs every (name, value) pair, duplicates included, so each name maps to an
//   array of all its values (oauth-sign expands arrays into one pair per item, then sorts all
//   pairs by encoded name and then encoded value).
// - The object has no prototype: `for (key in obj)` then sees only the parameters, and names
//   such as `__proto__`, `constructor` or `hasOwnProperty` are ordinary keys.
// - Only strings (inside arrays) are passed, so oauth-sign's nested-object branch
//   (`key[prop]`) and its `p[1] || ''` fallback never change a value.
// - Its sort compares JavaScript strings (UTF-16 code units), but it compares the *encoded*
//   strings, which are ASCII, so that is byte order as §3.4.1.3.2 asks.
// - Its `rfc3986` is `encodeURIComponent` plus `!*'()`: exactly the RFC 3986 unreserved set
//   with upper-case hex (§3.6). It would throw on a lone surrogate, which cannot occur here:
//   URLSearchParams yields well-formed strings.
// - `hmacsign` builds the key `enc(consumerSecret)&enc(tokenSecret)` (§3.4.2); a consumer-only
//   signer passes an empty token secret.

import oauthSign from 'oauth-sign';

const { generateBase, hmacsign } = oauthSign;

/**
 * The application/x-www-form-urlencoded parser on a string. The URLSearchParams constructor
 * drops one leading '?' (a convenience for `location.search`) that the parser itself keeps, so
 * a leading '&' (an empty sequence, skipped) stands in front.
 */
export function formPairs(text) {
  return [...new URLSearchParams(`&${text}`)];
}

const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** Whether a Content-Type names a form body: its essence, whitespace and parameters aside. */
export function isFormContentType(value) {
  if (value === null || value === undefined) return false;
  const essence = value.replace(HTTP_WS, '').split(';', 1)[0].replace(HTTP_WS, '').toLowerCase();
  return essence === 'application/x-www-form-urlencoded';
}

/**
 * Parses `Authorization: OAuth realm="...", name="value", ...` (RFC 5849 §3.5.1): auth-params
 * with quoted-string values; `realm` is a quoted-string (backslash escapes), every other value
 * percent-encoded.
 * @returns {{realm: string | undefined, params: Array<[string, string]>}}
 */
export function parseAuthorization(header) {
  const m = /^OAuth(?:\s+|$)/i.exec(header);
  if (!m) throw new Error(`Authorization header does not use the OAuth scheme: ${JSON.stringify(header)}`);
  let rest = header.slice(m[0].length);
  let realm;
  const params = [];
  const seen = new Set();
  while (rest.length) {
    const pm = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)="((?:[^"\\]|\\.)*)"(?:,[ \t]*|$)/.exec(rest);
    if (!pm) throw new Error(`malformed Authorization header near ${JSON.stringify(rest.slice(0, 40))}`);
    rest = rest.slice(pm[0].length);
    const [, name, raw] = pm;
    if (seen.has(name)) throw new Error(`${name} appears twice in the Authorization header`);
    seen.add(name);
    if (name === 'realm') {
      realm = raw.replace(/\\(.)/g, '$1');
    } else {
      if (!/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/.test(raw)) throw new Error(`${name} is not percent-encoded with upper-case hex: ${JSON.stringify(raw)}`);
      params.push([decodeURIComponent(name), decodeURIComponent(raw)]);
    }
  }
  return { realm, params };
}

/**
 * The request as a server receives it, through the fetch API's own `Request`.
 * @param {{method: string, url: string, headers: Record<string, string>, body?: string}} signed
 */
export async function received(signed) {
  const req = new Request(signed.url, {
    method: signed.method,
    headers: signed.headers,
    body: signed.body,
  });
  // The bytes as sent, decoded keeping a leading U+FEFF: the form parser works on bytes and
  // keeps it (Request#text() would strip it, as some server frameworks do; see the README).
  const body = signed.body === undefined ? undefined : new TextDecoder('utf-8', { ignoreBOM: true }).decode(await req.arrayBuffer());
  return {
    method: req.method,
    url: req.url,
    authorization: req.headers.get('authorization') ?? undefined,
    contentType: req.headers.get('content-type') ?? undefined,
    body,
  };
}

/**
 * What a server computes: the parameter sources (§3.4.1.3.1), the base string URI (§3.4.1.2),
 * the base string and the signature.
 * @param {Awaited<ReturnType<typeof received>>} req
 * @param {{consumerSecret: string, tokenSecret: string}} secrets
 */
export function serverSide(req, secrets) {
  const url = new URL(req.url);
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  const queryPairs = [...url.searchParams];
  const bodyIsForm = req.body !== undefined && isFormContentType(req.contentType);
  const bodyPairs = bodyIsForm ? formPairs(req.body) : [];
  const header = req.authorization === undefined ? { realm: undefined, params: [] } : parseAuthorization(req.authorization);

  const all = [...queryPairs, ...bodyPairs, ...header.params];
  const signatures = all.filter(([n]) => n === 'oauth_signature');
  if (signatures.length !== 1) throw new Error(`expected one oauth_signature, found ${signatures.length}`);
  const params = Object.create(null);
  for (const [n, v] of all) {
    if (n === 'oauth_signature') continue;
    (params[n] ??= []).push(v);
  }
  const baseString = generateBase(req.method, baseUri, params);
  const signature = hmacsign(req.method, baseUri, params, secrets.consumerSecret, secrets.tokenSecret);
  // The third part of the base string is the encoded normalized parameter string; the only
  // unencoded '&' are the two separators.
  const normalizedParameters = decodeURIComponent(baseString.split('&')[2]);
  return {
    url,
    baseUri,
    queryPairs,
    bodyIsForm,
    bodyPairs,
    header,
    sentSignature: signatures[0][1],
    baseString,
    signature,
    normalizedParameters,
  };
}
