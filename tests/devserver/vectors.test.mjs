// The referee and both test signers against the published vectors
// (/work/shared/vectors/published.json, or $VECTORS_FILE), plus unit tests of the verifier.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { rfc3986 } from 'oauth-sign';
import { NonceCache, hmacSha1Signature, signatureBaseString, verifyRequest } from '../../devserver/oauth.mjs';
import {
  baseStringUri,
  collectParameters,
  isFormContentType,
  parseAuthorizationHeader,
  parseRequest,
} from '../../devserver/request.mjs';
import { forEachSigner } from './helpers/signers.mjs';

const VECTORS_FILE = process.env.VECTORS_FILE ?? '/work/shared/vectors/published.json';
const published = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));

/** What a failing vector prints: its name and inputs (secrets left out). */
const about = (v) =>
  `vector ${v.name}: ${v.method} ${v.url} body=${JSON.stringify(v.body ?? null)} nonce=${v.nonce} ` +
  `timestamp=${v.timestamp} version=${v.version !== false} token=${v.token ?? '-'}`;

const pe = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function vectorOauthParams(v) {
  const p = {
    oauth_consumer_key: v.consumerKey,
    oauth_nonce: v.nonce,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: v.timestamp,
  };
  if (v.token) p.oauth_token = v.token;
  if (v.version !== false) p.oauth_version = '1.0';
  return p;
}

describe('server verifier (oauth-sign) on the published vectors', () => {
  for (const v of published.vectors) {
    test(v.name, () => {
      const url = new URL(v.url);
      const formBody = v.contentType ? v.body : null;
      const headerParams = Object.entries(vectorOauthParams(v));
      const pairs = collectParameters({ url, formBody, headerParams }).map((p) => [p.name, p.value]);
      const uri = baseStringUri(url);
      assert.equal(signatureBaseString(v.method, uri, pairs), v.baseString, about(v));
      assert.equal(hmacSha1Signature(v.method, uri, pairs, v.consumerSecret, v.tokenSecret ?? ''), v.signature, about(v));

      // The whole verification path, with the header the way a client sends it.
      const header =
        'OAuth ' +
        [
          ...(v.realm ? [`realm="${v.realm}"`] : []),
          ...Object.entries({ ...vectorOauthParams(v), oauth_signature: v.signature }).map(([k, x]) => `${k}="${pe(x)}"`),
        ].join(', ');
      const result = verifyRequest(
        {
          method: v.method,
          request: parseRequest({ url, authorization: header, contentType: v.contentType, body: v.contentType ? v.body : undefined }),
        },
        {
          findConsumer: (k) => (k === v.consumerKey ? { key: k, secret: v.consumerSecret, threeLegged: true } : undefined),
          findToken: (_c, t) => (t === v.token ? { kind: 'user', token: t, secret: v.tokenSecret, userId: 'u' } : undefined),
          now: Number(v.timestamp),
          nonces: new NonceCache(),
        },
      );
      assert.equal(result.consumer.key, v.consumerKey, about(v));
      assert.equal(result.realm, v.realm ?? null, about(v));
    });
  }

  test('base string URI vectors', () => {
    for (const c of published.baseStringUri) {
      assert.equal(baseStringUri(new URL(c.url)), c.baseStringUri, `url ${c.url}`);
    }
  });

  test('parameter normalization vectors', () => {
    for (const c of published.normalizeParameters) {
      const url = new URL(`http://example.com/?${c.query}`);
      const pairs = collectParameters({ url, formBody: null, headerParams: [] }).map((p) => [p.name, p.value]);
      const normalized = decodeURIComponent(signatureBaseString('GET', 'http://example.com/', pairs).split('&')[2]);
      assert.equal(normalized, c.normalized, `query ${c.query}`);
    }
  });

  test('percent-encoding vectors, and every code point below 0x800, as RFC 3986 unreserved + %XX', () => {
    for (const c of published.percentEncoding) assert.equal(rfc3986(c.input), c.encoded, `input ${JSON.stringify(c.input)}`);
    for (let cp = 0; cp < 0x800; cp++) {
      const ch = String.fromCodePoint(cp);
      const expected = /[A-Za-z0-9\-._~]/.test(ch)
        ? ch
        : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
      assert.equal(rfc3986(ch), expected, `code point U+${cp.toString(16).padStart(4, '0')}`);
    }
  });

  test('duplicate names sort by encoded value, bytewise (oauth-sign fed arrays)', () => {
    const pairs = [['k', 'z'], ['k', 'é'], ['k', 'a/b'], ['k', 'a.b'], ['k', 'A'], ['k', '']];
    const normalized = decodeURIComponent(signatureBaseString('GET', 'http://x/', pairs).split('&')[2]);
    // '%' (0x25) sorts before 'A' (0x41): the encoded form decides, not the raw string.
    assert.equal(normalized, 'k=&k=%C3%A9&k=A&k=a%2Fb&k=a.b&k=z');
  });

  test('a parameter named __proto__ is signed like any other', () => {
    const normalized = decodeURIComponent(signatureBaseString('GET', 'http://x/', [['__proto__', 'v'], ['a', '1']]).split('&')[2]);
    assert.equal(normalized, '__proto__=v&a=1');
  });
});

