// API bases, origins and host permission match patterns: pure functions, no browser API, used
// by the background and by the options page (which must know the origin to ask for while it is
// still handling the click).

import { ExtensionError } from './errors.js';

/** API base when the manifest names no usable origin. */
export const FALLBACK_API_BASE = 'http://127.0.0.1:8787/lite';

/**
 * The default API base: the first host permission of the manifest (one source of truth, set by
 * `scripts/build-extension.mjs --api-origin`) plus the API version path `/lite`.
 * @param {{host_permissions?: string[]}} manifest
 * @returns {string}
 */
export function defaultApiBase(manifest) {
  const m = /^(https?):\/\/([^/*]+)\/\*?$/.exec(manifest?.host_permissions?.[0] ?? '');
  return m ? `${m[1]}://${m[2]}/lite` : FALLBACK_API_BASE;
}

/**
 * Checks and normalizes an API base URL: http(s), no credentials, query or fragment, no
 * trailing slash. `https://api.context.io/lite/` becomes `https://api.context.io/lite`.
 * @param {unknown} text
 * @returns {string}
 * @throws {ExtensionError} INVALID_SETTINGS.
 */
export function normalizeApiBase(text) {
  const bad = (message) => new ExtensionError('INVALID_SETTINGS', message);
  if (typeof text !== 'string' || text.trim() === '') throw bad('the API base URL is required');
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    throw bad(`"${text.trim().slice(0, 100)}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('the API base URL must use http or https');
  if (url.username || url.password) throw bad('the API base URL must not contain credentials');
  if (url.search || url.hash) throw bad('the API base URL must not have a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The host permission match pattern of the origin of a URL: `https://api.context.io/lite`
 * becomes `https://api.context.io/*` (the form `permissions.request` and the manifest use).
 * @param {string} url
 * @returns {string}
 */
export function originPattern(url) {
  return `${new URL(url).origin}/*`;
}

/**
 * Whether one of `patterns` covers `url`. Understands `scheme://host[:port]/*`, `*.`
 * subdomains and `<all_urls>`; a pattern without a port matches every port (as in both browsers).
 * @param {string[]} patterns
 * @param {string} url
 * @returns {boolean}
 */
export function patternsCover(patterns, url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (patterns ?? []).some((pattern) => {
    if (pattern === '<all_urls>') return ['http:', 'https:'].includes(u.protocol);
    const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:*]+)(?::(\d+|\*))?\/.*$/.exec(pattern);
    if (!m) return false;
    const [, scheme, host, port] = m;
    if (scheme === '*' ? !['http:', 'https:'].includes(u.protocol) : `${scheme}:` !== u.protocol) return false;
    if (host !== '*') {
      if (host.startsWith('*.')) {
        const root = host.slice(2);
        if (u.hostname !== root && !u.hostname.endsWith(`.${root}`)) return false;
      } else if (u.hostname !== host) return false;
    }
    return port === undefined || port === '*' || (u.port || (u.protocol === 'https:' ? '443' : '80')) === port;
  });
}
