// extension/errors.js: one error class, stable codes. Every code the extension's source uses is
// in ERROR_CODES, every code there is used and documented in extension/README.md, and the
// answer shapes of errorAnswer.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { API_ERROR_CODES } from '../../../extension/api.js';
import { ERROR_CODES, ExtensionError, errorAnswer, isErrorCode } from '../../../extension/errors.js';

const DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../extension');
const source = readdirSync(DIR).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(DIR, f), 'utf8')).join('\n');

test('every code the source uses is a known code, and every known code is used', () => {
  const used = new Set([
    ...[...source.matchAll(/new ExtensionError\(\s*'([A-Z_]+)'/g)].map((m) => m[1]),
    ...[...source.matchAll(/\bcode: '([A-Z_]+)'/g)].map((m) => m[1]),
    ...Object.values(API_ERROR_CODES),
  ]);
  for (const code of used) assert.ok(Object.hasOwn(ERROR_CODES, code), `${code} is used but not in ERROR_CODES`);
  for (const code of Object.keys(ERROR_CODES)) assert.ok(used.has(code), `${code} is in ERROR_CODES but never used`);
});

test('every code is documented in the extension README', () => {
  const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
  for (const code of Object.keys(ERROR_CODES)) assert.match(readme, new RegExp(`^\\| \`${code}\` \\|`, 'm'), code);
  assert.match(readme, /^\| `HTTP_<status>` \|/m);
});

test('ExtensionError takes known codes only; errorAnswer shapes every error', () => {
  assert.throws(() => new ExtensionError('MADE_UP', 'x'), TypeError);
  assert.equal(isErrorCode('HTTP_404'), true);
  assert.equal(isErrorCode('HTTP_99'), false);
  const e = new ExtensionError('NO_HOST_ACCESS', 'no access', { origin: 'http://a', pattern: 'http://a/*' });
  assert.equal(e.name, 'ExtensionError');
  assert.ok(e instanceof Error);
  assert.deepEqual(errorAnswer(e), { ok: false, error: { code: 'NO_HOST_ACCESS', message: 'no access', origin: 'http://a', pattern: 'http://a/*' } });
  const signer = Object.assign(new Error('bad %'), { name: 'OAuthSignError', code: 'INVALID_ENCODING' });
  assert.deepEqual(errorAnswer(signer), { ok: false, error: { code: 'INVALID_ENCODING', message: 'bad %' } });
  assert.deepEqual(errorAnswer(new RangeError('boom')), { ok: false, error: { code: 'INTERNAL', message: 'unexpected error: RangeError: boom' } });
  assert.equal(errorAnswer('thrown string').error.code, 'INTERNAL');
});
