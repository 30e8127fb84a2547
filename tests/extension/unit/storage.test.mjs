// extension/storage.js (settings, the per-user record layout, clock offsets and pending connect
// flows, over a fake storage.local) and extension/origins.js (API base defaults and validation,
// host permission patterns).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_CONSUMER } from '../../../common/constants.js';
import { FALLBACK_API_BASE, defaultApiBase, normalizeApiBase, patternsCover } from '../../../extension/origins.js';
import { createStore } from '../../../extension/storage.js';
import { FakeStorageArea } from '../fake-browser.mjs';

const store = (area = new FakeStorageArea()) => ({ area, s: createStore(area, { defaultApiBase: () => 'http://127.0.0.1:8787/lite' }) });

describe('defaultApiBase', () => {
  test('is the first host permission plus /lite', () => {
    assert.equal(defaultApiBase({ host_permissions: ['http://127.0.0.1:8787/*'] }), 'http://127.0.0.1:8787/lite');
    assert.equal(defaultApiBase({ host_permissions: ['https://api.context.io/*', 'http://127.0.0.1/*'] }), 'https://api.context.io/lite');
  });
  test('falls back to the local server when the manifest names no usable origin', () => {
    assert.equal(defaultApiBase({}), FALLBACK_API_BASE);
    assert.equal(defaultApiBase({ host_permissions: ['<all_urls>'] }), FALLBACK_API_BASE);
    assert.equal(defaultApiBase({ host_permissions: ['*://*.example.org/*'] }), FALLBACK_API_BASE);
  });
});

describe('normalizeApiBase', () => {
  for (const [input, out] of [
    ['https://api.context.io/lite', 'https://api.context.io/lite'],
    ['https://api.context.io/lite/', 'https://api.context.io/lite'],
    ['  HTTPS://API.Context.IO:443/lite//  ', 'https://api.context.io/lite'],
    ['http://127.0.0.1:8787/lite', 'http://127.0.0.1:8787/lite'],
  ]) {
    test(`${JSON.stringify(input)} -> ${out}`, () => assert.equal(normalizeApiBase(input), out));
  }
  for (const bad of ['', '   ', 'api.context.io/lite', 'ftp://x/lite', 'javascript:alert(1)', 'https://u:p@x/lite', 'https://x/lite?a=1', 'https://x/lite#f', 42]) {
    test(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => normalizeApiBase(bad), { name: 'ExtensionError', code: 'INVALID_SETTINGS' }));
  }
});

describe('patternsCover', () => {
  const m = { host_permissions: ['http://127.0.0.1:8787/*', 'https://*.context.io/*'] };
  const hostPermissionCovers = (manifest, url) => patternsCover(manifest.host_permissions, url);
  test('matches scheme, host and port', () => {
    assert.equal(hostPermissionCovers(m, 'http://127.0.0.1:8787/lite/users'), true);
    assert.equal(hostPermissionCovers(m, 'http://127.0.0.1:9999/lite'), false);
    assert.equal(hostPermissionCovers(m, 'https://127.0.0.1:8787/lite'), false);
    assert.equal(hostPermissionCovers(m, 'https://api.context.io/lite'), true);
    assert.equal(hostPermissionCovers(m, 'https://context.io/lite'), true);
    assert.equal(hostPermissionCovers(m, 'https://evilcontext.io/lite'), false);
    assert.equal(hostPermissionCovers(m, 'not a url'), false);
  });
  test('a pattern without a port matches every port', () => {
    assert.equal(hostPermissionCovers({ host_permissions: ['http://127.0.0.1/*'] }, 'http://127.0.0.1:41234/lite'), true);
    assert.equal(patternsCover(undefined, 'http://127.0.0.1/'), false);
  });
});

