// extension/ui.js: the pure helpers of the pages (base string comparison, dates).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareBaseStrings, firstDifference, formatMessageDate, parseBaseString } from '../../../extension/ui.js';

test('firstDifference', () => {
  assert.equal(firstDifference('abc', 'abc'), -1);
  assert.equal(firstDifference('abc', 'abd'), 2);
  assert.equal(firstDifference('ab', 'abc'), 2);
  assert.equal(firstDifference('', 'x'), 0);
});

const ours = 'GET&http%3A%2F%2Fh%2Flite%2Fusers&a%3D1%26oauth_nonce%3Dn%26oauth_token%3Dt';

test('parseBaseString decodes the three parts once', () => {
  assert.deepEqual(parseBaseString(ours), {
    method: 'GET',
    uri: 'http://h/lite/users',
    params: [['a', '1'], ['oauth_nonce', 'n'], ['oauth_token', 't']],
  });
  assert.deepEqual(parseBaseString('POST&http%3A%2F%2Fh%2F&').params, []);
});

describe('compareBaseStrings explains the first difference', () => {
  const cases = [
    [ours, 'identical', -1],
    [ours.replace('GET', 'PUT'), 'the HTTP method', 0],
    [ours.replace('%2Fh%2F', '%2Fh%3A80%2F'), 'the base string URI (scheme, host, port or path)'],
    [ours.replace('a%3D1', 'a%3D2'), 'the value of parameter "a"'],
    [ours.replace('a%3D1%26', ''), 'the parameters: the server did not sign "a"'],
    [ours.replace('a%3D1', 'a%3D1%26b%3D2'), 'the parameters: the server also signed "b"'],
    [ours.replace('a%3D1', 'a%3D1%26a%3D2'), 'the parameters: "oauth_nonce" here, "a" on the server (order or repetition)'],
    [`${ours}%26z%3D1`, 'the parameters: the server also signed "z"'],
  ];
  for (const [theirs, where, index] of cases) {
    test(where, () => {
      const r = compareBaseStrings(ours, theirs);
      assert.equal(r.where, where);
      if (index !== undefined) assert.equal(r.index, index);
      else assert.equal(r.index, firstDifference(ours, theirs));
    });
  }
});

test('formatMessageDate: time today, weekday this week, day and month, year when not this year', () => {
  const now = new Date(2030, 5, 15, 18, 0, 0);
  const at = (...a) => new Date(...a).getTime() / 1000;
  assert.match(formatMessageDate(at(2030, 5, 15, 9, 5), now, 'en-GB'), /^0?9:05$/);
  assert.match(formatMessageDate(at(2030, 5, 13, 9, 5), now, 'en-GB'), /^Thu/);
  assert.equal(formatMessageDate(at(2030, 0, 2, 9, 5), now, 'en-GB'), '2 Jan');
  assert.equal(formatMessageDate(at(2029, 0, 2, 9, 5), now, 'en-GB'), '2 Jan 2029');
  assert.equal(formatMessageDate(Number.NaN, now), '');
});
