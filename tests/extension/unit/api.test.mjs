// extension/api.js: path resolution and its refusals, secret redaction, the retry rule on its
// own, and the client's error shapes against a stubbed fetch (real wasm signer and diagnosis).
// The retry through the whole background: retry.test.mjs.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagnoseRefusal } from '../../../pkg/diagnose-node.js';
import { Signer } from '../../../pkg/node.js';
import {
  API_ERROR_CODES,
  IDEMPOTENT_METHODS,
  METHODS,
  answerError,
  createApiClient,
  redactSecrets,
  retryFor,
  resolveApiUrl,
  stringValues,
  userIdInPath,
} from '../../../extension/api.js';
import { CONTEXT_IO_CODES, DEMO_CONSUMER, isSecretParameter } from '../../../common/constants.js';
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

test("redactSecrets hides exactly the names the shared rule marks (the package's diagnosis' rule)", () => {
  const names = ['password', 'Password', 'new_passwd', 'refresh_token', 'provider_refresh_token', 'PRIVATE_KEY', 'client_secret', 'secretary',
    'token', 'access_token', 'oauth_token', 'refreshtoken', 'private-key', 'pass', 'name', 'private_\u212Aey'];
  const out = redactSecrets(Object.fromEntries(names.map((n) => [n, `value of ${n}`])));
  const hidden = names.filter((n) => out[n] === '(hidden by the extension)');
  assert.deepEqual(hidden, names.filter(isSecretParameter));
  assert.deepEqual(hidden, ['password', 'Password', 'new_passwd', 'refresh_token', 'provider_refresh_token', 'PRIVATE_KEY', 'client_secret', 'secretary']);
  for (const n of names.filter((x) => !hidden.includes(x))) assert.equal(out[n], `value of ${n}`, n);
});

test("a Context.IO code's error is named by the shared table: the diagnosis' problem code", () => {
  assert.deepEqual(Object.keys(API_ERROR_CODES), Object.keys(CONTEXT_IO_CODES));
  for (const [code, { name, status }] of Object.entries(CONTEXT_IO_CODES)) {
    const data = { type: 'error', code: Number(code), value: 'refused' };
    const error = answerError({ status, data }, diagnoseRefusal({ baseString: 'GET&http%3A%2F%2Fh%2F&' }, { status, body: JSON.stringify(data) }));
    assert.equal(error.code, name, code);
    assert.equal(error.problem, name, `${code}: error.code and error.problem say one name`);
    assert.equal(error.apiCode, Number(code));
  }
  assert.equal(answerError({ status: 401, data: { type: 'error', code: 104, value: 'x' } }, null).code, 'HTTP_401', 'a code not in the table');
});

test('stringValues writes numbers and booleans as a form would', () => {
  assert.deepEqual(stringValues({ limit: 10, flag: true, list: [1, 'a'], skip: null, gone: undefined }), { limit: '10', flag: 'true', list: ['1', 'a'] });
  assert.equal(stringValues(undefined), undefined);
});

