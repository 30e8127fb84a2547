// The API explorer: choose a user, a method, a path and parameters; see the normalized
// parameters, the base string and the Authorization header before sending (signed by the
// background, nothing sent); send; read status, headers and JSON. When the server refuses the
// request, the package's diagnosis (`contextio-signer/diagnose`, made in the background) says
// why: the problem, its cause and advice, the server's own word, every difference between the
// base string the server computed and ours, the secrets when both are identical, the clock
// offset, and what was looked for when nothing says why. A refusal the background healed with
// its one retry (a clock off, a nonce used) is named above the answer.
// "Copy as curl" / "Copy as fetch" sign the request afresh at the click and copy it to be run
// elsewhere. While the API origin is not granted, a notice says so and offers to ask again.

import { createAccessNotice } from './access.js';
import { SINGLE_USE_NOTE, curlCommand, fetchSnippet } from './copyas.js';
import { ask, ext } from './ext.js';
import { $, call, errorText, h, noteFailure, say } from './ui.js';

const enc = encodeURIComponent;
const REASONS = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

const form = /** @type {HTMLFormElement} */ ($('#request'));
const userSelect = /** @type {HTMLSelectElement} */ ($('#user'));
const methodSelect = /** @type {HTMLSelectElement} */ ($('#method'));
const pathInput = /** @type {HTMLInputElement} */ ($('#path'));
const bodyRadio = /** @type {HTMLInputElement} */ ($('#placement-body'));
const requestStatus = $('#request-status');

/** @type {Array<{id: string, email: string}>} */
let users = [];
/** Account labels learned from answers, by user id (to fill the common paths). */
const labels = new Map();
let previewSeq = 0;
let previewTimer = null;
let sending = false;
const access = createAccessNotice($('#access'));

// ------------------------------------------------------------------------- request form

function addParamRow(name = '', value = '') {
  const row = h('div', { class: 'param-row' },
    h('input', { 'aria-label': 'Parameter name', placeholder: 'name', value: name, spellcheck: 'false', oninput: schedulePreview }),
    h('input', { 'aria-label': 'Parameter value', placeholder: 'value', value, spellcheck: 'false', oninput: schedulePreview }),
    h('button', {
      type: 'button', class: 'ghost icon', 'aria-label': 'Remove this parameter', title: 'Remove',
      text: '✕',
      onclick: () => {
        row.remove();
        schedulePreview();
      },
    }));
  $('#params').append(row);
  return row;
}

/** @returns {Record<string, string | string[]>} Non-empty names; a repeated name becomes an array. */
function params() {
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const row of document.querySelectorAll('.param-row')) {
    const [n, v] = row.querySelectorAll('input');
    const name = n.value.trim();
    if (!name) continue;
    out[name] = name in out ? [out[name]].flat().concat(v.value) : v.value;
  }
  return out;
}

function placement() {
  return /** @type {HTMLInputElement} */ (document.querySelector('input[name="placement"]:checked')).value;
}

function syncPlacement() {
  const bodyAllowed = methodSelect.value === 'POST' || methodSelect.value === 'PUT';
  bodyRadio.disabled = !bodyAllowed;
  if (!bodyAllowed) /** @type {HTMLInputElement} */ (document.querySelector('input[name="placement"][value="query"]')).checked = true;
}

/** The message for the background, from the form. */
function request() {
  const p = params();
  const hasParams = Object.keys(p).length > 0;
  const toBody = placement() === 'body' && !bodyRadio.disabled;
  return {
    userId: userSelect.value,
    method: methodSelect.value,
    path: pathInput.value.trim(),
    query: hasParams && !toBody ? p : undefined,
    body: hasParams && toBody ? p : undefined,
  };
}

// ------------------------------------------------------------------------- common paths

function renderChips() {
  const id = userSelect.value;
  const chips = $('#chips');
  chips.replaceChildren();
  if (!id) return;
  const base = `/users/${enc(id)}`;
  const chip = (text, make, title) =>
    h('button', { type: 'button', text, title, onclick: async () => {
      const path = await make();
      if (!path) return;
      methodSelect.value = 'GET';
      pathInput.value = path;
      syncPlacement();
      schedulePreview(0);
      pathInput.focus();
    } });
  const account = async (rest) => {
    const label = await labelOf(id);
    return label ? `${base}/email_accounts/${enc(label)}${rest}` : null;
  };
  chips.append(
    chip('user', () => base, 'GET /users/:id'),
    chip('email_accounts', () => `${base}/email_accounts`, 'GET /users/:id/email_accounts'),
    chip('folders', () => account('/folders'), 'GET …/email_accounts/:label/folders'),
    chip('INBOX messages', async () => {
      const p = await account('/folders/INBOX/messages');
      if (p && !Object.keys(params()).length) addParamRow('limit', '10');
      return p;
    }, 'GET …/folders/INBOX/messages'),
  );
}

