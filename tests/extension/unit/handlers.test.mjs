// extension/handlers.js, the background's message handling, against the real local API server
// (in-process, free port) with the real wasm signer and a fake `browser`:
// sender checks, message shapes, the storage layout, the connect flow (identity and tab
// fallback), skew correction, and that no answer and no log line ever holds a secret.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CONSUMER } from '../../../common/constants.js';
import { createApiHandlers } from '../../../extension/api-messages.js';
import { FORBIDDEN_SENDER, isOwnSender } from '../../../extension/handlers.js';
import { createMailHandlers } from '../../../extension/mail-messages.js';
import { MESSAGE_FIELDS } from '../../../extension/schema.js';
import { createSettingsHandlers } from '../../../extension/settings-messages.js';
import { createUserHandlers } from '../../../extension/user-messages.js';
import { completeConsent, startServer } from '../devserver.mjs';
import { senders } from '../fake-browser.mjs';
import { captureConsole, createHarness, logged, releaseConsole } from '../harness.mjs';

let server;
let skewed;
before(async () => {
  [server, skewed] = await Promise.all([startServer(), startServer({ clockOffset: 3600 })]);
});
after(async () => {
  await Promise.all([server?.close(), skewed?.close()]);
});

// Every console line written during a test; none may hold a secret (and the background logs nothing).
beforeEach(captureConsole);
afterEach(releaseConsole);

/** A background whose manifest grants the test server's origin (or `origin`). */
const setup = ({ origin = server.url, ...opts } = {}) => createHarness({ origin, ...opts });

test('each message type is answered by exactly one family of handlers, named after it', () => {
  const deps = { ext: {}, storage: {}, api: {}, access: {}, now: () => 0 };
  const families = {
    settings: createSettingsHandlers(deps),
    users: createUserHandlers(deps),
    api: createApiHandlers(deps),
    messages: createMailHandlers(deps),
  };
  const answered = Object.entries(families).flatMap(([family, handlers]) => Object.keys(handlers).map((type) => {
    assert.equal(type.split('.')[0], family, `${type} is handled by the ${family} family`);
    assert.equal(typeof handlers[type], 'function');
    return type;
  }));
  assert.deepEqual(answered.sort(), Object.keys(MESSAGE_FIELDS).sort());
});

describe('sender checks', () => {
  test("this extension's pages are answered (popup, a page in a tab, Firefox's sender shape)", async () => {
    const { fake, askAs } = setup();
    for (const sender of Object.values(senders(fake))) {
      assert.equal(isOwnSender(sender, fake.runtime), true);
      assert.equal((await askAs(sender, { type: 'users.list' })).ok, true);
    }
  });

  test('everything else gets FORBIDDEN_SENDER', async () => {
    const { fake, askAs } = setup();
    const id = fake.runtime.id;
    const base = fake.runtime.getURL('');
    const forged = {
      'no sender': undefined,
      'null sender': null,
      'another extension': { id: 'otherextensionid', url: 'chrome-extension://otherextensionid/page.html' },
      'a content script (page URL)': { id, url: 'https://evil.example/', tab: { id: 3, url: 'https://evil.example/' }, frameId: 0 },
      'a content script in a frame': { id, url: 'https://frame.example/', tab: { id: 3, url: 'https://top.example/' }, frameId: 5 },
      'an extension frame inside a web page': { id, url: `${base}popup.html`, tab: { id: 3, url: 'https://evil.example/' }, frameId: 2 },
      'a look-alike host': { id, url: `chrome-extension://${id}.evil.example/popup.html` },
      'a web origin': { id, url: `${base}popup.html`, origin: 'https://evil.example' },
      'no URL': { id },
      'a web page (no id)': { url: 'https://evil.example/', origin: 'https://evil.example' },
    };
    for (const [name, sender] of Object.entries(forged)) {
      assert.equal(isOwnSender(sender, fake.runtime), false, name);
      for (const type of ['users.list', 'users.add', 'api.request', 'settings.get']) {
        assert.deepEqual(await askAs(sender, { type, email: 'x@example.com', userId: 'u', path: '/users' }), FORBIDDEN_SENDER, `${name}: ${type}`);
      }
    }
    assert.deepEqual(fake.storage.local.snapshot(), {}, 'nothing was done for them');
  });

  test('external messages are always refused', () => {
    const { bg, fake } = setup();
    assert.deepEqual(bg.handleExternalMessage({ type: 'users.list' }, senders(fake).popup), FORBIDDEN_SENDER);
    assert.equal(FORBIDDEN_SENDER.error.code, 'FORBIDDEN_SENDER');
  });
});

