// Secrets never leave the package (issue 6, part 3): neither the consumer secret nor the token
// secret, in clear or in any encoded form, appears in
// - an OAuthSignError thrown on any error path (message, stack, JSON, util.inspect, every own
//   property), with the secrets present in the options;
// - a signer seen through JSON.stringify, String, util.inspect, console.log or any getter;
// - any field of a signed request, for every mode and placement.
// The secrets are distinctive test values, so a leak is found by plain substring search.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../../pkg/node.js', import.meta.url);
assert.ok(existsSync(fileURLToPath(entry)), 'pkg/ is not built: run node scripts/build-pkg.mjs');
const pkg = await import(entry.href);
const { Signer, signRequest, isOAuthSignError } = pkg;

const CONSUMER_SECRET = 'CONSUMER-SECRET-7f3a';
const TOKEN_SECRET = 'TOKEN-SECRET-9b1c';
// Secrets that percent-encoding changes, so that their encoded forms are searched for too.
const ODD_CONSUMER_SECRET = 'cönsumer sécret+&=/*7f3a';
const ODD_TOKEN_SECRET = "tøken sécret%20~'9b1c";

const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Every spelling of a secret that could leak: clear, percent-encoded, form-encoded, JSON, base64, hex. */
function spellings(secret) {
  const out = new Set([
    secret,
    rfc3986(secret),
    rfc3986(secret).toLowerCase(),
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    JSON.stringify(secret).slice(1, -1),
    util.inspect(secret).slice(1, -1),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
  ]);
  // Distinctive pieces (long enough never to occur by chance in a signature or nonce).
  for (const piece of secret.match(/SECRET-[0-9a-f]{4}|sécret|s%C3%A9cret/g) ?? []) out.add(piece);
  return [...out];
}

const FORBIDDEN = [
  ...spellings(CONSUMER_SECRET),
  ...spellings(TOKEN_SECRET),
  ...spellings(ODD_CONSUMER_SECRET),
  ...spellings(ODD_TOKEN_SECRET),
  // The HMAC key itself.
  `${rfc3986(CONSUMER_SECRET)}&${rfc3986(TOKEN_SECRET)}`,
];

function assertClean(what, text) {
  for (const f of FORBIDDEN) {
    assert.ok(!text.includes(f), `${what} shows a secret (${JSON.stringify(f)}):\n${text}`);
  }
}

/** Runs `fn` with stdout and stderr captured; returns what was written. */
function captured(fn) {
  const chunks = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const grab = (chunk, ...rest) => {
    chunks.push(String(chunk));
    const cb = rest.find((r) => typeof r === 'function');
    if (cb) cb();
    return true;
  };
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return chunks.join('');
}

/** Every way a value can be shown: JSON, String, inspect, format, console lines, own properties and getters. */
function renderings(value) {
  const out = [];
  const attempt = (f) => {
    try {
      out.push(String(f()));
    } catch (e) {
      out.push(`threw: ${e?.message}`);
    }
  };
  attempt(() => JSON.stringify(value));
  attempt(() => String(value));
  attempt(() => `${value}`);
  attempt(() => util.inspect(value, { showHidden: true, depth: Infinity, getters: true }));
  attempt(() => util.format('%s %o %O %j', value, value, value, value));
  attempt(() => captured(() => {
    console.log(value);
    console.error(value);
    console.dir(value, { showHidden: true, depth: Infinity });
    console.table([value]);
  }));
  attempt(() => JSON.stringify(structuredClone(value)));
  // Own properties (enumerable or not, symbols too) and every getter up the prototype chain.
  const seen = new Set();
  const walk = (v, depth) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 4) {
      if (typeof v === 'string') out.push(v);
      return;
    }
    seen.add(v);
    for (let o = v; o && o !== Object.prototype && o !== Function.prototype && o !== Error.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Reflect.ownKeys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, key);
        let got;
        try {
          got = d.get ? d.get.call(v) : d.value;
        } catch {
          continue;
        }
        if (typeof got !== 'function') walk(got, depth + 1);
      }
    }
  };
  walk(value, 0);
  return out;
}

