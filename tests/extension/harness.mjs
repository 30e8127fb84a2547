// The background under test: extension/handlers.js with the real wasm signer (pkg/node.js) and
// diagnosis (pkg/diagnose-node.js), a fake `browser` (fake-browser.mjs) whose manifest grants
// one origin, and the real fetch (or one given).
// `ask` sends a message as the popup and checks every answer: no secret in it (and in no log
// line), `ok` a boolean, and errors with a code and a message.

import assert from 'node:assert/strict';
import { DEMO_CONSUMER } from '../../common/constants.js';
import { createBackground } from '../../extension/handlers.js';
import initDiagnose, { diagnoseRefusal } from '../../pkg/diagnose-node.js';
import { Signer } from '../../pkg/node.js';
import { createFakeBrowser, senders } from './fake-browser.mjs';

/** Console lines written while `captureConsole` is on. */
export const logged = [];
const originalConsole = {};

/** Collects console output instead of printing it (the background must log nothing). */
export function captureConsole() {
  logged.length = 0;
  for (const k of ['log', 'info', 'warn', 'error', 'debug']) {
    originalConsole[k] = console[k];
    console[k] = (...args) => logged.push(args.map(String).join(' '));
  }
}

export function releaseConsole() {
  Object.assign(console, originalConsole);
}

/**
 * @param {object} opts
 * @param {string} opts.origin The origin of the manifest's host permission (the build's API origin).
 * @param {any} [opts.launchWebAuthFlow]
 * @param {any} [opts.onTabCreated]
 * @param {any} [opts.init] wasm init.
 * @param {boolean} [opts.withheld] The required origin starts withheld.
 * @param {(origins: string[]) => boolean} [opts.onRequest] The person's answer to permissions.request.
 * @param {boolean} [opts.removableRequired] Firefox: the required origin may be revoked.
 * @param {typeof fetch} [opts.fetch] Instead of the real fetch (a scripted server).
 */
export function createHarness({ origin, launchWebAuthFlow, onTabCreated, init, withheld, onRequest, removableRequired, fetch: fetchImpl = fetch }) {
  const fake = createFakeBrowser({
    manifest: {
      manifest_version: 3,
      name: 'Context.IO Signer',
      action: { default_title: 'Context.IO' },
      permissions: ['storage', 'identity'],
      host_permissions: [`${origin}/*`],
      optional_host_permissions: ['http://*/*', 'https://*/*'],
    },
    launchWebAuthFlow,
    onTabCreated,
    withheld,
    onRequest,
    removableRequired,
  });
  const inits = [];
  /** Each `init()` of the diagnose entry (its module is already instantiated in Node). */
  const diagnoseInits = [];
  /** Every URL fetched by the background. */
  const fetched = [];
  const bg = createBackground({
    ext: fake,
    wasm: {
      init: init ?? (async (opts) => void inits.push(opts)),
      Signer,
      initDiagnose: async (opts) => {
        diagnoseInits.push(opts);
        return initDiagnose(opts);
      },
      diagnoseRefusal,
    },
    fetch: (...a) => {
      fetched.push(String(a[0]));
      return fetchImpl(...a);
    },
  });
  const secrets = () => {
    const out = new Set([DEMO_CONSUMER.consumerSecret]);
    for (const [k, v] of Object.entries(fake.storage.local.snapshot())) {
      if (k === 'settings' && v.consumerSecret) out.add(v.consumerSecret);
      if (v && typeof v === 'object' && typeof v.accessTokenSecret === 'string') out.add(v.accessTokenSecret);
    }
    return [...out];
  };
  const assertNoSecret = (text, where) => {
    for (const s of secrets()) assert.ok(!text.includes(s), `${where} holds a secret`);
  };
  const askAs = async (sender, message) => {
    const answer = await bg.handleMessage(message, sender);
    assertNoSecret(JSON.stringify(answer), `the answer to ${message?.type}`);
    assert.equal(typeof answer.ok, 'boolean');
    if (!answer.ok) {
      assert.equal(typeof answer.error?.code, 'string', 'errors have a code');
      assert.equal(typeof answer.error?.message, 'string', 'errors have a message');
    }
    for (const line of logged) assertNoSecret(line, 'a log line');
    return answer;
  };
  const ask = (message) => askAs(senders(fake).popup, message);
  return { fake, bg, ask, askAs, inits, diagnoseInits, secrets, fetched };
}
