// The Rust verifier over real HTTP: examples/verify.rs (`cargo run --example verify`, std only)
// answers requests signed by this package and by an independent client (oauth-sign), every
// placement, HMAC-SHA1 and HMAC-SHA256: accepted; and one change at a time (a value, the
// secret, a replay, an unknown token, a method the consumer may not use, a missing parameter,
// oauth_version 2.0), each refused with its OAuth Problem Reporting word, its status and its
// challenge (issue 23).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { hmacsign, hmacsign256 } from 'oauth-sign';
import { Signer } from '../../pkg/node.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server;
let base;

before(async () => {
  server = spawn('cargo', ['run', '--quiet', '--example', 'verify', '--', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  base = await new Promise((resolve, reject) => {
    lines.once('line', (l) => resolve(l.replace(/^listening on /, '')));
    server.once('exit', (code) => reject(new Error(`the example exited (${code})`)));
  });
});
after(() => server?.kill());

const user = { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' };
const send = (s) => fetch(s.url, { method: s.method, headers: s.headers, body: s.body });
let n = 0;
const fresh = () => ({ nonce: `nonce${process.pid}x${++n}`, timestamp: Math.floor(Date.now() / 1000) });

test('requests this package signs are verified, every placement, HMAC-SHA1 and HMAC-SHA256', async () => {
  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256']) {
    const signer = new Signer({ ...user, signatureMethod });
    for (const placement of ['header', 'query', 'body']) {
      const res = await send(signer.signRequest({ method: 'POST', url: `${base}/lite/users/u1/messages?limit=10`, body: { q: 'a b+c', 'é': '😀' }, placement, ...fresh() }));
      const text = await res.text();
      assert.equal(res.status, 200, `${signatureMethod} ${placement}: ${text}`);
      assert.equal(text, `verified ck ${signatureMethod}\nlimit=10\nq=a b+c\né=😀\n`);
    }
  }
});

test('a request signed by oauth-sign, an independent client, is verified', async () => {
  for (const [method, sign] of [['HMAC-SHA1', hmacsign], ['HMAC-SHA256', hmacsign256]]) {
    const { nonce, timestamp } = fresh();
    const url = `${base}/lite/users`;
    const oauth = { oauth_consumer_key: 'ck', oauth_nonce: nonce, oauth_signature_method: method, oauth_timestamp: String(timestamp), oauth_token: 't', oauth_version: '1.0' };
    const signature = sign('GET', url, { ...oauth, email: 'a@b.c' }, 'cs', 'ts');
    const header = 'OAuth ' + Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${k}="${encodeURIComponent(v)}"`).join(', ');
    const res = await fetch(`${url}?email=a%40b.c`, { headers: { Authorization: header } });
    assert.equal(res.status, 200, `${method}: ${await res.clone().text()}`);
    assert.equal(await res.text(), `verified ck ${method}\nemail=a@b.c\n`);
  }
});

test('one change at a time is refused with its word, status and challenge', async () => {
  const signer = new Signer(user);
  const refused = async (what, request, word, status, options = user) => {
    const res = await send(new Signer(options).signRequest(request));
    const body = await res.text();
    assert.equal(res.status, status, `${what}: ${body}`);
    assert.match(res.headers.get('www-authenticate'), new RegExp(`^OAuth realm="example", oauth_problem="${word}"`), what);
    assert.match(body, new RegExp(`^oauth_problem=${word}(&|$)`), what);
    return body;
  };
  // A value changed after signing.
  const s = signer.signRequest({ method: 'GET', url: `${base}/x?a=1`, ...fresh() });
  const changed = await fetch(s.url.replace('a=1', 'a=2'), { headers: s.headers });
  assert.equal(changed.status, 401);
  assert.match(changed.headers.get('www-authenticate'), /oauth_problem="signature_invalid"/);
  // A replay.
  const once = signer.signRequest({ method: 'GET', url: `${base}/x`, ...fresh() });
  assert.equal((await send(once)).status, 200);
  assert.match(await (await send(once)).text(), /^oauth_problem=nonce_used$/);
  await refused('a wrong secret', { method: 'GET', url: `${base}/x`, ...fresh() }, 'signature_invalid', 401, { ...user, tokenSecret: 'wrong' });
  await refused('an unknown token', { method: 'GET', url: `${base}/x`, ...fresh() }, 'token_rejected', 401, { ...user, token: 'other' });
  await refused('an unknown consumer', { method: 'GET', url: `${base}/x`, ...fresh() }, 'consumer_key_unknown', 401, { ...user, consumerKey: 'nobody' });
  await refused('a method this consumer may not use', { method: 'GET', url: `${base}/x`, ...fresh() }, 'signature_method_rejected', 400, { ...user, signatureMethod: 'HMAC-SHA512' });
  const stale = await refused('a stale timestamp', { method: 'GET', url: `${base}/x`, nonce: `stale${process.pid}`, timestamp: Math.floor(Date.now() / 1000) - 3600 }, 'timestamp_refused', 401);
  assert.match(stale, /&oauth_acceptable_timestamps=\d+-\d+$/);
  // A missing parameter and oauth_version 2.0, written by hand from a signed header.
  const h = signer.signRequest({ method: 'GET', url: `${base}/x`, ...fresh() }).headers.Authorization;
  const absent = await fetch(`${base}/x`, { headers: { Authorization: h.replace(/, oauth_nonce="[^"]*"/, '') } });
  assert.equal(absent.status, 400);
  assert.equal(await absent.text(), 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce');
  const v2 = await fetch(`${base}/x`, { headers: { Authorization: h.replace('oauth_version="1.0"', 'oauth_version="2.0"') } });
  assert.equal(v2.status, 400);
  assert.equal(await v2.text(), 'oauth_problem=version_rejected&oauth_acceptable_versions=1.0-1.0');
  // 2-legged: this consumer requires a token.
  const two = await fetch(`${base}/x`, { headers: { Authorization: h.replace(/, oauth_token="[^"]*"/, '') } });
  assert.equal(await two.text(), 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token');
});
