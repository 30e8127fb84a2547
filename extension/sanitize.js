// The mail sanitizer of the message view: DOMPurify (a maintained sanitizer that tracks
// mutation-XSS and namespace-confusion research), pinned in package.json and copied into the
// build from node_modules (vendor/dompurify/, with its licence), configured for mail, plus this
// extension's own rules in DOMPurify's hooks:
//
// - every URL that is not http(s) or mailto goes (`javascript:`, `data:` but inline images,
//   relative URLs, ...); DOMPurify alone allows more schemes and relative URLs;
// - links keep their address as text only (`data-href`, a tooltip) and are listed under the
//   message: inside the frame a link goes nowhere and gives the browser nothing to preconnect to;
// - remote images (`src`, `srcset`, `background`, SVG `href`) are moved aside into
//   `data-blocked-*` until the person asks for them, and remote CSS `url()` becomes `none`;
//   `@import`, `expression()`, `-moz-binding` and `behavior:` always go (DOMPurify does not
//   read CSS);
// - styles of the head are kept (newsletters put their CSS there): the whole document is
//   sanitized, and the head's styles are put first in the body.
//
// This is one layer of four: the frame that shows the result is `<iframe sandbox="">` (no
// allow-* token) and its document has its own CSP (mail.js `frameDocument`); each holds on its
// own, and the tests check each. Runs in pages only (DOMPurify needs a DOM); mail.js holds the
// parts Node tests run.

import DOMPurify from './vendor/dompurify/purify.es.mjs';

/** Elements dropped with everything in them: they run, load, navigate, or only make sense in a head. */
const DROP = Object.freeze([
  'script', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'link', 'meta', 'base',
  'template', 'title', 'audio', 'video', 'source', 'track', 'param', 'portal', 'fencedframe', 'dialog',
  'foreignobject', 'animate', 'set', 'animatemotion', 'animatetransform', 'discard',
]);
/** Elements dropped with their content kept: a form (its fields stay, as inert text boxes). */
const UNWRAP = Object.freeze(['form']);
/** Attributes that never stay, whatever their value. */
const FORBID_ATTR = Object.freeze(['target', 'ping', 'srcdoc', 'http-equiv', 'action', 'formaction']);
/** Attributes that hold a URL. */
const URL_ATTRS = new Set([
  'href', 'src', 'xlink:href', 'action', 'formaction', 'background', 'poster', 'data', 'codebase',
  'cite', 'longdesc', 'lowsrc', 'dynsrc', 'manifest', 'usemap', 'ping', 'srcset', 'imagesrcset', 'itemtype',
]);
/** (element, attribute) pairs that load an image, which stay when remote images are allowed. */
const IMAGE_ATTRS = new Set(['img src', 'img srcset', 'input src', 'image href', 'image xlink:href', 'table background', 'td background', 'th background', 'tr background', 'body background']);

