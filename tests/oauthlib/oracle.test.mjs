// The referee checked against published vectors: the oauthlib oracle (oracle.py) must accept
// every signature of ../shared/vectors/methods.json (HMAC-SHA1/256/512, PLAINTEXT, callback,
// verifier, body hash) sent as a server receives it, compute the vector's base string, and
// refuse a changed signature while computing the published one. The requests are written here
// by hand from the vectors (never by the package).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { oauthlibMissing, startOauthlib } from './oracle.mjs';

const { vectors } = JSON.parse(readFileSync(new URL('../../../shared/vectors/methods.json', import.meta.url), 'utf8'));

/** RFC 5849 §3.6 percent-encoding (RFC 3986 unreserved characters kept). */
const enc = (s) => encodeURIComponent(s).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The request a server receives for a vector: the protocol parameters in the header. */
function wire(v, signature = v.signature) {
  const oauth = [
    ['oauth_consumer_key', v.consumerKey],
    ...(v.token ? [['oauth_token', v.token]] : []),
    ['oauth_signature_method', v.signatureMethod],
    ['oauth_timestamp', String(v.timestamp)],
    ['oauth_nonce', v.nonce],
    ...(v.version === false ? [] : [['oauth_version', '1.0']]),
    ...(v.callback ? [['oauth_callback', v.callback]] : []),
    ...(v.verifier ? [['oauth_verifier', v.verifier]] : []),
    ...(v.bodyHash ? [['oauth_body_hash', v.bodyHash]] : []),
    ['oauth_signature', signature],
  ];
  let body;
  let contentType;
  if (v.form) {
    body = new TextEncoder().encode(v.form.map(([k, x]) => `${enc(k)}=${enc(x)}`).join('&'));
    contentType = 'application/x-www-form-urlencoded';
  } else if (v.body !== undefined) {
    body = new TextEncoder().encode(v.body);
    contentType = v.contentType;
  }
  return {
    method: v.method,
    url: v.url,
    authorization: `OAuth ${oauth.map(([k, x]) => `${k}="${enc(x)}"`).join(', ')}`,
    contentType,
    body,
    bodyIsForm: Boolean(v.form),
    consumerSecret: v.consumerSecret,
    tokenSecret: v.tokenSecret ?? '',
  };
}

let oracle;

before(async () => {
  const missing = oauthlibMissing();
  if (missing) throw new Error(missing);
  oracle = await startOauthlib();
});

after(() => oracle?.close());

test('the vectors are there', () => assert.ok(vectors.length >= 13));

for (const v of vectors) {
  test(`${v.name}: oauthlib accepts the published signature`, async () => {
    const a = await oracle.ask(wire(v));
    assert.equal(a.ok, true, a.error);
    assert.deepEqual(a.quirks, []);
    assert.equal(a.signatureMethod, v.signatureMethod);
    assert.equal(a.verified, true, `oauthlib refused ${v.signature}`);
    if (v.bodyHash) assert.equal(a.bodyHash[{ 'HMAC-SHA1': 'SHA-1', 'HMAC-SHA256': 'SHA-256', 'HMAC-SHA512': 'SHA-512' }[v.signatureMethod]], v.bodyHash);
  });

  test(`${v.name}: oauthlib refuses another signature and computes the published one`, async () => {
    const a = await oracle.ask(wire(v, v.signatureMethod === 'PLAINTEXT' ? `${v.signature}x` : `${v.signature[0] === 'A' ? 'B' : 'A'}${v.signature.slice(1)}`));
    assert.equal(a.verified, false);
    assert.equal(a.signature, v.signature);
    if (v.baseString) assert.equal(a.baseString, v.baseString);
  });
}
