// The retry rule through the whole background (extension/handlers.js with a fake `browser`, the
// real wasm signer and diagnosis): a refused call is signed afresh and sent once more when the
// package's diagnosis says a fresh signature will do (a clock off: the stored offset for the
// origin is adjusted first; a nonce used: a new one), and only then. Never twice, never for
// another problem, never for a status other than 401/403, never a POST refused as a replay.
//
// The server here is scripted (each answer in the local server's own shape: its Context.IO JSON
// error and its `WWW-Authenticate: OAuth` challenge), so that each refusal can be made at will.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { captureConsole, createHarness, releaseConsole } from '../harness.mjs';

const ORIGIN = 'http://127.0.0.1:8787';
const USER = { id: 'u1', email: 'a@example.com', accessToken: 'the-token', accessTokenSecret: 'the-token-secret', addedAt: 1 };
const PATH = `/users/${USER.id}`;

beforeEach(captureConsole);
afterEach(releaseConsole);

/** The OAuth parameters of a request as sent (its Authorization header). */
function oauthOf(init) {
  const header = new Headers(init.headers).get('Authorization') ?? '';
  return Object.fromEntries([...header.matchAll(/(oauth_\w+)="([^"]*)"/g)].map(([, k, v]) => [k, decodeURIComponent(v)]));
}

/** A refusal the way the local server answers it: its JSON body and, on 401/403, its challenge. */
function refusal(status, code, value, { problem, extra = {}, params = {}, headers = {} } = {}) {
  const h = { 'Content-Type': 'application/json', ...headers };
  if (problem) {
    const more = Object.entries(params).map(([k, v]) => `, ${k}="${encodeURIComponent(v)}"`).join('');
    h['WWW-Authenticate'] = `OAuth realm="${ORIGIN}/", oauth_problem="${problem}"${more}`;
  }
  return new Response(JSON.stringify({ type: 'error', code, value, ...extra }), { status, headers: h });
}

/** The refusals a test can script, each made from the request it answers. */
const REFUSE = {
  /** 106: the server's clock is `ahead` seconds ahead of the timestamp sent. */
  clock: (ahead = 3600) => (init) => {
    const now = Number(oauthOf(init).oauth_timestamp) + ahead;
    return refusal(401, 106, 'Timestamp outside the window', {
      problem: 'timestamp_refused',
      params: { oauth_acceptable_timestamps: `${now - 300}-${now + 300}` },
      extra: { server_time: now },
    });
  },
  nonce: () => () => refusal(401, 107, 'Nonce already used', { problem: 'nonce_used' }),
};
const ok = (body = { id: USER.id }) => () => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

/**
 * A background over a scripted server: the n-th request is answered by `answers[n]` (the last
 * one repeats). Records every request with its OAuth parameters.
 */
async function setup(...answers) {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push({ url: String(url), method: init.method, oauth: oauthOf(init) });
    return answers[Math.min(sent.length - 1, answers.length - 1)](init);
  };
  const h = createHarness({ origin: ORIGIN, fetch });
  await h.fake.storage.local.set({ [`user:${USER.id}`]: USER });
  const offset = async () => (await h.fake.storage.local.get(`clockOffset:${ORIGIN}`))[`clockOffset:${ORIGIN}`];
  return { ...h, sent, offset, get: () => h.ask({ type: 'api.request', userId: USER.id, method: 'GET', path: PATH }) };
}

