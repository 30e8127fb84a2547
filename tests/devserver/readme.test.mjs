// Every documented way to start and use the local server runs here as written, so the docs
// cannot rot: each shell line and config file of devserver/README.md, and the server's part of
// the top-level README.md, taken from the README text at run time. Server commands run in a
// sandbox (helpers/readme.mjs) on the port they name (8787 by default), each followed by real
// requests signed with the project's package. The top-level README's JavaScript examples are
// run by tests/js/readme.test.mjs.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ROOT, assertPortFree, escapeRegExp, pkgBuilt, readme, runLine, sandbox, shellLines, startLine } from './helpers/readme.mjs';
import { DEMO, expectStatus, killAllClis, makeClient, parseChallenge, startServer, tempDir } from './helpers/server.mjs';
import { METHOD_SIGNERS, SIGNERS } from './helpers/signers.mjs';
import { CONTEXT_IO_CODES } from '../../common/constants.js';

const DEV = readme('devserver/README.md');
const TOP = readme('README.md');
const PKG_ENTRY = resolve(ROOT, 'pkg/node.js');
const PKG_SIGNER = SIGNERS.find((s) => s.name === 'pkg');
const run = promisify(execFile);
const skip = !pkgBuilt() && process.env.DEVSERVER_TESTS_WITHOUT_PKG === '1' && 'pkg/node.js missing and DEVSERVER_TESTS_WITHOUT_PKG=1';
const enc = encodeURIComponent;

/** The shell lines of devserver/README.md's first block: the two ways to start the server. */
const START_LINES = shellLines(DEV.blockAfter('# Context.IO Lite dev server', 'sh'));

/**
 * Asserts that a real answer has the shape of a README example: the same keys at every level,
 * values of the same type; with `exact`, strings and booleans equal too, except where the
 * example elides with `…`. Arrays: each element the example shows, in order.
 */
function assertLike(actual, example, { exact, where = '$' }) {
  if (Array.isArray(example)) {
    assert.ok(Array.isArray(actual), `${where} is not an array`);
    if (exact) assert.equal(actual.length, example.length, `${where}: length`);
    example.forEach((e, i) => i < actual.length && assertLike(actual[i], e, { exact, where: `${where}[${i}]` }));
  } else if (example !== null && typeof example === 'object') {
    assert.deepEqual(Object.keys(actual ?? {}).sort(), Object.keys(example).sort(), `${where}: the fields`);
    for (const key of Object.keys(example)) assertLike(actual[key], example[key], { exact, where: `${where}.${key}` });
  } else {
    assert.equal(typeof actual, typeof example, `${where}: ${JSON.stringify(actual)} is not like ${JSON.stringify(example)}`);
    const elided = typeof example === 'string' && example.includes('…');
    if (exact && typeof example !== 'number' && !elided) assert.equal(actual, example, where);
  }
}

/**
 * A sandbox for the tests of a `describe` (helpers/readme.mjs), where the documented commands
 * run on the port they name; every server started is stopped after them.
 * @returns {{dir: string}}
 */
function useSandbox() {
  let box;
  before(async () => {
    await assertPortFree(8787);
    box = sandbox();
  });
  after(async () => {
    await killAllClis();
    box?.cleanup();
  });
  return {
    get dir() {
      return box.dir;
    },
  };
}

/** A README output block as a pattern: a word ending in `…` stands for any word. */
const outputPattern = (text) => new RegExp(`^${text.split(/(\S*…)/).map((part, i) => (i % 2 ? '\\S+' : escapeRegExp(part))).join('')}$`);

