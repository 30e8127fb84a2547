// The package's "did you mean" against the project's one table of cases
// (tests/support/suggest-cases.mjs), through the built package's real error messages: an
// unknown options field in `new Signer`, an unknown request field in `signRequest`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signer } from '../../pkg/node.js';
import { SUGGEST_CASES, packageFields } from '../support/suggest-cases.mjs';

const FIELDS = packageFields();
const THREE = { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' };
const cases = SUGGEST_CASES.filter((c) => c.fields === 'options' || c.fields === 'request');

test('every package case of the table, through the package error messages', () => {
  assert.ok(cases.length >= 20, 'the table has the package cases');
  const signer = new Signer(THREE);
  for (const { name, fields, suggestion } of cases) {
    assert.ok(!FIELDS[fields].includes(name), `${name} is a field`);
    const call = fields === 'options'
      ? () => new Signer({ ...THREE, [name]: 'x' })
      : () => signer.signRequest({ method: 'GET', url: 'http://h/', [name]: 'x' });
    const hint = suggestion === null ? '' : ` (did you mean "${suggestion}"?)`;
    const object = fields === 'options' ? 'option' : 'request';
    assert.throws(call, (e) => e.code === 'INVALID_OPTIONS' && e.message === `unknown ${object} field "${name}"${hint}`, `${JSON.stringify(name)} in ${fields}`);
  }
});
