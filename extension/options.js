// The options page: API base URL, consumer key and secret (write-only), and a connection test.

import { ask } from './ext.js';
import { $, errorText, say } from './ui.js';

const form = /** @type {HTMLFormElement} */ ($('#settings'));
const apiBase = /** @type {HTMLInputElement} */ ($('#api-base'));
const consumerKey = /** @type {HTMLInputElement} */ ($('#consumer-key'));
const consumerSecret = /** @type {HTMLInputElement} */ ($('#consumer-secret'));
const status = $('#status');

/** @param {any} s The background's settings view (no secret in it). */
function show(s) {
  apiBase.value = s.apiBase;
  apiBase.placeholder = s.defaults.apiBase;
  consumerKey.value = s.usingDemoConsumer ? '' : s.consumerKey;
  consumerKey.placeholder = `${s.defaults.consumerKey} (local dev server demo)`;
  consumerSecret.value = '';
  consumerSecret.placeholder = s.consumerSecretSet ? '•••••••• stored (leave empty to keep)' : 'demo secret (default)';
  $('#secret-hint').textContent = s.consumerSecretSet
    ? 'A secret is stored. Type a new one to replace it.'
    : 'Empty key and secret use the local dev server’s demo consumer.';
  $('#api-base-hint').textContent = `Paths are relative to it, e.g. /users. This build may reach ${s.hostPermissions.join(', ') || 'no origin'}.`;
  const warning = $('#warning');
  warning.hidden = s.covered;
  warning.textContent = s.covered
    ? ''
    : `This build has no host permission for ${new URL(s.apiBase).origin}: requests will only work if that server allows them with CORS. Build with --api-origin ${new URL(s.apiBase).origin} to grant it.`;
}

/** The form's values as a settings change (an empty secret keeps the stored one). */
function change() {
  const c = { apiBase: apiBase.value.trim(), consumerKey: consumerKey.value.trim() };
  if (consumerSecret.value !== '') c.consumerSecret = consumerSecret.value;
  // An empty key means "the demo consumer": clear the stored secret with it.
  if (c.consumerKey === '') c.consumerSecret = '';
  return c;
}

async function load() {
  const r = await ask({ type: 'settings.get' });
  if (r.ok) show(r.settings);
  else say(status, errorText(r.error), 'error');
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (consumerKey.value.trim() && !consumerSecret.value && consumerSecret.placeholder.startsWith('demo')) {
    say(status, 'Enter the consumer secret that goes with this key.', 'error');
    consumerSecret.focus();
    return;
  }
  const r = await ask({ type: 'settings.set', ...change() });
  if (!r.ok) return say(status, errorText(r.error), 'error');
  show(r.settings);
  say(status, 'Saved.', 'ok');
});

$('#test').addEventListener('click', async () => {
  const button = /** @type {HTMLButtonElement} */ ($('#test'));
  button.disabled = true;
  say(status, 'Testing…');
  const c = change();
  const r = await ask({ type: 'settings.test', ...c, consumerSecret: c.consumerSecret || undefined });
  button.disabled = false;
  if (!r.ok) return say(status, `Connection failed: ${errorText(r.error)}`, 'error');
  const clock = r.clockCorrection
    ? ` The local clock is ${Math.abs(r.clockCorrection.to)} s ${r.clockCorrection.to > 0 ? 'behind' : 'ahead of'} the server's; requests are corrected.`
    : '';
  say(status, `Connected: the server accepted the signature.${clock}`, 'ok');
});

$('#reset').addEventListener('click', async () => {
  const r = await ask({ type: 'settings.reset' });
  if (!r.ok) return say(status, errorText(r.error), 'error');
  show(r.settings);
  say(status, 'Back to the defaults.', 'ok');
});

void load().finally(() => document.body.removeAttribute('aria-busy'));
