// Shared helpers of the pages: a tiny DOM builder (no innerHTML anywhere), formatting, and
// `call`, the one "ask the background, show the error". (Why a server refused a request is the
// package's diagnosis, made in the background; the explorer shows it.)
// Importing this module touches no DOM, so the pure functions are unit-tested in Node.

import { ask } from './ext.js';

/** Fired on `document` (detail: the error) when an answer says the API origin is not granted. */
export const NO_ACCESS_EVENT = 'contextio:no-access';

/**
 * Creates an element. `attrs` keys: `class`, `text`, `on<event>` handlers, `dataset`, any
 * attribute (boolean true sets it empty, false/null/undefined skips it).
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node | string | null | undefined | false | Array<Node | string>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** @param {string} selector @returns {HTMLElement} */
export const $ = (selector) => /** @type {HTMLElement} */ (document.querySelector(selector));

/**
 * A short human date: time today, weekday within a week, else day and month (and year when
 * not this year).
 * @param {number} unixSeconds
 * @param {Date} [now]
 * @param {string} [locale]
 */
export function formatMessageDate(unixSeconds, now = new Date(), locale = undefined) {
  const d = new Date(unixSeconds * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === now.toDateString();
  if (sameDay) return d.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' });
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days >= 0 && days < 6) return d.toLocaleDateString(locale, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
  const opts = { day: 'numeric', month: 'short' };
  if (d.getFullYear() !== now.getFullYear()) opts.year = 'numeric';
  return d.toLocaleDateString(locale, opts);
}

/**
 * Shows a transient status line in `el` (role=status), cleared after `ms` unless sticky.
 * @param {HTMLElement} el
 * @param {string} text
 * @param {'info' | 'ok' | 'error'} [kind]
 */
export function say(el, text, kind = 'info') {
  el.textContent = text;
  el.dataset.kind = kind;
}

/** @param {{code?: string, message?: string}} error */
export function errorText(error) {
  if (!error) return 'Unknown error';
  return error.code ? `${error.message ?? ''} (${error.code})`.trim() : String(error.message ?? error);
}

/**
 * Tells the page about an answer that failed for want of host access (NO_ACCESS_EVENT), so
 * that its "no access" notice shows whatever part of the page asked.
 * @param {{ok: boolean, error?: {code?: string}}} answer
 */
export function noteFailure(answer) {
  if (answer?.ok === false && answer.error?.code === 'NO_HOST_ACCESS' && typeof document !== 'undefined') {
    document.dispatchEvent(new CustomEvent(NO_ACCESS_EVENT, { detail: answer.error }));
  }
}

/**
 * Asks the background. On success returns the answer; on failure shows the error in `statusEl`
 * (when given, after `prefix`), raises NO_ACCESS_EVENT for NO_HOST_ACCESS, and returns null.
 * @param {{type: string} & Record<string, unknown>} message
 * @param {HTMLElement | null} statusEl
 * @param {{prefix?: string}} [opts]
 * @returns {Promise<any | null>}
 */
export async function call(message, statusEl, { prefix = '' } = {}) {
  const answer = await ask(message);
  if (answer.ok) return answer;
  noteFailure(answer);
  if (statusEl) say(statusEl, `${prefix}${errorText(answer.error)}`, 'error');
  return null;
}
