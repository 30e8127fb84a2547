// The message view of the popup and of message.html: headers and body of one message, fetched
// through the background (`messages.get`). Safety rules (see mail.js, sanitize.js and the
// README): plain text as text; HTML cleaned by DOMPurify, then shown in `<iframe sandbox="">`
// under its own CSP; remote images blocked until the person asks, for this message only; long
// bodies cut with a button for the rest.

import { charsetKnown, cleanText, formatAddress, formatSize, frameDocument, pickBodies } from './mail.js';
import { sanitizeHtml } from './sanitize.js';
import { call, h, say } from './ui.js';

const FLAG_NAMES = { read: ['Read', 'Unread'], answered: ['Answered', null], flagged: ['Flagged', null], draft: ['Draft', null] };

/**
 * @param {HTMLElement} root An empty container.
 * @param {{actions?: Array<HTMLElement>}} [opts] Buttons shown beside the subject (back, open in a tab).
 */
export function createReader(root, { actions = [] } = {}) {
  /** @type {import('./mail.js').MessageRef | null} */
  let ref = null;
  /** @type {any} */
  let message = null;
  let remoteImages = false;
  let full = false;
  /** @type {'html' | 'text'} */
  let view = 'html';
  let seq = 0;
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });

  async function load() {
    const mine = ++seq;
    root.dataset.state = 'loading';
    root.setAttribute('aria-busy', 'true');
    if (!message) root.replaceChildren(h('p', { class: 'empty' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading the message…'), status);
    const answer = await call({ type: 'messages.get', ...ref, ...(full ? { full: true } : {}) }, status);
    if (mine !== seq) return;
    root.removeAttribute('aria-busy');
    if (!answer) {
      root.dataset.state = 'error';
      if (!message) root.replaceChildren(h('div', { class: 'reader-actions row' }, ...actions), status);
      return;
    }
    message = answer.message;
    root.dataset.state = 'ready';
    render();
  }

  function render() {
    const m = message;
    const { html, text } = pickBodies(m.bodies);
    if (view === 'html' && !html) view = 'text';
    if (view === 'text' && !text && html) view = 'html';
    const body = view === 'html' ? html : text;
    root.dataset.messageId = m.messageId;
    root.dataset.view = body ? view : 'none';
    root.dataset.remoteImages = remoteImages ? 'shown' : 'blocked';

    const date = m.date !== null ? new Date(m.date * 1000) : null;
    const people = (list) => list.map(formatAddress).join(', ');
    const meta = [
      ['From', formatAddress(m.from) || '(unknown sender)'],
      ['To', people(m.to)],
      m.cc.length ? ['Cc', people(m.cc)] : null,
      ['Date', date && !Number.isNaN(date.getTime()) ? h('time', { datetime: date.toISOString(), text: date.toLocaleString() }) : '(no date)'],
      ['Folders', h('span', { class: 'chips' }, ...m.folders.map((f) => h('span', { class: 'chip', text: f })))],
      ['Flags', h('span', { class: 'chips' }, ...Object.entries(FLAG_NAMES).map(([k, [on, off]]) => {
        const label = m.flags[k] ? on : off;
        return label ? h('span', { class: `chip flag-${k}${m.flags[k] ? '' : ' off'}`, text: label }) : null;
      }))],
    ].filter(Boolean);

    const notices = [];
    let content = null;
    let links = [];
    if (!body) {
      notices.push(h('p', { class: 'notice info', dataset: { notice: 'no-body' }, text: 'This message has no body.' }));
    } else {
      if (!charsetKnown(body.charset)) {
        notices.push(h('p', {
          class: 'notice',
          dataset: { notice: 'charset' },
          text: `This body declares the character set "${body.charset.slice(0, 60)}", which this browser does not know. It is shown as the server sent it; some characters may be wrong.`,
        }));
      }
      if (body.truncated) {
        notices.push(h('p', { class: 'notice info', dataset: { notice: 'truncated' } },
          `Showing the first ${formatSize(body.content.length)} of ${formatSize(body.length)} of this ${view === 'html' ? 'HTML' : 'text'} body. `,
          h('button', {
            type: 'button',
            id: 'load-rest',
            text: 'Load the rest',
            onclick: (e) => {
              e.currentTarget.disabled = true;
              full = true;
              void load();
            },
          })));
      }
      if (view === 'html') {
        const clean = sanitizeHtml(body.content, { remoteImages });
        links = clean.links;
        if (clean.remote && !remoteImages) {
          notices.push(h('p', { class: 'notice', dataset: { notice: 'remote-blocked' } },
            `Remote images are blocked in this message (${clean.remote}): loading them tells the sender that you opened it. `,
            h('button', {
              type: 'button',
              id: 'load-images',
              text: 'Load remote images',
              onclick: () => {
                remoteImages = true;
                render();
              },
            })));
        } else if (remoteImages) {
          notices.push(h('p', { class: 'notice info', dataset: { notice: 'remote-shown' }, text: 'Remote images are shown for this message.' }));
        }
        if (clean.removed) {
          notices.push(h('p', { class: 'hint', dataset: { notice: 'removed' }, text: `Removed ${clean.removed} active or unsafe part${clean.removed === 1 ? '' : 's'} (scripts, event handlers, forms, frames, unsafe links).` }));
        }
        content = h('iframe', {
          sandbox: '',
          class: 'mail-frame',
          title: 'Message body (HTML, shown without scripts, forms or remote content)',
          referrerpolicy: 'no-referrer',
          loading: 'eager',
          srcdoc: frameDocument(clean.html, { remoteImages }),
        });
      } else {
        content = h('pre', { class: 'mail-text', text: cleanText(body.content) });
      }
    }

    const tabs = html && text
      ? h('div', { class: 'reader-tabs', role: 'group', 'aria-label': 'Body' },
        ...[['html', 'HTML'], ['text', 'Plain text']].map(([v, label]) => h('button', {
          type: 'button',
          class: view === v ? 'ghost active' : 'ghost',
          'aria-pressed': String(view === v),
          dataset: { view: v },
          text: label,
          onclick: () => {
            view = /** @type {'html' | 'text'} */ (v);
            render();
          },
        })))
      : null;

    const parts = [
      h('header', { class: 'reader-head' },
        h('div', { class: 'reader-actions row' }, ...actions),
        h('h2', { class: 'reader-subject', text: m.subject || '(no subject)' }),
        h('dl', { class: 'reader-meta' }, ...meta.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', {}, v))))),
      ...notices,
      tabs,
      h('div', { class: 'reader-body' }, content),
      links.length
        ? h('details', { class: 'reader-links' },
          h('summary', { text: `Links in this message (${links.length})` }),
          h('p', { class: 'hint', text: 'Links do not work inside the message. These open in a new tab, without telling the site where you came from.' }),
          h('ul', {}, ...links.map((href) => h('li', {}, h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: href })))))
        : null,
      status,
    ];
    root.replaceChildren(...parts.filter(Boolean));
  }

  return {
    /** Shows a message: blocked remote images and a cut body again, whatever the last one was. */
    async open(next) {
      ref = next;
      message = null;
      remoteImages = false;
      full = false;
      view = 'html';
      say(status, '');
      await load();
    },
  };
}
