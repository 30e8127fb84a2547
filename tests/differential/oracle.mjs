// The independent side of the differential test: what a server computes from the request as it
// arrives. It never calls the package: the request the package returned is handed to the fetch
// API's own `Request` (so header values are normalized, the URL serialized and a string body
// UTF-8 encoded exactly as fetch would send them), then read by the local API server's own
// parsing (devserver/request.mjs: the Host header and request target, the query, a form body,
// the Authorization header, the Content-Type), and the base string and HMAC-SHA1 are computed
// by the npm package `oauth-sign` through the server's devserver/oauth.mjs. One referee: the
// server verifies requests with exactly this code, so a parsing fix reaches both at once.
//
// How oauth-sign is fed (a null-prototype object of string arrays, so that duplicates are kept,
// `__proto__` is an ordinary name, and the sort is RFC 5849 §3.4.1.3.2 byte order) is explained
// at `toOauthSignParams` in devserver/oauth.mjs.

import { hmacSha1Signature, signatureBaseString } from '../../devserver/oauth.mjs';
import { parseRequest, requestUrl } from '../../devserver/request.mjs';

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
  // The bytes as sent: the server's parser decodes a form body from them (keeping a leading
  // U+FEFF, which Request#text() would strip, as some server frameworks do; see the README).
  const bodyBytes = signed.body === undefined ? undefined : new Uint8Array(await req.arrayBuffer());
  return {
    method: req.method,
    url: req.url,
    authorization: req.headers.get('authorization') ?? undefined,
    contentType: req.headers.get('content-type') ?? undefined,
    bodyBytes,
    /** The body as text, for comparisons and reports. */
    body: bodyBytes === undefined ? undefined : new TextDecoder('utf-8', { ignoreBOM: true }).decode(bodyBytes),
  };
}

/**
 * What a server computes: the parameter sources (§3.4.1.3.1), the base string URI (§3.4.1.2),
 * the base string and the signature.
 * @param {Awaited<ReturnType<typeof received>>} req
 * @param {{consumerSecret: string, tokenSecret: string}} secrets
 */
export function serverSide(req, secrets) {
  // On the wire: `Host: url.host` and the request target `pathname + search`.
  const sent = new URL(req.url);
  const url = requestUrl({ scheme: sent.protocol.slice(0, -1), host: sent.host, target: `${sent.pathname}${sent.search}` });
  const parsed = parseRequest({ url, authorization: req.authorization, contentType: req.contentType, body: req.bodyBytes });
  const header = parsed.header ?? { realm: null, params: [], encoded: [] };

  const signatures = parsed.parameters.filter((p) => p.name === 'oauth_signature');
  if (signatures.length !== 1) throw new Error(`expected one oauth_signature, found ${signatures.length}`);
  /** @type {Array<[string, string]>} */
  const pairs = parsed.parameters.filter((p) => p.name !== 'oauth_signature').map((p) => [p.name, p.value]);
  const baseString = signatureBaseString(req.method, parsed.baseUri, pairs);
  const signature = hmacSha1Signature(req.method, parsed.baseUri, pairs, secrets.consumerSecret, secrets.tokenSecret);
  // The third part of the base string is the encoded normalized parameter string; the only
  // unencoded '&' are the two separators.
  const normalizedParameters = decodeURIComponent(baseString.split('&')[2]);
  return {
    url,
    baseUri: parsed.baseUri,
    queryPairs: parsed.query,
    bodyIsForm: parsed.formBody !== null,
    bodyPairs: parsed.form,
    header,
    sentSignature: signatures[0].value,
    baseString,
    signature,
    normalizedParameters,
  };
}