describe('devserver/README.md, as written', { skip }, () => {
  const box = useSandbox();
  const start = (line) => startLine(line, { cwd: box.dir });

  test('the two start commands: the demo consumer on 127.0.0.1:8787, then a free port and empty state', async () => {
    assert.equal(START_LINES.length, 2, `a start command was added or removed: run each here\n${START_LINES.join('\n')}`);
    const first = await start(START_LINES[0]);
    assert.equal(first.firstLine, 'listening on http://127.0.0.1:8787');
    const api = makeClient(first.url, PKG_SIGNER);
    const user = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'first@example.com' } });
    expectStatus(user, 201);
    const creds = { ...DEMO, token: user.json.access_token, tokenSecret: user.json.access_token_secret };
    expectStatus(await api.call(creds, 'GET', `/lite/users/${user.json.id}/email_accounts/${enc('first@example.com::imap')}/folders/INBOX/messages?limit=2`), 200);
    await first.kill('SIGTERM');
    assert.equal((await first.exited).code, 0, 'exit code 0 after SIGTERM');
    const dataFile = join(box.dir, 'target/devserver/data.json');
    assert.ok(JSON.parse(readFileSync(dataFile, 'utf8')).users[user.json.id], 'the user is in the default data file');

    const second = await start(START_LINES[1]);
    assert.match(second.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(second.url, first.url, 'a free port, not 8787');
    assert.match(second.output(), /\(0 users\)/);
    assert.deepEqual(JSON.parse(readFileSync(dataFile, 'utf8')).users, {}, '--reset emptied the data file');
    expectStatus(await makeClient(second.url, PKG_SIGNER).call(DEMO, 'POST', '/lite/users', { form: { email: 'second@example.com' } }), 201);
    await second.kill();
  });

  test('the option table is the CLI\'s own list of options', async () => {
    const documented = [...DEV.section('Context.IO Lite dev server').matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]).sort();
    const { stdout } = await runLine('node devserver/server.mjs --help', { cwd: box.dir });
    const offered = [...stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]).filter((o) => o !== '--help').sort();
    assert.ok(documented.length >= 7, documented.join(' '));
    assert.deepEqual(documented, offered);
  });

  describe('--config my-config.json, the README\'s config file', () => {
    const configText = DEV.blockAfter('With `--config FILE`', 'json');
    const config = JSON.parse(configText);
    const [app, backend] = config.consumers.map((c) => ({ consumerKey: c.key, consumerSecret: c.secret }));
    const provider = config.consumers[0].oauthProviders[0];
    const objects = DEV.blocksAfter('### Objects', 'json').map((b) => JSON.parse(b));
    let cli;
    let api;
    let alice;

    before(async () => {
      writeFileSync(join(box.dir, 'my-config.json'), configText);
      const [line] = shellLines(DEV.blockAfter('With `--config FILE`', 'sh'));
      assert.match(line, /--config my-config\.json/);
      cli = await start(line);
      api = makeClient(cli.url, PKG_SIGNER);
    });
    after(() => cli?.kill());

    test('the server starts with both consumers, secrets not printed', () => {
      assert.equal(cli.firstLine, 'listening on http://127.0.0.1:8787');
      assert.match(cli.output(), /my-app {3}\(3-legged; secret from the config file; 1 OAuth provider in the config file\)/);
      assert.match(cli.output(), /my-backend {3}\(2-legged; secret from the config file\)/);
    });

    test('the 3-legged consumer adds users, with its config provider too; the user object is the README\'s', async () => {
      const created = await api.call(app, 'POST', '/lite/users', { form: { email: 'alice@example.com', first_name: 'Alice', last_name: 'Liddell', password: 'x' } });
      expectStatus(created, 201);
      alice = { id: created.json.id, creds: { ...app, token: created.json.access_token, tokenSecret: created.json.access_token_secret } };
      expectStatus(await api.call(app, 'GET', `/lite/users/${alice.id}`), 403, 108);
      const oauth = await api.call(alice.creds, 'POST', `/lite/users/${alice.id}/email_accounts`, {
        form: { email: 'alice@gmail.com', provider_consumer_key: provider.provider_consumer_key, provider_refresh_token: 'refresh-token' },
      });
      expectStatus(oauth, 201);
      const user = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`);
      expectStatus(user, 200);
      assertLike(user.json, objects[0], { exact: true });
    });

    test('only the 2-legged consumer manages OAuth providers; the provider object is the README\'s', async () => {
      expectStatus(await api.call(app, 'GET', '/lite/oauth_providers'), 403, 108);
      const listed = await api.call(backend, 'GET', '/lite/oauth_providers');
      expectStatus(listed, 200);
      assert.deepEqual(listed.json, []);
      const form = { type: provider.type, provider_consumer_key: provider.provider_consumer_key, provider_consumer_secret: provider.provider_consumer_secret };
      expectStatus(await api.call(backend, 'POST', '/lite/oauth_providers', { form }), 201);
      const one = await api.call(backend, 'GET', `/lite/oauth_providers/${enc(provider.provider_consumer_key)}`);
      expectStatus(one, 200);
      assertLike(one.json, objects[1], { exact: true });
    });

    test('a Gmail address gets the consent screen with the config\'s OAuth2 client', async () => {
      const token = await api.call(app, 'POST', '/lite/connect_tokens', { form: { callback_url: 'https://app.example/connected', email: 'bob@gmail.com' } });
      expectStatus(token, 201);
      const page = await fetch(token.json.browser_redirect_url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), new RegExp(`id="client-id"><code>${escapeRegExp(provider.provider_consumer_key)}</code><small>The application's ${provider.type} OAuth provider`));
    });

    test('a message is the README\'s message object', async () => {
      const folder = `/lite/users/${alice.id}/email_accounts/${enc('alice@example.com::imap')}/folders/${enc('[Gmail]/All Mail')}`;
      const list = await api.call(alice.creds, 'GET', `${folder}/messages?limit=100&include_body=1`);
      expectStatus(list, 200);
      const example = objects[2];
      const message = list.json.find((m) => m.subject === example.subject && m.addresses.from.email === example.addresses.from.email);
      assert.ok(message, `no message "${example.subject}" from ${example.addresses.from.email}`);
      assertLike(message, example, { exact: false });
    });
  });

  test('A backend: the lines run one by one, the output is the one shown', async () => {
    const lines = shellLines(DEV.blockAfter('## A backend', 'sh'));
    const expected = DEV.blockAfter('## A backend', 'text').trimEnd();
    assert.equal(lines.length, 4, lines.join('\n'));
    const env = { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error' };
    await runLine(lines[0], { cwd: box.dir, env });
    await runLine(lines[1], { cwd: box.dir });
    const cli = await start(lines[2]);
    try {
      const { stdout, stderr } = await runLine(lines[3], { cwd: box.dir });
      assert.equal(stderr, '');
      const got = stdout.trimEnd().split('\n');
      const want = expected.split('\n');
      assert.equal(got.length, want.length, stdout);
      want.forEach((line, i) => assert.match(got[i], outputPattern(line)));
      const secret = JSON.parse(readFileSync(join(box.dir, 'my-backend.json'), 'utf8')).consumers[0].secret;
      assert.match(secret, /^[0-9a-f]{32}$/);
      assert.ok(!cli.output().includes(secret) && !stdout.includes(secret), 'the secret is not printed');
    } finally {
      await cli.kill();
    }
  });

  test('Error codes: a request signed an hour in the past is answered as shown', async () => {
    const shown = DEV.blockAfter('A request signed an hour in the past', 'http').trimEnd();
    const [head, body] = shown.split('\n\n');
    const [statusLine, ...headerLines] = head.split('\n');
    const cli = await start(START_LINES[0]);
    try {
      const res = await makeClient(cli.url, PKG_SIGNER).call(DEMO, 'POST', '/lite/users', {
        form: { email: 'late@example.com' },
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      });
      assert.equal(`HTTP/1.1 ${res.status} Unauthorized`, statusLine);
      // Numbers vary: each number of the example is any number there.
      const like = (text) => new RegExp(`^${text.split(/(\d+)/).map((p, i) => (i % 2 ? '\\d+' : escapeRegExp(p))).join('')}$`);
      for (const line of headerLines) {
        const [name, value] = line.split(/: (.*)/s);
        assert.match(`${name}: ${res.headers.get(name)}`, like(`${name}: ${value}`));
      }
      const example = JSON.parse(body);
      assert.deepEqual(Object.keys(res.json), Object.keys(example));
      assert.match(res.json.value, like(example.value));
      const { params } = parseChallenge(res.headers.get('www-authenticate'));
      assert.equal(params.oauth_acceptable_timestamps, `${res.json.server_time - 300}-${res.json.server_time + 300}`);
    } finally {
      await cli.kill();
    }
  });

  test('Tests: the command shown is the one the test command runs', () => {
    const [command] = shellLines(DEV.blockAfter('## Tests', 'sh'));
    assert.ok(readFileSync(resolve(ROOT, 'scripts/test.sh'), 'utf8').includes(` ${command}\n`), `scripts/test.sh does not run \`${command}\``);
  });
});