function assertValueClean(what, value) {
  for (const text of renderings(value)) assertClean(what, text);
}

const THREE_LEGGED = { consumerKey: 'ck-3l', consumerSecret: CONSUMER_SECRET, token: 'tok-3l', tokenSecret: TOKEN_SECRET };
const ODD_THREE_LEGGED = { consumerKey: 'ck-odd', consumerSecret: ODD_CONSUMER_SECRET, token: 'tok-odd', tokenSecret: ODD_TOKEN_SECRET };
const TWO_LEGGED = { consumerKey: 'ck-2l', consumerSecret: CONSUMER_SECRET, twoLegged: true };
const NEW_USER = { consumerKey: 'ck-nu', consumerSecret: ODD_CONSUMER_SECRET };
const GET = { method: 'GET', url: 'https://api.example.com/lite/users/U1/email_accounts' };

/** Calls `fn`, requires an OAuthSignError with `code`, and returns it. */
function refusal(what, code, fn) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, `${what}: no error thrown`);
  assert.ok(isOAuthSignError(error), `${what}: not an OAuthSignError: ${error?.stack ?? error}`);
  assert.equal(error.code, code, `${what}: ${error.message}`);
  return error;
}

function withGlobal(name, value, fn) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, name);
  const old = globalThis[name];
  globalThis[name] = value;
  try {
    return fn();
  } finally {
    if (had) globalThis[name] = old;
    else delete globalThis[name];
  }
}

function withGetRandomValues(impl, fn) {
  Object.defineProperty(globalThis.crypto, 'getRandomValues', { value: impl, configurable: true, writable: true });
  try {
    return fn();
  } finally {
    delete globalThis.crypto.getRandomValues;
  }
}

const throwingRandom = () => {
  throw new Error(`entropy gone (${CONSUMER_SECRET} is not here, but an error message may be echoed)`);
};

// [what, code, call]: every error path, each with the secrets at hand.
const OPTION_ERRORS = [
  ['options not an object', 'INVALID_OPTIONS', () => new Signer(null)],
  ['consumerKey missing', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, consumerKey: undefined })],
  ['consumerKey not a string', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, consumerKey: 42 })],
  ['consumerSecret not a string, token secret present', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, consumerSecret: { toString: () => CONSUMER_SECRET } })],
  ['consumerSecret empty', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, consumerSecret: '' })],
  ['consumerSecret with a lone surrogate', 'INVALID_ENCODING', () => new Signer({ ...THREE_LEGGED, consumerSecret: `${CONSUMER_SECRET}\ud800` })],
  ['tokenSecret with a lone surrogate', 'INVALID_ENCODING', () => new Signer({ ...THREE_LEGGED, tokenSecret: `${TOKEN_SECRET}\udc00` })],
  ['tokenSecret not a string', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, tokenSecret: [TOKEN_SECRET] })],
  ['token not a string', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, token: 7 })],
  ['no token', 'THREE_LEGGED_REQUIRED', () => new Signer({ ...THREE_LEGGED, token: undefined })],
  ['empty token', 'THREE_LEGGED_REQUIRED', () => new Signer({ ...THREE_LEGGED, token: '' })],
  ['no token secret', 'THREE_LEGGED_REQUIRED', () => new Signer({ ...THREE_LEGGED, tokenSecret: undefined })],
  ['neither token nor token secret', 'THREE_LEGGED_REQUIRED', () => new Signer({ consumerKey: 'ck', consumerSecret: CONSUMER_SECRET })],
  ['twoLegged with a token', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, twoLegged: true })],
  ['twoLegged not a boolean', 'INVALID_OPTIONS', () => new Signer({ ...TWO_LEGGED, twoLegged: 'yes' })],
  ['twoLegged in a browser-like runtime', 'TWO_LEGGED_FORBIDDEN', () => withGlobal('document', {}, () => new Signer(TWO_LEGGED))],
  ['twoLegged in an extension-like runtime', 'TWO_LEGGED_FORBIDDEN', () => withGlobal('chrome', { runtime: {} }, () => signRequest(TWO_LEGGED, GET))],
  ['realm not printable ASCII', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, realm: 'réalm' })],
  ['realm not a string', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, realm: 1 })],
  ['unknown placement', 'INVALID_PLACEMENT', () => new Signer({ ...THREE_LEGGED, placement: 'cookie' })],
  ['clockOffset not whole', 'INVALID_OPTIONS', () => new Signer({ ...THREE_LEGGED, clockOffset: 0.5 })],
  ['forNewUser with a token', 'INVALID_OPTIONS', () => Signer.forNewUser({ ...NEW_USER, token: 't', tokenSecret: TOKEN_SECRET })],
  ['forNewUser with twoLegged', 'INVALID_OPTIONS', () => Signer.forNewUser({ ...NEW_USER, twoLegged: true })],
  ['forNewUser out of scope', 'OUT_OF_SCOPE', () => Signer.forNewUser(NEW_USER).signRequest(GET)],
  ['forNewUser, POST elsewhere', 'OUT_OF_SCOPE', () => Signer.forNewUser(NEW_USER).signRequest({ method: 'POST', url: 'https://api.example.com/lite/users/U1/messages', body: { a: '1' } })],
  ['signRequest() without a token', 'THREE_LEGGED_REQUIRED', () => signRequest({ consumerKey: 'ck', consumerSecret: ODD_CONSUMER_SECRET }, GET)],
];

