// The pages' shared helpers that need a `browser` global: `call()` (ask the background, show
// the error, raise the "no access" event) and `requestOrigin()` (which must call
// permissions.request synchronously, inside the click that a browser requires for it).
// The DOM of the pages is exercised in the browsers (tests/extension/e2e/).

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

// ext.js reads the namespace when it is first imported: install the fake first.
const answers = new Map();
const requests = [];
let requestBehaviour = async () => true;
globalThis.browser = {
  runtime: {
    async sendMessage(message) {
      const a = answers.get(message.type);
      if (a instanceof Error) throw a;
      return a;
    },
  },
  permissions: {
    request(details) {
      requests.push(details);
      return requestBehaviour(details);
    },
  },
};
const dispatched = [];
globalThis.document = { dispatchEvent: (e) => dispatched.push(e) };
const { NO_ACCESS_EVENT, call } = await import('../../../extension/ui.js');
const { requestOrigin } = await import('../../../extension/access.js');

const statusLine = () => ({ textContent: '', dataset: {} });
beforeEach(() => {
  answers.clear();
  requests.length = 0;
  dispatched.length = 0;
});

test('call: an ok answer comes back, nothing is shown', async () => {
  answers.set('users.list', { ok: true, users: [] });
  const el = statusLine();
  assert.deepEqual(await call({ type: 'users.list' }, el), { ok: true, users: [] });
  assert.equal(el.textContent, '');
});

test('call: a failure is shown in the status line (after a prefix) and gives null', async () => {
  answers.set('settings.set', { ok: false, error: { code: 'INVALID_SETTINGS', message: 'the API base URL is required' } });
  const el = statusLine();
  assert.equal(await call({ type: 'settings.set' }, el, { prefix: 'Not saved: ' }), null);
  assert.equal(el.textContent, 'Not saved: the API base URL is required (INVALID_SETTINGS)');
  assert.equal(el.dataset.kind, 'error');
  assert.deepEqual(dispatched, []);
});

test('call: NO_HOST_ACCESS also tells the page, so that its "no access" notice shows', async () => {
  const error = { code: 'NO_HOST_ACCESS', message: 'no access to http://a.example', origin: 'http://a.example', pattern: 'http://a.example/*' };
  answers.set('api.request', { ok: false, error });
  assert.equal(await call({ type: 'api.request' }, null), null);
  assert.equal(dispatched.length, 1);
  assert.equal(dispatched[0].type, NO_ACCESS_EVENT);
  assert.deepEqual(dispatched[0].detail, error);
});

test('call: an unreachable background or no answer is NO_ANSWER', async () => {
  answers.set('users.list', new Error('Could not establish connection'));
  const el = statusLine();
  assert.equal(await call({ type: 'users.list' }, el), null);
  assert.equal(el.textContent, 'cannot reach the background: Could not establish connection (NO_ANSWER)');
  answers.set('users.list', undefined);
  assert.equal(await call({ type: 'users.list' }, el), null);
  assert.equal(el.textContent, 'the background did not answer (NO_ANSWER)');
});

test('requestOrigin asks the browser at once (inside the click), for that one origin', async () => {
  const asked = requestOrigin('http://127.0.0.1:9/*');
  assert.deepEqual(requests, [{ origins: ['http://127.0.0.1:9/*'] }], 'called before the first await');
  assert.equal(await asked, true);
});

test('requestOrigin: refused, rejected or thrown is false', async () => {
  requestBehaviour = async () => false;
  assert.equal(await requestOrigin('http://a.example/*'), false);
  requestBehaviour = async () => {
    throw new Error('permissions.request may only be called from a user input handler');
  };
  assert.equal(await requestOrigin('http://a.example/*'), false);
  requestBehaviour = () => {
    throw new Error('sync');
  };
  assert.equal(await requestOrigin('http://a.example/*'), false);
  requestBehaviour = async () => true;
});
