// Host access (issue 10, part 1) in the background, with a fake `browser` whose permissions
// behave like the browsers' (pattern matching, required vs optional, events) and two real
// local API servers: the build's origin and another one granted at run time.
//
// What the browsers themselves do (the prompt, the pref that skips it, Chrome's site access) is
// covered end to end in tests/extension/e2e/.

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createAccess, NO_ACCESS_BADGE } from '../../../extension/permissions.js';
import { normalizeApiBase, originPattern, patternsCover } from '../../../extension/origins.js';
import { startServer } from '../devserver.mjs';
import { createFakeBrowser } from '../fake-browser.mjs';
import { captureConsole, createHarness, releaseConsole } from '../harness.mjs';

let server;
let other;
before(async () => {
  [server, other] = await Promise.all([startServer(), startServer()]);
});
after(async () => {
  await Promise.all([server?.close(), other?.close()]);
});
beforeEach(captureConsole);
afterEach(releaseConsole);

describe('origins', () => {
  test('originPattern: the origin of a base, as a match pattern', () => {
    assert.equal(originPattern('https://api.context.io/lite'), 'https://api.context.io/*');
    assert.equal(originPattern('http://127.0.0.1:8787/lite'), 'http://127.0.0.1:8787/*');
    assert.equal(originPattern('HTTPS://Example.ORG:443/x'), 'https://example.org/*');
    assert.equal(originPattern(normalizeApiBase(' http://127.0.0.1:41234/lite/ ')), 'http://127.0.0.1:41234/*');
  });
  test('patternsCover: <all_urls> covers http(s) only', () => {
    assert.equal(patternsCover(['<all_urls>'], 'https://x.example/'), true);
    assert.equal(patternsCover(['<all_urls>'], 'ftp://x.example/'), false);
    assert.equal(patternsCover(['http://*/*'], 'http://10.0.0.1:8080/lite'), true);
    assert.equal(patternsCover(['http://*/*'], 'https://10.0.0.1/lite'), false);
  });
});