describe('messages', () => {
  test('malformed and unknown messages', async () => {
    const { ask } = setup();
    for (const m of [null, 'users.list', 42, {}, { type: 5 }]) assert.equal((await ask(m)).error.code, 'INVALID_MESSAGE', JSON.stringify(m));
    assert.equal((await ask({ type: 'users.steal' })).error.code, 'UNKNOWN_MESSAGE');
    assert.equal((await ask({ type: 'toString' })).error.code, 'UNKNOWN_MESSAGE');
    assert.equal((await ask({ type: '__proto__' })).error.code, 'UNKNOWN_MESSAGE');
  });

  test('the wasm module is instantiated once, lazily, from the packaged file', async () => {
    const { ask, inits, fake } = setup();
    assert.equal(inits.length, 0);
    await ask({ type: 'users.list' });
    await ask({ type: 'users.list' });
    assert.deepEqual(inits, [{ module_or_path: fake.runtime.getURL('pkg/contextio_signer_bg.wasm') }]);
  });

  test('a failing wasm load is an error answer, and is retried next time', async () => {
    let fail = true;
    const { ask } = setup({ init: async () => { if (fail) throw new Error('boom'); } });
    assert.equal((await ask({ type: 'users.list' })).error.code, 'WASM_UNAVAILABLE');
    fail = false;
    assert.equal((await ask({ type: 'users.list' })).ok, true);
  });
});

describe('users', () => {
  test('users.add creates the user with a consumer-only signature and stores its pair under user:<id>', async () => {
    const { ask, fake } = setup();
    const r = await ask({ type: 'users.add', email: 'alice@example.com', first_name: 'Alice', accountType: 'imap', port: 993 });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(Object.keys(r.user).sort(), ['addedAt', 'email', 'id']);
    assert.equal(r.user.email, 'alice@example.com');
    const stored = fake.storage.local.snapshot();
    assert.deepEqual(Object.keys(stored), [`user:${r.user.id}`]);
    const record = stored[`user:${r.user.id}`];
    assert.deepEqual(Object.keys(record).sort(), ['accessToken', 'accessTokenSecret', 'addedAt', 'email', 'id']);
    const serverUser = server.store.getUser(DEMO_CONSUMER.consumerKey, r.user.id);
    assert.equal(record.accessToken, serverUser.access_token);
    assert.equal(record.accessTokenSecret, serverUser.access_token_secret);
    assert.equal(serverUser.first_name, 'Alice');
    assert.equal(serverUser.account.type, 'IMAP', 'accountType is sent as type');
    assert.equal(serverUser.account.port, 993, 'numbers are sent as form values');
    assert.deepEqual(fake.storage.sync.snapshot(), {}, 'storage.sync is never used');
    assert.deepEqual(fake.storage.sync.writes, []);
  });

  test('users.add checks its fields', async () => {
    const { ask } = setup();
    assert.equal((await ask({ type: 'users.add' })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ type: 'users.add', email: 'not an email' })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ type: 'users.add', email: 'a@example.com', callback: 'x' })).error.code, 'UNKNOWN_FIELD');
    assert.equal((await ask({ type: 'users.add', email: 'a@example.com', first_name: { x: 1 } })).error.code, 'INVALID_MESSAGE');
  });

  test('users.list shows id, email and addedAt only; users.remove forgets one', async () => {
    const { ask, fake } = setup();
    const a = (await ask({ type: 'users.add', email: 'a@example.com' })).user;
    const b = (await ask({ type: 'users.add', email: 'b@example.com' })).user;
    const list = await ask({ type: 'users.list' });
    assert.deepEqual(list, { ok: true, users: [a, b] });
    assert.deepEqual(await ask({ type: 'users.remove', userId: a.id }), { ok: true, removed: true });
    assert.deepEqual(await ask({ type: 'users.remove', userId: a.id }), { ok: true, removed: false });
    assert.deepEqual((await ask({ type: 'users.list' })).users, [b]);
    assert.deepEqual(Object.keys(fake.storage.local.snapshot()), [`user:${b.id}`]);
    assert.equal((await ask({ type: 'users.remove' })).error.code, 'INVALID_MESSAGE');
  });
});

