// The checks of the package's JavaScript API, written once and run wherever the API runs:
// tier 2 (wasm-pack test: js/api.js over the test build of the binding, in Node and in
// Chromium and Firefox pages and dedicated workers) and tier 3 (the built package in Node, in
// pages and in workers). A plain ES module with no imports but the vector helper.
//
//   const { checks } = checkApi(api, published, { server, groups, methods });
//
// `api` is `{ Signer, signRequest, isOAuthSignError }`; `published` the parsed
// published.json; `methods` the parsed methods.json (the other signature methods, callback,
// verifier, body hash; the `methods` group fails without it); `server` whether this runtime is
// a server (2-legged allowed). Each check is
// `{ group, name, ok, detail }`. Expected signatures come only from the published vectors;
// expected encodings from the platform's own encodeURIComponent.

import { vectorOptions, vectorRequest, vectorNewUser, describe, rfc3986 } from './vectors.js';

export const GROUPS = ['vectors', 'tables', 'errors', 'strict', 'values', 'defaults', 'secrets', 'methods'];

export const CODES = [
  'INVALID_OPTIONS', 'THREE_LEGGED_REQUIRED', 'TWO_LEGGED_FORBIDDEN', 'OUT_OF_SCOPE', 'INVALID_URL',
  'INVALID_METHOD', 'INVALID_ENCODING', 'INVALID_PLACEMENT', 'INVALID_TIMESTAMP', 'INVALID_NONCE',
  'INVALID_BODY', 'RANDOM_UNAVAILABLE', 'PLAINTEXT_NEEDS_HTTPS',
];

const CK = { consumerKey: 'ck', consumerSecret: 'CONSUMER-SECRET-X' };
const THREE = { ...CK, token: 'tok', tokenSecret: 'TOKEN-SECRET-Y' };
const fixed = (method, url, extra = {}) => ({ method, url, nonce: 'n', timestamp: 1, ...extra });
const nonOauth = (normalized) => normalized.split('&').filter((p) => !p.startsWith('oauth_')).join('&');

