// extension/api.js: path resolution and its refusals, secret redaction, clock offset reading,
// and the client's retry and error shapes against a stubbed fetch (real wasm signer).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Signer } from '../../../pkg/node.js';
import {
  SKEW_TOLERANCE_SECONDS,
  createApiClient,
  observedClockOffset,
  redactSecrets,
  resolveApiUrl,
  stringValues,
  userIdInPath,
} from '../../../extension/api.js';
import { DEMO_CONSUMER } from '../../../common/constants.js';
import { createStore } from '../../../extension/storage.js';
import { FakeStorageArea } from '../fake-browser.mjs';

const BASE = 'http://127.0.0.1:8787/lite';

describe('resolveApiUrl', () => {
  for (const [path, url] of [
    ['/users', `${BASE}/users`],
    ['/users/abc/email_accounts/alice%40example.com%3A%3Aimap/folders', `${BASE}/users/abc/email_accounts/alice%40example.com%3A%3Aimap/folders`],
    ['/users/a%2Fb', `${BASE}/users/a%2Fb`],
    ['/', `${BASE}/`],
  ]) {
    test(`${path}`, () => assert.equal(resolveApiUrl(BASE, path), url));
  }
  test('keeps a base with a trailing slash under itself', () => {
    assert.equal(resolveApiUrl('https://api.context.io/lite/', '/users'), 'https://api.context.io/lite/users');
  });
  for (const path of [
    'users', '', '//evil.example/x', 'http://evil.example/', '/users/../connect_tokens', '/..', '/users/%2e%2e/x',
    '/users/%2E./x', '/./users', '/a?b=1', '/a#x', '/a\\b', '/a b', '/a\nb', '/bad%zz', undefined, 42,
  ]) {
    test(`refuses ${JSON.stringify(path)}`, () => assert.throws(() => resolveApiUrl(BASE, path), { name: 'ExtensionError', code: 'INVALID_PATH' }));
  }
});

test('userIdInPath reads the decoded id after /users/', () => {
  assert.equal(userIdInPath('/users/abc'), 'abc');
  assert.equal(userIdInPath('/users/abc/email_accounts'), 'abc');
  assert.equal(userIdInPath('/users/%61bc/x'), 'abc');
  assert.equal(userIdInPath('/users'), null);
  assert.equal(userIdInPath('/connect_tokens/x'), null);
});

test('redactSecrets hides every secret-named value at any depth', () => {
  const out = redactSecrets({ id: 'u', access_token: 't', access_token_secret: 's', user: [{ consumer_secret: 'c', password: 'p', ok: 1 }] });
  assert.equal(JSON.stringify(out).match(/"(s|c|p)"/), null);
  assert.equal(out.access_token, 't', 'a token is not a secret (it is in every Authorization header)');
  assert.equal(out.user[0].ok, 1);
});

test('stringValues writes numbers and booleans as a form would', () => {
  assert.deepEqual(stringValues({ limit: 10, flag: true, list: [1, 'a'], skip: null, gone: undefined }), { limit: '10', flag: 'true', list: ['1', 'a'] });
  assert.equal(stringValues(undefined), undefined);
});

describe('observedClockOffset', () => {
  const receivedAt = Date.parse('2030-01-01T00:00:00.000Z');
  test('prefers server_time of a 106 answer', () => {
    assert.equal(observedClockOffset({ data: { code: 106, server_time: receivedAt / 1000 + 3600 }, headers: {}, receivedAt }), 3600);
  });
  test('else reads the Date header', () => {
    const date = new Date(receivedAt - 7200_000).toUTCString();
    assert.equal(observedClockOffset({ data: {}, headers: { date }, receivedAt }), -7200);
  });
  test('null without either', () => {
    assert.equal(observedClockOffset({ data: 'x', headers: { date: 'garbage' }, receivedAt }), null);
  });
});