describe('Authorization header parsing', () => {
  test('realm, odd spacing and percent-decoding', () => {
    const h = parseAuthorizationHeader('oauth realm="Photos Album" ,oauth_nonce="a%20b" ,  oauth_token="t%2Bx",oauth_version="1.0"');
    assert.equal(h.realm, 'Photos Album');
    assert.deepEqual(h.params, [['oauth_nonce', 'a b'], ['oauth_token', 't+x'], ['oauth_version', '1.0']]);
    assert.deepEqual(h.encoded, [['oauth_nonce', 'a%20b'], ['oauth_token', 't%2Bx'], ['oauth_version', '1.0']]);
  });

  test('realm is a quoted-string: a backslash escapes a quote or a backslash (RFC 7230 quoted-pair)', () => {
    // The package sends such a realm; the server once refused it as a malformed header (101).
    const h = parseAuthorizationHeader('OAuth realm="a \\"b\\" \\\\c", oauth_nonce="n"');
    assert.equal(h.realm, 'a "b" \\c');
    assert.deepEqual(h.params, [['oauth_nonce', 'n']]);
    assert.equal(parseAuthorizationHeader('OAuth REALM="x"').realm, 'x', 'the name realm is case-insensitive');
    assert.equal(parseAuthorizationHeader('  '), null);
    assert.equal(parseAuthorizationHeader(undefined), null);
  });

  test('form content types: the essence, case-insensitive, HTTP whitespace and parameters ignored', () => {
    for (const ct of ['application/x-www-form-urlencoded', 'APPLICATION/X-WWW-FORM-URLENCODED', 'application/x-www-form-urlencoded; charset=UTF-8', ' application/x-www-form-urlencoded ;charset=utf-8', '\tapplication/x-www-form-urlencoded\r\n']) {
      assert.equal(isFormContentType(ct), true, JSON.stringify(ct));
    }
    for (const ct of [undefined, null, '', 'application/json', 'multipart/form-data', 'application/x-www-form-urlencoded-x', 'text/plain; x=application/x-www-form-urlencoded']) {
      assert.equal(isFormContentType(ct), false, JSON.stringify(ct));
    }
  });

  test('form bodies: the first byte stays (a leading ? or U+FEFF), non-UTF-8 bytes are refused with 400', () => {
    const url = new URL('http://x/p?q=1');
    const at = (body) => parseRequest({ url, authorization: undefined, contentType: 'application/x-www-form-urlencoded', body });
    assert.deepEqual(at('?a=1&b=2').form, [['?a', '1'], ['b', '2']]);
    assert.deepEqual(at(Buffer.from('\ufeffa=1', 'utf8')).form, [['\ufeffa', '1']]);
    assert.deepEqual(at(Buffer.from('a=%C3%A9+x')).parameters, [
      { name: 'q', value: '1', source: 'query' },
      { name: 'a', value: 'é x', source: 'body' },
    ]);
    assert.throws(() => at(Buffer.from([0x61, 0x3d, 0xff])), (e) => e.status === 400 && /not valid UTF-8/.test(e.message));
    assert.throws(() => at('a=%zz'), (e) => e.status === 400 && /form body/.test(e.message));
    // Not a form: the body is not read at all.
    assert.equal(parseRequest({ url, contentType: 'application/json', body: Buffer.from([0xff]) }).formBody, null);
  });

  const bad = {
    'another scheme': 'Bearer abc',
    'unquoted value': 'OAuth oauth_nonce=abc',
    'raw reserved character': 'OAuth oauth_signature="ab+c/="',
    'non-oauth parameter': 'OAuth foo="bar"',
    'duplicate parameter': 'OAuth oauth_nonce="a", oauth_nonce="b"',
    'invalid UTF-8': 'OAuth oauth_nonce="%FF"',
    'truncated escape': 'OAuth oauth_nonce="%4"',
    'garbage between pairs': 'OAuth oauth_nonce="a" x oauth_token="b"',
  };
  for (const [what, header] of Object.entries(bad)) {
    test(`refused with code 101: ${what}`, () => {
      assert.throws(() => parseAuthorizationHeader(header), (e) => e.code === 101 && e.status === 401, header);
    });
  }
});

describe('nonce cache', () => {
  test('detects a replay and prunes expired entries', () => {
    const cache = new NonceCache({ windowSeconds: 300 });
    const e = { consumerKey: 'c', token: 't', timestamp: 1000, nonce: 'n', now: 1000 };
    assert.equal(cache.remember(e), true);
    assert.equal(cache.remember(e), false);
    assert.equal(cache.remember({ ...e, nonce: 'm' }), true);
    cache.prune(1301);
    assert.equal(cache.size, 0);
  });

  test('refuses (503) instead of growing past its bound', () => {
    const cache = new NonceCache({ windowSeconds: 300, maxEntries: 3 });
    for (const nonce of ['a', 'b', 'c']) cache.remember({ consumerKey: 'c', token: '', timestamp: 1000, nonce, now: 1000 });
    assert.throws(() => cache.remember({ consumerKey: 'c', token: '', timestamp: 1000, nonce: 'd', now: 1000 }), (e) => e.status === 503);
    // Once the old entries expire they are pruned and there is room again.
    assert.equal(cache.remember({ consumerKey: 'c', token: '', timestamp: 2000, nonce: 'd', now: 2000 }), true);
  });
});

forEachSigner((signer) => {
  describe('published vectors', () => {
    for (const v of published.vectors) {
      test(v.name, async () => {
        const r = await signer.sign({
          consumerKey: v.consumerKey,
          consumerSecret: v.consumerSecret,
          token: v.token,
          tokenSecret: v.tokenSecret,
          method: v.method,
          url: v.url,
          body: v.body,
          contentType: v.contentType,
          realm: v.realm,
          nonce: v.nonce,
          timestamp: v.timestamp,
          includeVersion: v.version !== false,
        });
        assert.equal(r.baseString, v.baseString, about(v));
        assert.equal(r.signature, v.signature, about(v));
      });
    }
  });
});
