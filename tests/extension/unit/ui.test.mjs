// extension/ui.js: the pure helpers of the pages (dates). Why a refusal happened is the
// package's diagnosis (tested in retry.test.mjs and the end-to-end tests).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMessageDate } from '../../../extension/ui.js';

test('formatMessageDate: time today, weekday this week, day and month, year when not this year', () => {
  const now = new Date(2030, 5, 15, 18, 0, 0);
  const at = (...a) => new Date(...a).getTime() / 1000;
  assert.match(formatMessageDate(at(2030, 5, 15, 9, 5), now, 'en-GB'), /^0?9:05$/);
  assert.match(formatMessageDate(at(2030, 5, 13, 9, 5), now, 'en-GB'), /^Thu/);
  assert.equal(formatMessageDate(at(2030, 0, 2, 9, 5), now, 'en-GB'), '2 Jan');
  assert.equal(formatMessageDate(at(2029, 0, 2, 9, 5), now, 'en-GB'), '2 Jan 2029');
  assert.equal(formatMessageDate(Number.NaN, now), '');
});
