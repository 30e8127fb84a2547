// The options page: API base, consumer key and secret (write-only), and a connection test.
//
// Saving an API base on another origin asks the browser for that origin from the Save click
// itself (the one moment a browser lets an extension ask); a refusal leaves the old settings in
// place. The background then gives up the optional origins the new base does not need.

import { createAccessNotice, requestOrigin } from './access.js';
import { normalizeApiBase, originPattern } from './origins.js';
import { $, call, errorText, say } from './ui.js';

const form = /** @type {HTMLFormElement} */ ($('#settings'));
const apiBase = /** @type {HTMLInputElement} */ ($('#api-base'));
const consumerKey = /** @type {HTMLInputElement} */ ($('#consumer-key'));
const consumerSecret = /** @type {HTMLInputElement} */ ($('#consumer-secret'));
const status = $('#status');
const access = createAccessNotice($('#access'));
/** The settings as last saved. */
let saved = null;

/** @param {any} s The background's settings view (no secret in it). */
function show(s) {
  saved = s;
  apiBase.value = s.apiBase;
  apiBase.placeholder = s.defaults.apiBase;
  consumerKey.value = s.usingDemoConsumer ? '' : s.consumerKey;
  consumerKey.placeholder = `${s.defaults.consumerKey} (local dev server demo)`;
  consumerSecret.value = '';
  consumerSecret.placeholder = s.consumerSecretSet ? '•••••••• stored (leave empty to keep)' : 'demo secret (default)';
  $('#secret-hint').textContent = s.consumerSecretSet
    ? 'A secret is stored. Type a new one to replace it.'
    : 'Empty key and secret use the local dev server’s demo consumer.';
  $('#api-base-hint').textContent =
    `Paths are relative to it, e.g. /users. This build may always reach ${s.hostPermissions.join(', ') || 'no origin'}; ` +
    'for another server, Save asks the browser for access to it.';
  access.show(s.access);
}

/** The form's values as a settings change (an empty secret keeps the stored one). */
function change() {
  const c = { apiBase: apiBase.value.trim(), consumerKey: consumerKey.value.trim() };
  if (consumerSecret.value !== '') c.consumerSecret = consumerSecret.value;
  // An empty key means "the demo consumer": clear the stored secret with it.
  if (c.consumerKey === '') c.consumerSecret = '';
  return c;
}

/**
 * Asks the browser for the origin of the API base in the form. Must run synchronously inside a
 * click or submit handler. Resolves to the origin when granted, or null after showing why not.
 * @returns {Promise<string | null> | null} null at once when the base is not a usable URL.
 */
function askForOrigin() {
  let base;
  try {
    base = normalizeApiBase(apiBase.value);
  } catch (e) {
    say(status, errorText(e), 'error');
    apiBase.focus();
    return null;
  }
  const pattern = originPattern(base);
  const origin = new URL(base).origin;
  const asked = requestOrigin(pattern);
  say(status, `Asking the browser for access to ${origin}…`);
  return asked.then((granted) => {
    if (granted) return origin;
    say(
      status,
      `Access to ${origin} was not granted, so nothing was changed: the API base is still ${saved?.apiBase ?? 'the default'}.`,
      'error',
    );
    return null;
  });
}

async function load() {
  const r = await call({ type: 'settings.get' }, status);
  if (r) show(r.settings);
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (consumerKey.value.trim() && !consumerSecret.value && consumerSecret.placeholder.startsWith('demo')) {
    say(status, 'Enter the consumer secret that goes with this key.', 'error');
    consumerSecret.focus();
    return;
  }
  const asked = askForOrigin();
  if (!asked || !(await asked)) return;
  const r = await call({ type: 'settings.set', ...change() }, status, { prefix: 'Not saved: ' });
  if (!r) return;
  show(r.settings);
  const released = r.released.map((p) => p.replace(/\/\*$/, ''));
  say(status, released.length ? `Saved. Access to ${released.join(', ')} was given up: no longer needed.` : 'Saved.', 'ok');
});

$('#test').addEventListener('click', async () => {
  const button = /** @type {HTMLButtonElement} */ ($('#test'));
  const asked = askForOrigin();
  if (!asked) return;
  button.disabled = true;
  if (!(await asked)) {
    button.disabled = false;
    return;
  }
  say(status, 'Testing…');
  const c = change();
  const r = await call({ type: 'settings.test', ...c, consumerSecret: c.consumerSecret || undefined }, status, { prefix: 'Connection failed: ' });
  button.disabled = false;
  if (!r) return;
  const clock = r.clockCorrection
    ? ` The local clock is ${Math.abs(r.clockCorrection.to)} s ${r.clockCorrection.to > 0 ? 'behind' : 'ahead of'} the server's; requests are corrected.`
    : '';
  say(status, `Connected: the server accepted the signature.${clock}`, 'ok');
});

$('#reset').addEventListener('click', async () => {
  const r = await call({ type: 'settings.reset' }, status);
  if (!r) return;
  show(r.settings);
  const released = r.released.map((p) => p.replace(/\/\*$/, ''));
  say(status, `Back to the defaults.${released.length ? ` Access to ${released.join(', ')} was given up.` : ''}`, 'ok');
});

void load().finally(() => document.body.removeAttribute('aria-busy'));
