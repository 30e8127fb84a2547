// Mail as data: what the background answers for one message, and how a page turns a body into
// something safe to show. Mail is the most hostile input the extension renders, so:
//
// - plain text is shown as text (`textContent`), control characters removed;
// - HTML is never parsed into the extension's origin. `sanitizeHtml` reads it with DOMParser
//   (a document without a browsing context: nothing in it runs or loads) and drops what can run,
//   submit, navigate or load; `frameDocument` wraps the result in a document with its own
//   Content-Security-Policy (`default-src 'none'`, images only from data: until the person asks
//   for remote ones), which a `<iframe sandbox="">` (no allow-* token: no script, no form, no
//   popup, no navigation of the extension page, an opaque origin) shows. The sandbox and the CSP
//   do not depend on the sanitizer: each layer holds on its own, and the tests check each.
//
// Everything here but `sanitizeHtml` is pure and runs in Node; `sanitizeHtml` takes the parser.

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

/** Elements dropped with their content: they run, load, navigate or only make sense in a head. */
const DROP = new Set([
  'script', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'link', 'meta', 'base',
  'template', 'title', 'audio', 'video', 'source', 'track', 'param', 'portal', 'fencedframe', 'dialog',
  'foreignobject', 'animate', 'set', 'animatemotion', 'animatetransform', 'discard',
]);
/** Attributes that hold a URL. */
const URL_ATTRS = new Set([
  'href', 'src', 'xlink:href', 'action', 'formaction', 'background', 'poster', 'data', 'codebase',
  'cite', 'longdesc', 'lowsrc', 'dynsrc', 'manifest', 'usemap', 'ping', 'srcset', 'imagesrcset', 'itemtype',
]);
/** (element, attribute) pairs that load an image, which stay when remote images are allowed. */
const IMAGE_ATTRS = new Set(['img src', 'img srcset', 'input src', 'image href', 'image xlink:href', 'table background', 'td background', 'th background', 'tr background', 'body background']);

const REMOTE = /^\s*(?:https?:)?\/\//i;
const SAFE_LINK = /^\s*(?:https?:|mailto:)/i;
const DATA_IMAGE = /^\s*data:image\/(?:png|gif|jpe?g|webp|bmp);/i;
/** CSS that loads something: remote url(...)/image-set(...), @import, behaviour hooks. */
const CSS_REMOTE_URL = /url\(\s*(['"]?)\s*(?:https?:)?\/\/[^)]*\)/gi;
const CSS_ALWAYS_OUT = /@import[^;]*;?|expression\s*\(|-moz-binding|behavior\s*:/gi;

/** How many times the cleaned markup is parsed and cleaned again, at most, until it is stable. */
const MAX_ROUNDS = 4;

const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Cleans mail HTML, parsed inertly with `parser` (a DOMParser). Drops scripts, frames, plugins,
 * links and metas (meta refresh), every `on*` attribute, every URL that is not http(s) or mailto
 * (`javascript:`, `data:` but for images, `vbscript:`, ...), targets and pings, form actions;
 * moves the http(s) and mailto addresses of links to `data-href` (listed under the message);
 * with `remoteImages` false it also moves remote image URLs aside (`data-blocked-src`) and
 * neutralizes remote `url()` in CSS. The frame's CSP blocks the same loads on its own.
 *
 * Markup can change when it is parsed again (mutation XSS: `<math><mtext><table><mglyph><style>`
 * and friends), so the result is parsed and cleaned again, in the body of a document as the
 * frame will parse it, until a pass changes nothing: the frame then builds the very tree that
 * was last found clean. Markup that never settles is shown as source text.
 * @param {string} html
 * @param {{parser: {parseFromString(s: string, type: string): Document}, remoteImages: boolean}} opts
 * @returns {{html: string, remote: number, removed: number, links: string[]}} `remote`: remote
 *   references found (blocked unless allowed); `removed`: elements and attributes taken out;
 *   `links`: the http(s) and mailto links, for the page to list.
 */
export function sanitizeHtml(html, opts) {
  const first = cleanOnce(html, opts);
  let current = first.html;
  let removed = first.removed;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const again = cleanOnce(`<!doctype html><html><head></head><body>${current}</body></html>`, opts);
    if (again.html === current) return { html: current, remote: first.remote, removed, links: first.links };
    removed += Math.max(again.removed, 1);
    current = again.html;
  }
  return { html: `<pre style="white-space:pre-wrap">${escapeText(html)}</pre>`, remote: first.remote, removed: removed + 1, links: first.links };
}

/** One cleaning pass: parse, clean the tree, serialize. */
function cleanOnce(html, { parser, remoteImages }) {
  const doc = parser.parseFromString(html, 'text/html');
  let remote = 0;
  let removed = 0;
  const links = [];
  const css = (text) => {
    let out = text.replace(CSS_ALWAYS_OUT, () => {
      removed += 1;
      return '';
    });
    out = out.replace(CSS_REMOTE_URL, (m) => {
      remote += 1;
      return remoteImages ? m : 'none';
    });
    return out;
  };

  // Styles of the head move into the body (the rest of the head goes).
  const headStyles = [...doc.head.querySelectorAll('style')];
  for (const el of [...doc.querySelectorAll('*')]) {
    // Inside an element already dropped: gone with it.
    if (!el.isConnected) continue;
    const tag = el.localName.toLowerCase();
    if (DROP.has(tag)) {
      removed += 1;
      el.remove();
      continue;
    }
    if (tag === 'style') el.textContent = css(el.textContent ?? '');
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith('on') || name === 'target' || name === 'ping' || name === 'srcdoc' || name === 'http-equiv') {
        removed += 1;
        el.removeAttribute(attr.name);
      } else if (name === 'style') {
        el.setAttribute('style', css(value));
      } else if (URL_ATTRS.has(name)) {
        const isImage = IMAGE_ATTRS.has(`${tag} ${name}`);
        if (isImage && DATA_IMAGE.test(value)) continue;
        if (name === 'href' && tag === 'a' && SAFE_LINK.test(value)) {
          // Links do not work in the frame (no popups, no navigation): the address is kept as
          // text for the list under the message, and as a tooltip. Without an href the browser
          // has nothing to preconnect to or prefetch when the pointer reaches the link.
          if (links.length < 100 && !links.includes(value.trim())) links.push(value.trim());
          el.setAttribute('data-href', value.trim().slice(0, 2000));
          if (!el.hasAttribute('title')) el.setAttribute('title', value.trim().slice(0, 2000));
          el.removeAttribute(attr.name);
          continue;
        }
        if (isImage && (REMOTE.test(value) || (name.endsWith('srcset') && /(?:https?:)?\/\//i.test(value)))) {
          remote += 1;
          if (remoteImages) continue;
          el.setAttribute(`data-blocked-${name.replace(/[^a-z]/g, '-')}`, value.slice(0, 2000));
          el.removeAttribute(attr.name);
          if (tag === 'img') el.setAttribute('title', 'Remote image blocked');
          continue;
        }
        removed += 1;
        el.removeAttribute(attr.name);
      }
    }
  }
  const styles = headStyles.filter((s) => s.isConnected).map((s) => `<style>${(s.textContent ?? '').replace(/<\//g, '<\\/')}</style>`).join('');
  return { html: styles + doc.body.innerHTML, remote, removed, links };
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