/** The user's first account label: learned from an earlier answer, else asked for once. */
async function labelOf(userId) {
  if (labels.has(userId)) return labels.get(userId);
  say(requestStatus, 'Looking up the account label (GET …/email_accounts)…');
  const r = await call({ type: 'api.request', userId, method: 'GET', path: `/users/${enc(userId)}/email_accounts` }, requestStatus);
  if (!r) return null;
  learnLabels(userId, r.data);
  say(requestStatus, '');
  return labels.get(userId) ?? null;
}

function learnLabels(userId, data) {
  const first = Array.isArray(data) ? data.find((a) => typeof a?.label === 'string') : data;
  if (typeof first?.label === 'string' && !labels.has(userId)) labels.set(userId, first.label);
}

// ------------------------------------------------------------------------- preview

function schedulePreview(delay = 150) {
  clearTimeout(previewTimer);
  $('.preview-pane').classList.add('stale');
  previewTimer = setTimeout(() => void preview(), typeof delay === 'number' ? delay : 150);
}

async function preview() {
  const seq = ++previewSeq;
  const error = $('#preview-error');
  if (!userSelect.value) {
    error.hidden = false;
    error.textContent = 'No user yet: add one from the toolbar popup first.';
    return;
  }
  const r = await ask({ type: 'api.preview', ...request() });
  if (seq !== previewSeq) return;
  $('.preview-pane').classList.remove('stale');
  error.hidden = r.ok;
  if (!r.ok) {
    error.textContent = errorText(r.error);
    return;
  }
  $('#p-method').textContent = r.signing.oauthParameters?.oauth_signature_method ?? '';
  $('#p-normalized').textContent = r.signing.normalizedParameters;
  $('#p-base').textContent = r.signing.baseString;
  $('#p-auth').textContent = r.signing.authorization;
}

// ------------------------------------------------------------------------- response

/** Pretty JSON as DOM nodes with syntax classes (no innerHTML). */
function jsonNodes(value, indent = '') {
  const next = `${indent}  `;
  if (value === null || typeof value === 'boolean') return [h('span', { class: 'json-literal', text: String(value) })];
  if (typeof value === 'number') return [h('span', { class: 'json-number', text: String(value) })];
  if (typeof value === 'string') return [h('span', { class: 'json-string', text: JSON.stringify(value) })];
  if (Array.isArray(value)) {
    if (!value.length) return ['[]'];
    const out = ['[\n'];
    value.forEach((v, i) => out.push(next, ...jsonNodes(v, next), i < value.length - 1 ? ',\n' : '\n'));
    out.push(`${indent}]`);
    return out;
  }
  const entries = Object.entries(value);
  if (!entries.length) return ['{}'];
  const out = ['{\n'];
  entries.forEach(([k, v], i) => {
    out.push(next, h('span', { class: 'json-key', text: JSON.stringify(k) }), ': ', ...jsonNodes(v, next), i < entries.length - 1 ? ',\n' : '\n');
  });
  out.push(`${indent}}`);
  return out;
}

function showResponse(r, elapsedMs) {
  $('#r-empty').hidden = true;
  const pill = $('#r-status');
  pill.hidden = false;
  if (r.status === undefined) {
    pill.className = 'pill error';
    pill.textContent = r.error?.code ?? 'ERROR';
  } else {
    pill.className = `pill ${r.status < 300 ? 'ok' : r.status < 500 ? 'error' : 'warn'}`;
    pill.textContent = `${r.status} ${REASONS[r.status] ?? ''}`.trim();
  }
  const meta = [`${Math.round(elapsedMs)} ms`];
  if (r.error?.code && r.status !== undefined) meta.push(r.error.code);
  $('#r-meta').textContent = meta.join(' · ');

  showRetried(r);
  showDiagnosis(r);

  const headers = $('#r-headers');
  headers.replaceChildren(...Object.entries(r.headers ?? {}).map(([k, v]) => h('tr', {}, h('th', { text: k }), h('td', { text: v }))));
  $('#r-headers-box').hidden = !r.headers;

  $('#r-signing-box').hidden = !r.signing;
  if (r.signing) {
    $('#r-signing').textContent = `${r.signing.method} ${r.signing.url}\nAuthorization: ${r.signing.authorization}\n\n${r.signing.baseString}`;
  }

  const body = $('#r-body');
  body.hidden = false;
  if (r.data !== undefined && typeof r.data !== 'string') body.replaceChildren(...jsonNodes(r.data));
  else if (typeof r.data === 'string' && r.data !== '') body.textContent = r.data;
  else body.textContent = r.status === undefined ? errorText(r.error) : '(empty body)';
}

