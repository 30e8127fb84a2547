// The code examples of devserver/README.md run here, so the docs cannot rot.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startServer, tempDir } from './helpers/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(resolve(ROOT, 'devserver/README.md'), 'utf8');
const PKG_ENTRY = resolve(ROOT, 'pkg/node.js');
const run = promisify(execFile);

/** The first ```js block after a heading. */
function exampleUnder(heading) {
  const at = README.indexOf(`\n## ${heading}\n`);
  assert.notEqual(at, -1, `README has no "## ${heading}" section`);
  const m = /```js\n([\s\S]*?)```/.exec(README.slice(at));
  assert.ok(m, `no js block under "## ${heading}"`);
  return m[1];
}

describe('devserver/README.md examples', () => {
  let server;
  let tmp;
  before(async () => {
    tmp = tempDir();
    server = await startServer();
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  async function runExample(name, code) {
    const file = join(tmp.dir, `${name}.mjs`);
    writeFileSync(file, code);
    return run(process.execPath, [file], { env: { ...process.env, DEVSERVER_URL: server.url }, timeout: 20_000 });
  }

  test('From code', async () => {
    const code = exampleUnder('From code').replace("'./devserver/app.mjs'", `'${pathToFileURL(resolve(ROOT, 'devserver/app.mjs')).href}'`);
    const { stdout } = await runExample('from-code', code);
    assert.match(stdout, /^http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  const withoutPkg = !existsSync(PKG_ENTRY) && process.env.DEVSERVER_TESTS_WITHOUT_PKG === '1';
  test('Example: a user, its mailbox (project package)', { skip: withoutPkg && 'pkg/node.js missing and DEVSERVER_TESTS_WITHOUT_PKG=1' }, async () => {
    assert.ok(existsSync(PKG_ENTRY), `${PKG_ENTRY} is missing: build the package or set DEVSERVER_TESTS_WITHOUT_PKG=1`);
    const code = exampleUnder('Example: a user, its mailbox').replace("'contextio-signer'", `'${pathToFileURL(PKG_ENTRY).href}'`);
    const { stdout } = await runExample('user-mailbox', code);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 5, stdout);
    for (const line of lines) assert.match(line, /^[^:]+: .+/);
  });
});
