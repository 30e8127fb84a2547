// extension/background.js as the browser loads it: a copy of the extension with the wasm
// package next to it, imported as a module with a fake `browser` global. Checks the wiring:
// listeners registered at load, no wasm fetched before the first message (no top-level await),
// the diagnosis' wasm only at the first refusal, asynchronous answers through sendResponse, external messages refused, and host access checked
// on install, on start and when permissions change (the toolbar badge).

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SHARED_FILES } from '../../../scripts/build-extension.mjs';
import { startServer } from '../devserver.mjs';
import { createFakeBrowser, senders } from '../fake-browser.mjs';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
// The repository's layout (extension/ beside the shared modules it imports as ../common/… and
// ../js/…), with the wasm package inside the extension as the build puts it.
const root = mkdtempSync(join(tmpdir(), 'ext-background-'));
const dir = join(root, 'extension');
let server;
let fake;
const fetched = [];
const realFetch = globalThis.fetch;

before(async () => {
  cpSync(join(ROOT, 'extension'), dir, { recursive: true });
  for (const f of SHARED_FILES) cpSync(join(ROOT, f), join(root, f));
  cpSync(join(ROOT, 'pkg'), join(dir, 'pkg'), { recursive: true });
  assert.ok(existsSync(join(dir, 'pkg/contextio_signer_bg.wasm')), 'pkg/ must be built (node scripts/build-pkg.mjs)');
  server = await startServer();
  // The extension's own files come from the copy, like chrome-extension:// URLs; the rest is the network.
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    fetched.push(url);
    if (url.startsWith('file:')) {
      return new Response(readFileSync(fileURLToPath(url)), { headers: { 'Content-Type': 'application/wasm' } });
    }
    return realFetch(input, init);
  };
  fake = createFakeBrowser({
    baseUrl: pathToFileURL(`${dir}/`).href,
    manifest: { manifest_version: 3, name: 'Context.IO Signer', permissions: ['storage'], host_permissions: [`${server.url}/*`], optional_host_permissions: ['http://*/*', 'https://*/*'] },
    removableRequired: true,
  });
  globalThis.browser = fake;
  await import(pathToFileURL(join(dir, 'background.js')).href);
});

after(async () => {
  globalThis.fetch = realFetch;
  delete globalThis.browser;
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Delivers a message the way the browser does, and resolves with what sendResponse got. */
function deliver(event, message, sender) {
  return new Promise((resolvePromise) => {
    const returned = event.emit(message, sender, resolvePromise);
    assert.equal(returned.length, 1, 'one listener');
    if (event === fake.runtime.onMessage) assert.equal(returned[0], true, 'the listener keeps the channel open (returns true)');
  });
}

test('listeners are registered when the module loads, and nothing is fetched yet', () => {
  assert.equal(fake.runtime.onMessage.listeners.length, 1);
  assert.equal(fake.runtime.onMessageExternal.listeners.length, 1);
  assert.equal(fake.runtime.onInstalled.listeners.length, 1);
  assert.equal(fake.runtime.onStartup.listeners.length, 1);
  assert.equal(fake.permissions.onAdded.listeners.length, 1);
  assert.equal(fake.permissions.onRemoved.listeners.length, 1);
  assert.deepEqual(fetched, [], 'the wasm module is instantiated lazily');
});

test('a message from a page is answered asynchronously; the wasm is fetched from the package once', async () => {
  const add = await deliver(fake.runtime.onMessage, { type: 'users.add', email: 'wired@example.com' }, senders(fake).popup);
  assert.equal(add.ok, true, JSON.stringify(add.error));
  const list = await deliver(fake.runtime.onMessage, { type: 'users.list' }, senders(fake).popup);
  assert.deepEqual(list.users.map((u) => u.email), ['wired@example.com']);
  assert.deepEqual(fetched.filter((u) => u.endsWith('.wasm')), [fake.runtime.getURL('pkg/contextio_signer_bg.wasm')]);
  assert.deepEqual(fake.storage.sync.snapshot(), {});
});

test("a refusal loads the diagnosis' own module and wasm, once, and the answer carries the diagnosis", async () => {
  const popup = senders(fake).popup;
  const [user] = (await deliver(fake.runtime.onMessage, { type: 'users.list' }, popup)).users;
  const set = await deliver(fake.runtime.onMessage, { type: 'settings.set', consumerKey: 'contextio-demo', consumerSecret: 'not-the-demo-secret' }, popup);
  assert.equal(set.ok, true, JSON.stringify(set.error));
  const request = { type: 'api.request', userId: user.id, method: 'GET', path: `/users/${user.id}` };
  for (let i = 0; i < 2; i++) {
    const r = await deliver(fake.runtime.onMessage, request, popup);
    assert.equal(r.ok, false);
    assert.equal(r.diagnosis.problem, 'SIGNATURE_INVALID');
    assert.equal(r.diagnosis.identical, true);
  }
  assert.deepEqual(fetched.filter((u) => u.endsWith('.wasm')), [
    fake.runtime.getURL('pkg/contextio_signer_bg.wasm'),
    fake.runtime.getURL('pkg/contextio_signer_diagnose_bg.wasm'),
  ]);
  assert.equal((await deliver(fake.runtime.onMessage, { type: 'settings.reset' }, popup)).ok, true);
});

test('a content script and another extension are refused', async () => {
  const content = await deliver(fake.runtime.onMessage, { type: 'users.list' }, { id: fake.runtime.id, url: 'https://evil.example/', tab: { id: 1, url: 'https://evil.example/' } });
  assert.equal(content.error.code, 'FORBIDDEN_SENDER');
  const external = await deliver(fake.runtime.onMessageExternal, { type: 'users.list' }, { id: 'another-extension', url: 'chrome-extension://another-extension/x.html' });
  assert.equal(external.error.code, 'FORBIDDEN_SENDER');
});

test('host access: checked on start and on every permission change, shown on the toolbar button', async () => {
  const settle = () => new Promise((r) => setTimeout(r, 20));
  fake.runtime.onStartup.emit();
  await settle();
  assert.equal(fake.action.badge.text, '', 'granted: no badge');
  await fake.permissions.remove({ origins: [`${server.url}/*`] });
  await settle();
  assert.equal(fake.action.badge.text, '!', 'revoked: the badge says so');
  assert.match(fake.action.badge.title, /no access to http:\/\/127\.0\.0\.1:\d+/);
  fake.runtime.onInstalled.emit({ reason: 'install' });
  await settle();
  assert.equal(fake.runtime.optionsOpened, 1, 'installed without access: the options page opens');
  await fake.permissions.request({ origins: [`${server.url}/*`] });
  await settle();
  assert.equal(fake.action.badge.text, '', 'granted again');
});