describe('retried once when a fresh signature will do', () => {
  test('a refused timestamp: the stored offset is adjusted by the diagnosis, then one retry signed with it', async () => {
    const s = await setup(REFUSE.clock(3600), ok());
    const r = await s.get();
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(s.sent.length, 2, 'one retry');
    assert.equal(await s.offset(), 3600, 'the offset stored for the origin');
    assert.deepEqual(r.clockCorrection, { from: 0, to: 3600, retried: true });
    assert.deepEqual(r.retried, { reason: 'clock', status: 401, problem: 'TIMESTAMP_REFUSED', serverProblem: 'timestamp_refused', cause: r.retried.cause, clockOffset: 3600 });
    assert.match(r.retried.cause, /clock/);
    const [first, second] = s.sent.map((x) => x.oauth);
    assert.ok(Math.abs(Number(second.oauth_timestamp) - Number(first.oauth_timestamp) - 3600) <= 1, 'the retry is signed with the corrected clock');
    assert.notEqual(second.oauth_nonce, first.oauth_nonce);
    assert.equal(r.signing.clockOffset, 3600);
    assert.equal(r.signing.oauthParameters.oauth_nonce, second.oauth_nonce, 'the signing shown is the retry');
  });

  test('the adjustment is added to the offset the request was signed with', async () => {
    const s = await setup(REFUSE.clock(-500), ok());
    await s.fake.storage.local.set({ [`clockOffset:${ORIGIN}`]: 100 });
    const r = await s.get();
    assert.equal(r.ok, true);
    assert.equal(s.sent.length, 2);
    assert.equal(await s.offset(), -400);
    assert.deepEqual(r.clockCorrection, { from: 100, to: -400, retried: true });
  });

  test("a 401 whose only word is a Date an hour away (CLOCK_SKEW): a clock retry", async () => {
    const skewed = (init) => new Response('Unauthorized', {
      status: 401,
      headers: { Date: new Date((Number(oauthOf(init).oauth_timestamp) - 7200) * 1000).toUTCString() },
    });
    const s = await setup(skewed, ok());
    const r = await s.get();
    assert.equal(r.ok, true);
    assert.equal(s.sent.length, 2);
    assert.equal(r.retried.problem, 'CLOCK_SKEW');
    assert.equal(await s.offset(), -7200);
  });

  test('a used nonce: one retry with a new nonce, the clock offset untouched', async () => {
    const s = await setup(REFUSE.nonce(), ok());
    const r = await s.get();
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(s.sent.length, 2);
    assert.notEqual(s.sent[1].oauth.oauth_nonce, s.sent[0].oauth.oauth_nonce, 'a fresh nonce');
    assert.equal(r.retried.reason, 'nonce');
    assert.equal(r.retried.problem, 'NONCE_USED');
    assert.equal(r.clockCorrection, null);
    assert.equal(await s.offset(), undefined);
  });

  test('a POST refused for its timestamp is retried: the refusal says nothing was done (users.add)', async () => {
    const s = await setup(REFUSE.clock(3600), ok({ id: 'u9', access_token: 't9', access_token_secret: 's9' }));
    const r = await s.ask({ type: 'users.add', email: 'new@example.com' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(s.sent.map((x) => x.method), ['POST', 'POST']);
    assert.equal(r.retried.reason, 'clock');
    assert.equal(await s.offset(), 3600);
  });
});

describe('never twice', () => {
  for (const [name, answers] of [
    ['clock, then clock again', [REFUSE.clock(3600)]],
    ['nonce, then nonce again', [REFUSE.nonce()]],
    ['clock, then nonce', [REFUSE.clock(3600), REFUSE.nonce()]],
    ['nonce, then clock', [REFUSE.nonce(), REFUSE.clock(3600)]],
  ]) {
    test(`${name}: two requests in all, the second refusal answered with its diagnosis`, async () => {
      const s = await setup(...answers);
      const r = await s.get();
      assert.equal(r.ok, false);
      assert.equal(s.sent.length, 2, 'exactly one retry');
      assert.notEqual(r.retried, null);
      assert.equal(r.diagnosis.status, 401);
      assert.ok(['TIMESTAMP_REFUSED', 'NONCE_USED'].includes(r.diagnosis.problem), r.diagnosis.problem);
      assert.equal(r.error.cause, r.diagnosis.cause);
      assert.equal(r.error.advice, r.diagnosis.advice);
      const stored = await s.offset();
      assert.equal(stored, r.retried.reason === 'clock' ? 3600 : undefined, 'adjusted once at most');
    });
  }
});

describe('never for anything else: answered with the diagnosis', () => {
  const base = 'GET&http%3A%2F%2F127.0.0.1%3A8787%2Flite%2Fusers%2Fu1&x';
  for (const [name, status, code, problem, expected, extra] of [
    ['a bad signature (105)', 401, 105, 'signature_invalid', 'SIGNATURE_INVALID', { base_string: base }],
    ['an unknown consumer (102)', 401, 102, 'consumer_key_unknown', 'CONSUMER_KEY_REFUSED'],
    ['an unknown token (103)', 401, 103, 'token_rejected', 'TOKEN_REFUSED'],
    ['a parameter absent (101)', 401, 101, 'parameter_absent', 'PARAMETER_ABSENT'],
    ['a forbidden resource (108)', 403, 108, 'permission_denied', 'PERMISSION_DENIED'],
  ]) {
    test(`${name}: one request, the cause and advice in the error`, async () => {
      const s = await setup(() => refusal(status, code, 'refused', { problem, extra }));
      const r = await s.get();
      assert.equal(s.sent.length, 1, 'not retried');
      assert.equal(r.retried, null);
      assert.equal(r.diagnosis.problem, expected);
      assert.equal(r.diagnosis.retry, null);
      assert.equal(r.error.message, `${r.diagnosis.cause}; ${r.diagnosis.advice}`);
      assert.equal(await s.offset(), undefined);
    });
  }

  test('a 401 that says nothing readable: UNEXPLAINED, with what was looked for; not retried', async () => {
    const s = await setup(() => new Response('no', { status: 401 }));
    const r = await s.get();
    assert.equal(s.sent.length, 1);
    assert.equal(r.diagnosis.problem, 'UNEXPLAINED');
    assert.ok(r.diagnosis.lookedFor.length >= 3);
    assert.equal(r.error.message, 'the server answered HTTP 401');
  });

  for (const [name, status, answer] of [
    ['a 400 whose body says timestamp_refused', 400, (init) => {
      const now = Number(oauthOf(init).oauth_timestamp) + 3600;
      return new Response(`oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${now - 300}-${now + 300}`, {
        status: 400, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    }],
    ['a 500 whose body says nonce_used', 500, () => new Response('oauth_problem=nonce_used', { status: 500, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })],
    ['a 409 with a Date an hour away', 409, (init) => new Response('conflict', {
      status: 409, headers: { Date: new Date((Number(oauthOf(init).oauth_timestamp) + 3600) * 1000).toUTCString() },
    })],
  ]) {
    test(`${name}: not a 401/403 refusal, so not retried`, async () => {
      const s = await setup(answer, ok());
      const r = await s.get();
      assert.equal(r.ok, false);
      assert.equal(r.status, status);
      assert.equal(s.sent.length, 1, 'the server may have acted on it');
      assert.equal(r.retried, null);
      assert.equal(await s.offset(), undefined);
    });
  }

  test('a POST refused as a replay is not repeated: the server saw this very request, and may have acted on it', async () => {
    const s = await setup(REFUSE.nonce(), ok({ id: 'u9', access_token: 't9', access_token_secret: 's9' }));
    const r = await s.ask({ type: 'users.add', email: 'new@example.com' });
    assert.equal(r.ok, false);
    assert.equal(s.sent.length, 1);
    assert.equal(r.error.code, 'NONCE_USED');
    assert.equal(r.diagnosis.problem, 'NONCE_USED');
    assert.equal(r.diagnosis.retry, 'nonce', 'the package says a fresh signature would do; the method says not to');
    assert.match(r.error.message, /replay/);
    assert.deepEqual((await s.ask({ type: 'users.list' })).users.map((u) => u.id), [USER.id], 'no user stored');
  });
});

test('the diagnosis module is loaded at the first refusal, once, from its own wasm', async () => {
  const s = await setup(ok(), REFUSE.nonce(), ok(), REFUSE.clock(60 * 10), ok());
  assert.equal((await s.get()).ok, true);
  assert.deepEqual(s.diagnoseInits, [], 'a success loads none of it');
  assert.equal((await s.get()).ok, true);
  assert.equal((await s.get()).ok, true);
  assert.deepEqual(s.diagnoseInits, [{ module_or_path: s.fake.runtime.getURL('pkg/contextio_signer_diagnose_bg.wasm') }]);
  assert.equal(s.sent.length, 5);
});
