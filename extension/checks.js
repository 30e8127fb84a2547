// The value checks the background's message handlers share: a bad value is INVALID_MESSAGE
// naming the field, and a user id must name a stored user (USER_NOT_FOUND). The schema
// (schema.js) has already refused unknown types and fields.

import { ExtensionError } from './errors.js';

/** @param {string} message */
export const invalid = (message) => new ExtensionError('INVALID_MESSAGE', message);

/** Checks a query or body: a plain object of strings, numbers, booleans, or arrays of them. */
export function params(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${name} must be an object of name/value pairs`);
  for (const [k, v] of Object.entries(value)) {
    const ok = (x) => ['string', 'number', 'boolean'].includes(typeof x);
    if (!(ok(v) || (Array.isArray(v) && v.every(ok)))) throw invalid(`${name}.${k} must be a string, a number, a boolean or an array of them`);
  }
  return value;
}

/** A non-empty string, trimmed. */
export function requireString(value, name) {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${name} is required`);
  return value.trim();
}

/** A name from a message used as a path segment (label, folder, message id): non-empty, kept as it is. */
export function requireName(value, name) {
  if (typeof value !== 'string' || value === '' || value.length > 1000) throw invalid(`${name} is required (a non-empty string)`);
  return value;
}

/**
 * The stored user a message names.
 * @param {ReturnType<typeof import('./storage.js').createStore>} storage
 * @param {unknown} userId
 */
export async function requireUser(storage, userId) {
  const id = requireString(userId, 'userId');
  const user = await storage.user(id);
  if (!user) throw new ExtensionError('USER_NOT_FOUND', `no stored user with id "${id.slice(0, 64)}"`);
  return user;
}

/** The non-secret view of a user record. */
export const publicUser = ({ id, email, addedAt }) => ({ id, email, addedAt });
