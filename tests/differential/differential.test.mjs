// The differential test (node --test tests/differential/): the package's signatures against an
// independent signer (oauth-sign over WHATWG URL/URLSearchParams parsing of what fetch sends).
//
// DIFFERENTIAL_COUNT (default 20000) and DIFFERENTIAL_SEED (default check.mjs's DEFAULT_SEED)
// change the run; the long run is `node tests/differential/run.mjs --count 1000000 --seed N`.
// A failure prints the seed, the index and the replay command of each failing case.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SEED, checkCase, handCase, loadPackage, report, runRange } from './check.mjs';
import { FAULTS } from './generate.mjs';

const COUNT = Number(process.env.DIFFERENTIAL_COUNT ?? 20000);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? DEFAULT_SEED);

// The corners the issue lists, each of which the run must have generated (and so compared).
const REQUIRED_CORNERS = [
  'method: GET', 'method: HEAD', 'method: POST', 'method: PUT', 'method: PATCH', 'method: DELETE',
  'method: OPTIONS', 'method in lower or mixed case', 'method: extension token',
  'scheme: http', 'scheme: https', 'upper-case scheme', 'upper-case host',
  'host: dns', 'host: ipv4', 'host: ipv6', 'host with a trailing dot',
  'port: none', 'port: default', 'port: odd', 'port: padded', 'port: empty', 'port: otherDefault',
  'path: encoded slash', 'path: @', 'path: space', 'path: unicode', 'path: non-UTF-8 escape',
  'path: character fetch would encode', 'empty path', 'fragment',
  'url query: duplicate keys', 'bare key', 'url query: empty value', 'empty segment',
  'space as plus', 'space as pct', 'space as raw', 'lower-case hex escape',
  'url query: every reserved character', 'url query: astral character', 'url query: non-ASCII',
  'url query: ordinary oauth_ parameter',
  'query option: record', 'query option: URLSearchParams', 'query record: array value',
  'query record: number or boolean', 'query record: null or undefined skipped', 'query record: astral character',
  'body: formString', 'body: record', 'body: usp', 'body: json', 'body: text',
  'form content type with charset', 'form content type without charset', 'form content type spelled differently',
  'form body: duplicate keys', 'form body: astral character', 'form body: every reserved character',
  'body record: number or boolean', 'non-form body that looks like a form', 'content type without a body',
  'realm in the header', 'realm not sent (not header placement)', 'realm with a quote or backslash',
  'mode: 2-legged', 'mode: 3-legged', 'mode: new-user', 'api: signer', 'api: function', 'api: forNewUser',
  'placement: header', 'placement: query', 'placement: body',
  'url as a URL object', 'default nonce', 'default timestamp', 'IPv6 with an embedded IPv4 part',
  'nonce of 256 bytes', 'without oauth_version',
];

let pkg;
let stats;
const failures = [];

before(async () => {
  pkg = await loadPackage();
  stats = await runRange(pkg, { seed: SEED, count: COUNT, maxFailures: 20, onFailure: (r) => failures.push(report(r)) });
});

test(`${COUNT} generated requests: identical base strings and signatures, documented refusals`, (t) => {
  t.diagnostic(`seed ${SEED}: ${stats.cases} cases, ${stats.signed} signed and compared, ${stats.refused} refused as documented, ${stats.toleratedRefusals} tolerated refusals, ${stats.failures} failed`);
  assert.equal(failures.length, 0, `${failures.length} case(s) failed (the run stops after 20):\n\n${failures.join('\n\n')}\n`);
  assert.equal(stats.cases, COUNT);
  assert.ok(stats.signed >= COUNT * 0.7, `only ${stats.signed} of ${COUNT} cases were signed and compared`);
});

test('every corner the issue lists was generated', () => {
  const missing = REQUIRED_CORNERS.filter((c) => !(stats.tags.get(c) >= 3));
  assert.deepEqual(missing, [], `corners generated fewer than 3 times in ${COUNT} cases`);
});

test('every fault was generated and refused with a documented code', () => {
  const missing = FAULTS.map((f) => `fault: ${f.what}`).filter((t) => !stats.tags.has(t));
  assert.deepEqual(missing, [], 'faults never generated');
  for (const code of ['INVALID_OPTIONS', 'THREE_LEGGED_REQUIRED', 'OUT_OF_SCOPE', 'INVALID_URL', 'INVALID_METHOD', 'INVALID_ENCODING', 'INVALID_PLACEMENT', 'INVALID_TIMESTAMP', 'INVALID_NONCE', 'INVALID_BODY']) {
    assert.ok(stats.refusalCodes.get(code) > 0, `no refusal with ${code}`);
  }
});

// Hand-written cases: the corners the issue names, and regressions of what the generator found.

const USER = { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'CONSUMER-SECRET-7f3a', token: 'nnch734d00sl2jdk', tokenSecret: 'TOKEN-SECRET-9b1c' };
const FIXED = { nonce: 'kllo9940pd9333jh', timestamp: 1191242096 };

async function agrees(name, call) {
  const r = await checkCase(pkg, handCase(name, call));
  assert.ok(r.outcome !== 'failed', report(r));
  return r;
}

