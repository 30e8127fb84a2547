// The independent side of the differential test: what a server computes from the request as it
// arrives. It never calls the package: the request the package returned is handed to the fetch
// API's own `Request` (so header values are normalized, the URL serialized and a string body
// UTF-8 encoded exactly as fetch would send them), then read by the local API server's own
// parsing (devserver/request.mjs: the Host header and request target, the query, a form body,
// the Authorization header, the Content-Type), and the base string and HMAC-SHA1 are computed
// by the npm package `oauth-sign` through the server's devserver/oauth.mjs. One referee: the
// server verifies requests with exactly this code, so a parsing fix reaches both at once.
//
// The signature method is the one the request names (oauth_signature_method, as a server reads
// it): HMAC-SHA1 through devserver/oauth.mjs, HMAC-SHA256 and PLAINTEXT through oauth-sign's own
// `hmacsign256` and `plaintext`, HMAC-SHA512 (which oauth-sign lacks) as node:crypto's HMAC over
// oauth-sign's `generateBase`, keyed as RFC 5849 §3.4.2 says with oauth-sign's `rfc3986`. The
// body hash (draft-eaton-oauth-bodyhash §3.1) is node:crypto's hash of the bytes as sent.
//
// The second referee, oauthlib (tests/oauthlib/oracle.py), is asked from check.mjs.
//
// How oauth-sign is fed (a null-prototype object of string arrays, so that duplicates are kept,
// `__proto__` is an ordinary name, and the sort is RFC 5849 §3.4.1.3.2 byte order) is explained
// at `toOauthSignParams` in devserver/oauth.mjs.

import { createHash, createHmac } from 'node:crypto';
import { generateBase, hmacsign256, plaintext, rfc3986 } from 'oauth-sign';
import { hmacSha1Signature, signatureBaseString, toOauthSignParams } from '../../devserver/oauth.mjs';
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
  const methods = parsed.parameters.filter((p) => p.name === 'oauth_signature_method');
  if (methods.length !== 1) throw new Error(`expected one oauth_signature_method, found ${methods.length}`);
  const signatureMethod = methods[0].value;
  const signature = signWith(signatureMethod, req.method, parsed.baseUri, pairs, secrets);
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
    signatureMethod,
    signature,
    normalizedParameters,
  };
}

/** The hash a signature method names for the body hash; undefined for PLAINTEXT. */
export const BODY_HASH_ALGORITHM = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

/** base64 of the hash of the body's bytes as sent (draft-eaton-oauth-bodyhash §3.1). */
export function bodyHash(signatureMethod, bodyBytes) {
  return createHash(BODY_HASH_ALGORITHM[signatureMethod]).update(bodyBytes ?? new Uint8Array(0)).digest('base64');
}

function signWith(signatureMethod, method, baseUri, pairs, { consumerSecret, tokenSecret }) {
  switch (signatureMethod) {
    case 'HMAC-SHA1':
      return hmacSha1Signature(method, baseUri, pairs, consumerSecret, tokenSecret);
    case 'HMAC-SHA256':
      return hmacsign256(method, baseUri, toOauthSignParams(pairs), consumerSecret, tokenSecret);
    case 'HMAC-SHA512':
      return createHmac('sha512', `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`)
        .update(generateBase(method, baseUri, toOauthSignParams(pairs)))
        .digest('base64');
    case 'PLAINTEXT':
      return plaintext(consumerSecret, tokenSecret);
    default:
      throw new Error(`unknown oauth_signature_method ${JSON.stringify(signatureMethod)}`);
  }
}