describe('api.request', () => {
  async function withUser(opts) {
    const ctx = setup(opts);
    const add = await ctx.ask({ type: 'users.add', email: 'reader@example.com' });
    assert.equal(add.ok, true, JSON.stringify(add.error));
    return { ...ctx, user: add.user };
  }

  test("reads the user's mailbox with its own token, and answers status, headers, data and signing", async () => {
    const { ask, user } = await withUser();
    const accounts = await ask({ type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}/email_accounts` });
    assert.equal(accounts.ok, true, JSON.stringify(accounts.error));
    assert.equal(accounts.status, 200);
    assert.match(accounts.headers.date, /GMT$/);
    const label = accounts.data[0].label;
    assert.equal(label, 'reader@example.com::imap');
    const path = `/users/${user.id}/email_accounts/${encodeURIComponent(label)}/folders/INBOX/messages`;
    const messages = await ask({ type: 'api.request', userId: user.id, method: 'GET', path, query: { limit: 3 } });
    assert.equal(messages.ok, true, JSON.stringify(messages.error));
    assert.equal(messages.data.length, 3);
    for (const m of messages.data) {
      assert.equal(typeof m.subject, 'string');
      assert.equal(typeof m.date, 'number');
      assert.equal(typeof m.addresses.from.email, 'string');
    }
    const { signing } = messages;
    assert.deepEqual(Object.keys(signing).sort(), ['authorization', 'baseString', 'body', 'clockOffset', 'contentType', 'method', 'normalizedParameters', 'oauthParameters', 'url'].sort());
    assert.match(signing.authorization, /^OAuth oauth_consumer_key="contextio-demo", .*oauth_signature="[^"]+"/);
    assert.match(signing.baseString, /^GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Flite%2Fusers%2F/);
    assert.match(signing.normalizedParameters, /^limit=3&oauth_consumer_key=contextio-demo&/);
  });

  test("a user's token is never used for another user's path", async () => {
    const { ask, user } = await withUser();
    const other = (await ask({ type: 'users.add', email: 'other@example.com' })).user;
    for (const path of [`/users/${other.id}`, `/users/${other.id}/email_accounts`, `/users/${encodeURIComponent(other.id)}/x`, '/users/someone-else']) {
      const r = await ask({ type: 'api.request', userId: user.id, method: 'GET', path });
      assert.equal(r.error.code, 'USER_PATH_MISMATCH', path);
    }
    assert.equal((await ask({ type: 'api.request', userId: user.id, method: 'GET', path: '/users' })).ok, true, 'the own-user list is fine');
  });

  test('paths stay under the API base', async () => {
    const { ask, user } = await withUser();
    for (const path of ['users', '//evil.example/x', 'https://evil.example/', `/users/${user.id}/../../x`, '/%2e%2e/x', '/users?x=1']) {
      assert.equal((await ask({ type: 'api.request', userId: user.id, method: 'GET', path })).error.code, 'INVALID_PATH', path);
    }
  });

  test('bad messages: unknown user, method, params', async () => {
    const { ask, user } = await withUser();
    const base = { type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}` };
    assert.equal((await ask({ ...base, userId: 'nobody' })).error.code, 'USER_NOT_FOUND');
    assert.equal((await ask({ ...base, userId: undefined })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ ...base, method: 'TRACE' })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ ...base, path: undefined })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ ...base, query: 'a=b' })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ ...base, query: { a: { b: 1 } } })).error.code, 'INVALID_MESSAGE');
    assert.equal((await ask({ ...base, body: { a: 'b' } })).error.code, 'INVALID_MESSAGE', 'GET has no body');
  });

  test('server errors come back with status, data and the error shape', async () => {
    const { ask, user } = await withUser();
    const r = await ask({ type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}/email_accounts/nope/folders` });
    assert.equal(r.ok, false);
    assert.equal(r.status, 404);
    assert.equal(r.error.code, 'HTTP_404');
    assert.equal(r.error.status, 404);
    assert.equal(r.error.apiCode, 404);
    assert.equal(r.data.type, 'error');
  });

  test("a wrong consumer secret: 105 with the server's base string, equal to ours", async () => {
    const { ask, user } = await withUser();
    assert.equal((await ask({ type: 'settings.set', consumerKey: DEMO_CONSUMER.consumerKey, consumerSecret: 'not-the-secret' })).ok, true);
    const r = await ask({ type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}` });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'SIGNATURE_INVALID');
    assert.equal(r.error.status, 401);
    assert.equal(r.error.apiCode, 105);
    assert.equal(r.error.serverBaseString, r.signing.baseString);
    // The package's diagnosis of the server's real answer: identical base strings, so a secret.
    assert.equal(r.diagnosis.problem, 'SIGNATURE_INVALID');
    assert.equal(r.diagnosis.serverProblem, 'signature_invalid');
    assert.equal(r.diagnosis.identical, true);
    assert.deepEqual(r.diagnosis.differences, []);
    assert.match(r.diagnosis.cause, /secret/);
    assert.equal(r.error.message, `${r.diagnosis.cause}; ${r.diagnosis.advice}`);
    assert.equal(r.retried, null, 'a wrong secret is not retried');
  });

  test('an OAuthSignError code passes through', async () => {
    const { ask, user } = await withUser();
    const base = { type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}` };
    const r = await ask({ ...base, query: { oauth_token: 'someone-elses' } });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'INVALID_OPTIONS');
    assert.equal((await ask({ ...base, query: { name: '\ud800' } })).error.code, 'INVALID_ENCODING');
  });

  test('api.preview signs and returns the signing info without sending anything', async () => {
    const { ask, user } = await withUser();
    const before = server.store.state;
    const r = await ask({ type: 'api.preview', userId: user.id, method: 'POST', path: `/users/${user.id}`, body: { first_name: 'R' } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(Object.keys(r), ['ok', 'signing']);
    assert.match(r.signing.baseString, /^POST&/);
    assert.match(r.signing.normalizedParameters, /^first_name=R&/);
    assert.equal(server.store.state, before);
  });
});

describe('clock skew', () => {
  test('a server an hour ahead: 106, the offset is stored, the request retried once, later ones signed right', async () => {
    const { ask, fake, fetched } = setup({ origin: skewed.url });
    const add = await ask({ type: 'users.add', email: 'skew@example.com' });
    assert.equal(add.ok, true, JSON.stringify(add.error));
    assert.equal(fetched.length, 2, 'one retry');
    assert.equal(add.retried.reason, 'clock');
    assert.equal(add.retried.problem, 'TIMESTAMP_REFUSED');
    assert.equal(Object.keys(skewed.store.state.users).filter((id) => skewed.store.state.users[id].email === 'skew@example.com').length, 1, 'one user created');
    assert.equal(add.clockCorrection.retried, true);
    assert.ok(Math.abs(add.clockCorrection.to - 3600) <= 2, String(add.clockCorrection.to));
    const offset = fake.storage.local.snapshot()[`clockOffset:${skewed.url}`];
    assert.ok(Math.abs(offset - 3600) <= 2);
    const r = await ask({ type: 'api.request', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}` });
    assert.equal(r.ok, true);
    assert.equal(r.clockCorrection, null, 'no second correction');
    assert.equal(r.signing.clockOffset, offset);
  });

  test('the offset is per API origin', async () => {
    const { ask, fake } = setup({ origin: skewed.url });
    assert.equal((await ask({ type: 'users.add', email: 'skew2@example.com' })).ok, true);
    assert.equal(await fake.permissions.request({ origins: [`${server.url}/*`] }), true);
    assert.equal((await ask({ type: 'settings.set', apiBase: `${server.url}/lite` })).ok, true);
    const r = await ask({ type: 'users.add', email: 'plain@example.com' });
    assert.equal(r.ok, true);
    assert.equal(r.clockCorrection, null);
    assert.equal(fake.storage.local.snapshot()[`clockOffset:${server.url}`], undefined);
  });
});

