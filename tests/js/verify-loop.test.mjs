// The loop closed through the package (issue 23): a random request signed by `Signer`, one random
// change between signer and verifier, `verifyRequest` with `debugBaseString: true` refuses it
// with `signature_invalid`, and `diagnoseRefusal` handed that refusal and what was signed names
// exactly that one difference: its component, kind and parameter, written here from the change
// made (the Rust core's property test with every kind of change is tests/verify_loop.rs).
//
//   VERIFY_LOOP_SEED=n VERIFY_LOOP_COUNT=n node --test tests/js/verify-loop.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signer } from '../../pkg/node.js';
import { verifyRequest } from '../../pkg/verify-node.js';
import { diagnoseRefusal } from '../../pkg/diagnose-node.js';

const SEED = Number(process.env.VERIFY_LOOP_SEED ?? 20261208);
const COUNT = Number(process.env.VERIFY_LOOP_COUNT ?? 400);

/** mulberry32: a small seeded generator, so a failing case can be run again. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

const VALUES = ['1', 'a b', 'x+y', 'é', '😀', '~-._', '%', 'a/b?c', ''];
const METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'];
const RFC3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** One random request and what its signature sent. */
function generate(r, i) {
  const method = r.pick(['GET', 'POST', 'DELETE']);
  const query = Array.from({ length: 1 + r.int(3) }, (_, k) => [`q${k}`, r.pick(VALUES)]);
  const form = method === 'POST' ? Array.from({ length: r.int(3) }, (_, k) => [`f${k}`, r.pick(VALUES)]) : [];
  const placement = r.pick(method === 'POST' && form.length ? ['header', 'query', 'body'] : ['header', 'query']);
  const signatureMethod = r.pick(METHODS);
  const url = `https://api.example.com/a/b?${query.map(([k, v]) => `${k}=${RFC3986(v)}`).join('&')}`;
  const signer = new Signer({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts', signatureMethod });
  const request = { method, url, placement, nonce: `n${i}`, timestamp: 1_700_000_000 };
  if (form.length) request.body = Object.fromEntries(form);
  const signed = signer.signRequest(request);
  return { method, query, form, placement, signatureMethod, signed };
}

/** Each change: applied to what the server receives, and the one difference it must make. */
const CHANGES = {
  value: (c, r, got) => {
    const [name, value] = r.pick(c.query);
    got.url = got.url.replace(`${name}=${RFC3986(value)}`, `${name}=${RFC3986(value)}Z`);
    return { component: 'parameter', kind: 'value', name };
  },
  added: (c, r, got) => {
    got.url += '&zadded=1';
    return { component: 'parameter', kind: 'extra', name: 'zadded' };
  },
  dropped: (c, r, got) => {
    const [name, value] = r.pick(c.query);
    const u = new URL(got.url);
    const kept = u.search.slice(1).split('&').filter((p) => p !== `${name}=${RFC3986(value)}`);
    u.search = kept.join('&');
    got.url = u.href;
    return { component: 'parameter', kind: 'missing', name };
  },
  host: (c, r, got) => {
    got.url = got.url.replace('//api.example.com/', '//other.example/');
    return { component: 'host', kind: 'host' };
  },
  www: (c, r, got) => {
    got.url = got.url.replace('//api.example.com/', '//www.api.example.com/');
    return { component: 'host', kind: 'host_www' };
  },
  port: (c, r, got) => {
    got.url = got.url.replace('//api.example.com/', '//api.example.com:8443/');
    return { component: 'port', kind: 'port' };
  },
  path: (c, r, got) => {
    got.url = got.url.replace('/a/b?', '/a/bx?');
    return { component: 'path', kind: 'path' };
  },
  trailingSlash: (c, r, got) => {
    got.url = got.url.replace('/a/b?', '/a/b/?');
    return { component: 'path', kind: 'trailing_slash' };
  },
  method: (c, r, got) => {
    got.method = { GET: 'DELETE', DELETE: 'GET', POST: 'PUT' }[c.method];
    return { component: 'method', kind: 'method' };
  },
};

test(`${COUNT} random requests, one change each: the refusal read back names exactly that difference (seed ${SEED})`, async () => {
  const r = rng(SEED);
  const names = Object.keys(CHANGES);
  const seen = new Map();
  const server = {
    consumer: (key) => (key === 'ck' ? { secret: 'cs', signatureMethods: METHODS } : null),
    token: (key, token) => (token === 't' ? { secret: 'ts' } : null),
    nonce: () => true,
    now: 1_700_000_000,
    realm: 'loop',
    debugBaseString: true,
  };
  for (let i = 0; i < COUNT; i++) {
    const c = generate(r, i);
    const got = { method: c.signed.method, url: c.signed.url, headers: c.signed.headers, body: c.signed.body };
    const what = `seed ${SEED} case ${i}: ${c.method} ${c.placement} ${c.signatureMethod} ${c.signed.url}`;
    const accepted = await verifyRequest(got, server);
    assert.equal(accepted.ok, true, `${what}: the request as signed is refused: ${JSON.stringify(accepted)}`);
    const change = names[i % names.length];
    const want = CHANGES[change](c, r, got);
    seen.set(change, (seen.get(change) ?? 0) + 1);
    const refused = await verifyRequest(got, server);
    assert.equal(refused.problem, 'signature_invalid', `${what}, ${change}: ${JSON.stringify(refused)}`);
    const d = diagnoseRefusal(c.signed, { status: refused.status, headers: refused.headers, body: refused.body });
    assert.equal(d.problem, 'SIGNATURE_INVALID', `${what}, ${change}`);
    assert.equal(d.baseStringSource, 'debug_sbs', `${what}, ${change}`);
    const found = d.differences.map((x) => ({ component: x.component, kind: x.kind, ...(x.component === 'parameter' ? { name: x.name } : {}) }));
    assert.deepEqual(found, [want], `${what}, ${change}: ${JSON.stringify(d.differences)}`);
  }
  assert.deepEqual([...seen.keys()].sort(), [...names].sort(), 'every change was made');
});
