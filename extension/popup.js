// The toolbar popup: the stored users, adding one (POST /users) or connecting one (connect
// token flow), removing one, the newest messages of the chosen user and, on a click, one message
// (reader.js), all through the background. While the API origin is not granted it says so, with
// a button that asks the browser again.

import { createAccessNotice } from './access.js';
import { ext } from './ext.js';
import { messagePageHash } from './mail.js';
import { createReader } from './reader.js';
import { $, call, formatMessageDate, h, say } from './ui.js';

/** The chosen user id, remembered across popup openings (an id, not a secret). */
const SELECTED_KEY = 'contextio.selectedUser';
const MESSAGE_LIMIT = 6;
const enc = encodeURIComponent;

/** @type {Array<{id: string, email: string, addedAt: number}>} */
let users = [];
let selected = localStorage.getItem(SELECTED_KEY);
let loadSeq = 0;
/** Where the listed messages live: {userId, label, folder}. */
let listed = null;

const usersStatus = $('#users-status');
const messagesStatus = $('#messages-status');
const access = createAccessNotice($('#access'), { onGranted: () => void loadMessages() });

/** An error already shown in a status line. */
class Shown extends Error {}

function renderUsers() {
  const list = $('#users');
  list.replaceChildren();
  $('#user-count').textContent = users.length ? String(users.length) : '';
  if (!users.length) {
    list.append(h('p', { class: 'empty', text: 'No users yet. Add one by email, or connect a mailbox.' }));
    return;
  }
  for (const u of users) {
    const radio = h('input', {
      type: 'radio',
      name: 'user',
      value: u.id,
      checked: u.id === selected,
      'aria-label': u.email,
      onchange: () => choose(u.id),
    });
    const remove = h('button', {
      type: 'button',
      class: 'ghost icon remove danger',
      title: `Forget ${u.email} (its tokens are deleted from this browser)`,
      'aria-label': `Remove ${u.email}`,
      text: '✕',
      onclick: (e) => confirmRemove(e.currentTarget, u),
    });
    list.append(
      h('label', { class: 'user', dataset: { userId: u.id } },
        radio,
        h('span', { class: 'who' }, h('span', { class: 'email', text: u.email }), h('span', { class: 'meta', text: u.id })),
        remove),
    );
  }
}

/** Removal takes two clicks: the first arms the button for three seconds. */
function confirmRemove(button, user) {
  if (button.dataset.armed) {
    void removeUser(user);
    return;
  }
  button.dataset.armed = '1';
  button.textContent = 'Remove';
  button.style.visibility = 'visible';
  setTimeout(() => {
    if (!button.isConnected) return;
    delete button.dataset.armed;
    button.textContent = '✕';
    button.style.visibility = '';
  }, 3000);
}

async function removeUser(user) {
  if (!(await call({ type: 'users.remove', userId: user.id }, usersStatus))) return;
  say(usersStatus, `Removed ${user.email}.`, 'ok');
  if (selected === user.id) selected = null;
  await refreshUsers();
}

async function refreshUsers(select) {
  const r = await call({ type: 'users.list' }, usersStatus);
  if (!r) return;
  users = r.users;
  if (select) selected = select;
  if (!users.some((u) => u.id === selected)) selected = users.at(-1)?.id ?? null;
  if (selected) localStorage.setItem(SELECTED_KEY, selected);
  else localStorage.removeItem(SELECTED_KEY);
  renderUsers();
  await loadMessages();
}

function choose(id) {
  selected = id;
  localStorage.setItem(SELECTED_KEY, id);
  void loadMessages();
}

/** GET through the background as the chosen user; an error is shown, then thrown as Shown. */
async function get(userId, path, query) {
  const r = await call({ type: 'api.request', userId, method: 'GET', path, query }, messagesStatus);
  if (!r) throw new Shown();
  return r.data;
}

function fromOf(m) {
  const from = Array.isArray(m.addresses?.from) ? m.addresses.from[0] : m.addresses?.from;
  return { name: from?.name || from?.email || '(unknown sender)', email: from?.email ?? '' };
}