describe('settings', () => {
  test('settings.get never shows the secret; set and reset', async () => {
    const { ask, fake } = setup();
    const r = await ask({ type: 'settings.get' });
    assert.deepEqual(r.settings, {
      apiBase: `${server.url}/lite`,
      consumerKey: DEMO_CONSUMER.consumerKey,
      consumerSecretSet: false,
      usingDemoConsumer: true,
      defaults: { apiBase: `${server.url}/lite`, consumerKey: DEMO_CONSUMER.consumerKey },
      hostPermissions: [`${server.url}/*`],
      access: { origin: server.url, pattern: `${server.url}/*`, granted: true, required: true },
    });
    assert.equal(await fake.permissions.request({ origins: ['https://api.context.io/*'] }), true, 'granted as the options page asks');
    const set = await ask({ type: 'settings.set', apiBase: 'https://api.context.io/lite', consumerKey: 'mykey', consumerSecret: 'my-very-secret' });
    assert.equal(set.settings.consumerSecretSet, true);
    assert.deepEqual(set.settings.access, { origin: 'https://api.context.io', pattern: 'https://api.context.io/*', granted: true, required: false });
    assert.equal(fake.storage.local.snapshot().settings.consumerSecret, 'my-very-secret');
    assert.equal((await ask({ type: 'settings.set', apiBase: 'nope' })).error.code, 'INVALID_SETTINGS');
    assert.equal((await ask({ type: 'settings.reset' })).settings.usingDemoConsumer, true);
    assert.deepEqual(fake.storage.sync.snapshot(), {});
  });

  test('settings.test: the demo consumer passes, a wrong secret fails with 105, nothing is created', async () => {
    const { ask, fake, fetched } = setup();
    const users = Object.keys(server.store.state.users).length;
    const ok = await ask({ type: 'settings.test' });
    assert.equal(ok.ok, true, JSON.stringify(ok.error));
    assert.equal(ok.status, 400);
    const bad = await ask({ type: 'settings.test', consumerKey: DEMO_CONSUMER.consumerKey, consumerSecret: 'wrong' });
    assert.equal(bad.error.code, 'SIGNATURE_INVALID');
    assert.equal(typeof bad.error.serverBaseString, 'string');
    assert.equal((await ask({ type: 'settings.test', consumerKey: 'other-key' })).error.code, 'INVALID_SETTINGS', 'a new key needs its secret');
    const sent = fetched.length;
    const denied = await ask({ type: 'settings.test', apiBase: 'http://127.0.0.1:1/lite' });
    assert.deepEqual([denied.error.code, denied.error.origin, denied.error.pattern], ['NO_HOST_ACCESS', 'http://127.0.0.1:1', 'http://127.0.0.1:1/*']);
    assert.equal(fetched.length, sent, 'nothing is sent to an origin without access');
    assert.equal(await fake.permissions.request({ origins: ['http://127.0.0.1:1/*'] }), true);
    assert.equal((await ask({ type: 'settings.test', apiBase: 'http://127.0.0.1:1/lite' })).error.code, 'NETWORK_ERROR');
    assert.equal(Object.keys(server.store.state.users).length, users);
  });
});