describe('createAccess', () => {
  const manifest = {
    manifest_version: 3,
    name: 'Context.IO Signer',
    action: { default_title: 'Context.IO' },
    host_permissions: ['http://127.0.0.1:8787/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
  };

  test('state: the origin of the base, its pattern, granted, required', async () => {
    const fake = createFakeBrowser({ manifest });
    const access = createAccess(fake);
    assert.deepEqual(await access.state('http://127.0.0.1:8787/lite'), { origin: 'http://127.0.0.1:8787', pattern: 'http://127.0.0.1:8787/*', granted: true, required: true });
    assert.deepEqual(await access.state('https://api.example.org/lite'), { origin: 'https://api.example.org', pattern: 'https://api.example.org/*', granted: false, required: false });
  });

  test('releaseUnneeded gives up optional origins but the one in use, never a required one', async () => {
    const fake = createFakeBrowser({ manifest });
    const access = createAccess(fake);
    await fake.permissions.request({ origins: ['https://a.example/*'] });
    await fake.permissions.request({ origins: ['https://b.example/*'] });
    assert.deepEqual(await access.releaseUnneeded('https://b.example/lite'), ['https://a.example/*']);
    assert.deepEqual([...fake.permissions.granted].sort(), ['http://127.0.0.1:8787/*', 'https://b.example/*']);
    assert.deepEqual(await access.releaseUnneeded('http://127.0.0.1:8787/lite'), ['https://b.example/*']);
    assert.deepEqual([...fake.permissions.granted], ['http://127.0.0.1:8787/*']);
    assert.deepEqual(await access.releaseUnneeded('http://127.0.0.1:8787/lite'), [], 'nothing left to give up');
  });

  test('showOnButton: a red "!" and a title naming the origin while it is not granted, the default look once it is', async () => {
    const fake = createFakeBrowser({ manifest, withheld: true });
    const access = createAccess(fake);
    assert.equal(await access.showOnButton('http://127.0.0.1:8787/lite'), false);
    assert.deepEqual(fake.action.badge, { text: NO_ACCESS_BADGE.text, color: NO_ACCESS_BADGE.color, title: 'Context.IO: no access to http://127.0.0.1:8787 (click to grant it)' });
    await fake.permissions.request({ origins: ['http://127.0.0.1:8787/*'] });
    assert.equal(await access.showOnButton('http://127.0.0.1:8787/lite'), true);
    assert.equal(fake.action.badge.text, '');
    assert.equal(fake.action.badge.title, 'Context.IO');
  });
});

describe('the background', () => {
  test('settings.get tells the pages whether the API origin is granted', async () => {
    const { ask } = createHarness({ origin: server.url });
    assert.deepEqual((await ask({ type: 'settings.get' })).settings.access, { origin: server.url, pattern: `${server.url}/*`, granted: true, required: true });
  });

  test('saving another API base needs its origin granted first: refused with NO_HOST_ACCESS, nothing changes', async () => {
    const { ask, fake, fetched } = createHarness({ origin: server.url });
    const r = await ask({ type: 'settings.set', apiBase: `${other.url}/lite`, consumerKey: 'k', consumerSecret: 's' });
    assert.equal(r.ok, false);
    assert.deepEqual(r.error, {
      code: 'NO_HOST_ACCESS',
      message: `no access to ${other.url}: the browser has not granted it, so the settings were not changed`,
      origin: other.url,
      pattern: `${other.url}/*`,
    });
    assert.deepEqual(fake.storage.local.snapshot(), {}, 'the old settings (the defaults) stay');
    assert.deepEqual(fetched, []);
    assert.equal((await ask({ type: 'settings.get' })).settings.apiBase, `${server.url}/lite`);
  });

  test('granted (as the options page asks from the Save click): saved, used, and given up again on reset', async () => {
    const { ask, fake } = createHarness({ origin: server.url });
    assert.equal(await fake.permissions.request({ origins: [`${other.url}/*`] }), true);
    const set = await ask({ type: 'settings.set', apiBase: `${other.url}/lite/` });
    assert.equal(set.ok, true, JSON.stringify(set.error));
    assert.deepEqual(set.released, []);
    assert.equal(set.settings.apiBase, `${other.url}/lite`);
    assert.deepEqual(set.settings.access, { origin: other.url, pattern: `${other.url}/*`, granted: true, required: false });
    const add = await ask({ type: 'users.add', email: 'elsewhere@example.com' });
    assert.equal(add.ok, true, JSON.stringify(add.error));
    assert.ok(other.store.getUser('contextio-demo', add.user.id), 'the user lives on the other server');
    assert.equal(server.store.getUser('contextio-demo', add.user.id), undefined);

    const reset = await ask({ type: 'settings.reset' });
    assert.deepEqual(reset.released, [`${other.url}/*`], 'the other origin is given up');
    assert.equal(await fake.permissions.contains({ origins: [`${other.url}/*`] }), false);
    assert.equal(await fake.permissions.contains({ origins: [`${server.url}/*`] }), true, 'the required origin stays');
  });

  test('moving from one granted server to another gives up the first', async () => {
    const { ask, fake } = createHarness({ origin: server.url });
    await fake.permissions.request({ origins: [`${other.url}/*`, 'https://third.example/*'] });
    assert.equal((await ask({ type: 'settings.set', apiBase: `${other.url}/lite` })).ok, true);
    assert.deepEqual([...fake.permissions.granted].sort(), [`${other.url}/*`, `${server.url}/*`].sort(), 'an origin granted but never used is given up too');
    const back = await ask({ type: 'settings.set', apiBase: `${server.url}/lite` });
    assert.deepEqual(back.released, [`${other.url}/*`]);
  });

  test('a refused request leaves the old settings in place', async () => {
    const { ask, fake } = createHarness({ origin: server.url, onRequest: () => false });
    assert.equal(await fake.permissions.request({ origins: [`${other.url}/*`] }), false);
    assert.equal((await ask({ type: 'settings.set', apiBase: `${other.url}/lite` })).error.code, 'NO_HOST_ACCESS');
    assert.equal((await ask({ type: 'settings.get' })).settings.apiBase, `${server.url}/lite`);
  });

  test('a request to an origin without access is refused before it is signed or sent', async () => {
    const { ask, fake, fetched } = createHarness({ origin: server.url, removableRequired: true });
    const add = await ask({ type: 'users.add', email: 'revoked@example.com' });
    assert.equal(add.ok, true);
    const sent = fetched.length;
    // The person takes the required origin away (Firefox lets them).
    assert.equal(await fake.permissions.remove({ origins: [`${server.url}/*`] }), true);
    const r = await ask({ type: 'api.request', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}` });
    assert.deepEqual([r.error.code, r.error.origin, r.error.pattern], ['NO_HOST_ACCESS', server.url, `${server.url}/*`]);
    assert.equal((await ask({ type: 'users.add', email: 'x@example.com' })).error.code, 'NO_HOST_ACCESS');
    assert.equal(fetched.length, sent, 'nothing was sent');
    assert.equal((await ask({ type: 'api.preview', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}` })).ok, true, 'signing alone still works');
    assert.equal((await ask({ type: 'settings.get' })).settings.access.granted, false);
  });

  test('on install and on start the origin is checked: badge and options page while withheld, cleared once granted', async () => {
    const { bg, fake } = createHarness({ origin: server.url, withheld: true });
    assert.equal(await bg.onInstalled({ reason: 'install' }), false);
    assert.equal(fake.action.badge.text, '!');
    assert.match(fake.action.badge.title, new RegExp(`no access to ${server.url}`));
    assert.equal(fake.runtime.optionsOpened, 1, 'the options page opens to lead the person to grant it');
    assert.equal(await bg.onInstalled({ reason: 'update' }), false);
    assert.equal(fake.runtime.optionsOpened, 1, 'only on a fresh install');
    assert.equal(await bg.checkAccess(), false);
    await fake.permissions.request({ origins: [`${server.url}/*`] });
    assert.equal(await bg.checkAccess(), true);
    assert.equal(fake.action.badge.text, '');
  });

  test('granted at install: no badge, no page', async () => {
    const { bg, fake } = createHarness({ origin: server.url });
    assert.equal(await bg.onInstalled({ reason: 'install' }), true);
    assert.equal(fake.action.badge.text, '');
    assert.equal(fake.runtime.optionsOpened, 0);
  });
});