/** Seconds as a signed offset: `+3600 s`. */
const seconds = (n) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n)} s`;

/** A sentence from the diagnosis' lower-case clause: capitalized, with its full stop. */
const sentence = (s) => (s ? `${s[0].toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}` : '');

/** The refusal the background healed with its one retry, if it made one. */
function showRetried(r) {
  const box = $('#r-retried');
  const retried = r.retried;
  box.hidden = !retried;
  if (!retried) return;
  const word = retried.serverProblem ? ` (${retried.serverProblem})` : '';
  const then = r.ok ? '' : ' It was refused again, as shown below, and is not sent a third time.';
  if (retried.reason === 'clock') {
    const to = r.clockCorrection?.to ?? r.signing?.clockOffset ?? 0;
    box.textContent =
      `Refused for its timestamp${word}: the server's clock is ${Math.abs(retried.clockOffset)} s ${retried.clockOffset > 0 ? 'ahead of' : 'behind'} the clock this request was signed with. ` +
      `The clock offset for this API server is now ${seconds(to)}, and the request was signed again and sent once more.${then}`;
  } else {
    box.textContent =
      `Refused as a replay${word}: the server had seen this nonce before. The request was signed again with a fresh nonce and sent once more.${then}`;
  }
}

/** The package's diagnosis of a refusal (every string set as text). */
function showDiagnosis(r) {
  const box = $('#diagnosis');
  const d = r.diagnosis;
  // An answer the diagnosis cannot read and that is no OAuth refusal (a 404, a 500) is its body alone.
  box.hidden = !d || d.problem === 'NOT_REFUSED' || (d.problem === 'UNEXPLAINED' && d.status !== 401 && d.status !== 403);
  if (box.hidden) return;
  $('#d-problem').textContent = d.problem;
  $('#d-cause').textContent = sentence(d.cause);
  $('#d-advice').textContent = sentence(d.advice);

  const server = $('#d-server');
  const said = [];
  if (d.serverProblem) said.push(`The server's word: ${d.serverProblem}.`);
  if (d.serverAdvice) said.push(`Its advice: ${sentence(d.serverAdvice)}`);
  server.hidden = !said.length;
  server.textContent = said.join(' ');

  const secrets = $('#d-secrets');
  secrets.hidden = d.identical !== true;
  secrets.textContent = d.identical === true
    ? 'Both base strings are identical. In this extension the consumer secret is set in the options; a stale token secret is replaced by removing this user and adding it again.'
    : '';

  const clock = $('#d-clock');
  const clockParts = [];
  if (d.clockOffset !== null) clockParts.push(`Clock offset to add: ${seconds(d.clockOffset)}.`);
  if (d.acceptableTimestamps) clockParts.push(`The server accepts timestamps from ${d.acceptableTimestamps[0]} to ${d.acceptableTimestamps[1]}.`);
  clock.hidden = !clockParts.length;
  clock.textContent = clockParts.join(' ');

  const parameters = $('#d-parameters');
  parameters.hidden = !d.parameters.length;
  parameters.textContent = d.parameters.length ? `Parameters the server named: ${d.parameters.join(', ')}.` : '';

  $('#d-differences').hidden = !d.differences.length;
  const cell = (value, cls) => h('td', { class: cls }, value === null ? h('span', { class: 'hint', text: '(none)' }) : h('code', { text: value }));
  $('#d-rows').replaceChildren(...d.differences.map((x) => h('tr', {},
    h('th', { scope: 'row', text: x.name === null ? x.component : `${x.component} ${x.name}` }),
    h('td', {}, h('code', { text: x.kind })),
    cell(x.ours, 'ours'),
    cell(x.theirs, 'theirs'),
    h('td', { text: sentence(x.note) }),
  )));

  const bases = $('#d-bases');
  bases.hidden = d.serverBaseString === null;
  $('#d-server-base-title').textContent = d.identical ? "The server's base string (identical to ours)" : "The server's base string";
  $('#server-base').textContent = d.serverBaseString ?? '';
  $('#our-base').textContent = r.signing?.baseString ?? '';

  const looked = $('#d-looked');
  looked.hidden = d.problem !== 'UNEXPLAINED';
  $('#d-looked-list').replaceChildren(...(looked.hidden ? [] : d.lookedFor.map((what) => h('li', { text: what }))));
}

