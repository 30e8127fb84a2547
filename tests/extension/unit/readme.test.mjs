// Every example of extension/README.md runs as written: its build commands in a scratch copy of
// the repository (the package build there is the devserver README tests' stand-in: the test
// command built pkg/ just before), its lint line on that build, its test commands are the ones
// scripts/test.sh runs, its "Copy as curl" text is made again by the extension's own code, and
// the messages and paths it quotes are the real ones. A fenced block no test here claims fails.

import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEMO_CONSUMER } from '../../../common/constants.js';
import { METHODS, REFUSAL_STATUSES, retryFor, signingInfo } from '../../../extension/api.js';
import { curlCommand, fetchSnippet } from '../../../extension/copyas.js';
import { defaultApiBase } from '../../../extension/origins.js';
import { checkMessage } from '../../../extension/schema.js';
import { Signer } from '../../../pkg/node.js';
import { ROOT, fencedBlocks, readme, runLine, sandbox, shellLines } from '../../devserver/helpers/readme.mjs';

const README = readme('extension/README.md');
const blocks = fencedBlocks(README.text);
/** The blocks a test below has claimed (by their text). */
const claimed = new Set();
/** The first fenced block of `lang` after `marker` (a shell block may hold `# ` comment lines). */
const claim = (marker, lang) => {
  const at = README.text.indexOf(marker);
  assert.notEqual(at, -1, `extension/README.md no longer says "${marker}"`);
  const code = fencedBlocks(README.text.slice(at)).find((b) => b.lang === lang)?.code;
  assert.ok(code !== undefined, `extension/README.md: no \`\`\`${lang} block after "${marker}"`);
  claimed.add(code);
  return code;
};
/** Inline text of the README, its line breaks read as spaces. */
const inline = (s) => s.replace(/\s+/g, ' ');

const box = sandbox();
for (const part of ['extension', 'js', 'scripts/build-extension.mjs']) cpSync(join(ROOT, part), join(box.dir, part), { recursive: true });
after(() => box.cleanup());

const manifest = (browser) => JSON.parse(readFileSync(join(box.dir, 'dist', browser, 'manifest.json'), 'utf8'));
const buildBlock = claim('zips each with `web-ext build`', 'sh');
const testsBlock = claim('## Tests', 'sh');

