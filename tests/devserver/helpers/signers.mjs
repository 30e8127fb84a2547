// Two independent OAuth 1.0a signers behind one interface, so that every scenario runs twice and
// a bug shared by one signer and the server cannot hide:
//
//   oauth-1.0a  the npm package `oauth-1.0a` with node:crypto HMAC-SHA1 (the server uses
//               `oauth-sign`, a different code base);
//   pkg         this project's own package, `pkg/node.js` (`Signer`).
//
// Common interface:
//   sign({consumerKey, consumerSecret, token?, tokenSecret?, method, url, body?, contentType?,
//         placement?, realm?, nonce?, timestamp?, includeVersion?})
//     -> Promise<{method, url, headers, body?, baseString, signature}>
//
// When pkg/node.js is missing, every pkg scenario FAILS, unless DEVSERVER_TESTS_WITHOUT_PKG=1,
// in which case they are skipped.

import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import OAuth from 'oauth-1.0a';
import { isFormContentType as isForm, parseFormBody } from '../../../devserver/request.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PKG_ENTRY = resolve(ROOT, 'pkg/node.js');
const WITHOUT_PKG = process.env.DEVSERVER_TESTS_WITHOUT_PKG === '1';

const bodyText = (body) =>
  body === undefined || body === null ? undefined : typeof body === 'string' ? body : new URLSearchParams(body).toString();
const defaultNonce = () => randomBytes(16).toString('hex');
const defaultTimestamp = () => String(Math.floor(Date.now() / 1000));

/**
 * Second, independent implementation: `oauth-1.0a` computes the normalized parameters, the base
 * string and the signature. It is fed carefully because its own URL handling is not RFC-exact
 * (it splits the query on '=' without decoding names and keeps only the last value when a
 * duplicate name first had an empty value): we give it the base string URI (WHATWG `URL`, like
 * the spec) and every query/form parameter already decoded by `URLSearchParams`, each value in
 * an array so that duplicates are kept and sorted by encoded value.
 */
async function signWithOauth10a(opts) {
  const {
    consumerKey,
    consumerSecret,
    token,
    tokenSecret = '',
    method = 'GET',
    url,
    contentType,
    placement = 'header',
    realm,
    includeVersion = true,
  } = opts;
  const body = bodyText(opts.body);
  const oauth = OAuth({
    consumer: { key: consumerKey, secret: consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    realm,
  });
  const u = new URL(url);
  const data = Object.create(null);
  const add = (k, v) => (data[k] ??= []).push(v);
  for (const [k, v] of u.searchParams) add(k, v);
  if (body !== undefined && isForm(contentType)) for (const [k, v] of parseFormBody(body)) add(k, v);

  const oauthParams = {
    oauth_consumer_key: consumerKey,
    oauth_nonce: opts.nonce ?? defaultNonce(),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(opts.timestamp ?? defaultTimestamp()),
  };
  if (token) oauthParams.oauth_token = token;
  if (includeVersion) oauthParams.oauth_version = '1.0';

  const request = { method, url: `${u.protocol}//${u.host}${u.pathname}`, data };
  // getParameterString merges into its oauth_data argument: hand it copies.
  const baseString = oauth.getBaseString(request, { ...oauthParams });
  const signature = oauth.getSignature(request, tokenSecret, { ...oauthParams });
  const signed = { ...oauthParams, oauth_signature: signature };
  const encodedPairs = Object.entries(signed)
    .map(([k, v]) => `${oauth.percentEncode(k)}=${oauth.percentEncode(v)}`)
    .join('&');

  const headers = {};
  if (contentType) headers['content-type'] = contentType;
  let outUrl = url;
  let outBody = body;
  if (placement === 'header') {
    headers.authorization = oauth.toHeader(signed).Authorization;
  } else if (placement === 'query') {
    const sep = !url.includes('?') ? '?' : url.endsWith('?') || url.endsWith('&') ? '' : '&';
    outUrl = `${url}${sep}${encodedPairs}`;
  } else if (placement === 'body') {
    if (!isForm(contentType)) throw new Error('body placement needs a form-urlencoded contentType');
    outBody = body ? `${body}&${encodedPairs}` : encodedPairs;
  } else {
    throw new Error(`unknown placement ${placement}`);
  }
  return { method, url: outUrl, headers, body: outBody, baseString, signature };
}

let pkgModule;
async function loadPkg() {
  if (!existsSync(PKG_ENTRY)) {
    throw new Error(
      `the project package is missing: ${PKG_ENTRY} does not exist. Build it first (the wasm package), ` +
        'or set DEVSERVER_TESTS_WITHOUT_PKG=1 to skip the pkg signer while developing the server.',
    );
  }
  pkgModule ??= await import(pathToFileURL(PKG_ENTRY).href);
  const Signer = pkgModule.Signer ?? pkgModule.default?.Signer;
  if (typeof Signer !== 'function') throw new Error(`${PKG_ENTRY} does not export a Signer class`);
  return Signer;
}

const NEW_USER_PATH = /\/(users|accounts|connect_tokens)$/;

/** The project's own signer (`pkg/node.js`), adapted to the common interface. */
async function signWithPkg(opts) {
  const Signer = await loadPkg();
  const { consumerKey, consumerSecret, token, tokenSecret, method = 'GET', url } = opts;
  let signer;
  if (token) {
    signer = new Signer({ consumerKey, consumerSecret, token, tokenSecret });
  } else if (method === 'POST' && NEW_USER_PATH.test(new URL(url).pathname)) {
    signer = Signer.forNewUser({ consumerKey, consumerSecret });
  } else {
    signer = new Signer({ consumerKey, consumerSecret, twoLegged: true });
  }
  const request = { method, url };
  for (const k of ['body', 'contentType', 'placement', 'realm', 'nonce', 'includeVersion']) {
    if (opts[k] !== undefined) request[k] = opts[k];
  }
  // pkg takes whole seconds as a number (SignableRequest.timestamp).
  if (opts.timestamp !== undefined) request.timestamp = Number(opts.timestamp);
  let r;
  try {
    r = signer.signRequest(request);
  } finally {
    signer.free?.();
  }
  const headers = {};
  if (opts.contentType) headers['content-type'] = opts.contentType;
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
  return { method: r.method ?? method, url: r.url, headers, body: r.body, baseString: r.baseString, signature: r.signature };
}

/**
 * @typedef {object} TestSigner
 * @property {string} name
 * @property {(opts: object) => Promise<{method: string, url: string, headers: Record<string, string>, body?: string, baseString: string, signature: string}>} sign
 * @property {string | undefined} skip Reason to skip its scenarios, if any.
 */

/** @type {TestSigner[]} */
export const SIGNERS = [
  { name: 'oauth-1.0a', sign: signWithOauth10a, skip: undefined },
  {
    name: 'pkg',
    sign: signWithPkg,
    skip: !existsSync(PKG_ENTRY) && WITHOUT_PKG ? 'pkg/node.js missing and DEVSERVER_TESTS_WITHOUT_PKG=1' : undefined,
  },
];

/**
 * Registers a `describe` block per signer.
 * @param {(signer: TestSigner) => void} body
 */
export function forEachSigner(body) {
  for (const signer of SIGNERS) {
    describe(`signer ${signer.name}`, { skip: signer.skip }, () => body(signer));
  }
}
