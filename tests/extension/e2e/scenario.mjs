// The end-to-end scenario, run once per browser (chromium.test.mjs, firefox.test.mjs).
//
// It needs the built extension (node scripts/build-extension.mjs) and builds nothing itself.
// Each run starts fresh local API servers on free ports, in this process: a normal one, one
// whose clock is an hour ahead, and two more that the extension may only reach once the browser
// grants them at run time; and two recording proxies (wire.mjs), one in front of the server an
// hour ahead and one in front of the normal server that can deliver a request twice (the retry
// rule's tests: issue 16). It also starts the tracker (tracker.mjs), a recording proxy that
// receives every non-loopback request of the browser. It then copies dist/<browser> into a
// temporary directory and changes one thing, the manifest's host_permissions, to the normal
// server and the two proxies. That keeps the test independent of port 8787 being free (CI runners, a developer's
// own server) and exercises what a production build does: the default API base is the
// manifest's first host permission (build-extension.mjs --api-origin), so the freshly loaded
// extension talks to the fresh server with no set-up at all.
//
// The parts of issue 10 have their own files: permissions.mjs (host access granted at run
// time), messages.mjs (reading mail, hostile mail), copy.mjs (copy as curl / fetch).

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_CONSUMER } from '../../../common/constants.js';
import { waitFor } from '../../support/net.mjs';
import { startServer } from '../devserver.mjs';
import { defineCopyTests } from './copy.mjs';
import { defineMessageTests } from './messages.mjs';
import { definePermissionTests } from './permissions.mjs';
import { startTracker } from './tracker.mjs';
import { startWire } from './wire.mjs';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const SCREENSHOTS = join(ROOT, 'target/screenshots');
const INTRUDER = join(ROOT, 'tests/extension/fixtures/intruder');
const EXT = '(globalThis.browser ?? globalThis.chrome)';

/**
 * Copies dist/<browser> and points its host permissions at the test servers.
 * @param {'chrome' | 'firefox'} browser
 * @param {string[]} origins
 */