describe('retryFor, the one retry rule', () => {
  const d = (problem, retry, extra = {}) => ({ problem, retry, status: 401, clockOffset: retry === 'clock' ? 3600 : null, ...extra });
  test('a refused timestamp or a clock skew with an offset: a clock retry, whatever the method', () => {
    for (const method of METHODS) {
      assert.equal(retryFor(d('TIMESTAMP_REFUSED', 'clock'), { method, status: 401 }), 'clock');
      assert.equal(retryFor(d('CLOCK_SKEW', 'clock'), { method, status: 401 }), 'clock');
      assert.equal(retryFor(d('TIMESTAMP_REFUSED', 'clock', { status: 403 }), { method, status: 403 }), 'clock');
    }
  });
  test('a used nonce: a nonce retry for idempotent methods only (a POST may have been acted on)', () => {
    assert.deepEqual(IDEMPOTENT_METHODS, ['GET', 'PUT', 'DELETE']);
    for (const method of IDEMPOTENT_METHODS) assert.equal(retryFor(d('NONCE_USED', 'nonce'), { method, status: 401 }), 'nonce');
    assert.equal(retryFor(d('NONCE_USED', 'nonce'), { method: 'POST', status: 401 }), null);
  });
  test('never for another status, another problem, or a clock retry without an offset', () => {
    for (const status of [400, 404, 409, 500, 503]) {
      assert.equal(retryFor(d('TIMESTAMP_REFUSED', 'clock', { status }), { method: 'GET', status }), null, String(status));
      assert.equal(retryFor(d('NONCE_USED', 'nonce', { status }), { method: 'GET', status }), null, String(status));
    }
    for (const problem of ['SIGNATURE_INVALID', 'TOKEN_REFUSED', 'CONSUMER_KEY_REFUSED', 'PARAMETER_ABSENT', 'PERMISSION_DENIED', 'OTHER', 'UNEXPLAINED']) {
      assert.equal(retryFor(d(problem, null), { method: 'GET', status: 401 }), null, problem);
    }
    assert.equal(retryFor(d('TIMESTAMP_REFUSED', null, { clockOffset: null }), { method: 'GET', status: 401 }), null);
    assert.equal(retryFor(d('TIMESTAMP_REFUSED', 'clock', { clockOffset: 0 }), { method: 'GET', status: 401 }), null);
    assert.equal(retryFor(null, { method: 'GET', status: 401 }), null);
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

function client(fetch, canReach = undefined) {
  const area = new FakeStorageArea();
  const storage = createStore(area, { defaultApiBase: () => BASE });
  const diagnose = async (signed, response) => diagnoseRefusal(signed, response);
  return { area, storage, api: createApiClient({ Signer, diagnose, storage, fetch, canReach }) };
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

  test("a 105 answer: the diagnosis, and the error says its cause and advice; the server's base string comes from it", async () => {
    const fetch = stubFetch((url, init) => {
      const base = 'GET&http%3A%2F%2F127.0.0.1%3A8787%2Flite%2Fusers%2Fu2&oauth_consumer_key%3Dcontextio-demo';
      return json(401, { type: 'error', code: 105, value: `Invalid signature x. Signature base string should be ${base}`, base_string: base }, {
        'WWW-Authenticate': 'OAuth realm="http://127.0.0.1:8787/", oauth_problem="signature_invalid"',
      })(url, init);
    });
    const { api } = client(fetch);
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.ok, false);
    assert.equal(fetch.calls.length, 1, 'not retried');
    assert.equal(r.retried, null);
    assert.equal(r.diagnosis.problem, 'SIGNATURE_INVALID');
    assert.equal(r.diagnosis.identical, false);
    assert.ok(r.diagnosis.differences.some((x) => x.component === 'path'), JSON.stringify(r.diagnosis.differences));
    assert.deepEqual(Object.keys(r.error).sort(), ['advice', 'apiCode', 'cause', 'code', 'message', 'problem', 'serverBaseString', 'status']);
    assert.equal(r.error.code, 'SIGNATURE_INVALID');
    assert.equal(r.error.apiCode, 105);
    assert.equal(r.error.serverBaseString, r.diagnosis.serverBaseString);
    assert.equal(r.error.message, `${r.diagnosis.cause}; ${r.diagnosis.advice}`);
  });

  test("an answer the diagnosis cannot explain keeps the server's own message", async () => {
    const { api } = client(stubFetch(json(404, { type: 'error', code: 404, value: 'no such user' })));
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.diagnosis.problem, 'UNEXPLAINED');
    assert.ok(r.diagnosis.lookedFor.length > 0);
    assert.equal(r.error.message, 'no such user');
    assert.equal(r.error.code, 'HTTP_404');
  });

  test('a success is not diagnosed', async () => {
    const { api } = client(stubFetch(json(200, {}, { Date: new Date(Date.now() + 7200_000).toUTCString() })));
    const r = await api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.diagnosis, null);
    assert.equal(r.clockCorrection, null, "a success's Date changes nothing: the clock is corrected by a refusal's diagnosis only");
  });

  test('network failures, redirects and non-JSON answers', async () => {
    const down = client(stubFetch(() => Promise.reject(new TypeError('Failed to fetch'))));
    await assert.rejects(down.api.call({ user, method: 'GET', path: '/users/u1' }), { code: 'NETWORK_ERROR' });
    const redirect = client(stubFetch(async () => ({ type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), text: async () => '' })));
    await assert.rejects(redirect.api.call({ user, method: 'GET', path: '/users/u1' }), { code: 'UNEXPECTED_REDIRECT' });
    const text = client(stubFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 })));
    const r = await text.api.call({ user, method: 'GET', path: '/users/u1' });
    assert.equal(r.data, '<h1>Bad gateway</h1>');
    assert.equal(r.diagnosis.problem, 'UNEXPLAINED');
    assert.deepEqual(
      { code: r.error.code, message: r.error.message, status: r.error.status },
      { code: 'HTTP_502', message: 'the server answered HTTP 502', status: 502 },
    );
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
    const { api } = client(fetch, async (origin) => {
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