// [what, code, request]: request errors, each run through a 3-legged signer, the one-call
// signRequest and (with the odd secrets) a second signer.
const REQUEST_ERRORS = [
  ['request not an object', 'INVALID_OPTIONS', null],
  ['relative url', 'INVALID_URL', { method: 'GET', url: '/lite/users' }],
  ['url with the secret as a password', 'INVALID_URL', { method: 'GET', url: `https://ck:${CONSUMER_SECRET}@api.example.com/` }],
  ['url with the odd secret as a password', 'INVALID_URL', { method: 'GET', url: `https://ck:${rfc3986(ODD_CONSUMER_SECRET)}@api.example.com/` }],
  ['url with a backslash', 'INVALID_URL', { method: 'GET', url: 'https://api.example.com\\lite' }],
  ['url with a dot segment', 'INVALID_URL', { method: 'GET', url: 'https://api.example.com/a/../b' }],
  ['url with a short IPv4 host', 'INVALID_URL', { method: 'GET', url: 'http://127.1/' }],
  ['url with a bad port', 'INVALID_URL', { method: 'GET', url: 'http://h:99999/' }],
  ['url not a string', 'INVALID_URL', { method: 'GET', url: 42 }],
  ['url with %zz', 'INVALID_ENCODING', { method: 'GET', url: 'http://h/%zz' }],
  ['url with a lone surrogate', 'INVALID_ENCODING', { method: 'GET', url: 'http://h/\ud800' }],
  ['url query with a protocol parameter', 'INVALID_URL', { method: 'GET', url: 'http://h/?oauth_signature=x' }],
  ['method not a token', 'INVALID_METHOD', { method: 'GE T', url: 'http://h/' }],
  ['method missing', 'INVALID_METHOD', { url: 'http://h/' }],
  ['query of the wrong type', 'INVALID_OPTIONS', { method: 'GET', url: 'http://h/', query: 'a=1' }],
  ['query value of the wrong type', 'INVALID_OPTIONS', { method: 'GET', url: 'http://h/', query: { a: {} } }],
  ['query with a protocol parameter', 'INVALID_OPTIONS', { method: 'GET', url: 'http://h/', query: { oauth_nonce: 'x' } }],
  ['binary body', 'INVALID_BODY', { method: 'POST', url: 'http://h/', body: new Uint8Array([1, 2]) }],
  ['object body with a JSON content type', 'INVALID_BODY', { method: 'POST', url: 'http://h/', body: { a: '1' }, contentType: 'application/json' }],
  ['body on GET', 'INVALID_BODY', { method: 'GET', url: 'http://h/', body: 'a=1' }],
  ['form body with %zz', 'INVALID_ENCODING', { method: 'POST', url: 'http://h/', body: 'a=%zz', contentType: 'application/x-www-form-urlencoded' }],
  ['contentType not a string', 'INVALID_BODY', { method: 'POST', url: 'http://h/', body: 'x', contentType: 1 }],
  ['unknown placement', 'INVALID_PLACEMENT', { ...GET, placement: 'cookie' }],
  ["placement 'body' without a form body", 'INVALID_PLACEMENT', { ...GET, placement: 'body' }],
  ['realm not printable', 'INVALID_OPTIONS', { ...GET, realm: 'a\nb' }],
  ['empty nonce', 'INVALID_NONCE', { ...GET, nonce: '' }],
  ['nonce too long', 'INVALID_NONCE', { ...GET, nonce: 'n'.repeat(257) }],
  ['nonce not a string', 'INVALID_NONCE', { ...GET, nonce: 5 }],
  ['negative timestamp', 'INVALID_TIMESTAMP', { ...GET, timestamp: -1 }],
  ['fractional timestamp', 'INVALID_TIMESTAMP', { ...GET, timestamp: 1.5 }],
  ['includeVersion not a boolean', 'INVALID_OPTIONS', { ...GET, includeVersion: 'no' }],
];

