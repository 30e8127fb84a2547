// The messages the background takes, and the check every message passes before its handler
// runs: an unknown type is UNKNOWN_MESSAGE, a field its type does not take is UNKNOWN_FIELD,
// each naming the closest known name when one is near (a misspelt `usrId` is never ignored).
// The handlers check the values of the known fields.

import { ExtensionError } from './errors.js';

/** Fields of `users.add` sent to `POST /users` (`accountType` is sent as `type`, which names the message). */
export const USER_FIELDS = Object.freeze([
  'email', 'first_name', 'last_name', 'server', 'username', 'port', 'use_ssl', 'accountType',
  'password', 'provider_refresh_token', 'provider_consumer_key', 'migrate_account_id',
]);

const API_REQUEST = Object.freeze(['userId', 'method', 'path', 'query', 'body']);

/** Each message type and the fields it takes besides `type`. */
export const MESSAGE_FIELDS = Object.freeze({
  'settings.get': Object.freeze([]),
  'settings.set': Object.freeze(['apiBase', 'consumerKey', 'consumerSecret']),
  'settings.reset': Object.freeze([]),
  'settings.test': Object.freeze(['apiBase', 'consumerKey', 'consumerSecret']),
  'users.list': Object.freeze([]),
  'users.add': USER_FIELDS,
  'users.connect': Object.freeze(['email']),
  'users.remove': Object.freeze(['userId']),
  'api.request': API_REQUEST,
  'api.preview': API_REQUEST,
  'messages.get': Object.freeze(['userId', 'label', 'folder', 'messageId', 'full']),
});

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early
 * once it exceeds `max`.
 * @param {string} a
 * @param {string} b
 * @param {number} max
 * @returns {number} The distance, or max + 1 when it is larger.
 */
export function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = [[...Array(b.length + 1).keys()]];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length][b.length];
}

/**
 * The one known name within a small edit distance of `name` (case ignored; 1 edit for names of
 * up to 4 characters, 2 beyond), or null when there is none or the nearest is not unique.
 * @param {string} name
 * @param {readonly string[]} known
 * @returns {string | null}
 */
export function closest(name, known) {
  const max = name.length <= 4 ? 1 : 2;
  let best = null;
  let bestDistance = max + 1;
  let tie = false;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase(), max);
    if (d < bestDistance) [best, bestDistance, tie] = [k, d, false];
    else if (d === bestDistance && d <= max) tie = true;
  }
  return best !== null && !tie ? best : null;
}

const clip = (s) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
const hint = (name, known) => {
  const near = closest(name, known);
  return near ? ` (did you mean "${near}"?)` : '';
};

/**
 * Checks the shape of a message from a page: an object with a known string `type` and only the
 * fields that type takes (own enumerable string keys; symbol keys and inherited properties
 * cannot travel in a message and are not looked at).
 * @param {unknown} message
 * @returns {keyof typeof MESSAGE_FIELDS}
 * @throws {ExtensionError} INVALID_MESSAGE, UNKNOWN_MESSAGE or UNKNOWN_FIELD.
 */
export function checkMessage(message) {
  if (!message || typeof message !== 'object' || Array.isArray(message) || typeof message.type !== 'string') {
    throw new ExtensionError('INVALID_MESSAGE', 'a message is an object with a string "type"');
  }
  const { type } = message;
  const types = Object.keys(MESSAGE_FIELDS);
  if (!Object.hasOwn(MESSAGE_FIELDS, type)) {
    throw new ExtensionError('UNKNOWN_MESSAGE', `unknown message type ${clip(type)}${hint(type, types)}`);
  }
  const fields = MESSAGE_FIELDS[type];
  for (const key of Object.keys(message)) {
    if (key === 'type' || fields.includes(key)) continue;
    const takes = fields.length ? `it takes ${fields.join(', ')}` : 'it takes no field';
    throw new ExtensionError('UNKNOWN_FIELD', `unknown field ${clip(key)} in a ${type} message${hint(key, fields)}; ${takes}`, { field: key.slice(0, 60) });
  }
  return type;
}
