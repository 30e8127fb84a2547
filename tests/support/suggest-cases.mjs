// The did-you-mean cases of the project: one table, tested against every place that suggests a
// name, by the one rule (js/suggest.js): names compared
// case-insensitively with `_` and `-` dropped, by optimal string alignment distance, within
// one edit of a known name of up to four letters and two of a longer one, and nothing when two
// known names are as close.
//
// Each case names the list of known names it is looked up in:
//   - `options`, `request`: the package's options and request fields (js/api.js
//     OPTION_FIELDS and REQUEST_FIELDS; `packageFields()` reads them from there, no copy);
//   - `message types`: the types of the extension's messages (extension/schema.js
//     MESSAGE_FIELDS keys; dotted names, which schema.js compares with their dots read as `-`);
//   - any other: the fields of that extension message type (MESSAGE_FIELDS[type]).
// `suggestion` is what the rule finds, or null for nothing.
//
// Users: tests/extension/unit/suggest.test.mjs (js/suggest.js directly, and the extension's
// schema through its error messages); the package's tests.

import { OPTION_FIELDS, REQUEST_FIELDS } from '../../js/api.js';

/** @typedef {{name: string, fields: string, suggestion: string | null}} SuggestCase */

/** @type {ReadonlyArray<SuggestCase>} */
export const SUGGEST_CASES = Object.freeze([
  // The package's fields.
  ...[
    ['qurey', 'request', 'query'],
    ['querry', 'request', 'query'],
    ['tokenSecrett', 'options', 'tokenSecret'],
    ['consumer_key', 'options', 'consumerKey'],
    ['ConsumerSecret', 'options', 'consumerSecret'],
    ['timeStamp', 'request', 'timestamp'],
    ['content-type', 'request', 'contentType'],
    ['nounce', 'request', 'nonce'],
    ['mehtod', 'request', 'method'],
    ['uri', 'request', 'url'],
    ['twolegged', 'options', 'twoLegged'],
    ['clockOfset', 'options', 'clockOffset'],
  ].map(([name, fields, suggestion]) => ({ name, fields, suggestion })),
  ...['headers', 'data', 'secret', '', 'x', 'a-very-long-name-that-is-not-a-field-at-all', 'quéry'].flatMap((name) => [
    { name, fields: 'options', suggestion: null },
    { name, fields: 'request', suggestion: null },
  ]),

  // The extension's message fields.
  ...[
    ['emial', 'users.add', 'email'],
    ['frist_name', 'users.add', 'first_name'],
    ['firstName', 'users.add', 'first_name'],
    ['useSSL', 'users.add', 'use_ssl'],
    ['account_type', 'users.add', 'accountType'],
    ['provider_refresh_tokn', 'users.add', 'provider_refresh_token'],
    ['emali', 'users.connect', 'email'],
    ['userid', 'users.remove', 'userId'],
    ['qurey', 'api.request', 'query'],
    ['pth', 'api.request', 'path'],
    ['metod', 'api.request', 'method'],
    ['boddy', 'api.preview', 'body'],
    ['usrId', 'messages.get', 'userId'],
    ['mesageId', 'messages.get', 'messageId'],
    ['fodler', 'messages.get', 'folder'],
    ['apiBsae', 'settings.set', 'apiBase'],
    ['apibase', 'settings.set', 'apiBase'],
    ['consumerkey', 'settings.test', 'consumerKey'],
    // The limit comes from the known name: two edits from `query` (five letters) are near,
    // two from `body` (four) are not, however long the typed name.
    ['qry', 'api.request', 'query'],
    ['bodyyy', 'api.request', null],
    ['zzz', 'api.request', null],
    ['user-id', 'api.request', 'userId'],
    ['label.x', 'messages.get', null],
    ['extra', 'users.list', null],
    ['userId', 'settings.get', null],
  ].map(([name, fields, suggestion]) => ({ name, fields, suggestion })),

  // The extension's message types.
  ...[
    ['users.lst', 'users.list'],
    ['api.requets', 'api.request'],
    ['settings.gte', 'settings.get'],
    ['Users.List', 'users.list'],
    ['messages_get', 'messages.get'],
    ['users.steal', null],
    ['toString', null],
  ].map(([name, suggestion]) => ({ name, fields: 'message types', suggestion })),
]);

/** The package's options and request fields, from the package's JavaScript front (js/api.js). */
export function packageFields() {
  return { options: [...OPTION_FIELDS], request: [...REQUEST_FIELDS] };
}