const REMOTE = /^\s*(?:https?:)?\/\//i;
const REMOTE_IN_SRCSET = /(?:https?:)?\/\//i;
const SAFE_LINK = /^\s*(?:https?:|mailto:)/i;
const DATA_IMAGE = /^\s*data:image\/(?:png|gif|jpe?g|webp|bmp);/i;
/** CSS that loads something: remote url(...)/image-set(...), @import, behaviour hooks. */
const CSS_REMOTE_URL = /url\(\s*(['"]?)\s*(?:https?:)?\/\/[^)]*\)/gi;
const CSS_ALWAYS_OUT = /@import[^;]*;?|expression\s*\(|-moz-binding|behavior\s*:/gi;
const MAX_LINKS = 100;
const MAX_URL_TEXT = 2000;

/**
 * DOMPurify's settings for mail. Everything not named here is DOMPurify's default: its
 * allow-lists of HTML, SVG and MathML elements and attributes, no `on*` attribute, no unknown
 * protocol, SAFE_FOR_XML (comments and raw-text elements that hold markup go), DOM-clobbering
 * checks on `id` and `name`.
 */
const config = () => ({
  WHOLE_DOCUMENT: true,
  RETURN_DOM: true,
  FORBID_TAGS: [...DROP, ...UNWRAP],
  ADD_FORBID_CONTENTS: [...DROP],
  FORBID_ATTR: [...FORBID_ATTR],
});

const purify = DOMPurify(globalThis);

/**
 * What one `sanitizeHtml` call collects from the hooks (one call at a time: DOMPurify is
 * synchronous).
 * @type {{remoteImages: boolean, remote: number, cssRemoved: number, moved: number, links: string[], later: Map<Element, Array<[string, string]>>} | null}
 */
let run = null;

/** CSS with what loads things taken out (remote url() only while remote images are blocked). */
function cleanCss(text) {
  const out = text.replace(CSS_ALWAYS_OUT, () => {
    run.cssRemoved += 1;
    return '';
  });
  return out.replace(CSS_REMOTE_URL, (m) => {
    run.remote += 1;
    return run.remoteImages ? m : 'none';
  });
}

/** Sets an attribute once DOMPurify is done with the element's own (so it is not checked as mail). */
function setLater(el, name, value) {
  const list = run.later.get(el) ?? [];
  list.push([name, value]);
  run.later.set(el, list);
}

purify.addHook('uponSanitizeElement', (node, data) => {
  if (data.tagName === 'style') node.textContent = cleanCss(node.textContent ?? '');
});

purify.addHook('uponSanitizeAttribute', (node, data) => {
  const name = data.attrName;
  const value = data.attrValue;
  if (name === 'style') {
    data.attrValue = cleanCss(value);
    return;
  }
  if (!URL_ATTRS.has(name)) return;
  const tag = node.localName.toLowerCase();
  const isImage = IMAGE_ATTRS.has(`${tag} ${name}`);
  if (isImage && DATA_IMAGE.test(value)) return;
  if (name === 'href' && tag === 'a' && SAFE_LINK.test(value)) {
    const href = value.trim();
    if (run.links.length < MAX_LINKS && !run.links.includes(href)) run.links.push(href);
    setLater(node, 'data-href', href.slice(0, MAX_URL_TEXT));
    if (!node.hasAttribute('title')) setLater(node, 'title', href.slice(0, MAX_URL_TEXT));
    run.moved += 1;
    data.keepAttr = false;
    return;
  }
  if (isImage && (REMOTE.test(value) || (name.endsWith('srcset') && REMOTE_IN_SRCSET.test(value)))) {
    run.remote += 1;
    if (run.remoteImages) return;
    setLater(node, `data-blocked-${name.replace(/[^a-z]/g, '-')}`, value.slice(0, MAX_URL_TEXT));
    if (tag === 'img') setLater(node, 'title', 'Remote image blocked');
    run.moved += 1;
    data.keepAttr = false;
    return;
  }
  data.keepAttr = false;
});

purify.addHook('afterSanitizeAttributes', (node) => {
  for (const [name, value] of run.later.get(node) ?? []) node.setAttribute(name, value);
});

const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Cleans mail HTML for the sandboxed frame (see the top of this file).
 * @param {string} html
 * @param {{remoteImages: boolean}} opts
 * @returns {{html: string, remote: number, removed: number, links: string[]}} `remote`: remote
 *   references found (blocked unless allowed); `removed`: elements and attributes taken out
 *   (comments and the links and images moved aside are not counted); `links`: the http(s) and
 *   mailto links, for the page to list.
 */
export function sanitizeHtml(html, { remoteImages }) {
  if (!purify.isSupported) {
    // DOMPurify hands markup back unchanged where it cannot work: show it as source text instead.
    return { html: `<pre style="white-space:pre-wrap">${escapeText(html)}</pre>`, remote: 0, removed: 1, links: [] };
  }
  run = { remoteImages, remote: 0, cssRemoved: 0, moved: 0, links: [], later: new Map() };
  try {
    const root = purify.sanitize(html, config());
    if (!root) return { html: '', remote: 0, removed: 0, links: [] };
    const doc = root.ownerDocument;
    const styles = [...doc.head.children].filter((el) => el.localName === 'style').map((el) => el.outerHTML).join('');
    const removed = purify.removed.filter((r) => !(r.element && r.element.nodeType === Node.COMMENT_NODE)).length - run.moved + run.cssRemoved;
    return { html: styles + doc.body.innerHTML, remote: run.remote, removed, links: run.links };
  } finally {
    run = null;
  }
}