async function loadMessages() {
  const seq = ++loadSeq;
  const list = $('#messages');
  const user = users.find((u) => u.id === selected);
  $('#folder-name').textContent = '';
  /** @type {HTMLElement} */ ($('.messages-section')).hidden = !user;
  listed = null;
  if (!user) {
    list.replaceChildren();
    say(messagesStatus, users.length ? 'Choose a user.' : '');
    return;
  }
  if (access.blocked()) {
    list.replaceChildren();
    say(messagesStatus, 'Messages are read once access to the API server is granted.');
    return;
  }
  say(messagesStatus, '');
  list.replaceChildren(h('li', { class: 'empty' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading messages…'));
  try {
    const base = `/users/${enc(user.id)}`;
    const accounts = await get(user.id, `${base}/email_accounts`);
    const label = accounts?.[0]?.label;
    if (!label) throw new Error('this user has no email account yet');
    const folders = await get(user.id, `${base}/email_accounts/${enc(label)}/folders`);
    const folder = folders.find((f) => f.name?.toUpperCase() === 'INBOX') ?? folders[0];
    if (!folder) throw new Error('this account has no folder');
    const messages = await get(user.id, `${base}/email_accounts/${enc(label)}/folders/${enc(folder.name)}/messages`, {
      limit: MESSAGE_LIMIT,
    });
    if (seq !== loadSeq) return;
    listed = { userId: user.id, label, folder: folder.name };
    $('#folder-name').textContent = `${folder.name} · ${user.email}`;
    const sorted = [...messages].sort((a, b) => (b.date ?? 0) - (a.date ?? 0)).slice(0, MESSAGE_LIMIT);
    list.replaceChildren(
      ...sorted.map((m) => {
        const from = fromOf(m);
        const date = new Date((m.date ?? 0) * 1000);
        return h('li', { class: `message${m.flags && m.flags.read === false ? ' unread' : ''}` },
          h('button', {
            type: 'button',
            class: 'open-message',
            dataset: { messageId: String(m.message_id ?? '') },
            title: 'Read this message',
            onclick: () => void openMessage(String(m.message_id ?? '')),
          },
          h('span', { class: 'from', title: from.email, text: from.name }),
          h('time', { datetime: date.toISOString(), title: date.toLocaleString(), text: formatMessageDate(m.date) }),
          h('span', { class: 'subject', title: m.subject ?? '', text: m.subject || '(no subject)' })));
      }),
    );
    if (!sorted.length) list.append(h('li', { class: 'empty', text: 'No messages in this folder.' }));
  } catch (e) {
    if (seq !== loadSeq) return;
    list.replaceChildren();
    if (!(e instanceof Shown)) say(messagesStatus, e.message, 'error');
  }
}

// ------------------------------------------------------------------------- one message

let current = null;
const back = h('button', { type: 'button', class: 'ghost', id: 'reader-back', text: '← Messages', onclick: () => closeMessage() });
const openTab = h('button', {
  type: 'button',
  class: 'ghost',
  id: 'reader-open-tab',
  text: 'Open in a tab ↗',
  title: 'Read this message in a tab of its own',
  onclick: async () => {
    if (!current) return;
    await ext.tabs.create({ url: ext.runtime.getURL(`message.html${messagePageHash(current)}`) });
    window.close();
  },
});
const reader = createReader($('#reader'), { actions: [back, h('span', { class: 'spacer' }), openTab] });

async function openMessage(messageId) {
  if (!listed || !messageId) return;
  current = { ...listed, messageId };
  $('#home').hidden = true;
  $('#reader-view').hidden = false;
  await reader.open(current);
}

function closeMessage() {
  current = null;
  $('#reader-view').hidden = true;
  $('#home').hidden = false;
}

// ------------------------------------------------------------------------- forms

$('#add-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('#add-email'));
  const email = input.value.trim();
  const button = /** @type {HTMLButtonElement} */ ($('#add-button'));
  button.disabled = true;
  say(usersStatus, `Adding ${email}…`);
  const r = await call({ type: 'users.add', email }, usersStatus);
  button.disabled = false;
  if (!r) return;
  input.value = '';
  say(usersStatus, `Added ${r.user.email}.`, 'ok');
  await refreshUsers(r.user.id);
});

$('#connect-button').addEventListener('click', async () => {
  const input = /** @type {HTMLInputElement} */ ($('#add-email'));
  const email = input.value.trim();
  if (email && !input.checkValidity()) {
    input.reportValidity();
    return;
  }
  say(usersStatus, 'Finish connecting in the window that opened…');
  // In Chrome the popup closes when that window takes the focus; the background finishes the
  // flow and the user is listed the next time the popup opens.
  const r = await call({ type: 'users.connect', ...(email ? { email } : {}) }, usersStatus);
  if (!r) return;
  input.value = '';
  say(usersStatus, `Connected ${r.user.email}.`, 'ok');
  await refreshUsers(r.user.id);
});

$('#reload').addEventListener('click', () => void loadMessages());

$('#open-explorer').addEventListener('click', async () => {
  await ext.tabs.create({ url: ext.runtime.getURL(selected ? `explorer.html#user=${enc(selected)}` : 'explorer.html') });
  window.close();
});

$('#open-options').addEventListener('click', async () => {
  await ext.runtime.openOptionsPage();
  window.close();
});

/** First state: the access to the API origin (checked with permissions.contains), then users. */
async function start() {
  const settings = await call({ type: 'settings.get' }, usersStatus);
  if (settings) access.show(settings.settings.access);
  await refreshUsers();
}

// aria-busy: the page is still loading its first state (also what the tests wait for).
void start().finally(() => document.body.removeAttribute('aria-busy'));