export function checkApi(api, published, { server, groups = GROUPS, methods } = {}) {
  const { Signer, signRequest, isOAuthSignError } = api;
  const checks = [];
  let group = '';
  const check = (name, ok, detail = '') => checks.push({ group, name, ok: Boolean(ok), detail: String(detail) });
  const seenCodes = new Set();

  /** Runs `fn`, which must throw an OAuthSignError with `code` (and, if given, a message matching `message`). */
  const throws = (name, code, fn, message) => {
    let result;
    try {
      result = fn();
    } catch (e) {
      const good = e instanceof Error && e.name === 'OAuthSignError' && e.code === code
        && typeof e.message === 'string' && e.message.length > 0 && isOAuthSignError(e)
        && (message === undefined || message.test(e.message));
      if (good) seenCodes.add(code);
      check(name, good, `${e && e.name} ${e && e.code}: ${e && e.message}`);
      return e;
    }
    check(name, false, `expected ${code}, got ${JSON.stringify(result)}`);
    return undefined;
  };
  /** Runs `fn`, which must not throw; returns its result. */
  const works = (name, fn) => {
    try {
      return fn();
    } catch (e) {
      check(name, false, `${e && e.code} ${e && e.message}`);
      return undefined;
    }
  };
  const three = () => new Signer(THREE);

  const run = {
    vectors() {
      let signed = 0;
      for (const v of published.vectors) {
        const label = describe(v);
        const o = vectorOptions(v);
        const r = vectorRequest(v);
        if (!v.token && !server) {
          throws(`${label}: new Signer`, 'TWO_LEGGED_FORBIDDEN', () => new Signer(o));
          throws(`${label}: signRequest`, 'TWO_LEGGED_FORBIDDEN', () => signRequest(o, r));
          continue;
        }
        const out = works(label, () => new Signer(o).signRequest(r));
        if (!out) continue;
        check(`${label}: base string`, out.baseString === v.baseString, out.baseString);
        check(`${label}: signature`, out.signature === v.signature, out.signature);
        const header = out.headers.Authorization;
        check(`${label}: header`, header.includes(`oauth_signature="${rfc3986(v.signature)}"`)
          && (!v.realm || header.startsWith(`OAuth realm="${v.realm}", `)), header);
        const once = works(`${label} (signRequest)`, () => signRequest(o, r));
        check(`${label}: signRequest`, once && once.signature === v.signature, once && once.signature);
        signed++;
      }
      check('vectors signed', signed >= (server ? published.vectors.length : published.vectors.filter((v) => v.token).length), signed);

      // A request near the size limit, with accents (its packet needs an input area of its own,
      // and signing it grows wasm memory, which detaches every view of the old memory), between
      // two signatures of a published vector with one signer, and with the one-call form.
      const v = published.vectors.find((x) => x.token);
      const o = vectorOptions(v);
      const r = vectorRequest(v);
      const s = works('a signer for the memory check', () => new Signer(o));
      if (s) {
        const big = { method: 'POST', url: 'http://h/big', body: { text: '\u00e9'.repeat(1_300_000) }, nonce: 'n', timestamp: 1 };
        for (const [name, sign] of [['Signer', (req) => s.signRequest(req)], ['signRequest', (req) => signRequest(o, req)]]) {
          const before = works(`${name}: a published vector before a large request`, () => sign(r));
          check(`${name}: a published vector before a large request`, before && before.signature === v.signature, before && before.signature);
          const large = works(`${name}: a 1.3 M-character request`, () => sign(big));
          check(`${name}: a 1.3 M-character request`, large && large.signature.length === 28
            && large.body === `text=${'%C3%A9'.repeat(1_300_000)}` && nonOauth(large.normalizedParameters) === large.body,
          large && large.body.length);
          const after = works(`${name}: the published vector after it`, () => sign(r));
          check(`${name}: the published vector after it`, after && after.signature === v.signature, after && after.signature);
        }
      }
    },

    tables() {
      const s = three();
      for (const row of published.percentEncoding) {
        const out = works(`percentEncoding ${JSON.stringify(row.input)}`, () => s.signRequest(fixed('GET', 'http://h/', { query: { k: row.input } })));
        check(`percentEncoding ${JSON.stringify(row.input)}`, out && nonOauth(out.normalizedParameters) === `k=${row.encoded}`, out && out.normalizedParameters);
      }
      for (const row of published.baseStringUri) {
        const out = works(`baseStringUri ${row.url}`, () => s.signRequest(fixed('GET', row.url)));
        check(`baseStringUri ${row.url}`, out && out.baseString.startsWith(`GET&${rfc3986(row.baseStringUri)}&`), out && out.baseString);
      }
      for (const row of published.normalizeParameters) {
        const out = works(`normalizeParameters ${row.query}`, () => s.signRequest(fixed('GET', `http://h/?${row.query}`)));
        check(`normalizeParameters ${row.query}`, out && nonOauth(out.normalizedParameters) === row.normalized, out && out.normalizedParameters);
      }
      // Every code point up to U+07FF and a sample beyond, against encodeURIComponent.
      let text = '';
      for (let c = 1; c < 0x800; c++) text += String.fromCodePoint(c);
      text += String.fromCodePoint(0xffff, 0x10000, 0x1f600, 0x10ffff);
      const out = works('all code points', () => s.signRequest(fixed('GET', 'http://h/', { query: { k: text } })));
      check('all code points', out && nonOauth(out.normalizedParameters) === `k=${rfc3986(text)}`);
      // The unicode parts of the result come back whole (UTF-16 offsets of the answer).
      const odd = 'ä€😀';
      const u = works('unicode result', () => s.signRequest({
        method: 'POST', url: 'http://h/', body: `x=${odd}`, contentType: 'text/plain; charset=é', nonce: `n${odd}`, timestamp: 7,
      }));
      check('unicode result', u && u.body === `x=${odd}` && u.headers['Content-Type'] === 'text/plain; charset=é'
        && u.oauthParameters.oauth_nonce === `n${odd}` && u.oauthParameters.oauth_timestamp === '7', JSON.stringify(u));
    },

    errors() {
      throws('no options', 'INVALID_OPTIONS', () => new Signer(undefined));
      throws('options not an object', 'INVALID_OPTIONS', () => new Signer('ck'));
      throws('empty consumer key', 'INVALID_OPTIONS', () => new Signer({ ...THREE, consumerKey: '' }));
      throws('numeric secret', 'INVALID_OPTIONS', () => new Signer({ ...THREE, consumerSecret: 5 }));
      throws('twoLegged with a token', 'INVALID_OPTIONS', () => new Signer({ ...THREE, twoLegged: true }));
      throws('forNewUser with a token', 'INVALID_OPTIONS', () => Signer.forNewUser(THREE));
      throws('clockOffset of a century', 'INVALID_OPTIONS', () => new Signer({ ...THREE, clockOffset: 3.2e9 }));
      throws('clockOffset not whole', 'INVALID_OPTIONS', () => new Signer({ ...THREE, clockOffset: 1.5 }));
      throws('realm not ASCII', 'INVALID_OPTIONS', () => new Signer({ ...THREE, realm: 'é' }));
      throws('no token', 'THREE_LEGGED_REQUIRED', () => new Signer(CK), /^a token and token secret are required: .* \(in JavaScript: pass token and tokenSecret; Signer\.forNewUser adds users\)$/);
      throws('token only', 'THREE_LEGGED_REQUIRED', () => new Signer({ ...CK, token: 't' }));
      throws('empty token secret', 'THREE_LEGGED_REQUIRED', () => new Signer({ ...CK, token: 't', tokenSecret: '' }));
      throws('one call, no token', 'THREE_LEGGED_REQUIRED', () => signRequest(CK, fixed('GET', 'http://h/')));
      if (server) {
        const two = works('twoLegged in a server runtime', () => new Signer({ ...CK, twoLegged: true }));
        check('twoLegged in a server runtime', two && two.mode === 'two-legged', two && two.mode);
      } else {
        throws('twoLegged outside a server', 'TWO_LEGGED_FORBIDDEN', () => new Signer({ ...CK, twoLegged: true }));
        throws('one call twoLegged outside a server', 'TWO_LEGGED_FORBIDDEN', () => signRequest({ ...CK, twoLegged: true }, fixed('GET', 'http://h/')));
      }
      const newUser = Signer.forNewUser(CK);
      check('forNewUser mode', newUser.mode === 'new-user', newUser.mode);
      throws('forNewUser GET', 'OUT_OF_SCOPE', () => newUser.signRequest(fixed('GET', 'http://h/lite/users/u1/email_accounts')));
      throws('forNewUser POST elsewhere', 'OUT_OF_SCOPE', () => newUser.signRequest(fixed('POST', 'http://h/lite/users/u1/webhooks')));
      const created = works('forNewUser POST /users', () => newUser.signRequest({ method: 'POST', url: 'http://127.0.0.1:8787/lite/users', body: { email: 'a@b.c' } }));
      check('forNewUser POST /users', created && created.body === 'email=a%40b.c', created && created.body);

      const s = three();
      throws('relative url', 'INVALID_URL', () => s.signRequest(fixed('GET', '/lite/users')));
      throws('ftp url', 'INVALID_URL', () => s.signRequest(fixed('GET', 'ftp://h/x')));
      throws('bad port', 'INVALID_URL', () => s.signRequest(fixed('GET', 'http://h:99999/')));
      throws('no host', 'INVALID_URL', () => s.signRequest(fixed('GET', 'http:///x')));
      throws('url a number', 'INVALID_URL', () => s.signRequest(fixed('GET', 5)));
      throws('url with credentials', 'INVALID_URL', () => s.signRequest(fixed('GET', 'http://u:p@h/')));
      throws('method with a space', 'INVALID_METHOD', () => s.signRequest(fixed('G T', 'http://h/')));
      throws('no method', 'INVALID_METHOD', () => s.signRequest({ url: 'http://h/' }));
      throws('method a number', 'INVALID_METHOD', () => s.signRequest(fixed(1, 'http://h/')));
      throws('bad escape', 'INVALID_ENCODING', () => s.signRequest(fixed('GET', 'http://h/?a=%zz')));
      const lone = String.fromCharCode(0xd800);
      throws('lone surrogate in a value', 'INVALID_ENCODING', () => s.signRequest(fixed('GET', 'http://h/', { query: { k: lone } })));
      throws('lone surrogate in a name', 'INVALID_ENCODING', () => s.signRequest(fixed('GET', 'http://h/', { query: { [`k${lone}`]: 'v' } })));
      throws('lone low surrogate in the url', 'INVALID_ENCODING', () => s.signRequest(fixed('GET', `http://h/${String.fromCharCode(0xdc00)}`)));
      throws('lone surrogate in a secret', 'INVALID_ENCODING', () => new Signer({ ...THREE, consumerSecret: lone }));
      const paired = works('a surrogate pair is fine', () => s.signRequest(fixed('GET', 'http://h/', { query: { k: '\ud83d\ude00' } })));
      check('a surrogate pair is fine', paired && paired.url === 'http://h/?k=%F0%9F%98%80', paired && paired.url);
      throws('body placement without a form body', 'INVALID_PLACEMENT', () => s.signRequest(fixed('POST', 'http://h/', { placement: 'body' })));
      throws('unknown placement', 'INVALID_PLACEMENT', () => s.signRequest(fixed('GET', 'http://h/', { placement: 'cookie' })), /^placement must be 'header', 'query' or 'body'$/);
      throws('placement option unknown', 'INVALID_PLACEMENT', () => new Signer({ ...THREE, placement: 'Header' }));
      for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53, '12a', '1191242096']) {
        throws(`timestamp ${String(bad)}`, 'INVALID_TIMESTAMP', () => s.signRequest(fixed('GET', 'http://h/', { timestamp: bad })));
      }
      throws('empty nonce', 'INVALID_NONCE', () => s.signRequest(fixed('GET', 'http://h/', { nonce: '' })));
      throws('nonce over 256 bytes', 'INVALID_NONCE', () => s.signRequest(fixed('GET', 'http://h/', { nonce: 'x'.repeat(257) })));
      throws('GET with a body', 'INVALID_BODY', () => s.signRequest(fixed('GET', 'http://h/', { body: 'x' })));
      throws('binary body', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: new Uint8Array(3) })));
      throws('JSON content type for an object body', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: { a: 1 }, contentType: 'application/json' })));
      throws('own protocol parameter in the query', 'INVALID_URL', () => s.signRequest(fixed('GET', 'http://h/?oauth_nonce=x')));
      throws('own protocol parameter in a body', 'INVALID_OPTIONS', () => s.signRequest(fixed('POST', 'http://h/', { body: { oauth_signature: 'x' } })));

      // The signature methods, the body hash, RFC 5849 §2's protocol parameters.
      const plain = new Signer({ ...THREE, signatureMethod: 'PLAINTEXT' });
      throws('PLAINTEXT over plain http', 'PLAINTEXT_NEEDS_HTTPS', () => plain.signRequest(fixed('GET', 'http://api.example.com/x')));
      throws('PLAINTEXT over plain http, one call', 'PLAINTEXT_NEEDS_HTTPS', () => signRequest({ ...THREE, signatureMethod: 'PLAINTEXT' }, fixed('GET', 'http://10.0.0.1/x')));
      throws('PLAINTEXT to a subdomain of localhost (DNS may answer it)', 'PLAINTEXT_NEEDS_HTTPS', () => plain.signRequest(fixed('GET', 'http://app.localhost/x')));
      for (const url of ['https://api.example.com/x', 'http://127.0.0.1:8787/x', 'http://127.9.9.9/', 'http://localhost/x', 'http://LOCALHOST:8080/x', 'http://[::1]/x']) {
        const out = works(`PLAINTEXT to ${url}`, () => plain.signRequest(fixed('GET', url)));
        check(`PLAINTEXT to ${url}`, out && out.signature === 'CONSUMER-SECRET-X&TOKEN-SECRET-Y' && out.oauthParameters.oauth_signature_method === 'PLAINTEXT', out && out.oauthParameters.oauth_signature_method);
      }
      throws('unknown signature method', 'INVALID_OPTIONS', () => new Signer({ ...THREE, signatureMethod: 'HMAC-SHA-256' }),
        /^unknown signatureMethod "HMAC-SHA-256" \(did you mean "HMAC-SHA256"\?\)/);
      throws('RSA-SHA1 is not a method here', 'INVALID_OPTIONS', () => Signer.forNewUser({ ...CK, signatureMethod: 'RSA-SHA1' }));
      throws('signature method not a string', 'INVALID_OPTIONS', () => signRequest({ ...THREE, signatureMethod: 256 }, fixed('GET', 'http://h/')));
      throws('body hash of a form body', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: { a: '1' }, bodyHash: true })));
      throws('body hash of a form string', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: 'a=1', contentType: 'application/x-www-form-urlencoded', bodyHash: true })));
      throws('body hash with PLAINTEXT', 'INVALID_OPTIONS', () => plain.signRequest(fixed('PUT', 'https://h/', { body: 'x', contentType: 'text/plain', bodyHash: true })));
      throws('body hash not a boolean', 'INVALID_OPTIONS', () => s.signRequest(fixed('PUT', 'http://h/', { body: 'x', contentType: 'text/plain', bodyHash: 1 })));
      for (const [where, request] of [
        ['the query', { query: { oauth_callback: 'oob' } }],
        ['the url', { url: 'http://h/?oauth_verifier=v' }],
        ['a form body', { body: { oauth_callback: 'oob' } }],
        ['a form string', { body: 'oauth_body_hash=x', contentType: 'application/x-www-form-urlencoded' }],
      ]) {
        throws(`a caller's protocol parameter in ${where}`, 'INVALID_OPTIONS', () => s.signRequest({ ...fixed('POST', 'http://h/'), ...request }),
          /^oauth_(callback|verifier|body_hash) must not be a query or body parameter: .*(callback|verifier|body hash)/);
      }
      throws('a relative callback', 'INVALID_OPTIONS', () => s.signRequest(fixed('POST', 'http://h/', { callback: '/cb' })));
      throws('a callback not a string', 'INVALID_OPTIONS', () => s.signRequest(fixed('POST', 'http://h/', { callback: new URL('http://h/cb') })));
      throws('an empty verifier', 'INVALID_OPTIONS', () => s.signRequest(fixed('POST', 'http://h/', { verifier: '' })));
      const temp = works('forNewUser: the temporary-credentials POST', () => newUser.signRequest(fixed('POST', 'https://h/oauth/request_token', { callback: 'oob' })));
      check('forNewUser: the temporary-credentials POST', temp && temp.oauthParameters.oauth_callback === 'oob' && temp.headers.Authorization.includes('oauth_callback="oob"') && !('oauth_token' in temp.oauthParameters), temp && temp.headers.Authorization);
      throws('forNewUser: a callback on GET', 'OUT_OF_SCOPE', () => newUser.signRequest(fixed('GET', 'https://h/oauth/request_token', { callback: 'oob' })));
      throws('forNewUser: POST elsewhere without a callback', 'OUT_OF_SCOPE', () => newUser.signRequest(fixed('POST', 'https://h/oauth/request_token')));
      const temporaryInTheBody = works('forNewUser: the temporary-credentials POST, body placement', () => newUser.signRequest(fixed('POST', 'https://h/oauth/request_token', { callback: 'oob', body: {}, placement: 'body' })));
      check('forNewUser: the temporary-credentials POST, body placement', temporaryInTheBody && /(^|&)oauth_callback=oob(&|$)/.test(temporaryInTheBody.body), temporaryInTheBody && temporaryInTheBody.body);
      throws('forNewUser: a verifier', 'INVALID_OPTIONS', () => newUser.signRequest(fixed('POST', 'https://h/oauth/request_token', { callback: 'oob', verifier: 'v' })));

      // RANDOM_UNAVAILABLE when crypto.getRandomValues throws (a fresh signer draws its first
      // batch of nonces); restored before asserting.
      const crypto = globalThis.crypto;
      const original = crypto.getRandomValues;
      let result;
      try {
        Object.defineProperty(crypto, 'getRandomValues', {
          value() { throw new Error('no entropy'); }, configurable: true, writable: true,
        });
        try {
          result = { value: three().signRequest({ method: 'GET', url: 'http://h/' }) };
        } catch (e) {
          result = { error: e };
        }
      } finally {
        delete crypto.getRandomValues;
        if (crypto.getRandomValues !== original) crypto.getRandomValues = original;
      }
      throws('getRandomValues throws', 'RANDOM_UNAVAILABLE', () => {
        if (result.error) throw result.error;
        return result.value;
      });
      const after = works('random restored', () => three().signRequest({ method: 'GET', url: 'http://h/' }));
      check('random restored', after && after.oauthParameters.oauth_nonce.length === 25);

      for (const code of CODES) {
        if (code === 'TWO_LEGGED_FORBIDDEN' && server) continue;
        check(`code ${code} seen`, seenCodes.has(code));
      }
    },

    strict() {
      const s = three();
      throws('misspelled request field', 'INVALID_OPTIONS', () => s.signRequest({ method: 'GET', url: 'http://h/', qurey: { email: 'a@b.c' } }),
        /^unknown request field "qurey" \(did you mean "query"\?\)$/);
      throws('misspelled option', 'INVALID_OPTIONS', () => new Signer({ ...CK, token: 't', tokenSecrett: 's' }),
        /^unknown option field "tokenSecrett" \(did you mean "tokenSecret"\?\)$/);
      throws('snake_case option', 'INVALID_OPTIONS', () => new Signer({ consumer_key: 'ck', consumerSecret: 's', token: 't', tokenSecret: 's' }),
        /did you mean "consumerKey"/);
      throws('unrelated field, no suggestion', 'INVALID_OPTIONS', () => s.signRequest({ method: 'GET', url: 'http://h/', headers: {} }),
        /^unknown request field "headers"$/);
      throws('unknown field in the one-call options', 'INVALID_OPTIONS', () => signRequest({ ...THREE, realmm: 'x' }, fixed('GET', 'http://h/')),
        /did you mean "realm"/);
      throws('unknown field in forNewUser options', 'INVALID_OPTIONS', () => Signer.forNewUser({ ...CK, placment: 'query' }),
        /did you mean "placement"/);
      throws('a field named like a secret is named, not its value', 'INVALID_OPTIONS',
        () => new Signer({ ...THREE, secret: 'VALUE-NEVER-SHOWN' }), /^unknown option field "secret"$/);
      const sym = Symbol('extra');
      const withSymbol = works('symbol keys are ignored', () => s.signRequest({ ...fixed('GET', 'http://h/'), [sym]: 1 }));
      check('symbol keys are ignored', withSymbol && withSymbol.url === 'http://h/');
      const inherited = Object.assign(Object.create({ extra: 1 }), fixed('GET', 'http://h/'));
      const viaProto = works('inherited properties are ignored', () => s.signRequest(inherited));
      check('inherited properties are ignored', viaProto && viaProto.url === 'http://h/');
      const hidden = fixed('GET', 'http://h/');
      Object.defineProperty(hidden, 'extra', { value: 1, enumerable: false });
      check('non-enumerable properties are ignored', works('non-enumerable', () => s.signRequest(hidden)) !== undefined);
      const undef = works('an undefined known field is absent', () => s.signRequest({ ...fixed('GET', 'http://h/'), body: undefined, realm: null }));
      check('an undefined known field is absent', undef && undef.body === undefined && !('body' in undef));
      // A field is read wherever it is defined, but for Object.prototype: a class's getter, an
      // inherited or a non-enumerable property is signed, never silently left out.
      class FindUser {
        method = 'GET';
        url = 'https://api.context.io/lite/users';
        #email;
        constructor(email) { this.#email = email; }
        get query() { return { email: this.#email }; }
        describe() { return 'a method: not a field, ignored'; }
      }
      const viaGetter = works('a class getter is read', () => s.signRequest(new FindUser('alice@example.com')));
      check('a class getter is read', viaGetter && viaGetter.url === 'https://api.context.io/lite/users?email=alice%40example.com', viaGetter && viaGetter.url);
      const viaProtoField = works('an inherited field is read', () => s.signRequest(Object.assign(Object.create({ query: { a: 'b' } }), fixed('GET', 'http://h/'))));
      check('an inherited field is read', viaProtoField && viaProtoField.url === 'http://h/?a=b', viaProtoField && viaProtoField.url);
      const nonEnumerable = fixed('GET', 'http://h/');
      Object.defineProperty(nonEnumerable, 'query', { value: { c: 'd' }, enumerable: false });
      const viaHidden = works('a non-enumerable field is read', () => s.signRequest(nonEnumerable));
      check('a non-enumerable field is read', viaHidden && viaHidden.url === 'http://h/?c=d', viaHidden && viaHidden.url);
      throws('an inherited field of the wrong type', 'INVALID_TIMESTAMP', () => s.signRequest(Object.assign(Object.create({ timestamp: '1' }), { method: 'GET', url: 'http://h/' })));
      Object.prototype.query = { polluted: '1' };
      let polluted;
      try {
        polluted = works('Object.prototype is never read', () => s.signRequest(fixed('GET', 'http://h/')));
      } finally {
        delete Object.prototype.query;
      }
      check('Object.prototype is never read', polluted && polluted.url === 'http://h/', polluted && polluted.url);
      const url = works('URL instance as url', () => s.signRequest(fixed('GET', new URL('https://API.context.io/lite/users?x=1'))));
      check('URL instance as url', url && url.url === 'https://api.context.io/lite/users?x=1', url && url.url);
      const usp = works('URLSearchParams as query', () => s.signRequest(fixed('GET', 'http://h/', { query: new URLSearchParams('a=b c&d=1') })));
      check('URLSearchParams as query', usp && usp.url === 'http://h/?a=b%20c&d=1', usp && usp.url);
      const uspBody = works('URLSearchParams as body', () => s.signRequest(fixed('POST', 'http://h/', { body: new URLSearchParams({ a: 'b c' }) })));
      check('URLSearchParams as body', uspBody && uspBody.body === 'a=b+c' && uspBody.normalizedParameters.startsWith('a=b%20c&'), uspBody && uspBody.body);
      throws('a sparse array, refused at once', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { query: { a: new Array(1e9) } })));
      const lying = new Proxy([], { get: (t, k) => (k === 'length' ? '1:8:s5:ab' : t[k]) });
      throws('an array whose length is not a number', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { query: { a: lying } })));
      throws('a request too large to sign', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: 'x'.repeat(5 * 1024 * 1024) })),
        /too large/);
      const afterLarge = works('signing after a refused large request', () => s.signRequest(fixed('GET', 'http://h/')));
      check('signing after a refused large request', afterLarge && afterLarge.signature.length === 28);
      const realNow = Date.now;
      let mocked;
      try {
        Date.now = () => 1700000000123.5;
        mocked = works('a mocked clock with a fraction', () => s.signRequest({ method: 'GET', url: 'http://h/' }));
      } finally {
        Date.now = realNow;
      }
      check('a mocked clock with a fraction', mocked && mocked.oauthParameters.oauth_timestamp === '1700000000', mocked && mocked.oauthParameters.oauth_timestamp);
      throws('class instance as query', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { query: new (class Q { constructor() { this.a = 'b'; } })() })));
      throws('array as query', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { query: [['a', 'b']] })));
      throws('string timestamp', 'INVALID_TIMESTAMP', () => s.signRequest(fixed('GET', 'http://h/', { timestamp: '1700000000' })));
      throws('numeric nonce', 'INVALID_NONCE', () => s.signRequest(fixed('GET', 'http://h/', { nonce: 12345 })));
      throws('boolean placement', 'INVALID_PLACEMENT', () => s.signRequest(fixed('GET', 'http://h/', { placement: true })));
      throws('numeric realm', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { realm: 1 })));
      throws('string includeVersion', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { includeVersion: 'false' })));
      throws('numeric contentType', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: 'a', contentType: 1 })));
      throws('string twoLegged', 'INVALID_OPTIONS', () => new Signer({ ...CK, twoLegged: 'true' }));
      throws('string clockOffset', 'INVALID_OPTIONS', () => new Signer({ ...THREE, clockOffset: '60' }));
      throws('request not an object', 'INVALID_OPTIONS', () => s.signRequest('GET http://h/'));
    },

    values() {
      const s = three();
      const q = JSON.parse('{"limit": 10, "b": true, "c": 1.5e21, "d": -0, "e": [1, "x"], "n": null}');
      q.u = undefined;
      const out = works('numbers, booleans, arrays, null', () => s.signRequest(fixed('GET', 'http://h/', { query: q })));
      // String(1.5e21) is "1.5e+21" and String(-0) is "0" in every engine.
      check('numbers, booleans, arrays, null', out && out.url === 'http://h/?limit=10&b=true&c=1.5e%2B21&d=0&e=1&e=x', out && out.url);
      const body = works('numbers in a body', () => s.signRequest(fixed('POST', 'http://h/', { body: { n: 2, t: false } })));
      check('numbers in a body', body && body.body === 'n=2&t=false', body && body.body);
      const pairs = [['a', 'b']];
      for (const [what, bad] of [['Map', new Map([['a', 'b']])], ['pairs', pairs], ['nested', { a: { b: 1 } }], ['NaN', { a: NaN }],
        ['Infinity', { a: -Infinity }], ['a function', { a() {} }], ['null in an array', { a: [null] }], ['a BigInt', { a: 1n }]]) {
        throws(`query ${what}`, 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { query: bad })));
      }
      // Hostile objects: Proxies whose traps throw and throwing getters are refused, and the
      // module keeps working (thousands of calls).
      const revoked = Proxy.revocable([], {});
      revoked.revoke();
      const hostile = [
        new Proxy({}, { ownKeys() { throw new Error('ownKeys'); } }),
        new Proxy({}, { getPrototypeOf() { throw new Error('getPrototypeOf'); } }),
        { a: revoked.proxy },
        { get a() { throw new Error('getter'); } },
      ];
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        for (const bad of hostile) {
          try {
            s.signRequest(fixed('GET', 'http://h/', { query: bad }));
          } catch (e) {
            if (e.code === 'INVALID_OPTIONS') refused++;
          }
        }
      }
      check('hostile queries refused', refused === 3000 * hostile.length, refused);
      throws('a throwing getter on the request', 'INVALID_OPTIONS', () => s.signRequest({ method: 'GET', get url() { throw new Error('x'); } }));
      throws('a throwing getter on the options', 'INVALID_OPTIONS', () => new Signer({ ...CK, token: 't', get tokenSecret() { throw new Error('x'); } }));
      throws('a Proxy as the request', 'INVALID_OPTIONS', () => s.signRequest(new Proxy({}, { ownKeys() { throw new Error('x'); } })));
      // A throwing getter inside a query or body is named as such, with that field's code.
      throws('a throwing getter in a query', 'INVALID_OPTIONS', () => s.signRequest(fixed('GET', 'http://h/', { query: { get a() { throw new Error('x'); } } })),
        /^query could not be read/);
      throws('a throwing getter in a body', 'INVALID_BODY', () => s.signRequest(fixed('POST', 'http://h/', { body: { get a() { throw new Error('x'); } } })),
        /^body could not be read/);
      const still = works('still working', () => s.signRequest(fixed('GET', 'http://h/')));
      check('still working after hostile input', still && still.signature.length === 28);
      // Placements.
      const q2 = works('query placement', () => s.signRequest(fixed('GET', 'http://h/?a=1', { placement: 'query' })));
      check('query placement', q2 && q2.url.startsWith('http://h/?a=1&oauth_consumer_key=ck&oauth_nonce=n&oauth_signature=') && !q2.headers.Authorization, q2 && q2.url);
      const b2 = works('body placement', () => s.signRequest(fixed('POST', 'http://h/', { body: { a: '1' }, placement: 'body' })));
      check('body placement', b2 && b2.body.startsWith('a=1&oauth_consumer_key=ck&') && !b2.headers.Authorization, b2 && b2.body);
      const realm = works('realm in the header only', () => s.signRequest(fixed('GET', 'http://h/', { realm: 'Photos' })));
      check('realm in the header only', realm && realm.headers.Authorization.startsWith('OAuth realm="Photos", ') && !realm.baseString.includes('realm'));
      const json = works('a JSON body is not signed', () => s.signRequest(fixed('POST', 'http://h/', { body: '{"a":1}', contentType: 'application/json' })));
      check('a JSON body is not signed', json && json.body === '{"a":1}' && json.headers['Content-Type'] === 'application/json' && !json.normalizedParameters.includes('%7B'));
      const keys = out ? Object.keys(out).join(',') : '';
      check('result fields', keys === 'method,url,headers,signature,baseString,normalizedParameters,oauthParameters', keys);
      const keysBody = body ? Object.keys(body).join(',') : '';
      check('result fields with a body', keysBody === 'method,url,headers,body,signature,baseString,normalizedParameters,oauthParameters', keysBody);
    },

    defaults() {
      const s = three();
      const nonces = new Set();
      let good = 0;
      for (let i = 0; i < 50; i++) {
        const out = s.signRequest({ method: 'GET', url: 'https://api.context.io/lite/users/u1' });
        const p = out.oauthParameters;
        nonces.add(p.oauth_nonce);
        if (/^[A-Za-z0-9]{25}$/.test(p.oauth_nonce) && Math.abs(Number(p.oauth_timestamp) - Date.now() / 1000) <= 5) good++;
      }
      check('default nonces: 25 random letters and digits, distinct', nonces.size === 50 && good === 50, `${nonces.size} ${good}`);
      const once = signRequest(THREE, { method: 'GET', url: 'http://h/' });
      check('one-call default nonce', /^[A-Za-z0-9]{25}$/.test(once.oauthParameters.oauth_nonce));
      const skewed = new Signer({ ...THREE, clockOffset: -3600 }).signRequest({ method: 'GET', url: 'http://h/' });
      check('clockOffset shifts the default timestamp', Math.abs(Date.now() / 1000 - 3600 - Number(skewed.oauthParameters.oauth_timestamp)) <= 5,
        skewed.oauthParameters.oauth_timestamp);
      const fixedTs = s.signRequest({ method: 'GET', url: 'http://h/', timestamp: 0 });
      check('timestamp 0 is accepted', fixedTs.oauthParameters.oauth_timestamp === '0');

      // A page's crypto.getRandomValues that signs while the core draws a nonce: the inner call is
      // refused (the core reads the outer packet in place), the outer one is signed whole.
      const c = globalThis.crypto;
      const hadOwn = Object.prototype.hasOwnProperty.call(c, 'getRandomValues');
      const real = c.getRandomValues;
      const inner = [];
      let outer;
      try {
        c.getRandomValues = function (array) {
          for (const sign of [() => s.signRequest(fixed('GET', 'http://inner.example/')), () => signRequest(THREE, fixed('GET', 'http://inner.example/'))]) {
            try {
              inner.push(sign());
            } catch (e) {
              inner.push(e);
            }
          }
          return real.call(c, array);
        };
        outer = works('signing while a replaced getRandomValues signs', () => new Signer(THREE).signRequest({ method: 'POST', url: 'http://outer.example/x', body: { a: 'b' }, timestamp: 9 }));
      } finally {
        if (hadOwn) c.getRandomValues = real;
        else delete c.getRandomValues;
      }
      check('a call from inside a signature is refused', inner.length === 2 && inner.every((e) => isOAuthSignError(e) && e.code === 'INVALID_OPTIONS' && /one at a time/.test(e.message)),
        inner.map((e) => (e instanceof Error ? e.message : JSON.stringify(e))).join(' | '));
      check('the signature around it is whole', outer && outer.url === 'http://outer.example/x' && outer.body.startsWith('a=b')
        && outer.baseString.startsWith('POST&http%3A%2F%2Fouter.example%2Fx&a%3Db%26oauth_consumer_key%3Dck%26oauth_nonce%3D')
        && /^[A-Za-z0-9]{25}$/.test(outer.oauthParameters.oauth_nonce), outer && outer.baseString);
    },

    methods() {
      // ../shared/vectors/methods.json: HMAC-SHA256, HMAC-SHA512 and PLAINTEXT, oauth_callback and
      // oauth_verifier as protocol parameters, the body hash.
      check('methods.json given', methods && Array.isArray(methods.vectors) && methods.vectors.length >= 13, methods && methods.vectors && methods.vectors.length);
      let signed = 0;
      for (const v of (methods && methods.vectors) || []) {
        const label = describe(v);
        const o = vectorOptions(v);
        const r = vectorRequest(v);
        const make = () => (vectorNewUser(v) ? Signer.forNewUser(o) : new Signer(o));
        if (!v.token && !vectorNewUser(v) && !server) {
          throws(`${label}: new Signer`, 'TWO_LEGGED_FORBIDDEN', make);
          continue;
        }
        const signer = works(`${label}: signer`, make);
        const out = signer && works(label, () => signer.signRequest(r));
        if (!out) continue;
        check(`${label}: method`, out.oauthParameters.oauth_signature_method === v.signatureMethod && signer.signatureMethod === v.signatureMethod, out.oauthParameters.oauth_signature_method);
        check(`${label}: signature`, out.signature === v.signature, out.signature);
        if (v.baseString !== undefined) check(`${label}: base string`, out.baseString === v.baseString, out.baseString);
        if (v.bodyHash !== undefined) check(`${label}: body hash`, out.oauthParameters.oauth_body_hash === v.bodyHash, out.oauthParameters.oauth_body_hash);
        if (v.callback !== undefined) check(`${label}: callback`, out.oauthParameters.oauth_callback === v.callback, out.oauthParameters.oauth_callback);
        if (v.verifier !== undefined) check(`${label}: verifier`, out.oauthParameters.oauth_verifier === v.verifier, out.oauthParameters.oauth_verifier);
        const header = out.headers.Authorization;
        check(`${label}: header`, header.includes(`oauth_signature="${rfc3986(v.signature)}"`)
          && header.includes(`oauth_signature_method="${v.signatureMethod}"`), header);
        // Every protocol parameter in the one place each placement puts them, signed the same.
        for (const placement of v.body === undefined ? ['query', 'body'] : ['query']) {
          if (placement === 'body' && v.method === 'GET') continue;
          const request = placement === 'body' && r.body === undefined ? { ...r, body: {} } : { ...r };
          const p = works(`${label}: ${placement}`, () => signer.signRequest({ ...request, placement }));
          if (!p) continue;
          const where = placement === 'query' ? new URL(p.url).searchParams : new URLSearchParams(p.body);
          const names = Object.keys(p.oauthParameters);
          check(`${label}: ${placement} carries every protocol parameter`, !('Authorization' in p.headers)
            && names.every((n) => where.get(n) === p.oauthParameters[n]), `${p.url} ${p.body}`);
          check(`${label}: ${placement} signs the same`, p.signature === v.signature, p.signature);
        }
        if (!vectorNewUser(v)) {
          const once = works(`${label} (signRequest)`, () => signRequest(o, r));
          check(`${label}: signRequest`, once && once.signature === v.signature, once && once.signature);
        }
        signed++;
      }
      check('method vectors signed', signed >= ((methods && methods.vectors.length) || 13), signed);
    },

    secrets() {
      const s = three();
      const shown = [JSON.stringify(s), String(s), `${s}`, JSON.stringify(s.signRequest(fixed('GET', 'http://h/')))];
      check('toJSON and toString', JSON.stringify(s) === '{"consumerKey":"ck","mode":"three-legged"}'
        && String(s) === 'Signer(consumerKey=ck, mode=three-legged)', shown.slice(0, 2).join(' '));
      check('no secret shown by a signer or its result', shown.every((t) => !t.includes('SECRET')), shown.join(' '));
      let e;
      try {
        new Signer({ ...CK, twoLegged: true, token: 't', tokenSecret: 'TOKEN-SECRET-Y' });
      } catch (err) {
        e = err;
      }
      check('no secret in an error', e && !`${e.message} ${JSON.stringify(e)} ${e.stack}`.includes('SECRET'));
      // Every method's errors and results show no secret; only PLAINTEXT's signature is the
      // secrets, by definition (RFC 5849 §3.4.4), and only over TLS or loopback.
      for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT']) {
        const m = new Signer({ ...THREE, signatureMethod });
        const texts = [JSON.stringify(m), String(m)];
        for (const bad of [() => m.signRequest(fixed('GET', 'http://h/', { query: { oauth_callback: 'x' } })), () => m.signRequest(fixed('GET', 'http://h/x', { bodyHash: 'yes' }))]) {
          try {
            bad();
          } catch (err) {
            texts.push(`${err.message} ${JSON.stringify(err)} ${err.stack}`);
          }
        }
        if (signatureMethod !== 'PLAINTEXT') texts.push(JSON.stringify(m.signRequest(fixed('GET', 'https://h/'))));
        check(`${signatureMethod}: no secret shown`, texts.length >= 4 && texts.every((t) => !t.includes('SECRET')), texts.join(' '));
      }
      check('free() is callable', typeof s.free === 'function' && (s.free(), true));
      check('a freed signer still shows itself', String(s) === 'Signer(consumerKey=ck, mode=three-legged)' && s.mode === 'three-legged', String(s));
    },
  };

  for (const g of groups) {
    group = g;
    try {
      run[g]();
    } catch (e) {
      check(`${g}: threw`, false, e && (e.stack || e.message || e));
    }
  }
  return { checks };
}

/** A one-line summary of the failed checks (empty when all passed). */
export function failures(checks) {
  return checks.filter((c) => !c.ok).map((c) => `[${c.group}] ${c.name}: ${c.detail}`);
}
