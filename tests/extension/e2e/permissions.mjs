// Issue 10, part 1, end to end: any API server, granted at run time.
//
// Firefox grants `permissions.request` without a prompt under the pref
// extensions.webextOptionalPermissionPrompts=false (set by drivers.mjs), and shows its real
// doorhanger when the pref is turned back on, which the test answers (Allow / Deny) from the
// browser's own chrome: the whole flow runs there. Headless Chromium shows its permission
// prompt where no automation can answer it; there the tests check that Save asks and keeps the
// old settings while it waits, and grant or withhold access the way a person does in Chrome's
// extension settings ("Site access", through chrome://extensions). The background's side of
// every case is also unit-tested (tests/extension/unit/access.test.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../support/net.mjs';

const EXT = '(globalThis.browser ?? globalThis.chrome)';

/** @param {any} ctx See scenario.mjs. */
export function definePermissionTests(ctx) {
  const { name, send, waitText, textOf, shot } = ctx;
  const d = () => ctx.d();
  const contains = (origin) => d().evaluate(`return await ${EXT}.permissions.contains({ origins: [args[0]] });`, [`${origin}/*`]);
  const badge = () => d().evaluate(`return await ${EXT}.action.getBadgeText({});`);
  const apiBase = async () => (await send({ type: 'settings.get' })).settings.apiBase;
  const hidden = (selector) => d().evaluate('return document.querySelector(args[0])?.hidden ?? null;', [selector]);

  test('the required permissions did not grow: storage, identity and the build origin; any other http(s) server is optional', async () => {
    await d().open('options.html');
    const m = await d().evaluate(`return ${EXT}.runtime.getManifest();`);
    assert.deepEqual(m.permissions, ['storage', 'identity']);
    assert.equal(m.host_permissions[0], `${ctx.server().url}/*`, 'the build origin (here: the test server)');
    assert.deepEqual(m.optional_host_permissions, ['http://*/*', 'https://*/*']);
    assert.deepEqual(m.optional_permissions ?? [], [], 'no optional API permission');
    assert.equal(await contains(ctx.server().url), true, 'the build origin is granted');
    assert.equal(await contains(ctx.other().url), false, 'another server is not');
    assert.equal(await badge(), '', 'no badge while the API origin is granted');
  });

  test('the background does not take another server until the browser grants it', async () => {
    const other = ctx.other();
    const r = await send({ type: 'settings.set', apiBase: `${other.url}/lite` });
    assert.equal(r.ok, false);
    assert.deepEqual([r.error.code, r.error.origin, r.error.pattern], ['NO_HOST_ACCESS', other.url, `${other.url}/*`]);
    assert.equal(await apiBase(), `${ctx.server().url}/lite`, 'the old settings stay');
  });

  if (name === 'firefox') {
    test('saving a new API base asks for its origin from the Save click; granted, it is saved and used; reset gives it up', async () => {
      const [server, other] = [ctx.server(), ctx.other()];
      await d().open('options.html');
      await d().fillLabeled('API base', `${other.url}/lite`);
      await d().clickButton('Save');
      await waitText('#status', /^Saved\.$/);
      // Firefox may answer permissions.contains from before the grant for a moment after the
      // page saved (seen once in five CI runs: every later check then failed with it).
      await waitFor(async () => (await contains(other.url)) === true, { what: 'the browser to grant the origin' });
      assert.equal(await apiBase(), `${other.url}/lite`);
      assert.equal(await hidden('#access'), true, 'no "no access" notice');

      await d().open('popup.html');
      await d().fill('#add-email', 'elsewhere@example.com');
      await d().click('#add-button');
      await waitText('#users-status', /Added elsewhere@example\.com/);
      const listed = (await send({ type: 'users.list' })).users.find((u) => u.email === 'elsewhere@example.com');
      assert.ok(other.store.getUser('contextio-demo', listed.id), 'the user was created on the other server');
      assert.equal(server.store.getUser('contextio-demo', listed.id), undefined);
      assert.equal((await send({ type: 'users.remove', userId: listed.id })).ok, true);

      await d().open('options.html');
      await d().clickButton('Reset to defaults');
      await waitText('#status', new RegExp(`^Back to the defaults\\. Access to ${other.url.replace(/[.]/g, '\\.')} was given up\\.$`));
      assert.equal(await contains(other.url), false, 'the other origin was given up');
      assert.equal(await contains(server.url), true);
      assert.equal(await apiBase(), `${server.url}/lite`);
    });

    test("with the browser's prompt: Deny keeps the old settings and says why; Allow saves", async () => {
      const [server, other2] = [ctx.server(), ctx.other2()];
      await d().setPref('extensions.webextOptionalPermissionPrompts', true);
      try {
        await d().open('options.html');
        await d().fillLabeled('API base', `${other2.url}/lite`);
        await d().clickButton('Save');
        const prompt = await d().answerPermissionPrompt(false);
        assert.match(prompt, /127\.0\.0\.1/, `the prompt names the origin: ${prompt}`);
        await waitText('#status', new RegExp(`^Access to ${other2.url.replace(/[.]/g, '\\.')} was not granted, so nothing was changed: the API base is still ${server.url.replace(/[.]/g, '\\.')}/lite\\.$`));
        assert.equal(await apiBase(), `${server.url}/lite`);
        assert.equal(await contains(other2.url), false);

        await d().clickButton('Save');
        await d().answerPermissionPrompt(true);
        await waitText('#status', /^Saved\.$/);
        assert.equal(await apiBase(), `${other2.url}/lite`);
        await d().clickButton('Reset to defaults');
        await waitText('#status', /was given up/);
        assert.equal(await contains(other2.url), false);
      } finally {
        await d().setPref('extensions.webextOptionalPermissionPrompts', false);
      }
    });
  } else {
    test("Save asks the browser for the new origin and keeps the old settings while it asks (headless Chromium's prompt cannot be answered)", async () => {
      const [server, other] = [ctx.server(), ctx.other()];
      await d().open('options.html');
      await d().fillLabeled('API base', `${other.url}/lite`);
      await d().clickButton('Save');
      await waitText('#status', new RegExp(`^Asking the browser for access to ${other.url.replace(/[.]/g, '\\.')}…$`));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await textOf('#status'), `Asking the browser for access to ${other.url}…`, 'still waiting for the person');
      assert.equal(await apiBase(), `${server.url}/lite`, 'nothing saved without the grant');
      assert.equal(await contains(other.url), false);
      await d().open('popup.html'); // leaves the page that asked
    });
  }

  test('a withheld API origin: a badge, "No access" in the popup and the explorer, and a button that asks again', async () => {
    const server = ctx.server();
    const alice = ctx.users['alice@example.com'];
    await d().open('popup.html');
    if (name === 'firefox') {
      // As a person does in about:addons (Firefox lets them take even the required origin away).
      assert.equal(await d().evaluate(`return await ${EXT}.permissions.remove({ origins: [args[0]] });`, [`${server.url}/*`]), true);
    } else {
      // As a person does in Chrome's extension settings: Site access "On click".
      await d().siteAccess('ON_CLICK');
    }
    await waitFor(async () => !(await contains(server.url)), { what: 'the origin to be withheld' });
    await waitFor(async () => (await badge()) === '!', { what: 'the badge' });

    const r = await send({ type: 'api.request', userId: alice.id, method: 'GET', path: `/users/${alice.id}` });
    assert.deepEqual([r.error.code, r.error.origin], ['NO_HOST_ACCESS', server.url], 'nothing is sent');

    await d().open('popup.html');
    await d().click(`input[name="user"][value="${alice.id}"]`);
    assert.equal(await hidden('#access'), false);
    assert.equal(await textOf('#access .access-title'), `No access to ${server.url}`);
    assert.equal(await textOf('#grant-access'), `Grant access to ${server.url}`);
    assert.match(await textOf('#messages-status'), /once access to the API server is granted/);
    await shot('permission', 'body');

    await d().open(`explorer.html#user=${encodeURIComponent(alice.id)}`);
    assert.equal(await hidden('#access'), false, 'the explorer shows it too');
    await d().click('#send');
    await waitText('#request-status', /NO_HOST_ACCESS/);

    await d().open('popup.html');
    await d().click(`input[name="user"][value="${alice.id}"]`);
    await d().clickButton(`Grant access to ${server.url}`);
    if (name === 'firefox') {
      await waitFor(async () => (await hidden('#access')) === true, { what: 'the notice to go' });
    } else {
      assert.match(await textOf('#access .status'), /^Waiting for your answer in the browser’s prompt…$/);
      // The person grants it in Chrome's own extension settings instead; the popup notices.
      await d().siteAccess('ON_ALL_SITES');
      await waitFor(async () => (await hidden('#access')) === true, { what: 'the notice to go once Chrome grants access' });
    }
    assert.equal(await contains(server.url), true);
    await waitText('#folder-name', /^INBOX · alice@example\.com$/);
    await waitFor(async () => (await badge()) === '', { what: 'the badge to clear' });
    assert.equal((await send({ type: 'api.request', userId: alice.id, method: 'GET', path: `/users/${alice.id}` })).ok, true);
  });
}