function prepareExtension(browser, origins) {
  const built = join(ROOT, 'dist', browser);
  if (!existsSync(join(built, 'manifest.json'))) {
    throw new Error(`${built} is missing: run node scripts/build-extension.mjs first`);
  }
  const dir = mkdtempSync(join(tmpdir(), `contextio-e2e-${browser}-`));
  cpSync(built, dir, { recursive: true });
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.host_permissions = origins.map((o) => `${o}/*`);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Registers the scenario for one browser.
 * @param {'chromium' | 'firefox'} name
 * @param {(opts: {extensionDir: string, intruderDir: string}) => Promise<any>} start
 */
export function defineScenario(name, start) {
  describe(`${name}: the extension end to end`, { timeout: 600_000 }, () => {
    let server;
    let skewed;
    /** In front of `skewed`. */
    let clockWire;
    /** In front of `server`, delivering a request twice when asked. */
    let replayWire;
    let other;
    let other2;
    let tracker;
    let copy;
    /** @type {any} */
    let d;
    /** Every answer the background gave, checked for secrets at the end. */
    const answers = [];
    const users = {};

    before(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      [server, skewed, other, other2, tracker] = await Promise.all([
        startServer(),
        startServer({ clockOffset: 3600 }),
        startServer(),
        startServer(),
        startTracker(),
      ]);
      [clockWire, replayWire] = await Promise.all([startWire(skewed.url), startWire(server.url)]);
      copy = prepareExtension(name === 'chromium' ? 'chrome' : 'firefox', [server.url, clockWire.url, replayWire.url]);
      d = await start({ extensionDir: copy.dir, intruderDir: INTRUDER, proxyPort: tracker.port });
      await d.open('popup.html');
    });

    after(async () => {
      await d?.close();
      await Promise.all([clockWire?.close(), replayWire?.close()]);
      await Promise.all([server?.close(), skewed?.close(), other?.close(), other2?.close(), tracker?.close()]);
      copy?.cleanup();
    });

    /** Sends a message from the current extension page. */
    const send = async (message) => {
      const answer = await d.evaluate(`return await ${EXT}.runtime.sendMessage(args[0]);`, [message]);
      answers.push({ message, answer });
      return answer;
    };
    const storage = (area) => d.evaluate(`return await ${EXT}.storage[args[0]].get(null);`, [area]);
    const textOf = (selector) => d.evaluate('return document.querySelector(args[0])?.textContent ?? null;', [selector]);
    const waitText = (selector, re, what = `${selector} to match ${re}`) =>
      waitFor(async () => re.test((await textOf(selector)) ?? ''), { timeout: 15_000, what });
    const shot = (file, selector) => d.screenshot(join(SCREENSHOTS, `${name}-${file}.png`), selector);
    /**
     * Points the API base at a proxy (wire.mjs) and opens the explorer for a user, freshly
     * loaded (another page first: an explorer left open by the test before may differ from this
     * one only in its #hash, and going there would not load it again); clears the proxy's record.
     */
    const explorerThrough = async (wire, user) => {
      assert.equal((await send({ type: 'settings.set', apiBase: `${wire.url}/lite` })).ok, true);
      await d.open('popup.html');
      await d.open(`explorer.html#user=${encodeURIComponent(user.id)}`);
      await waitText('#api-base', new RegExp(`^${wire.url}/lite$`));
      await waitText('#p-base', /^GET&.*email_accounts&/);
      wire.reset();
    };

    test('the background answers, defaulting to the API origin of the manifest', async () => {
      const r = await send({ type: 'settings.get' });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.settings.apiBase, `${server.url}/lite`);
      assert.equal(r.settings.consumerKey, DEMO_CONSUMER.consumerKey);
      assert.deepEqual(r.settings.access, { origin: server.url, pattern: `${server.url}/*`, granted: true, required: true });
    });

    test('add a user from the popup', async () => {
      await d.open('popup.html');
      await d.fill('#add-email', 'alice@example.com');
      await d.click('#add-button');
      await waitText('#users-status', /Added alice@example\.com/);
      await waitText('#users', /alice@example\.com/);
      const r = await send({ type: 'users.add', email: 'bob@example.com', first_name: 'Bob' });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.deepEqual(Object.keys(r.user).sort(), ['addedAt', 'email', 'id']);
    });

    test('list users: ids, emails and dates, no tokens', async () => {
      const r = await send({ type: 'users.list' });
      assert.equal(r.ok, true);
      assert.deepEqual(r.users.map((u) => u.email), ['alice@example.com', 'bob@example.com']);
      for (const u of r.users) {
        assert.deepEqual(Object.keys(u).sort(), ['addedAt', 'email', 'id']);
        users[u.email] = u;
        assert.ok(server.store.getUser(DEMO_CONSUMER.consumerKey, u.id), 'the server knows the user');
      }
    });

    test('tokens are in storage.local, one key per user, and storage.sync is empty', async () => {
      const local = await storage('local');
      for (const u of Object.values(users)) {
        const record = local[`user:${u.id}`];
        assert.deepEqual(Object.keys(record).sort(), ['accessToken', 'accessTokenSecret', 'addedAt', 'email', 'id']);
        const onServer = server.store.getUser(DEMO_CONSUMER.consumerKey, u.id);
        assert.equal(record.accessToken, onServer.access_token);
        assert.equal(record.accessTokenSecret, onServer.access_token_secret);
      }
      assert.deepEqual(await storage('sync'), {});
    });

    test('read messages through api.request, and see them in the popup', async () => {
      const alice = users['alice@example.com'];
      const base = `/users/${encodeURIComponent(alice.id)}`;
      const accounts = await send({ type: 'api.request', userId: alice.id, method: 'GET', path: `${base}/email_accounts` });
      assert.equal(accounts.ok, true, JSON.stringify(accounts.error));
      const label = accounts.data[0].label;
      const folders = await send({ type: 'api.request', userId: alice.id, method: 'GET', path: `${base}/email_accounts/${encodeURIComponent(label)}/folders` });
      assert.ok(folders.data.some((f) => f.name === 'INBOX'));
      const messages = await send({
        type: 'api.request',
        userId: alice.id,
        method: 'GET',
        path: `${base}/email_accounts/${encodeURIComponent(label)}/folders/INBOX/messages`,
        query: { limit: 5 },
      });
      assert.equal(messages.ok, true, JSON.stringify(messages.error));
      assert.equal(messages.status, 200);
      assert.equal(messages.data.length, 5);
      assert.match(messages.signing.authorization, /^OAuth /);
      assert.match(messages.signing.baseString, /^GET&/);

      await d.open('popup.html');
      await d.click(`input[name="user"][value="${alice.id}"]`);
      await waitText('#folder-name', /^INBOX · alice@example\.com$/);
      const shown = await d.evaluate(
        'return [...document.querySelectorAll(".message")].map((m) => m.querySelector(".subject").textContent);',
      );
      assert.deepEqual(shown.slice(0, 5), messages.data.map((m) => m.subject), 'the newest messages, newest first');
      await shot('popup', 'body');
    });

    test('inside the extension the package refuses 2-legged signing and out-of-scope consumer-only signing', async () => {
      await d.open('options.html');
      const r = await d.evaluate(`
        const m = await import(${EXT}.runtime.getURL('pkg/contextio_signer.js'));
        await m.default({ module_or_path: ${EXT}.runtime.getURL('pkg/contextio_signer_bg.wasm') });
        const consumer = { consumerKey: 'ck', consumerSecret: 'cs' };
        const out = {};
        try { new m.Signer({ ...consumer, twoLegged: true }); out.twoLegged = 'accepted'; } catch (e) { out.twoLegged = e.name + ':' + e.code; }
        try { m.signRequest({ ...consumer, twoLegged: true }, { method: 'GET', url: 'http://127.0.0.1/lite/users' }); out.once = 'accepted'; } catch (e) { out.once = e.code; }
        const forNew = m.Signer.forNewUser(consumer);
        try { forNew.signRequest({ method: 'GET', url: 'http://127.0.0.1/lite/users/u1/email_accounts' }); out.scope = 'accepted'; } catch (e) { out.scope = e.code; }
        out.add = forNew.signRequest({ method: 'POST', url: 'http://127.0.0.1/lite/users', body: { email: 'a@b.c' } }).headers.Authorization.startsWith('OAuth ');
        return out;
      `);
      assert.deepEqual(r, { twoLegged: 'OAuthSignError:TWO_LEGGED_FORBIDDEN', once: 'TWO_LEGGED_FORBIDDEN', scope: 'OUT_OF_SCOPE', add: true });
    });

    test("a user's token is refused for another user's path", async () => {
      const r = await send({
        type: 'api.request',
        userId: users['alice@example.com'].id,
        method: 'GET',
        path: `/users/${users['bob@example.com'].id}/email_accounts`,
      });
      assert.equal(r.ok, false);
      assert.equal(r.error.code, 'USER_PATH_MISMATCH');
    });

    test('the explorer previews the signature before sending, then shows status, headers and JSON', async () => {
      const alice = users['alice@example.com'];
      await d.open(`explorer.html#user=${encodeURIComponent(alice.id)}`);
      await waitText('#api-base', new RegExp(`^${server.url}/lite$`));
      await d.click('#chips button:nth-child(4)'); // INBOX messages: looks up the label, adds limit=10
      await waitFor(async () => /\/folders\/INBOX\/messages$/.test(await d.evaluate('return document.querySelector("#path").value')), {
        what: 'the INBOX messages path',
      });
      await waitText('#p-base', /^GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Flite%2Fusers%2F.*%2Fmessages&limit%3D10%26oauth_consumer_key/);
      await waitText('#p-normalized', /^limit=10&oauth_consumer_key=contextio-demo&oauth_nonce=/);
      assert.equal(await textOf('#p-method'), 'HMAC-SHA1', 'the explorer says which method signed');
      assert.match(await textOf('#p-auth'), /^OAuth oauth_consumer_key="contextio-demo", oauth_nonce="[^"]+", oauth_signature="[^"]+"/);
      assert.equal(await d.evaluate('return document.querySelector("#r-status").hidden'), true, 'nothing sent yet');
      await d.press('#path', 'Enter');
      await waitText('#r-status', /^200 OK$/);
      await waitText('#r-body', /"subject"/);
      assert.match(await textOf('#r-headers'), /content-type/);
      await shot('explorer');
      await d.colorScheme('dark');
      try {
        await waitFor(async () => (await d.evaluate('return matchMedia("(prefers-color-scheme: dark)").matches')), { what: 'dark mode' });
        await shot('explorer-dark');
      } finally {
        await d.colorScheme('light');
      }
    });

    test('a wrong consumer secret is explained in the explorer: identical base strings, so a secret', async () => {
      await d.open('options.html');
      assert.equal(await d.evaluate('return document.querySelector("#api-base").value'), `${server.url}/lite`);
      await d.fill('#consumer-key', DEMO_CONSUMER.consumerKey);
      await d.fill('#consumer-secret', 'not-the-demo-secret');
      await d.click('#save');
      await waitText('#status', /^Saved\.$/);
      const alice = users['alice@example.com'];
      const r = await send({ type: 'api.request', userId: alice.id, method: 'GET', path: `/users/${alice.id}` });
      assert.equal(r.ok, false);
      assert.equal(r.status, 401);
      assert.equal(r.error.code, 'SIGNATURE_INVALID');
      assert.equal(r.error.apiCode, 105);
      assert.equal(r.retried, null, 'not retried: a fresh signature would be as wrong');
      assert.equal(r.diagnosis.problem, 'SIGNATURE_INVALID');
      assert.equal(r.diagnosis.serverProblem, 'signature_invalid');
      assert.equal(r.diagnosis.identical, true);
      assert.equal(r.diagnosis.serverBaseString, r.signing.baseString, 'only the key differs');
      assert.match(r.error.message, /secret/);

      await d.open(`explorer.html#user=${encodeURIComponent(alice.id)}`);
      await waitText('#p-base', /^GET&/);
      await d.click('#send');
      await waitText('#r-status', /^401/);
      await waitText('#d-problem', /^SIGNATURE_INVALID$/);
      const shown = await d.evaluate(`
        const t = (s) => document.querySelector(s).textContent;
        const hidden = (s) => document.querySelector(s).hidden;
        return { diagnosis: hidden('#diagnosis'), cause: t('#d-cause'), advice: t('#d-advice'), server: t('#d-server'),
          secrets: hidden('#d-secrets') ? null : t('#d-secrets'), differences: hidden('#d-differences'), bases: hidden('#d-bases'),
          serverBase: t('#server-base'), ourBase: t('#our-base'), baseTitle: t('#d-server-base-title'), looked: hidden('#d-looked'),
          retried: hidden('#r-retried') };`);
      assert.equal(shown.diagnosis, false);
      assert.match(shown.cause, /^The server computed the same base string, so the key differs: .*secret/);
      assert.match(shown.advice, /^Check the consumer secret/);
      assert.equal(shown.server, "The server's word: signature_invalid.");
      assert.match(shown.secrets, /^Both base strings are identical/);
      assert.equal(shown.differences, true, 'no difference to list');
      assert.equal(shown.bases, false);
      assert.match(shown.serverBase, /^GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Flite%2Fusers%2F/);
      assert.equal(shown.serverBase, shown.ourBase);
      assert.equal(shown.baseTitle, "The server's base string (identical to ours)");
      assert.equal(shown.looked, true);
      assert.equal(shown.retried, true);
      await shot('explorer-wrong-secret');

      await d.open('options.html');
      await d.click('#reset');
      await waitText('#status', /defaults/);
      const again = await send({ type: 'api.request', userId: alice.id, method: 'GET', path: `/users/${alice.id}` });
      assert.equal(again.ok, true, JSON.stringify(again.error));
    });

    test('connect a mailbox through the connect-token flow', async () => {
      await d.open('popup.html');
      await d.consent('carol@example.com', async () => {
        await d.click('#connect-button');
      });
      await waitText('#users-status', /Connected carol@example\.com/);
      const list = await send({ type: 'users.list' });
      const carol = list.users.find((u) => u.email === 'carol@example.com');
      assert.ok(carol, 'carol is stored');
      const local = await storage('local');
      assert.equal(local[`user:${carol.id}`].accessTokenSecret, server.store.getUser(DEMO_CONSUMER.consumerKey, carol.id).access_token_secret);
      assert.deepEqual(Object.keys(local).filter((k) => k.startsWith('connect:')), [], 'the temporary pair is forgotten');
      const r = await send({ type: 'api.request', userId: carol.id, method: 'GET', path: `/users/${carol.id}/email_accounts` });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.data[0].email, 'carol@example.com');
    });

    test('a clock an hour behind the server is healed by one retry; the offset is stored for the origin', async () => {
      clockWire.reset();
      assert.equal((await send({ type: 'settings.set', apiBase: `${clockWire.url}/lite` })).ok, true);
      const add = await send({ type: 'users.add', email: 'skew@example.com' });
      assert.equal(add.ok, true, JSON.stringify(add.error));
      // The POST was refused for its timestamp (nothing done), so it could be sent again: once.
      assert.deepEqual(clockWire.deliveries.map((x) => [x.method, x.status]), [['POST', 401], ['POST', 201]], 'exactly one retry');
      const [first, second] = clockWire.sent;
      assert.notEqual(second.nonce, first.nonce);
      assert.ok(Math.abs(second.timestamp - first.timestamp - 3600) <= 2, `signed with the corrected clock: ${second.timestamp - first.timestamp}`);
      assert.equal(add.retried.reason, 'clock');
      assert.equal(add.retried.problem, 'TIMESTAMP_REFUSED');
      assert.ok(Math.abs(add.retried.clockOffset - 3600) <= 2, String(add.retried.clockOffset));
      assert.ok(Math.abs(add.clockCorrection.to - 3600) <= 2, String(add.clockCorrection.to));
      const key = `clockOffset:${clockWire.url}`;
      assert.equal((await storage('local'))[key], add.clockCorrection.to, 'the stored offset for the origin');
      assert.equal(skewed.store.getUser(DEMO_CONSUMER.consumerKey, add.user.id).email, 'skew@example.com', 'created once');

      clockWire.reset();
      const r = await send({ type: 'api.request', userId: add.user.id, method: 'GET', path: `/users/${add.user.id}` });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.retried, null, 'later requests are signed with the corrected clock');
      assert.equal(clockWire.sent.length, 1);
      assert.equal(r.signing.clockOffset, add.clockCorrection.to);

      // The explorer, after the stored offset is lost (as after the computer's clock jumps back
      // or the extension's storage is cleared): the refusal and its healing are named.
      await d.evaluate(`await ${EXT}.storage.local.remove(args[0]);`, [key]);
      await explorerThrough(clockWire, add.user);
      await d.click('#send');
      await waitText('#r-status', /^200 OK$/);
      await waitText('#r-retried', /^Refused for its timestamp \(timestamp_refused\): the server's clock is \d+ s ahead of the clock this request was signed with\. The clock offset for this API server is now \+\d+ s, and the request was signed again and sent once more\.$/);
      assert.equal(clockWire.sent.length, 2, 'one retry from the explorer too');
      const stored = (await storage('local'))[key];
      assert.ok(Math.abs(stored - 3600) <= 2, String(stored));
      assert.match(await textOf('#r-retried'), new RegExp(`now \\+${stored} s`));
      assert.equal(await d.evaluate('return document.querySelector("#diagnosis").hidden'), true, 'healed: nothing left to explain');
      await shot('explorer-clock-healed');
      assert.equal((await send({ type: 'settings.reset' })).ok, true);
    });

    test('a request refused as a replay is healed by one retry with a fresh nonce; a POST is not repeated', async () => {
      await explorerThrough(replayWire, users['alice@example.com']);
      replayWire.duplicateNext();
      await d.click('#send');
      await waitText('#r-status', /^200 OK$/);
      await waitText('#r-retried', /^Refused as a replay \(nonce_used\): the server had seen this nonce before\. The request was signed again with a fresh nonce and sent once more\.$/);
      // The network delivered the first request twice (processed, then refused as a replay: the
      // answer the extension saw), and the extension sent it once more, with a new nonce.
      assert.equal(replayWire.sent.length, 2, 'exactly one retry');
      assert.notEqual(replayWire.sent[1].nonce, replayWire.sent[0].nonce, 'a fresh nonce');
      assert.deepEqual(replayWire.deliveries.map((x) => [x.nonce === replayWire.sent[0].nonce ? 'first' : 'retry', x.status, x.shown]), [
        ['first', 200, false],
        ['first', 401, true],
        ['retry', 200, true],
      ]);
      assert.match(await textOf('#r-body'), /alice@example\.com/);
      await shot('explorer-replay-healed');

      // A POST refused as a replay may have been acted on (here it was: the first delivery added
      // the user), so it is not sent again; the answer says why.
      replayWire.reset();
      replayWire.duplicateNext();
      const add = await send({ type: 'users.add', email: 'twice@example.com' });
      assert.equal(add.ok, false);
      assert.equal(replayWire.sent.length, 1, 'not repeated');
      assert.equal(add.retried, null);
      assert.equal(add.error.code, 'NONCE_USED');
      assert.equal(add.diagnosis.problem, 'NONCE_USED');
      assert.match(add.error.message, /replay/);
      const created = Object.values(server.store.state.users).filter((u) => u.email === 'twice@example.com');
      assert.equal(created.length, 1, 'the server acted on the first delivery, once');
      assert.equal((await send({ type: 'settings.reset' })).ok, true);
    });

    test('a parameter added on the way is named in the explorer, with both base strings', async () => {
      await explorerThrough(replayWire, users['alice@example.com']);
      replayWire.rewriteNext((path) => `${path}${path.includes('?') ? '&' : '?'}utm_source=proxy`);
      await d.click('#send');
      await waitText('#r-status', /^401/);
      await waitText('#d-problem', /^SIGNATURE_INVALID$/);
      assert.equal(replayWire.sent.length, 1, 'a signature the server computed differently is not retried');
      const shown = await d.evaluate(`
        return { rows: [...document.querySelectorAll('#d-rows tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
          secrets: document.querySelector('#d-secrets').hidden, bases: document.querySelector('#d-bases').hidden,
          server: document.querySelector('#server-base').textContent, ours: document.querySelector('#our-base').textContent };`);
      assert.equal(shown.rows.length, 1, JSON.stringify(shown.rows));
      const [where, kind, ours, theirs, note] = shown.rows[0];
      assert.deepEqual([where, kind, ours, theirs], ['parameter utm_source', 'extra', '(none)', 'proxy']);
      assert.match(note, /^[A-Z].+\.$/, 'a sentence');
      assert.equal(shown.secrets, true, 'not the secrets: the base strings differ');
      assert.equal(shown.bases, false);
      assert.ok(shown.server.includes('utm_source%3Dproxy') && !shown.ours.includes('utm_source'));
      await shot('explorer-difference');
      assert.equal((await send({ type: 'settings.reset' })).ok, true);
    });

    /** What the sections of the other files share: getters, since `before` fills them in. */
    const ctx = {
      name,
      d: () => d,
      server: () => server,
      other: () => other,
      other2: () => other2,
      tracker: () => tracker,
      users,
      send,
      storage,
      textOf,
      waitText,
      shot,
    };
    definePermissionTests(ctx);
    defineMessageTests(ctx);
    defineCopyTests(ctx);

    test('a web page cannot reach the background', async () => {
      await d.visitWebPage(`${server.url}/`);
      const reach = await d.evaluate(
        `const rt = globalThis.chrome?.runtime ?? globalThis.browser?.runtime;
         if (!rt || typeof rt.sendMessage !== 'function') return 'no runtime';
         try { return JSON.stringify(await rt.sendMessage(args[0], { type: 'users.list' })); }
         catch (e) { return 'threw: ' + e.message; }`,
        [d.id],
      );
      assert.ok(reach === 'no runtime' || reach.startsWith('threw'), reach);
      assert.doesNotMatch(reach, /accessToken|"ok":true/);
    });

    test('another extension is refused with FORBIDDEN_SENDER', async () => {
      await d.openIntruder();
      const r = await d.evaluate(
        `const ext = globalThis.browser ?? globalThis.chrome;
         try { return await ext.runtime.sendMessage(args[0], { type: 'users.list' }); }
         catch (e) { return { threw: e.message }; }`,
        [d.id],
      );
      assert.equal(r?.ok, false, JSON.stringify(r));
      assert.equal(r.error.code, 'FORBIDDEN_SENDER');
      await d.open('popup.html');
    });

    test('no answer ever carried a secret, and no page threw', async () => {
      const local = await storage('local');
      const secrets = [DEMO_CONSUMER.consumerSecret, 'not-the-demo-secret'];
      for (const v of Object.values(local)) if (v?.accessTokenSecret) secrets.push(v.accessTokenSecret);
      assert.ok(secrets.length >= 5, 'secrets collected');
      assert.ok(answers.length >= 15, `${answers.length} answers checked`);
      for (const { message, answer } of answers) {
        const text = JSON.stringify(answer);
        for (const s of secrets) assert.ok(!text.includes(s), `the answer to ${message.type} holds a secret`);
      }
      assert.deepEqual(d.pageErrors, []);
    });
  });
}
