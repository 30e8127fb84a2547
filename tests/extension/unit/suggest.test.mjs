// The one did-you-mean rule (js/suggest.js) against the project's table of cases
// (tests/support/suggest-cases.mjs): directly, and through the extension's schema, whose error
// messages are what a page sees.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MESSAGE_FIELDS, checkMessage } from '../../../extension/schema.js';
import { closest, didYouMean, editDistance } from '../../../js/suggest.js';
import { SUGGEST_CASES, packageFields } from '../../support/suggest-cases.mjs';

const PACKAGE = packageFields();
const TYPES = Object.keys(MESSAGE_FIELDS);
const fieldCases = SUGGEST_CASES.filter((c) => c.fields !== 'message types');
const typeCases = SUGGEST_CASES.filter((c) => c.fields === 'message types');
/** The known names of a case's list (field lists only). */
const known = (fields) => PACKAGE[fields] ?? MESSAGE_FIELDS[fields];

test('the table names lists that exist, and covers both sides', () => {
  for (const c of fieldCases) assert.ok(Array.isArray(known(c.fields)), `${c.fields}: no such list`);
  assert.ok(PACKAGE.request.includes('query') && PACKAGE.options.includes('consumerKey'), 'js/api.js read');
  assert.ok(fieldCases.some((c) => PACKAGE[c.fields]) && fieldCases.some((c) => MESSAGE_FIELDS[c.fields]));
  assert.ok(typeCases.length > 0);
});

describe('js/suggest.js', () => {
  test('closest and didYouMean: every field case of the table', () => {
    for (const { name, fields, suggestion } of fieldCases) {
      assert.equal(closest(name, known(fields)), suggestion, `${JSON.stringify(name)} in ${fields}`);
      assert.equal(didYouMean(name, known(fields)), suggestion === null ? '' : ` (did you mean "${suggestion}"?)`, name);
    }
  });

  test('editDistance: insertions, deletions, substitutions and swaps of two neighbours', () => {
    for (const [a, b, d] of [['', 'abc', 3], ['abc', '', 3], ['abc', 'abc', 0], ['abc', 'acb', 1], ['kitten', 'sitting', 3], ['ca', 'abc', 3], ['qurey', 'query', 1]]) {
      assert.equal(editDistance(a, b), d, `${a} ${b}`);
    }
  });

  test('a tie suggests nothing', () => {
    assert.equal(closest('ab', ['ac', 'ad']), null);
  });
});

describe('the extension schema (checkMessage) suggests by the same rule', () => {
  /** The error checkMessage throws for `message`, as the page sees it. */
  const refusal = (message) => {
    try {
      checkMessage(message);
    } catch (e) {
      return e;
    }
    assert.fail(`${JSON.stringify(message)} was accepted`);
  };
  const hint = (suggestion) => (suggestion === null ? null : `did you mean "${suggestion}"?`);
  const hintOf = (e) => /did you mean "[^"]*"\?/.exec(e.message)?.[0] ?? null;

  test('an unknown field names the field the table expects', () => {
    for (const { name, fields, suggestion } of fieldCases.filter((c) => MESSAGE_FIELDS[c.fields])) {
      const e = refusal({ type: fields, [name]: 'x' });
      assert.equal(e.code, 'UNKNOWN_FIELD', `${name} in ${fields}`);
      assert.equal(hintOf(e), hint(suggestion), `${JSON.stringify(name)} in ${fields}: ${e.message}`);
    }
  });

  test('an unknown type names the type the table expects', () => {
    for (const { name, suggestion } of typeCases) {
      const e = refusal({ type: name });
      assert.equal(e.code, 'UNKNOWN_MESSAGE', name);
      assert.equal(hintOf(e), hint(suggestion), `${JSON.stringify(name)}: ${e.message}`);
      if (suggestion) assert.ok(TYPES.includes(suggestion));
    }
  });
});