test('the corners the issue names, one by one', async () => {
  const cases = {
    "'+' is a space, '%2B' a plus, '%20' a space": { method: 'GET', url: 'http://example.com/r%20v/X?a=b+c&d=%2B&e=%20', ...FIXED },
    "!*'() in values and keys": { method: 'GET', url: "http://example.com/?!*'()=!*'()", query: { "k!*'()": "v!*'()" }, ...FIXED },
    'keys that need decoding': { method: 'GET', url: 'http://example.com/?%6b%65%79=1&k%20y=2&k+z=3', ...FIXED },
    'duplicate keys, bare keys, empty values': { method: 'GET', url: 'http://example.com/?a=2&a=1&c2&a3=&a3=a', query: { a: ['0', ''] }, ...FIXED },
    'default ports are dropped, others kept': { method: 'GET', url: 'HTTPS://EXAMPLE.COM:443/a?b=1', ...FIXED },
    'an explicit non-default port': { method: 'GET', url: 'http://example.com:8080/a', ...FIXED },
    'http on 443 keeps the port': { method: 'GET', url: 'http://example.com:443/', ...FIXED },
    'form body with charset': { method: 'POST', url: 'http://example.com/', body: 'a=1&b=x+y', contentType: 'application/x-www-form-urlencoded; charset=utf-8', ...FIXED },
    'form content type in upper case': { method: 'POST', url: 'http://example.com/', body: 'a=1', contentType: 'APPLICATION/X-WWW-FORM-URLENCODED', ...FIXED },
    'unicode outside the BMP, raw and escaped': { method: 'GET', url: 'http://example.com/😀/%F0%9F%98%80?q=😀&r=%f0%9f%98%80', query: { 'k😀': '𝄞' }, ...FIXED },
    'JSON is never parameters': { method: 'POST', url: 'http://example.com/', body: '{"a":"b=c&d"}', contentType: 'application/json', ...FIXED },
    'a form body that starts with ?': { method: 'POST', url: 'http://example.com/', body: '?a=1&b=2', contentType: 'application/x-www-form-urlencoded', ...FIXED },
    'a real U+FFFD is a character, not a lone surrogate': { method: 'GET', url: 'http://example.com/\ufffd?a=\ufffd', query: { '\ufffd': '\ufffd' }, ...FIXED },
    'a leading U+FEFF in a form body is kept': { method: 'POST', url: 'http://example.com/', body: '\ufeffa=1', contentType: 'application/x-www-form-urlencoded', ...FIXED },
    'realm with a quote and a backslash': { method: 'GET', url: 'http://example.com/', realm: 'a "b" \\c', ...FIXED },
    'body placement': { method: 'POST', url: 'http://example.com/', body: { a: 'x y' }, placement: 'body', ...FIXED },
    'query placement': { method: 'GET', url: 'http://example.com/?a=1', placement: 'query', ...FIXED },
  };
  for (const [name, request] of Object.entries(cases)) await agrees(name, { options: USER, request });
  await agrees('2-legged', { options: { consumerKey: 'ck', consumerSecret: 'CONSUMER-SECRET-7f3a', twoLegged: true }, request: { method: 'GET', url: 'http://example.com/?a=1', ...FIXED } });
  await agrees('forNewUser', { api: 'forNewUser', options: { consumerKey: 'ck', consumerSecret: 'CONSUMER-SECRET-7f3a' }, request: { method: 'POST', url: 'http://example.com/lite/users', body: { email: 'a@example.com' }, ...FIXED } });
});

test('regression: numbers and booleans in query and body records are signed as String(value) and never poison the module', async () => {
  // Found by this test: they used to throw a plain Error from inside the wasm module, leaking
  // its stack, and after some 850 such calls every later call failed.
  const request = { method: 'POST', url: 'http://example.com/', query: { a: 1, b: true, c: 1.5, d: 1e21, e: -0, f: [2, false] }, body: { g: 0.1 + 0.2, h: 5e-7 }, ...FIXED };
  await agrees('numbers and booleans', { options: USER, request });
  for (let i = 0; i < 3000; i++) pkg.signRequest(USER, request);
  await agrees('a valid call after 3000 calls with numbers', { options: USER, request: { method: 'GET', url: 'http://example.com/', ...FIXED } });
});

test('regression: a form content type with CR/LF around it (fetch strips them) is signed as a form or refused', async () => {
  // fetch strips leading and trailing HTTP whitespace (tab, space, CR, LF) from header values,
  // so the server sees a form body: signing it as anything else gives a signature it rejects.
  for (const contentType of ['\napplication/x-www-form-urlencoded', 'application/x-www-form-urlencoded\r\n', '\r\n application/x-www-form-urlencoded; charset=utf-8']) {
    for (const placement of ['header', 'body']) {
      await agrees(`content type ${JSON.stringify(contentType)}, placement ${placement}`, {
        options: USER,
        request: { method: 'POST', url: 'http://example.com/', body: 'a=1&b=2', contentType, placement, ...FIXED },
        tolerated: [{ what: 'CR/LF around the form content type', codes: ['INVALID_BODY', 'INVALID_PLACEMENT'] }],
      });
    }
  }
});