/** A fetch stub answering from a list of functions, recording each request. */
function stubFetch(...answers) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, ...init });
    const next = answers[Math.min(calls.length - 1, answers.length - 1)];
    return next(url, init);
  };
  fn.calls = calls;
  return fn;
}
const json = (status, body, headers = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function client(fetch, now = () => Date.now(), canReach = undefined) {
  const area = new FakeStorageArea();
  const storage = createStore(area, { defaultApiBase: () => BASE });
  return { area, storage, api: createApiClient({ Signer, storage, fetch, now, canReach }) };
}
const user = { id: 'u1', email: 'a@x.org', accessToken: 'tok', accessTokenSecret: 'toksecret', addedAt: 1 };

describe('createApiClient', () => {
  test('signs 3-legged with the user pair and sends what the signer says', async () => {
    const fetch = stubFetch(json(200, [{ ok: 1 }], { Date: new Date().toUTCString() }));
    const { api } = client(fetch);
    const r = await api.call({ user, method: 'get', path: '/users/u1/email_accounts', query: { limit: 5 } });
    assert.equal(r.ok, true);
    assert.deepEqual(r.data, [{ ok: 1 }]);
    assert.equal(r.error, null);
    assert.equal(r.clockCorrection, null);
    const [call] = fetch.calls;
    assert.equal(call.url, `${BASE}/users/u1/email_accounts?limit=5`);
    assert.equal(call.method, 'GET');
    assert.equal(call.credentials, 'omit');
    assert.match(call.headers.Authorization, /oauth_token="tok"/);
    assert.equal(r.signing.authorization, call.headers.Authorization);
    assert.match(r.signing.baseString, /^GET&http%3A%2F%2F127\.0\.0\.1%3A8787%2Flite%2Fusers%2Fu1%2Femail_accounts&limit%3D5%26oauth_consumer_key/);
    const text = JSON.stringify(r);
    for (const secret of ['toksecret', DEMO_CONSUMER.consumerSecret]) assert.ok(!text.includes(secret), 'no secret in the result');
  });

  test('consumer-only signing refuses anything but adding a user (the signer says OUT_OF_SCOPE)', async () => {
    const { api } = client(stubFetch(json(200, {})));
    await assert.rejects(api.call({ user: null, method: 'GET', path: '/users' }), { name: 'OAuthSignError', code: 'OUT_OF_SCOPE' });
    await assert.rejects(api.call({ user: null, method: 'POST', path: '/users/u1/email_accounts' }), { code: 'OUT_OF_SCOPE' });
  });

  test('a 105 answer carries the server base string', async () => {
    const fetch = stubFetch(json(401, { type: 'error', code: 105, value: 'Invalid signature x. Signature base string should be GET&a&b', base_string: 'GET&a&b' }));
    const { api } = client(fetch);
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.ok, false);
    assert.deepEqual(r.error, { code: 'BAD_SIGNATURE', message: 'Invalid signature x. Signature base string should be GET&a&b', status: 401, apiCode: 105, serverBaseString: 'GET&a&b' });
  });

  test('the base string is read from the message when base_string is absent', async () => {
    const { api } = client(stubFetch(json(401, { type: 'error', code: 105, value: 'Invalid signature x. Signature base string should be GET&u&p' })));
    assert.equal((await api.call({ user, method: 'GET', path: '/users/u1' })).error.serverBaseString, 'GET&u&p');
  });

  test('a 106 answer stores the server clock offset and retries once with it', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000 + 200;
    const serverTime = Math.floor(now / 1000) + 3600;
    const fetch = stubFetch(json(401, { type: 'error', code: 106, value: 'Timestamp outside', server_time: serverTime }), json(200, { id: 'u1' }));
    const { api, area } = client(fetch, () => now);
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.ok, true);
    assert.equal(fetch.calls.length, 2);
    assert.deepEqual(r.clockCorrection, { from: 0, to: 3600, retried: true });
    assert.equal(area.snapshot()['clockOffset:http://127.0.0.1:8787'], 3600);
    const ts = (c) => Number(/oauth_timestamp="(\d+)"/.exec(c.headers.Authorization)[1]);
    assert.ok(Math.abs(ts(fetch.calls[1]) - ts(fetch.calls[0]) - 3600) <= 2, 'the retry is signed with the corrected clock');
    assert.equal(r.signing.clockOffset, 3600);
  });

  test('a 401 with a Date far off is retried once too, and only once', async () => {
    const date = new Date(Date.now() - 2 * 3600_000).toUTCString();
    const fetch = stubFetch(json(401, { type: 'error', code: 101, value: 'nope' }, { Date: date }));
    const { api, storage } = client(fetch);
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(fetch.calls.length, 2);
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'OAUTH_PARAMETER');
    assert.ok(Math.abs((await storage.clockOffset('http://127.0.0.1:8787')) + 7200) <= 2);
  });

  test(`a success with a Date more than ${SKEW_TOLERANCE_SECONDS} s off stores the offset without retrying`, async () => {
    const date = new Date(Date.now() + 120_000).toUTCString();
    const fetch = stubFetch(json(200, {}, { Date: date }));
    const { api, storage } = client(fetch);
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(fetch.calls.length, 1);
    assert.equal(r.clockCorrection.retried, false);
    assert.ok(Math.abs((await storage.clockOffset('http://127.0.0.1:8787')) - 120) <= 2);
  });

  test('a small skew is left alone', async () => {
    const fetch = stubFetch(json(200, {}, { Date: new Date(Date.now() + 20_000).toUTCString() }));
    const { api, area } = client(fetch);
    assert.equal((await api.call({ user, method: 'GET', path: '/users/u1' })).clockCorrection, null);
    assert.deepEqual(area.snapshot(), {});
  });

  test('network failures, redirects and non-JSON answers', async () => {
    const down = client(stubFetch(() => Promise.reject(new TypeError('Failed to fetch'))));
    await assert.rejects(down.api.call({ user, method: 'GET', path: '/users/u1' }), { code: 'NETWORK_ERROR' });
    const redirect = client(stubFetch(async () => ({ type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), text: async () => '' })));
    await assert.rejects(redirect.api.call({ user, method: 'GET', path: '/users/u1' }), { code: 'UNEXPECTED_REDIRECT' });
    const text = client(stubFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 })));
    const r = await text.api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.data, '<h1>Bad gateway</h1>');
    assert.deepEqual(r.error, { code: 'HTTP_502', message: 'the server answered HTTP 502', status: 502 });
  });

  test('preview signs without fetching', async () => {
    const fetch = stubFetch(json(200, {}));
    const { api, storage } = client(fetch);
    await storage.setClockOffset('http://127.0.0.1:8787', 42);
    const s = await api.preview({ user, method: 'POST', path: '/users/u1', body: { a: 'b c' } });
    assert.equal(fetch.calls.length, 0);
    assert.equal(s.clockOffset, 42);
    assert.equal(s.contentType, 'application/x-www-form-urlencoded');
    assert.match(s.normalizedParameters, /^a=b%20c&oauth_consumer_key=contextio-demo&/);
  });

  test('an origin the browser has not granted: NO_HOST_ACCESS before anything is sent; preview still signs', async () => {
    const fetch = stubFetch(json(200, {}));
    const asked = [];
    const { api } = client(fetch, undefined, async (origin) => {
      asked.push(origin);
      return false;
    });
    await assert.rejects(api.call({ user, method: 'GET', path: '/users/u1' }), (e) => {
      assert.equal(e.code, 'NO_HOST_ACCESS');
      assert.deepEqual(e.extra, { origin: 'http://127.0.0.1:8787', pattern: 'http://127.0.0.1:8787/*' });
      return true;
    });
    assert.deepEqual(asked, ['http://127.0.0.1:8787']);
    assert.equal(fetch.calls.length, 0);
    assert.match((await api.preview({ user, method: 'GET', path: '/users/u1' })).authorization, /^OAuth /);
  });

  test('methods other than GET, POST, PUT, DELETE are refused', async () => {
    const { api } = client(stubFetch(json(200, {})));
    await assert.rejects(api.call({ user, method: 'PATCH', path: '/users/u1' }), { code: 'INVALID_MESSAGE' });
  });
});