test('the build commands, as written, in a scratch copy of the repository', async () => {
  const checks = {
    'node scripts/build-pkg.mjs': () => {},
    'node scripts/build-extension.mjs': () => {
      for (const browser of ['chrome', 'firefox']) {
        assert.deepEqual(manifest(browser).host_permissions, ['http://127.0.0.1:8787/*'], browser);
        assert.equal(defaultApiBase(manifest(browser)), 'http://127.0.0.1:8787/lite', 'the local dev server');
        assert.ok(readFileSync(join(box.dir, 'dist', `contextio-signer-${browser}.zip`)).length > 1000);
      }
    },
    'node scripts/build-extension.mjs --api-origin https://api.context.io': () => {
      for (const browser of ['chrome', 'firefox']) assert.deepEqual(manifest(browser).host_permissions, ['https://api.context.io/*'], browser);
    },
    'node scripts/build-extension.mjs --help': ({ stdout }) => {
      for (const flag of ['--out-dir', '--browser chrome|firefox', '--no-zip', '--quiet']) assert.ok(stdout.includes(flag), flag);
    },
  };
  const lines = shellLines(buildBlock);
  assert.deepEqual(lines.map((l) => l.replace(/\s+#.*$/, '')), Object.keys(checks), 'each line of the block has its check');
  for (const line of lines) checks[line.replace(/\s+#.*$/, '')](await runLine(line, { cwd: box.dir }));
});

test('the test commands: scripts/test.sh runs each as written; the lint line, run here on the build, finds nothing', async () => {
  const testSh = readFileSync(join(ROOT, 'scripts/test.sh'), 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/^counted "[^"]+" /, ''));
  const lines = shellLines(testsBlock).map((l) => l.replace(/\s+#.*$/, ''));
  const lint = lines.filter((l) => l.startsWith('npx web-ext lint '));
  assert.equal(lint.length, 1);
  for (const line of lines.filter((l) => !lint.includes(l))) assert.ok(testSh.includes(line), `scripts/test.sh does not run \`${line}\``);
  await runLine('node scripts/build-extension.mjs --browser firefox --no-zip --quiet', { cwd: box.dir });
  const { stdout } = await runLine(lint[0], { cwd: box.dir });
  assert.match(stdout, /errors\s+0\s+notices\s+0\s+warnings\s+0/, stdout);
});

test('"Copy as curl": the block is what the extension copies for the request it names', () => {
  const block = claim('"Copy as curl" copies exactly this', 'sh');
  const m = /`GET\s+(\S+)`,\s+signed for the demo consumer with the\s+token `([^`]+)` \(secret `([^`]+)`\), nonce\s+`([^`]+)` and timestamp (\d+)/.exec(README.text);
  assert.ok(m, 'the README names the request of its curl example');
  const [, url, token, tokenSecret, nonce, timestamp] = m;
  const signer = new Signer({ ...DEMO_CONSUMER, token, tokenSecret });
  const signed = signer.signRequest({ method: 'GET', url, nonce, timestamp: Number(timestamp) });
  const signedAt = new Date(Number(timestamp) * 1000);
  assert.equal(block, curlCommand(signingInfo(signed, 0), { signedAt }));
  // And the fetch form ends as the README says.
  assert.ok(fetchSnippet(signingInfo(signed, 0), { signedAt }).endsWith('console.log(response.status, await response.text());\n'));
  assert.ok(inline(README.text).includes('console.log(response.status, await response.text());`'));
});

test('what the README quotes is what the code says', () => {
  const quoted = inline(/`(unknown field "qurey" in a api\.request message[^`]*)`/.exec(README.text)?.[1] ?? '');
  assert.ok(quoted, 'the README quotes the unknown-field message');
  assert.throws(() => checkMessage({ type: 'api.request', userId: 'u', path: '/users', qurey: {} }), { code: 'UNKNOWN_FIELD', message: quoted });
  const imports = /`(import \{ DEMO_CONSUMER \} from '\.\.\/common\/constants\.js';)` in `([a-z-]+\.js)`/.exec(README.text);
  assert.ok(imports, 'the README quotes an import of a shared module');
  assert.ok(readFileSync(join(ROOT, 'extension', imports[2]), 'utf8').split('\n').includes(imports[1]), `${imports[2]} has ${imports[1]}`);
  const [, from, to] = /\(`(chrome-extension:\/\/ID\/\.\.\/common\/constants\.js)` is `(chrome-extension:\/\/ID\/common\/constants\.js)`\)/.exec(README.text) ?? [];
  assert.ok(from, 'the README shows how `..` resolves at the root');
  assert.equal(new URL(from).href, to);
});

test('the retry rule\'s table is the rule retryFor applies, for every problem, status and method', () => {
  const at = README.text.indexOf('**The retry rule**');
  assert.notEqual(at, -1, 'the README has the retry rule');
  // The table's rows: the first run of `| ` lines after the marker (the Errors table further down
  // names the same codes, and is no part of the rule).
  const lines = README.text.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('| '));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('| '));
  const rows = lines.slice(start, end).slice(2).map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()));
  assert.ok(rows.length >= 4, `${rows.length} rows`);
  const named = rows.flatMap(([problems]) => [...problems.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
  const PROBLEMS = ['SIGNATURE_INVALID', 'TIMESTAMP_REFUSED', 'CLOCK_SKEW', 'NONCE_USED', 'PARAMETER_ABSENT', 'PARAMETER_REJECTED', 'VERSION_REJECTED',
    'SIGNATURE_METHOD_REJECTED', 'CONSUMER_KEY_REFUSED', 'TOKEN_REFUSED', 'PERMISSION_DENIED', 'OTHER', 'NOT_REFUSED', 'UNEXPLAINED'];
  const matches = ([problems, statuses, methods], problem, status, method) =>
    (problems === 'any' || (problems === 'any other problem' ? !named.includes(problem) : named.includes(problem) && problems.includes(`\`${problem}\``))) &&
    (statuses === 'any' || (statuses === 'any other' ? !REFUSAL_STATUSES.includes(status) : statuses.split(', ').map(Number).includes(status))) &&
    (methods === 'any' || methods.split(', ').includes(method));
  const outcome = (then) => (then.startsWith('not sent again') ? null : /clockOffset/.test(then) ? 'clock' : 'nonce');
  let checked = 0;
  for (const problem of PROBLEMS) {
    // What the package says of each problem (src/diagnose/mod.rs): a clock retry with an offset, a nonce retry.
    const retry = { TIMESTAMP_REFUSED: 'clock', CLOCK_SKEW: 'clock', NONCE_USED: 'nonce' }[problem] ?? null;
    for (const status of [400, 401, 403, 404, 409, 500]) {
      for (const method of METHODS) {
        const said = [...new Set(rows.filter((r) => matches(r, problem, status, method)).map((r) => outcome(r[3])))];
        assert.equal(said.length, 1, `${problem} ${status} ${method}: the table gives ${said.length} answers`);
        const diagnosis = { problem, status, retry, clockOffset: retry === 'clock' ? 3600 : null };
        assert.equal(retryFor(diagnosis, { method, status }), said[0], `${problem} ${status} ${method}`);
        checked += 1;
      }
    }
  }
  assert.equal(checked, PROBLEMS.length * 6 * METHODS.length);
});

test('every fenced block of the README is run or checked by a test above', () => {
  assert.ok(blocks.length >= 3);
  for (const b of blocks) assert.ok(claimed.has(b.code), `no test runs this block:\n${b.code}`);
});