describe('devserver/README.md, signature methods, as written', () => {
  const box = useSandbox();
  const section = DEV.section('Signature methods');
  const flat = section.replace(/\s*\n\s*/g, ' ');
  const configText = DEV.blockAfter('### Signature methods', 'json');
  const config = JSON.parse(configText);
  const [shop, tool] = config.consumers.map((c) => ({ consumerKey: c.key, consumerSecret: c.secret }));
  const [line] = shellLines(DEV.blockAfter('### Signature methods', 'sh'));
  // oauth-1.0a always; the package too once it takes signatureMethod.
  const signers = METHOD_SIGNERS.filter((s) => s.name !== 'oauth-sign' && !s.skip);
  /** A line run as written, expected to fail: its exit code and stderr. */
  const runFailing = (command) =>
    new Promise((done) => execFile('bash', ['-c', command], { cwd: box.dir, timeout: 30_000 }, (error, stdout, stderr) => done({ code: error?.code ?? 0, stdout, stderr })));
  /** A README phrase with `…` standing for anything. */
  const pattern = (text) => new RegExp(`^${text.split('…').map(escapeRegExp).join('.*')}$`);

  test('the config shown: its consumers start with the methods they list, said in the banner', async () => {
    assert.deepEqual(config.consumers.map((c) => c.signatureMethods), [['HMAC-SHA256', 'HMAC-SHA512'], ['HMAC-SHA1', 'PLAINTEXT']]);
    writeFileSync(join(box.dir, 'methods-config.json'), configText);
    assert.match(line, /^node devserver\/server\.mjs --config methods-config\.json$/);
    const cli = await startLine(line, { cwd: box.dir });
    try {
      const banner = /the banner says `([^`]+)` for `my-shop`/.exec(flat)?.[1];
      assert.ok(banner, 'the README no longer shows the banner of my-shop');
      assert.ok(cli.output().includes(`  consumer key    my-shop   ${banner}\n`), cli.output());
      assert.ok(cli.output().includes('  consumer key    my-tool   (3-legged; secret from the config file; signature methods HMAC-SHA1, PLAINTEXT)\n'), cli.output());
      assert.ok(!cli.output().includes('"…"'));
      for (const signer of signers) {
        const api = makeClient(cli.url, signer);
        for (const signatureMethod of ['HMAC-SHA256', 'HMAC-SHA512']) {
          expectStatus(await api.call(shop, 'GET', '/lite/users', { signatureMethod }), 200);
          expectStatus(await api.call(shop, 'POST', '/lite/users', { signatureMethod, form: { email: `shop-${signer.name}-${signatureMethod}@example.com` } }), 201);
        }
        for (const signatureMethod of ['HMAC-SHA1', 'PLAINTEXT']) {
          const refused = await api.call(shop, 'GET', '/lite/users', { signatureMethod });
          expectStatus(refused, 401, 101);
          assert.equal(parseChallenge(refused.headers.get('www-authenticate')).params.oauth_problem, 'signature_method_rejected');
          assert.equal(refused.json.value, `unsupported oauth_signature_method "${signatureMethod}"; this consumer accepts HMAC-SHA256, HMAC-SHA512`);
        }
        for (const signatureMethod of ['HMAC-SHA1', 'PLAINTEXT']) {
          expectStatus(await api.call(tool, 'POST', '/lite/users', { signatureMethod, form: { email: `tool-${signer.name}-${signatureMethod}@example.com` } }), 201);
        }
        const refused = await api.call(tool, 'POST', '/lite/users', { signatureMethod: 'HMAC-SHA256', form: { email: 'tool-256@example.com' } });
        expectStatus(refused, 401, 101);
        // The README's own words for a refusal.
        const shown = /`(unsupported oauth_signature_method "HMAC-SHA256"; this consumer accepts HMAC-SHA1 only)`/.exec(flat)?.[1];
        assert.ok(shown, 'the README no longer shows the refusal');
        assert.equal(refused.json.value, shown.replace('HMAC-SHA1 only', 'HMAC-SHA1, PLAINTEXT'));
      }
    } finally {
      await cli.kill();
    }
  });

  test('the misspelt method shown stops the start with the message shown', async () => {
    const shown = /`(devserver: config file …\/methods-config\.json: consumers\[1\]\.signatureMethods\[0\]: [^`]+)`/.exec(flat)?.[1];
    assert.ok(shown, 'the README no longer shows the message');
    assert.match(flat, /`"HMAC-SHA-256"` for `my-tool`'s first method/);
    const bad = JSON.parse(configText);
    bad.consumers[1].signatureMethods[0] = 'HMAC-SHA-256';
    writeFileSync(join(box.dir, 'methods-config.json'), JSON.stringify(bad));
    const res = await runFailing(line);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr.trimEnd(), pattern(shown));
    assert.equal(res.stdout, '');
  });

  test('a consumer that lists PLAINTEXT keeps the server on loopback, as shown', async () => {
    writeFileSync(join(box.dir, 'methods-config.json'), configText);
    const shown = /\(`(refusing to listen on non-loopback host 0\.0\.0\.0: [^`]+)`\)/.exec(flat)?.[1];
    assert.ok(shown, 'the README no longer shows the refusal');
    const res = await runFailing(`${line} --host 0.0.0.0`);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr.trimEnd(), pattern(`devserver: ${shown}`));
  });
});

describe('devserver/README.md, the JavaScript examples', { skip }, () => {
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
    const code = DEV.blockAfter('## From code', 'js').replace("'./devserver/app.mjs'", `'${pathToFileURL(resolve(ROOT, 'devserver/app.mjs')).href}'`);
    const { stdout } = await runExample('from-code', code);
    assert.match(stdout, /^http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  test('Example: a user, its mailbox (project package)', async () => {
    assert.ok(existsSync(PKG_ENTRY), `${PKG_ENTRY} is missing: build the package or set DEVSERVER_TESTS_WITHOUT_PKG=1`);
    const code = DEV.blockAfter('## Example: a user, its mailbox', 'js').replace("'contextio-signer'", `'${pathToFileURL(PKG_ENTRY).href}'`);
    const { stdout } = await runExample('user-mailbox', code);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 5, stdout);
    for (const line of lines) assert.match(line, /^[^:]+: .+/);
  });
});

describe('README.md, the local API server, as written', { skip }, () => {
  const section = TOP.section('The local API server');
  const box = useSandbox();

  test('what `bash scripts/main.sh` runs: the signed sample, then the server with the demo consumer on 8787', async () => {
    // main.sh builds the package and the extension first (the test command does that itself, and
    // runs `main.sh --check`); here its last two commands run as it runs them.
    const mainSh = readFileSync(resolve(ROOT, 'scripts/main.sh'), 'utf8');
    for (const line of ['node scripts/sample.mjs\n', 'exec node devserver/server.mjs "$@"\n']) assert.ok(mainSh.includes(line), `main.sh no longer runs ${line}`);
    const sample = await runLine('node scripts/sample.mjs', { cwd: box.dir });
    assert.match(sample.stdout, /^ {2}Authorization: OAuth oauth_consumer_key="contextio-demo"/m);
    assert.match(sample.stdout, /^ {2}base string: POST&http%3A%2F%2F127\.0\.0\.1%3A8787%2Flite%2Fusers&/m);

    const [, origin, key, secret] = /on\s+`(http:\/\/[^`]+)`\s+with the demo consumer \(`([^`]+)`\s*\/\s*`([^`]+)`/.exec(section) ?? [];
    assert.ok(origin, 'the README no longer names the origin and the demo consumer');
    const cli = await startLine('node devserver/server.mjs', { cwd: box.dir });
    try {
      assert.equal(cli.url, origin);
      assert.deepEqual([key, secret], [DEMO.consumerKey, DEMO.consumerSecret]);
      expectStatus(await makeClient(cli.url, PKG_SIGNER).call({ consumerKey: key, consumerSecret: secret }, 'POST', '/lite/users', { form: { email: 'main@example.com' } }), 201);
    } finally {
      await cli.kill();
    }
  });

  test('a bad signature is answered with the body shown', async () => {
    const shown = /\(`(\{"type":"error","code":105,[^`]*\})`\)/.exec(section.replace(/\s*\n\s*/g, ' '))?.[1];
    assert.ok(shown, 'the README no longer shows the 105 body');
    const example = JSON.parse(shown);
    const cli = await startLine('node devserver/server.mjs', { cwd: box.dir });
    try {
      const res = await makeClient(cli.url, PKG_SIGNER).call({ ...DEMO, consumerSecret: 'not-the-secret' }, 'POST', '/lite/users', { form: { email: 'x@example.com' } });
      expectStatus(res, 401, example.code);
      assert.equal(res.json.type, example.type);
      const problem = /(oauth_problem="[a-z_]+")/.exec(section.replace(/\s*\n\s*/g, ' '))?.[1];
      assert.ok(problem && res.headers.get('www-authenticate').includes(`, ${problem}`), `${res.headers.get('www-authenticate')} has no ${problem}`);
      // "X" is the signature received, "..." the base string.
      const pattern = escapeRegExp(example.value).replace('X', '(\\S+)').replace('\\.\\.\\.', '(.+)');
      const [, signature, baseString] = new RegExp(`^${pattern}$`).exec(res.json.value) ?? assert.fail(res.json.value);
      assert.equal(baseString, res.json.base_string);
      assert.ok(signature.length > 0);
    } finally {
      await cli.kill();
    }
  });

  test('state persists in target/devserver/data.json; a replay is refused across a restart', async () => {
    const file = /persist in `([^`]+)`/.exec(section)?.[1];
    assert.equal(file, 'target/devserver/data.json');
    let cli = await startLine('node devserver/server.mjs', { cwd: box.dir });
    const signed = await PKG_SIGNER.sign({ ...DEMO, method: 'POST', url: `${cli.url}/lite/users`, body: 'email=persist%40example.com', contentType: 'application/x-www-form-urlencoded' });
    const send = () => fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
    let res = await send();
    assert.equal(res.status, 201);
    const { id } = await res.json();
    await cli.kill();
    assert.ok(JSON.parse(readFileSync(join(box.dir, file), 'utf8')).users[id], `the user is in ${file}`);
    assert.ok(existsSync(join(box.dir, `${file}.nonces`)), 'the nonce journal is beside it');
    cli = await startLine('node devserver/server.mjs', { cwd: box.dir });
    try {
      res = await send();
      assert.equal(res.status, 401);
      assert.equal((await res.json()).code, 107, 'the replay is refused after the restart');
    } finally {
      await cli.kill();
    }
  });
});

test("devserver/README.md's error table: each Context.IO OAuth code with the shared table's status and word", () => {
  const rows = new Map(DEV.text.split('\n').filter((l) => /^\| \d{3} \|/.test(l)).map((l) => {
    const cells = l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim());
    return [Number(cells[0]), cells];
  }));
  for (const [code, { status, oauthProblem }] of Object.entries(CONTEXT_IO_CODES)) {
    const cells = rows.get(Number(code)) ?? assert.fail(`no row for ${code}`);
    assert.equal(Number(cells[1]), status, `${code}: HTTP`);
    assert.ok(cells.at(-1).includes(`\`${oauthProblem}\``), `${code}: its oauth_problem ${oauthProblem}`);
  }
  for (const [code, cells] of rows) if (!(code in CONTEXT_IO_CODES)) assert.equal(cells.at(-1), '', `${code} is not an OAuth refusal: no oauth_problem`);
});
