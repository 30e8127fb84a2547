// Mail as data: what the background answers for one message, and how a page turns a body into
// something safe to show. Mail is the most hostile input the extension renders, so:
//
// - plain text is shown as text (`textContent`), control characters removed;
// - HTML is never parsed into the extension's origin. DOMPurify cleans it (sanitize.js, pages
//   only); `frameDocument` wraps the result in a document with its own Content-Security-Policy
//   (`default-src 'none'`, images only from data: until the person asks for remote ones), which
//   a `<iframe sandbox="">` (no allow-* token: no script, no form, no popup, no navigation of
//   the extension page, an opaque origin) shows. The sandbox and the CSP do not depend on the
//   sanitizer: each layer holds on its own, and the tests check each.
//
// Everything here is pure and runs in Node.

/** Bodies longer than this (UTF-16 code units) reach a page cut, with a way to ask for the rest. */
export const BODY_PREVIEW_CHARS = 256 * 1024;

const str = (v) => (typeof v === 'string' ? v : '');
const int = (v) => (Number.isFinite(v) ? Math.trunc(v) : null);

/** @param {any} a @returns {{email: string, name: string} | null} */
function address(a) {
  if (!a || typeof a !== 'object') return null;
  const email = str(a.email);
  const name = str(a.name);
  return email || name ? { email, name } : null;
}
const addresses = (list) => (Array.isArray(list) ? list : list ? [list] : []).map(address).filter(Boolean);

/**
 * Cuts `content` to about `limit` code units: at a line break or the end of a tag in the last
 * 4 KiB before the limit when there is one, never inside a surrogate pair.
 * @param {string} content
 * @param {number} limit
 * @returns {{content: string, truncated: boolean}}
 */
export function truncateBody(content, limit = BODY_PREVIEW_CHARS) {
  if (content.length <= limit) return { content, truncated: false };
  let cut = limit;
  const soft = Math.max(content.lastIndexOf('\n', limit - 1), content.lastIndexOf('>', limit - 1)) + 1;
  if (soft > limit - 4096 && soft > 0) cut = soft;
  const code = content.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return { content: content.slice(0, cut), truncated: true };
}

/**
 * A Context.IO Lite message (GET …/messages/:id?include_body=1) as the background answers it
 * to a page: headers as plain strings and lists, whatever the server sent, and each body with
 * its declared type and charset, cut to BODY_PREVIEW_CHARS unless `full`.
 * @param {any} data
 * @param {{full?: boolean, limit?: number}} [opts]
 */
export function shapeMessage(data, { full = false, limit = BODY_PREVIEW_CHARS } = {}) {
  const m = data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  const from = Array.isArray(m.addresses?.from) ? m.addresses.from[0] : m.addresses?.from;
  const flags = m.flags && typeof m.flags === 'object' ? m.flags : {};
  const bodies = (Array.isArray(m.bodies) ? m.bodies : []).filter((b) => b && typeof b === 'object').map((b) => {
    const content = str(b.content);
    const cut = full ? { content, truncated: false } : truncateBody(content, limit);
    return {
      type: str(b.type).toLowerCase().trim() || 'text/plain',
      charset: str(b.charset).trim(),
      size: int(b.size) ?? content.length,
      length: content.length,
      ...cut,
    };
  });
  return {
    messageId: str(m.message_id),
    emailMessageId: str(m.email_message_id),
    subject: str(m.subject),
    date: int(m.date),
    from: address(from),
    to: addresses(m.addresses?.to),
    cc: addresses(m.addresses?.cc),
    folders: (Array.isArray(m.folders) ? m.folders : []).filter((f) => typeof f === 'string'),
    flags: Object.fromEntries(['read', 'answered', 'flagged', 'draft'].map((k) => [k, flags[k] === true])),
    bodies,
  };
}

// ----------------------------------------------------------------------------- pages

/**
 * @typedef {object} MessageRef
 * @property {string} userId
 * @property {string} label
 * @property {string} folder
 * @property {string} messageId
 */

/** The hash of a reader page for a message (message.html#user=…&label=…&folder=…&id=…). */
export function messagePageHash({ userId, label, folder, messageId }) {
  return `#${new URLSearchParams({ user: userId, label, folder, id: messageId })}`;
}

/** @param {string} hash @returns {MessageRef | null} */
export function parseMessageHash(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const ref = { userId: p.get('user') ?? '', label: p.get('label') ?? '', folder: p.get('folder') ?? '', messageId: p.get('id') ?? '' };
  return Object.values(ref).every(Boolean) ? ref : null;
}

/**
 * The bodies a page shows: the first HTML body and the first other one (shown as text).
 * @param {Array<{type: string}>} bodies
 */
export function pickBodies(bodies) {
  return {
    html: bodies.find((b) => b.type === 'text/html') ?? null,
    text: bodies.find((b) => b.type !== 'text/html') ?? null,
  };
}

/**
 * Whether a declared charset is one the browser knows (the WHATWG Encoding labels); an absent
 * one counts as known (UTF-8).
 * @param {string} label
 */
export function charsetKnown(label) {
  if (!label) return true;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/**
 * Plain text for `textContent`: CRLF as LF, and without C0/C1 control characters (but tab and
 * line feed) or bidirectional overrides, which could make a line read as something else.
 * @param {string} text
 */
export function cleanText(text) {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/**
 * The Content-Security-Policy of the frame document. Nothing may load but data: images (and,
 * once the person asks, http(s) images); inline styles stay, scripts never.
 * @param {{remoteImages: boolean}} opts
 */
export function frameCsp({ remoteImages }) {
  return [
    "default-src 'none'",
    `img-src data:${remoteImages ? ' http: https:' : ''}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const FRAME_CSS =
  'html{background:#fff;color:#1a1f29;color-scheme:light}' +
  'body{margin:12px 14px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}' +
  'img[data-blocked-src]{display:inline-block;min-width:14px;min-height:14px;outline:1px dashed #aab;background:#eef}' +
  'a[data-href]{color:#1a4fd0;text-decoration:underline}' +
  'table{max-width:100%}';

const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The whole document of the sandboxed frame: its own CSP first, no referrer, links aimed at a
 * new window (which the sandbox does not allow, so a click goes nowhere), then the mail.
 * @param {string} html Sanitized mail HTML.
 * @param {{remoteImages: boolean}} opts
 */
export function frameDocument(html, { remoteImages }) {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(frameCsp({ remoteImages }))}">` +
    '<meta name="referrer" content="no-referrer"><base target="_blank">' +
    `<style>${FRAME_CSS}</style></head><body>${html}</body></html>`
  );
}

/**
 * A person's address as a line of text: `Name <email>`, or the one that is there.
 * @param {{name?: string, email?: string} | null} a
 */
export function formatAddress(a) {
  if (!a) return '';
  if (a.name && a.email && a.name !== a.email) return `${a.name} <${a.email}>`;
  return a.name || a.email || '';
}

/**
 * A size for people: bytes, KB or MB (1000-based, one decimal).
 * @param {number} n
 */
export function formatSize(n) {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