async function send() {
  if (sending) return;
  if (!userSelect.value) {
    say(requestStatus, 'Add a user from the toolbar popup first.', 'error');
    return;
  }
  sending = true;
  const button = /** @type {HTMLButtonElement} */ ($('#send'));
  button.disabled = true;
  say(requestStatus, 'Sending…');
  const req = request();
  const started = performance.now();
  const r = await ask({ type: 'api.request', ...req });
  noteFailure(r);
  const elapsed = performance.now() - started;
  sending = false;
  button.disabled = false;
  // An answer from the server is shown in the response pane; only local failures go here.
  if (r.ok || r.status !== undefined) say(requestStatus, '');
  else say(requestStatus, errorText(r.error), 'error');
  if (r.ok) learnLabels(req.userId, r.data);
  showResponse(r, elapsed);
  schedulePreview(0);
}

// ------------------------------------------------------------------------- set-up

async function loadUsers() {
  const [list, settings] = await Promise.all([call({ type: 'users.list' }, requestStatus), call({ type: 'settings.get' }, requestStatus)]);
  if (settings) {
    $('#api-base').textContent = settings.settings.apiBase;
    access.show(settings.settings.access);
  }
  if (!list) return;
  users = list.users;
  const wanted = new URLSearchParams(location.hash.slice(1)).get('user');
  userSelect.replaceChildren(
    ...users.map((u) => h('option', { value: u.id, text: `${u.email} — ${u.id}`, selected: u.id === wanted })),
  );
  if (!users.length) userSelect.append(h('option', { value: '', text: 'No users: add one in the popup' }));
  if (users.length && pathInput.value === '/users') pathInput.value = `/users/${enc(userSelect.value)}/email_accounts`;
  renderChips();
  schedulePreview(0);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  void send();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    void send();
  }
});
for (const el of [pathInput, methodSelect]) el.addEventListener('input', () => schedulePreview());
methodSelect.addEventListener('change', () => {
  syncPlacement();
  schedulePreview(0);
});
userSelect.addEventListener('change', () => {
  // Keep the path pointing at the chosen user.
  pathInput.value = pathInput.value.replace(/^\/users\/[^/]+/, `/users/${enc(userSelect.value)}`);
  renderChips();
  schedulePreview(0);
});
for (const radio of document.querySelectorAll('input[name="placement"]')) radio.addEventListener('change', () => schedulePreview(0));
$('#add-param').addEventListener('click', () => addParamRow().querySelector('input')?.focus());
$('#open-options').addEventListener('click', () => void ext.runtime.openOptionsPage());
for (const button of document.querySelectorAll('button.copy')) {
  button.addEventListener('click', async () => {
    const text = $(`#${button.dataset.copy}`).textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
}
// ------------------------------------------------------------------------- copy as curl / fetch

let copiedAt = null;
let ageTimer = null;

function showAge() {
  if (!copiedAt) return;
  const s = Math.round((Date.now() - copiedAt) / 1000);
  $('#copied-age').textContent = s < 2 ? 'just now' : `signed ${s} s ago${s > 300 ? ': probably too old now, copy again' : ''}`;
}

/**
 * Signs the request in the form now (a new nonce and timestamp) and copies it as `format`.
 * @param {'curl' | 'fetch'} format
 */
async function copyAs(format) {
  const copied = $('#copied');
  const copiedStatus = $('#copied-status');
  if (!userSelect.value) {
    say(requestStatus, 'Add a user from the toolbar popup first.', 'error');
    return;
  }
  const r = await call({ type: 'api.preview', ...request() }, requestStatus);
  if (!r) return;
  const signedAt = new Date();
  const text = format === 'curl' ? curlCommand(r.signing, { signedAt }) : fetchSnippet(r.signing, { signedAt });
  copied.hidden = false;
  copied.dataset.format = format;
  copied.dataset.nonce = r.signing.oauthParameters?.oauth_nonce ?? '';
  $('#copied-title').firstChild.textContent = `Copied as ${format} `;
  $('#copied-note').textContent = SINGLE_USE_NOTE;
  $('#copied-text').textContent = text;
  $('#copied-base').textContent = r.signing.baseString;
  copiedAt = signedAt.getTime();
  showAge();
  clearInterval(ageTimer);
  ageTimer = setInterval(showAge, 1000);
  say(copiedStatus, 'Copying…');
  try {
    // A browser may also leave the promise unsettled (an unfocused window): give up after 3 s.
    await Promise.race([
      navigator.clipboard.writeText(text),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), 3000)),
    ]);
    say(copiedStatus, 'On the clipboard.', 'ok');
  } catch {
    say(copiedStatus, 'The browser did not allow copying: select the text above and copy it.', 'error');
  }
}
$('#copy-curl').addEventListener('click', () => void copyAs('curl'));
$('#copy-fetch').addEventListener('click', () => void copyAs('fetch'));

if (!/Mac|iPhone|iPad/.test(navigator.platform)) $('#send-kbd').textContent = 'Ctrl ↵';
else $('#send-kbd').textContent = '⌘ ↵';

syncPlacement();
void loadUsers().finally(() => document.body.removeAttribute('aria-busy'));