describe('settings', () => {
  test('default to the build origin and the demo consumer, stored nowhere', async () => {
    const { area, s } = store();
    assert.deepEqual(await s.settings(), {
      apiBase: 'http://127.0.0.1:8787/lite',
      ...DEMO_CONSUMER,
      isDefault: { apiBase: true, consumer: true },
    });
    assert.deepEqual(area.snapshot(), {});
  });

  test('are saved normalized under one key; undefined fields keep their value', async () => {
    const { area, s } = store();
    await s.saveSettings({ apiBase: 'https://api.context.io/lite/', consumerKey: ' key ', consumerSecret: 'sec' });
    await s.saveSettings({ consumerKey: 'key2' });
    assert.deepEqual(area.snapshot(), { settings: { apiBase: 'https://api.context.io/lite', consumerKey: 'key2', consumerSecret: 'sec' } });
    const got = await s.settings();
    assert.equal(got.consumerSecret, 'sec');
    assert.deepEqual(got.isDefault, { apiBase: false, consumer: false });
  });

  test('an empty key or secret means the demo consumer', async () => {
    const { s } = store();
    await s.saveSettings({ consumerKey: 'k', consumerSecret: '' });
    assert.equal((await s.settings()).consumerKey, DEMO_CONSUMER.consumerKey);
    assert.equal((await s.settings()).consumerSecret, DEMO_CONSUMER.consumerSecret);
  });

  test('refuse control characters and bad URLs, and reset removes them', async () => {
    const { area, s } = store();
    await assert.rejects(s.saveSettings({ consumerKey: 'a\nb' }), { code: 'INVALID_SETTINGS' });
    await assert.rejects(s.saveSettings({ apiBase: 'file:///etc' }), { code: 'INVALID_SETTINGS' });
    await s.saveSettings({ consumerKey: 'k', consumerSecret: 's' });
    await s.resetSettings();
    assert.deepEqual(area.snapshot(), {});
  });
});

describe('users', () => {
  test('each user lives under user:<id> as { id, email, accessToken, accessTokenSecret, addedAt }', async () => {
    const { area, s } = store();
    const alice = { id: 'u1', email: 'alice@example.com', accessToken: 't1', accessTokenSecret: 's1', addedAt: 2 };
    const bob = { id: 'u2', email: 'bob@example.com', accessToken: 't2', accessTokenSecret: 's2', addedAt: 1 };
    await s.putUser({ ...alice, extra: 'dropped' });
    await s.putUser(bob);
    assert.deepEqual(area.snapshot(), { 'user:u1': alice, 'user:u2': bob });
    assert.deepEqual(await s.users(), [bob, alice], 'oldest first');
    assert.deepEqual(await s.user('u1'), alice);
    assert.equal(await s.user('nope'), null);
    assert.equal(await s.removeUser('u1'), true);
    assert.equal(await s.removeUser('u1'), false);
    assert.deepEqual(Object.keys(area.snapshot()), ['user:u2']);
  });

  test('incomplete records are refused', async () => {
    const { s } = store();
    const ok = { id: 'u', email: 'e@x.org', accessToken: 't', accessTokenSecret: 's', addedAt: 1 };
    for (const bad of [{ id: '' }, { accessToken: undefined }, { accessTokenSecret: 5 }, { email: null }, { addedAt: 'now' }]) {
      await assert.rejects(s.putUser({ ...ok, ...bad }), TypeError, JSON.stringify(bad));
    }
  });

  test('settings and other keys are not users', async () => {
    const { s } = store();
    await s.saveSettings({ consumerKey: 'k', consumerSecret: 's' });
    await s.setClockOffset('http://x', 5);
    assert.deepEqual(await s.users(), []);
  });
});

describe('clock offsets and pending connect flows', () => {
  test('offsets are whole seconds per origin, 0 when unknown', async () => {
    const { area, s } = store();
    assert.equal(await s.clockOffset('http://a'), 0);
    await s.setClockOffset('http://a', 3600.4);
    assert.equal(await s.clockOffset('http://a'), 3600);
    assert.equal(await s.clockOffset('http://b'), 0);
    assert.deepEqual(area.snapshot(), { 'clockOffset:http://a': 3600 });
  });

  test('pending connects are kept, taken and pruned after their TTL', async () => {
    const { area, s } = store();
    const p = (token, createdAt) => ({ token, accessToken: 'a', accessTokenSecret: 'b', callbackUrl: 'https://cb/', createdAt });
    await s.putPendingConnect(p('old', 0));
    await s.putPendingConnect(p('new', 3_600_000));
    assert.deepEqual(await s.pendingConnect('new'), p('new', 3_600_000));
    await s.prunePendingConnects(3_600_001);
    assert.deepEqual(Object.keys(area.snapshot()), ['connect:new']);
    await s.removePendingConnect('new');
    assert.deepEqual(area.snapshot(), {});
  });
});
