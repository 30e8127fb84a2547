// examples/server-side.mjs, run as a backend would run it: installed next to the package
// (`npm install` of the built pkg/, offline) and pointed at a freshly started server CLI whose
// config file has a 2-legged consumer. Its output, the server's request log and the state it
// leaves behind are checked; the state is read with the other signer (oauth-1.0a).

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEMO, expectStatus, killAllClis, makeClient, startCli, tempDir } from './helpers/server.mjs';
import { SIGNERS } from './helpers/signers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = resolve(ROOT, 'examples/server-side.mjs');
const PKG = resolve(ROOT, 'pkg');
const run = promisify(execFile);
const withoutPkg = !existsSync(join(PKG, 'node.js')) && process.env.DEVSERVER_TESTS_WITHOUT_PKG === '1';

describe('examples/server-side.mjs against a fresh server', { skip: withoutPkg && 'pkg/ missing and DEVSERVER_TESTS_WITHOUT_PKG=1' }, () => {
  const backend = { consumerKey: 'example-backend', consumerSecret: `backend-${randomBytes(12).toString('hex')}` };
  const google = {
    GOOGLE_CLIENT_ID: `${randomBytes(6).toString('hex')}-test.apps.googleusercontent.com`,
    GOOGLE_CLIENT_SECRET: `GOCSPX-${randomBytes(12).toString('hex')}`,
    GOOGLE_REFRESH_TOKEN: `1//0g${randomBytes(24).toString('base64url')}`,
  };
  const secrets = [backend.consumerSecret, google.GOOGLE_CLIENT_SECRET, google.GOOGLE_REFRESH_TOKEN];
  let tmp;
  let cli;

  before(async () => {
    assert.ok(existsSync(join(PKG, 'node.js')), 'pkg/ is not built: node scripts/build-pkg.mjs');
    tmp = tempDir();
    // What the example's README says: a project that depends on the package, `npm install`ed.
    writeFileSync(join(tmp.dir, 'package.json'), JSON.stringify({ private: true, type: 'module', dependencies: { 'contextio-signer': `file:${PKG}` } }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp.dir, stdio: 'pipe' });
    copyFileSync(EXAMPLE, join(tmp.dir, 'server-side.mjs'));
    const config = join(tmp.dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        consumers: [
          { key: backend.consumerKey, secret: backend.consumerSecret, threeLegged: false },
          { key: DEMO.consumerKey, secret: DEMO.consumerSecret },
        ],
      }),
    );
    cli = await startCli(['--config', config, '--data', join(tmp.dir, 'data.json')], { quiet: false });
  });
  after(async () => {
    await killAllClis();
    tmp?.cleanup();
  });

  const runExample = (env) =>
    run(process.execPath, ['server-side.mjs'], { cwd: tmp.dir, env: { PATH: process.env.PATH, CONTEXTIO_API: cli.url, ...env }, timeout: 20_000 });

  test('registers a Google provider, adds a user with a refresh token, lists the users, deletes the provider', async () => {
    const { stdout, stderr } = await runExample({ CONTEXTIO_CONSUMER_KEY: backend.consumerKey, CONTEXTIO_CONSUMER_SECRET: backend.consumerSecret, ...google });
    assert.equal(stderr, '');
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], `registered OAuth provider GMAIL_OAUTH2 ${google.GOOGLE_CLIENT_ID}`);
    const id = /^added user ([0-9a-f]{24}): ada@gmail\.com, oauth through GMAIL_OAUTH2$/.exec(lines[1])?.[1];
    assert.ok(id, stdout);
    assert.deepEqual(lines.slice(2), ['this consumer has 1 user:', `  ${id}  ada@gmail.com (oauth)`, `deleted OAuth provider ${google.GOOGLE_CLIENT_ID}`]);

    // What the server holds now, read by an independent signer.
    const api = makeClient(cli.url, SIGNERS[0]);
    const providers = await api.call(backend, 'GET', '/lite/oauth_providers');
    expectStatus(providers, 200);
    assert.deepEqual(providers.json, [], 'the provider was deleted');
    const users = await api.call(backend, 'GET', '/lite/users');
    expectStatus(users, 200);
    assert.equal(users.json.length, 1);
    assert.deepEqual(
      [users.json[0].id, users.json[0].email_accounts[0].provider_type, users.json[0].email_accounts[0].provider_consumer_key],
      [id, 'GMAIL_OAUTH2', google.GOOGLE_CLIENT_ID],
    );

    // The request log has the four calls, and no secret anywhere in the server's output.
    const log = cli.output();
    for (const line of ['POST /lite/oauth_providers 201', 'POST /lite/users 201', 'GET /lite/users 200', `DELETE /lite/oauth_providers/${google.GOOGLE_CLIENT_ID} 200`]) {
      assert.ok(log.includes(` ${line} `), `"${line}" missing from the request log:\n${log}`);
    }
    for (const secret of secrets) {
      assert.ok(!stdout.includes(secret) && !log.includes(secret) && !cli.errors().includes(secret), 'a secret was printed');
    }
    assert.ok(!readFileSync(join(tmp.dir, 'data.json'), 'utf8').includes(google.GOOGLE_REFRESH_TOKEN), 'the refresh token is not stored');
  });

  test('signed with a 3-legged consumer it stops at the first call: 403, code 108', async () => {
    const r = await runExample({ CONTEXTIO_CONSUMER_KEY: DEMO.consumerKey, CONTEXTIO_CONSUMER_SECRET: DEMO.consumerSecret, ...google }).then(
      () => assert.fail('the example should have failed'),
      (e) => e,
    );
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^failed: POST \/oauth_providers: HTTP 403, code 108: oauth_providers hold the provider secrets/);
    for (const secret of secrets) assert.ok(!r.stderr.includes(secret));
  });

  test('with a wrong consumer secret: 401, code 105, and the provider secret hidden in the base string shown', async () => {
    const r = await runExample({ CONTEXTIO_CONSUMER_KEY: backend.consumerKey, CONTEXTIO_CONSUMER_SECRET: 'not-the-secret', ...google }).then(
      () => assert.fail('the example should have failed'),
      (e) => e,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 401, code 105: Invalid signature .*%26provider_consumer_secret%3D%253Chidden%253E%26/);
    for (const secret of secrets) assert.ok(!r.stderr.includes(secret));
  });
});