describe('users.connect', () => {
  test('identity.launchWebAuthFlow: consent, then the permanent pair is stored and the temporary one forgotten', async () => {
    const { ask, fake } = setup({
      launchWebAuthFlow: async ({ url, interactive }) => {
        assert.equal(interactive, true);
        return completeConsent(url, 'carol@example.com');
      },
    });
    const r = await ask({ type: 'users.connect', email: 'carol@example.com' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.user.email, 'carol@example.com');
    const [call] = fake.identity.calls;
    assert.match(call.url, new RegExp(`^${server.url}/connect/`));
    const stored = fake.storage.local.snapshot();
    assert.deepEqual(Object.keys(stored), [`user:${r.user.id}`], 'no pending connect left');
    assert.equal(stored[`user:${r.user.id}`].accessTokenSecret, server.store.getUser(DEMO_CONSUMER.consumerKey, r.user.id).access_token_secret);
    const token = new URL(call.url).pathname.split('/').pop();
    assert.equal(server.store.getConnectToken(DEMO_CONSUMER.consumerKey, token, Math.floor(Date.now() / 1000)).callback_url, fake.identity.getRedirectURL('connected'));
    const msgs = await ask({ type: 'api.request', userId: r.user.id, method: 'GET', path: `/users/${r.user.id}/email_accounts` });
    assert.equal(msgs.ok, true);
  });

  test('a closed window is CONNECT_CANCELLED and leaves nothing behind', async () => {
    const { ask, fake } = setup({ launchWebAuthFlow: async () => { throw new Error('The user did not approve access.'); } });
    const r = await ask({ type: 'users.connect' });
    assert.equal(r.error.code, 'CONNECT_CANCELLED');
    assert.deepEqual(fake.storage.local.snapshot(), {});
  });

  test('a callback for another connect token is refused', async () => {
    const { ask, fake } = setup({ launchWebAuthFlow: async () => `${fake.identity.getRedirectURL('connected')}?contextio_token=forged` });
    assert.equal((await ask({ type: 'users.connect' })).error.code, 'CONNECT_FAILED');
    assert.deepEqual(fake.storage.local.snapshot(), {});
  });

  test('without the identity API: a tab on the consent page, watched until it reaches the callback, then closed', async () => {
    let consented;
    const { ask, fake } = setup({
      launchWebAuthFlow: null,
      onTabCreated: async (tab, browser) => {
        const location = await completeConsent(tab.url, 'dave@example.com');
        consented = location;
        browser.tabs.onUpdated.emit(tab.id, { status: 'loading' }, { id: tab.id, url: tab.url });
        browser.tabs.onUpdated.emit(999, { url: location }, { id: 999, url: location });
        browser.tabs.onUpdated.emit(tab.id, { url: location, status: 'loading' }, { id: tab.id, url: location });
      },
    });
    assert.equal(fake.identity, undefined);
    const r = await ask({ type: 'users.connect' });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.user.email, 'dave@example.com');
    assert.ok(consented.startsWith(`${server.url}/contextio-extension/connected?contextio_token=`), consented);
    assert.deepEqual(fake.tabs.removed, [fake.tabs.created[0].id]);
    assert.equal(fake.tabs.onUpdated.listeners.length, 0, 'listeners removed');
    assert.equal(fake.tabs.onRemoved.listeners.length, 0);
  });

  test('without the identity API, closing the tab cancels', async () => {
    const { ask } = setup({
      launchWebAuthFlow: null,
      onTabCreated: (tab, browser) => browser.tabs.remove(tab.id),
    });
    assert.equal((await ask({ type: 'users.connect' })).error.code, 'CONNECT_CANCELLED');
  });
});

test('the background logs nothing while handling messages', async () => {
  const { ask } = setup({ launchWebAuthFlow: async ({ url }) => completeConsent(url, 'quiet@example.com') });
  const add = await ask({ type: 'users.add', email: 'quiet@example.com' });
  await ask({ type: 'api.request', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}` });
  await ask({ type: 'users.connect' });
  await ask({ type: 'settings.set', consumerSecret: 'wrong', consumerKey: DEMO_CONSUMER.consumerKey });
  await ask({ type: 'api.request', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}` });
  assert.deepEqual(logged, []);
});
