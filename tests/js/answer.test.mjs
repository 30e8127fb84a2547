// The JS front's reading of the binding's answer (js/api.js `unpack`, format in src/binding/packet.rs),
// through a stand-in binding: every part lands in its field, the caller's own text (key, token,
// a fixed nonce, a text body) comes from the call, and an answer cut short (package files of two
// builds) is a typed error, never a result with parts missing. Real answers are checked by every
// signature test of the package (tier 3) against published and independent vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../../js/api.js';

const PARTS = ['POST', 'https://h.example/p?a=1', 'OAuth realm="r"', 'application/x-www-form-urlencoded', 'c2ln', 'POST&base', 'a=1&b=2', '1700000000', 'drawn', '&oauth_x=1', 'HMAC-SHA1', '1.0', ''];
const answerOf = (mask, parts) => `\u0002${String.fromCharCode(64 + mask)}${parts.map((p) => `${p}\u0001`).join('')}`;

function apiAnswering(answer) {
  const raw = { mode: 'three-legged', sign: () => answer, free() {} };
  return createApi({ inputArea: (bytes) => new Uint8Array(bytes), createSigner: () => raw, signOnce: () => answer, didYouMean: () => '' });
}

const OPTIONS = { consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' };
const REQUEST = { method: 'POST', url: 'https://h.example/p', body: 'x=1', contentType: 'application/x-www-form-urlencoded' };

test('every part of an answer lands in its field; the caller\'s own text comes from the call', () => {
  // 1 authorization, 2 content type, 4 body, 8 token, 16 oauth_version, 32 a drawn nonce.
  const api = apiAnswering(answerOf(1 | 2 | 4 | 8 | 16 | 32, PARTS));
  for (const r of [new api.Signer(OPTIONS).signRequest(REQUEST), api.signRequest(OPTIONS, REQUEST)]) {
    assert.deepEqual(r, {
      method: 'POST',
      url: 'https://h.example/p?a=1',
      headers: { Authorization: 'OAuth realm="r"', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'x=1&oauth_x=1',
      signature: 'c2ln',
      baseString: 'POST&base',
      normalizedParameters: 'a=1&b=2',
      oauthParameters: {
        oauth_consumer_key: 'ck',
        oauth_nonce: 'drawn',
        oauth_signature: 'c2ln',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '1700000000',
        oauth_token: 'tk',
        oauth_version: '1.0',
      },
    });
  }
  // No header, no body, no token, no version, the caller's nonce; empty parts stay empty.
  const bare = apiAnswering(answerOf(0, ['GET', 'https://h.example/', '', '', 'c2ln', 'GET&b', '', '1', '', '', 'HMAC-SHA1', '', '']));
  const r = new bare.Signer(OPTIONS).signRequest({ method: 'GET', url: 'https://h.example/', nonce: 'mine' });
  assert.deepEqual(r.headers, {});
  assert.equal('body' in r, false);
  assert.equal(r.normalizedParameters, '');
  assert.deepEqual(r.oauthParameters, { oauth_consumer_key: 'ck', oauth_nonce: 'mine', oauth_signature: 'c2ln', oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: '1' });
});

test('the body hash comes from the answer, the callback and the verifier from the call, in name order', () => {
  const parts = ['PUT', 'https://h.example/', 'OAuth x', 'text/plain', 'c2ln', 'PUT&b', 'n', '1', '', '', 'HMAC-SHA256', '1.0', 'aGFzaA=='];
  const api = apiAnswering(answerOf(1 | 2 | 4 | 8 | 16, parts));
  const r = new api.Signer(OPTIONS).signRequest({ method: 'PUT', url: 'https://h.example/', body: 'x', contentType: 'text/plain', nonce: 'mine', callback: 'oob', verifier: 'ver', bodyHash: true });
  assert.deepEqual(Object.entries(r.oauthParameters), [
    ['oauth_body_hash', 'aGFzaA=='],
    ['oauth_callback', 'oob'],
    ['oauth_consumer_key', 'ck'],
    ['oauth_nonce', 'mine'],
    ['oauth_signature', 'c2ln'],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', '1'],
    ['oauth_token', 'tk'],
    ['oauth_verifier', 'ver'],
    ['oauth_version', '1.0'],
  ]);
});

test('an answer cut short is an OAuthSignError, never a result with parts missing', () => {
  for (let n = 0; n < PARTS.length; n++) {
    const api = apiAnswering(answerOf(1 | 8, PARTS.slice(0, n)));
    const isCut = (e) => api.isOAuthSignError(e) && e.code === 'INVALID_OPTIONS' && /mismatched package files/.test(e.message);
    assert.throws(() => new api.Signer(OPTIONS).signRequest(REQUEST), isCut, `${n} parts`);
    assert.throws(() => api.signRequest(OPTIONS, REQUEST), isCut, `${n} parts`);
  }
});

test('an error answer is the error it names', () => {
  const api = apiAnswering('\u0000INVALID_URL\u0001url must be an absolute http:// or https:// url');
  assert.throws(() => api.signRequest(OPTIONS, REQUEST), (e) => api.isOAuthSignError(e) && e.code === 'INVALID_URL' && e.message === 'url must be an absolute http:// or https:// url');
});
