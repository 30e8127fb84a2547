// Small helpers for the records kept in the state (plain JSON objects keyed by ids that come
// from requests, so a name such as `__proto__` must stay data), and for their random ids.

import { randomBytes } from 'node:crypto';

/** @param {unknown} v @returns {v is Record<string, any>} A plain object (not null, not an array). */
export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Own property of a record-like object, or undefined (names such as `__proto__` are data). */
export const own = (obj, key) => (obj && Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Sets an own property, also for a name such as `__proto__` (which `obj[key] = v` would not). */
export function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/** The table under `key`, created empty when missing. */
export const tableOf = (obj, key) => own(obj, key) ?? setOwn(obj, key, {});

/** @param {number} bytes @returns {string} A random id, hex. */
const newId = (bytes) => randomBytes(bytes).toString('hex');

/**
 * A random id that is not yet a key of a table.
 * @param {Record<string, unknown>} table
 * @param {number} bytes
 * @returns {string}
 */
export function unusedId(table, bytes) {
  let id;
  do id = newId(bytes);
  while (Object.hasOwn(table, id));
  return id;
}

/** @returns {{access_token: string, access_token_secret: string}} A fresh access token pair. */
export const newTokenPair = () => ({ access_token: newId(16), access_token_secret: randomBytes(24).toString('base64url') });
