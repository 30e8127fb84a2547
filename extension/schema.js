// The messages the background takes, and the check every message passes before its handler
// runs: an unknown type is UNKNOWN_MESSAGE, a field its type does not take is UNKNOWN_FIELD,
// each naming the closest known name when one is near (a misspelt `usrId` is never ignored), by
// the project's one did-you-mean rule (js/suggest.js, shared with the package's own checks).
// The handlers check the values of the known fields.

import { closest, didYouMean } from '../js/suggest.js';
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
 * The did-you-mean hint for an unknown message type. Types are dotted (`users.list`), and the
 * one rule (js/suggest.js) only compares names of letters, digits, `_` and `-`, dropping `_`
 * and `-`: the types are compared with their dots read as `-`, so `users.lst` finds
 * `users.list`, by the same distance and limit as a field.
 * @param {string} type
 * @returns {string}
 */
function typeHint(type) {
  const types = Object.keys(MESSAGE_FIELDS);
  const dashed = types.map((t) => t.replaceAll('.', '-'));
  const near = closest(type.replaceAll('.', '-'), dashed);
  return near === null ? '' : ` (did you mean "${types[dashed.indexOf(near)]}"?)`;
}

const clip = (s) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

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
  if (!Object.hasOwn(MESSAGE_FIELDS, type)) {
    throw new ExtensionError('UNKNOWN_MESSAGE', `unknown message type ${clip(type)}${typeHint(type)}`);
  }
  const fields = MESSAGE_FIELDS[type];
  for (const key of Object.keys(message)) {
    if (key === 'type' || fields.includes(key)) continue;
    const takes = fields.length ? `it takes ${fields.join(', ')}` : 'it takes no field';
    throw new ExtensionError('UNKNOWN_FIELD', `unknown field ${clip(key)} in a ${type} message${didYouMean(key, fields)}; ${takes}`, { field: key.slice(0, 60) });
  }
  return type;
}
