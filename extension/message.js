// A message in a tab of its own (message.html#user=…&label=…&folder=…&id=…), opened from the
// popup. The same reader as the popup's, with room for long and HTML mail.

import { createAccessNotice } from './access.js';
import { ext } from './ext.js';
import { parseMessageHash } from './mail.js';
import { createReader } from './reader.js';
import { $, call, h } from './ui.js';

const reader = createReader($('#reader'));
const access = createAccessNotice($('#access'), { onGranted: () => void show() });

async function show() {
  const ref = parseMessageHash(location.hash);
  if (!ref) {
    $('#reader').replaceChildren(h('p', { class: 'notice error', text: 'No message given: open messages from the toolbar popup.' }));
    return;
  }
  document.title = 'Message · Context.IO Signer';
  await reader.open(ref);
  const subject = $('#reader .reader-subject')?.textContent;
  if (subject) document.title = `${subject} · Context.IO Signer`;
}

async function start() {
  const settings = await call({ type: 'settings.get' }, null);
  if (settings) access.show(settings.settings.access);
  if (!access.blocked()) await show();
}

window.addEventListener('hashchange', () => void show());
$('#open-options').addEventListener('click', () => void ext.runtime.openOptionsPage());
$('#open-explorer').addEventListener('click', () => {
  const ref = parseMessageHash(location.hash);
  location.href = ext.runtime.getURL(ref ? `explorer.html#user=${encodeURIComponent(ref.userId)}` : 'explorer.html');
});

void start().finally(() => document.body.removeAttribute('aria-busy'));
