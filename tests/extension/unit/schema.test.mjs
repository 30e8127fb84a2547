// Issue 12, part 3: the background refuses an unknown message type or an unknown field in a
// message from its own pages with a stable code (UNKNOWN_MESSAGE, UNKNOWN_FIELD), naming the
// field and the known name it resembles; nothing of such a message is carried out. The
// suggestions themselves (js/suggest.js, the project's one rule) are checked against the shared
// table in suggest.test.mjs.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { MESSAGE_FIELDS, checkMessage } from '../../../extension/schema.js';
import { startServer } from '../devserver.mjs';
import { captureConsole, createHarness, releaseConsole } from '../harness.mjs';

describe('checkMessage', () => {
  test('every known type passes with exactly its fields', () => {
    for (const [type, fields] of Object.entries(MESSAGE_FIELDS)) {
      const message = { type, ...Object.fromEntries(fields.map((f) => [f, 'x'])) };
      assert.equal(checkMessage(message), type);
    }
  });

  test('not an object with a string type: INVALID_MESSAGE', () => {
    for (const m of [null, undefined, 'users.list', 42, [], ['users.list'], {}, { type: 5 }, { type: null }]) {
      assert.throws(() => checkMessage(m), { name: 'ExtensionError', code: 'INVALID_MESSAGE' }, JSON.stringify(m));
    }
  });

  test('an unknown type: UNKNOWN_MESSAGE, with the known type it resembles', () => {
    assert.throws(() => checkMessage({ type: 'users.lst' }), { code: 'UNKNOWN_MESSAGE', message: 'unknown message type "users.lst" (did you mean "users.list"?)' });
    assert.throws(() => checkMessage({ type: 'api.requets' }), { message: /did you mean "api.request"\?/ });
    assert.throws(() => checkMessage({ type: 'users.steal' }), (e) => e.code === 'UNKNOWN_MESSAGE' && !/did you mean/.test(e.message));
    for (const type of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      assert.throws(() => checkMessage({ type }), { code: 'UNKNOWN_MESSAGE' }, type);
    }
  });

  test('an unknown field: UNKNOWN_FIELD naming it, the close known one, and the fields the type takes', () => {
    assert.throws(() => checkMessage({ type: 'api.request', userId: 'u', path: '/users', qurey: { email: 'a@b.c' } }), (e) => {
      assert.equal(e.code, 'UNKNOWN_FIELD');
      assert.equal(e.message, 'unknown field "qurey" in a api.request message (did you mean "query"?); it takes userId, method, path, query, body');
      assert.deepEqual(e.extra, { field: 'qurey' });
      return true;
    });
    assert.throws(() => checkMessage({ type: 'messages.get', usrId: 'u' }), { message: /"usrId".*did you mean "userId"/ });
    assert.throws(() => checkMessage({ type: 'settings.set', apibase: 'x' }), { message: /did you mean "apiBase"/ });
    assert.throws(() => checkMessage({ type: 'users.add', email: 'a@b.c', frist_name: 'A' }), { message: /did you mean "first_name"/ });
    assert.throws(() => checkMessage({ type: 'users.list', userId: 'u' }), { code: 'UNKNOWN_FIELD', message: /it takes no field/ });
    assert.throws(() => checkMessage({ type: 'api.request', zzz: 1 }), (e) => e.code === 'UNKNOWN_FIELD' && !/did you mean/.test(e.message));
  });

  test('a long field name is cut in the message', () => {
    assert.throws(() => checkMessage({ type: 'users.list', ['x'.repeat(500)]: 1 }), (e) => e.message.length < 200);
  });

  test('inherited properties and symbol keys are not fields of the message', () => {
    const inherited = Object.assign(Object.create({ extra: 1, qurey: 2 }), { type: 'users.list' });
    assert.equal(checkMessage(inherited), 'users.list');
    assert.equal(checkMessage({ type: 'users.list', [Symbol('x')]: 1 }), 'users.list');
    const hidden = { type: 'users.list' };
    Object.defineProperty(hidden, 'secret', { value: 1, enumerable: false });
    assert.equal(checkMessage(hidden), 'users.list');
  });
});

describe('the background refuses them, and does nothing else', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());
  beforeEach(captureConsole);
  afterEach(releaseConsole);

  test('a misspelt field of any type is refused before its handler runs: nothing fetched, nothing stored', async () => {
    const { ask, fetched, fake } = createHarness({ origin: server.url });
    const users = Object.keys(server.store.state.users).length;
    const cases = [
      [{ type: 'users.add', emial: 'a@example.com' }, 'email'],
      [{ type: 'users.add', email: 'a@example.com', frist_name: 'A' }, 'first_name'],
      [{ type: 'users.connect', emali: 'a@example.com' }, 'email'],
      [{ type: 'users.remove', userid: 'u' }, 'userId'],
      [{ type: 'api.request', userId: 'u', path: '/users', qurey: { email: 'a@b.c' } }, 'query'],
      [{ type: 'api.preview', userId: 'u', path: '/users', boddy: {} }, 'body'],
      [{ type: 'messages.get', userId: 'u', label: 'l', folder: 'f', mesageId: 'm' }, 'messageId'],
      [{ type: 'settings.set', apiBsae: 'http://127.0.0.1:1/lite' }, 'apiBase'],
      [{ type: 'settings.test', consumerkey: 'k' }, 'consumerKey'],
    ];
    for (const [message, near] of cases) {
      const r = await ask(message);
      assert.equal(r.ok, false, JSON.stringify(message));
      assert.equal(r.error.code, 'UNKNOWN_FIELD', JSON.stringify(message));
      assert.match(r.error.message, new RegExp(`did you mean "${near}"`), JSON.stringify(message));
    }
    for (const type of ['settings.get', 'settings.reset', 'users.list']) {
      assert.equal((await ask({ type, extra: true })).error.code, 'UNKNOWN_FIELD', type);
    }
    assert.deepEqual(fetched, [], 'no request was sent');
    assert.deepEqual(fake.storage.local.snapshot(), {}, 'nothing was stored');
    assert.equal(Object.keys(server.store.state.users).length, users, 'no user was created');
  });

  test('an unknown type is UNKNOWN_MESSAGE with a suggestion', async () => {
    const { ask } = createHarness({ origin: server.url });
    const r = await ask({ type: 'settings.gte' });
    assert.equal(r.error.code, 'UNKNOWN_MESSAGE');
    assert.match(r.error.message, /did you mean "settings.get"/);
  });

  test('the known fields still work, and an undefined known field is fine (Firefox keeps such keys)', async () => {
    const { ask } = createHarness({ origin: server.url });
    const add = await ask({ type: 'users.add', email: 'known@example.com', first_name: 'K', last_name: undefined });
    assert.equal(add.ok, true, JSON.stringify(add.error));
    const r = await ask({ type: 'api.request', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}`, query: undefined, body: undefined });
    assert.equal(r.ok, true, JSON.stringify(r.error));
  });
});