test('the checks find a planted secret, in every spelling and place', () => {
  const planted = [
    { nested: { deep: [rfc3986(ODD_CONSUMER_SECRET)] } },
    Object.defineProperty({}, 'hidden', { get: () => `x${TOKEN_SECRET}x`, enumerable: false }),
    new Error(`oops ${new URLSearchParams([['k', ODD_TOKEN_SECRET]])}`),
    { toString: () => Buffer.from(CONSUMER_SECRET).toString('base64') },
    { [Symbol('s')]: encodeURIComponent(ODD_TOKEN_SECRET) },
  ];
  for (const value of planted) assert.throws(() => assertValueClean('planted', value), /shows a secret/);
});

test('every error path: no secret in the OAuthSignError, however it is shown', () => {
  let checked = 0;
  for (const [what, code, call] of OPTION_ERRORS) {
    assertValueClean(what, refusal(what, code, call));
    checked++;
  }
  for (const [what, code, request] of REQUEST_ERRORS) {
    const calls = {
      signer: () => new Signer(THREE_LEGGED).signRequest(request),
      'odd signer': () => new Signer(ODD_THREE_LEGGED).signRequest(request),
      'two-legged': () => new Signer(TWO_LEGGED).signRequest(request),
      signRequest: () => signRequest(THREE_LEGGED, request),
    };
    for (const [how, call] of Object.entries(calls)) {
      assertValueClean(`${what} (${how})`, refusal(`${what} (${how})`, code, call));
      checked++;
    }
  }
  // No secure random generator: the nonce cannot be made (the thrown message is not echoed).
  for (const [how, call] of Object.entries({
    signer: () => new Signer(THREE_LEGGED).signRequest(GET),
    signRequest: () => signRequest(ODD_THREE_LEGGED, GET),
  })) {
    const e = refusal(`RANDOM_UNAVAILABLE (${how})`, 'RANDOM_UNAVAILABLE', () => withGetRandomValues(throwingRandom, call));
    assertValueClean(`RANDOM_UNAVAILABLE (${how})`, e);
    checked++;
  }
  assert.ok(checked >= 150, `only ${checked} error paths checked`);
});

