// "Copy as curl" / "Copy as fetch" (issue 10, part 3): the formats, shell quoting over awkward
// strings (checked by bash itself), and the copied requests run for real against the local
// server: accepted once, refused as a replay (107) the second time. The explorer's buttons are
// exercised end to end in tests/extension/e2e/.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { SINGLE_USE_NOTE, curlCommand, fetchSnippet, shellQuote } from '../../../extension/copyas.js';
import { startServer } from '../devserver.mjs';
import { captureConsole, createHarness, releaseConsole } from '../harness.mjs';

const run = promisify(execFile);
const bash = (script) => run('bash', ['-c', script], { maxBuffer: 1 << 24 });
const node = (code) => run(process.execPath, ['--input-type=module', '-e', code], { maxBuffer: 1 << 24 });

const signing = {
  method: 'POST',
  url: "http://127.0.0.1:8787/lite/users?q=it's",
  authorization: 'OAuth oauth_consumer_key="contextio-demo", oauth_nonce="n", oauth_signature="s%3D"',
  contentType: 'application/x-www-form-urlencoded',
  body: "email=a%40b.example&note=it's",
  baseString: 'POST&http%3A%2F%2F127.0.0.1%3A8787%2Flite%2Fusers&email%3Da',
  oauthParameters: { oauth_timestamp: '1700000000', oauth_nonce: 'n' },
};
const signedAt = new Date('2030-01-02T03:04:05Z');

describe('formats', () => {
  test('shellQuote: bash reads back exactly what was quoted', async () => {
    const awkward = ["it's", '"double"', '$HOME `id` $(id) \\n', 'new\nline', ' spaces  ', '', "'''", 'ünïcødé ✓', '!history', '*?[glob]'];
    for (const s of awkward) {
      const { stdout } = await bash(`printf %s ${shellQuote(s)}`);
      assert.equal(stdout, s, JSON.stringify(s));
    }
  });

  test('curl: the single-use note and the base string as comments, then method, URL, headers, body', () => {
    assert.equal(curlCommand(signing, { signedAt }), [
      '# Signed by the Context.IO Signer extension at 2030-01-02T03:04:05.000Z (oauth_timestamp 1700000000).',
      `# ${SINGLE_USE_NOTE}`,
      '# Signature base string: POST&http%3A%2F%2F127.0.0.1%3A8787%2Flite%2Fusers&email%3Da',
      "curl --request 'POST' \\",
      "  --url 'http://127.0.0.1:8787/lite/users?q=it'\\''s' \\",
      `  --header 'Authorization: OAuth oauth_consumer_key="contextio-demo", oauth_nonce="n", oauth_signature="s%3D"' \\`,
      "  --header 'Content-Type: application/x-www-form-urlencoded' \\",
      "  --data-raw 'email=a%40b.example&note=it'\\''s'",
      '',
    ].join('\n'));
    const get = curlCommand({ ...signing, method: 'GET', contentType: undefined, body: undefined }, { signedAt });
    assert.doesNotMatch(get, /--data|Content-Type/);
  });

  test('a line break in a commented value cannot end the comment and run as a command', async () => {
    const evil = { ...signing, baseString: 'x\ntouch /tmp/never-made-by-copyas-test\r\necho pwned', oauthParameters: { oauth_timestamp: '1\necho pwned2' } };
    const text = curlCommand(evil, { signedAt });
    const lines = text.split('\n');
    assert.ok(lines.slice(0, 3).every((l) => l.startsWith('# ')), 'three comment lines');
    const { stdout } = await bash(text.replace(/^curl[\s\S]*$/m, 'echo done'));
    assert.equal(stdout.trim(), 'done');
    assert.match(fetchSnippet(evil, { signedAt }).split('\n').slice(0, 3).join('\n'), /^\/\/ .*\n\/\/ .*\n\/\/ Signature base string: x touch/);
  });

  test('fetch: an ES module snippet with JSON string literals', () => {
    const text = fetchSnippet(signing, { signedAt });
    assert.match(text, /^\/\/ Signed by the Context\.IO Signer extension at 2030-01-02T03:04:05\.000Z/);
    assert.match(text, /const response = await fetch\("http:\/\/127\.0\.0\.1:8787\/lite\/users\?q=it's", \{\n  method: "POST",\n  headers: \{\n    "Authorization": "OAuth oauth_consumer_key=\\"contextio-demo\\", /);
    assert.match(text, /"Content-Type": "application\/x-www-form-urlencoded",\n  \},\n  body: "email=a%40b\.example&note=it's",\n\}\);\nconsole\.log\(response\.status, await response\.text\(\)\);\n$/);
  });
});

describe('run against the local server', () => {
  let server;
  let h;
  let user;
  before(async () => {
    server = await startServer();
    h = createHarness({ origin: server.url });
    const add = await h.bg.handleMessage({ type: 'users.add', email: 'copier@example.com' }, { id: h.fake.runtime.id, url: h.fake.runtime.getURL('explorer.html') });
    assert.equal(add.ok, true, JSON.stringify(add.error));
    user = add.user;
  });
  after(() => server?.close());
  beforeEach(captureConsole);
  afterEach(releaseConsole);

  const preview = async (extra = {}) => {
    const r = await h.ask({ type: 'api.preview', userId: user.id, method: 'GET', path: `/users/${user.id}/email_accounts`, ...extra });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    return r.signing;
  };

  test('the copied curl command is accepted once, then refused as a replay (107)', async () => {
    const text = curlCommand(await preview({ query: { status: 'OK', note: "it's a test" } }));
    const first = JSON.parse((await bash(text)).stdout);
    assert.ok(Array.isArray(first), JSON.stringify(first));
    assert.equal(first[0].email, 'copier@example.com');
    const second = JSON.parse((await bash(text)).stdout);
    assert.equal(second.code, 107, JSON.stringify(second));
  });

  test('a POST with a form body: the signature covers the body (108, authentic but not allowed), then 107', async () => {
    const signing = await preview({ method: 'POST', path: '/users', body: { email: "o'brien@example.com", first_name: 'Seán' } });
    assert.equal(signing.contentType, 'application/x-www-form-urlencoded');
    const text = curlCommand(signing);
    assert.match(text, /--data-raw 'email=o%27brien%40example\.com&first_name=Se%C3%A1n'$/m);
    assert.equal(JSON.parse((await bash(text)).stdout).code, 108, 'authentic: only the access rule refuses a user token on POST /users');
    assert.equal(JSON.parse((await bash(text)).stdout).code, 107);
    const tampered = text.replace('first_name=Se%C3%A1n', 'first_name=Sean');
    assert.equal(JSON.parse((await bash(tampered)).stdout).code, 105, 'a changed body breaks the signature');
  });

  test('every copy is a fresh signature: another nonce, accepted on its own', async () => {
    const a = await preview();
    const b = await preview();
    assert.notEqual(a.oauthParameters.oauth_nonce, b.oauthParameters.oauth_nonce);
    assert.ok(Array.isArray(JSON.parse((await bash(curlCommand(a))).stdout)));
    assert.ok(Array.isArray(JSON.parse((await bash(curlCommand(b))).stdout)));
  });

  test('the copied fetch call runs in Node: 200 once, 401 with 107 the second time', async () => {
    const text = fetchSnippet(await preview());
    const first = (await node(text)).stdout;
    assert.match(first, /^200 \[/);
    const second = (await node(text)).stdout;
    assert.match(second, /^401 .*"code":107/);
  });
});