test('a signer never shows its secrets: JSON, String, inspect, console, getters', () => {
  const signers = {
    'three-legged': new Signer(THREE_LEGGED),
    'three-legged, odd secrets': new Signer(ODD_THREE_LEGGED),
    'two-legged': new Signer(TWO_LEGGED),
    'new-user': Signer.forNewUser(NEW_USER),
    'with realm, placement and clock offset': new Signer({ ...THREE_LEGGED, realm: 'Photos', placement: 'query', clockOffset: 30 }),
  };
  for (const [what, signer] of Object.entries(signers)) {
    // Used first, so that whatever it caches is there to be shown.
    signer.signRequest(what === 'new-user' ? { method: 'POST', url: 'https://api.example.com/lite/users', body: { email: 'a@example.com' } } : GET);
    assertValueClean(what, signer);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(signer))).sort(), ['consumerKey', 'mode'], what);
    assert.match(String(signer), /^Signer\(consumerKey=ck-[a-z0-9]+, mode=[a-z-]+\)$/, what);
    // The console really was captured: the consumer key (public) is in the line.
    assert.match(captured(() => console.log(signer)), /Signer/, what);
  }
  // A freed signer: its errors do not show secrets either.
  const freed = new Signer(ODD_THREE_LEGGED);
  freed.free();
  for (const call of [() => freed.signRequest(GET), () => freed.toJSON(), () => String(freed)]) {
    try {
      call();
    } catch (e) {
      assertValueClean('a freed signer', e);
    }
  }
  assertValueClean('a freed signer', freed);
});

test('no field of a signed request holds a secret: every mode, placement, realm, default nonce and timestamp', () => {
  const bodies = [
    { method: 'POST', url: 'https://api.example.com/lite/users', body: { email: 'a@example.com', first_name: 'A' } },
    { method: 'POST', url: 'https://api.example.com/lite/users?x=1', body: 'email=b%40example.com', contentType: 'application/x-www-form-urlencoded; charset=utf-8' },
  ];
  const getters = [GET, { method: 'GET', url: 'https://api.example.com/lite/users/U1/messages?limit=5', query: { include_body: 1, flag: true } }];
  let checked = 0;
  for (const options of [THREE_LEGGED, ODD_THREE_LEGGED, TWO_LEGGED]) {
    const signer = new Signer(options);
    for (const placement of ['header', 'query', 'body']) {
      for (const request of placement === 'body' ? bodies : [...getters, ...bodies]) {
        for (const extra of [{}, { realm: 'Photos' }, { nonce: 'fixed-nonce', timestamp: 1191242096 }, { includeVersion: false }]) {
          const r = { ...request, ...extra, placement };
          for (const signed of [signer.signRequest(r), signRequest(options, r)]) {
            assertValueClean(`${options.consumerKey} ${placement} ${JSON.stringify(r)}`, signed);
            checked++;
          }
        }
      }
    }
  }
  const newUser = Signer.forNewUser(NEW_USER);
  for (const placement of ['header', 'query', 'body']) {
    assertValueClean(`new-user ${placement}`, newUser.signRequest({ ...bodies[0], placement, realm: 'R' }));
    checked++;
  }
  assert.ok(checked >= 150, `only ${checked} signed requests checked`);
});

test('regression: default nonces after a failed getRandomValues are fresh, never a constant', () => {
  // Found while testing the RANDOM_UNAVAILABLE path: when a signer's first draw of random
  // bytes failed, its nonce pool kept a zero-filled batch and the next 32 nonces were all
  // "AAAAAAAAAAAAAAAAAAAAAAAA" (the same nonce again and again).
  const signer = new Signer(THREE_LEGGED);
  refusal('first draw fails', 'RANDOM_UNAVAILABLE', () => withGetRandomValues(throwingRandom, () => signer.signRequest(GET)));
  const nonces = Array.from({ length: 40 }, () => signer.signRequest(GET).oauthParameters.oauth_nonce);
  assert.equal(new Set(nonces).size, nonces.length, `nonces repeat: ${nonces.join(' ')}`);
  assert.ok(!nonces.includes('AAAAAAAAAAAAAAAAAAAAAAAA'), `an all-zero nonce: ${nonces.join(' ')}`);
});
