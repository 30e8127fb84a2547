// Tier 3 (issue 23): the package's entries under the server runtimes the README names, Deno and
// Bun, with Node as the control. The built pkg/ is packed and installed into a scratch project
// as a user installs it (`npm install` of the tarball, offline); each runtime then runs a script
// of tests/runtimes/scripts/ there that imports the entries by name (`contextio-signer`,
// `contextio-signer/diagnose`, `contextio-signer/verify`: the package's `deno`, `bun` and `node`
// export conditions) and prints what it got as JSON; this file holds every expectation.
//
// Deno and Bun are the npm packages that carry their binaries (@deno/linux-x64-glibc,
// @oven/bun-linux-x64: devDependencies, installed by `npm ci` in scripts/setup.sh). Neither may
// fetch anything: Deno runs with --no-remote --cached-only, the scratch project's own
// node_modules (--node-modules-dir=manual), no network permission, read access to the package
// and the inputs only, no prompt, no update check, a DENO_DIR of its own (checked afterwards:
// no npm or remote module was cached); Bun runs with --no-install and an install cache of its
// own (checked afterwards: empty). Every runtime gets a HOME of its own.
//
// Expected signatures come only from the published vectors (../shared/vectors/*.json); the
// typed errors and the diagnoses must also be exactly Node's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VECTORS_PATH, METHODS_PATH, published, methods, vectorNewUser, describe } from '../js/vectors.mjs';
import { installPackage } from '../support/installed.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkgDir = join(root, 'pkg');
const here = fileURLToPath(new URL('.', import.meta.url));
const support = join(root, 'tests/support');
const REFUSALS = join(support, 'refusals.json');
const devDependencies = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies;

/** Each runtime: its binary, and the version it must report (Deno's and Bun's: their pins in package.json). */
const RUNTIMES = {
  node: { bin: process.execPath, version: process.versions.node },
  deno: { bin: join(root, 'node_modules/@deno/linux-x64-glibc/deno'), version: devDependencies['@deno/linux-x64-glibc'] },
  bun: { bin: join(root, 'node_modules/@oven/bun-linux-x64/bin/bun'), version: devDependencies['@oven/bun-linux-x64'] },
};
const NAMES = Object.keys(RUNTIMES);

let scratch;
let installed;
let dirs;

before(() => {
  assert.ok(existsSync(join(pkgDir, 'package.json')), 'pkg/ is not built: run node scripts/build-pkg.mjs');
  for (const name of ['deno', 'bun']) {
    assert.ok(existsSync(RUNTIMES[name].bin), `${name} is not installed at ${RUNTIMES[name].bin}: run scripts/setup.sh (npm ci)`);
  }
  ({ dir: scratch, installed } = installPackage({ prefix: 'contextio-runtimes-' }));
  for (const f of readdirSync(join(here, 'scripts'))) copyFileSync(join(here, 'scripts', f), join(scratch, f));
  dirs = { home: join(scratch, 'home'), denoDir: join(scratch, 'deno-dir'), bunCache: join(scratch, 'bun-cache'), bunTranspiled: join(scratch, 'bun-transpiled'), tmp: join(scratch, 'tmp') };
  for (const d of Object.values(dirs)) mkdirSync(d);
});
after(() => scratch && rmSync(scratch, { recursive: true, force: true }));

/** The command line of `script` under runtime `name`. */
function commandLine(name, script, input) {
  const arg = JSON.stringify(input);
  if (name === 'node') return [script, arg];
  if (name === 'deno') {
    const readable = [scratch, VECTORS_PATH, METHODS_PATH, support].join(',');
    return ['run', '--no-prompt', '--no-remote', '--cached-only', '--no-lock', '--node-modules-dir=manual', `--allow-read=${readable}`, script, arg];
  }
  return ['run', '--no-install', '--no-env-file', script, arg];
}

/** The environment of a runtime: nothing of ours but PATH, a HOME and caches of its own. */
function environment(name) {
  const env = { PATH: process.env.PATH, HOME: dirs.home, TMPDIR: dirs.tmp, NO_COLOR: '1' };
  if (name === 'deno') Object.assign(env, { DENO_DIR: dirs.denoDir, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' });
  if (name === 'bun') Object.assign(env, { BUN_INSTALL_CACHE_DIR: dirs.bunCache, BUN_RUNTIME_TRANSPILER_CACHE_PATH: dirs.bunTranspiled, DO_NOT_TRACK: '1' });
  return env;
}

/** Runs a script of tests/runtimes/scripts/ under runtime `name` in the scratch project: its JSON. */
function run(name, script, input) {
  const r = spawnSync(RUNTIMES[name].bin, commandLine(name, script, input), {
    cwd: scratch, env: environment(name), encoding: 'utf8', timeout: 180_000, maxBuffer: 64 << 20,
  });
  assert.equal(r.error, undefined, `${name} ${script}: ${r.error}`);
  assert.equal(r.status, 0, `${name} ${script} exited ${r.status} (${r.signal}):\n${r.stderr}`);
  assertNothingFetched();
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines.at(-1));
}

/** Deno cached no npm or remote module, Bun installed nothing: checked after every run. */
function assertNothingFetched() {
  // Deno makes an empty npm/ folder at start; a module it fetched would be a file under npm/ or
  // remote/ (or deps/, its older name).
  const fetched = ['npm', 'remote', 'deps'].flatMap((d) => (existsSync(join(dirs.denoDir, d))
    ? readdirSync(join(dirs.denoDir, d), { recursive: true }).map((f) => `${d}/${f}`) : []));
  assert.deepEqual(fetched, [], 'Deno cached no npm or remote module');
  assert.deepEqual(readdirSync(dirs.bunCache), [], 'the Bun install cache is empty');
  assert.deepEqual(readdirSync(dirs.home, { recursive: true }), [], 'nothing was written to HOME');
}

/**
 * The file a runtime must load for an entry of the installed package: the first condition of
 * the entry's exports, in their written order, that the runtime matches (Node: node, import,
 * default; Deno and Bun add their own name), as every one of the three resolves them.
 */
function entryFile(name, entry) {
  const exports = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).exports[entry];
  assert.ok(exports, `the package exports no ${entry}`);
  const conditions = new Set([...(name === 'node' ? [] : [name]), 'node', 'import', 'default']);
  const key = Object.keys(exports).find((k) => conditions.has(k));
  return join(installed, exports[key]);
}

/** The script ran under runtime `name`, and `entry` of the package resolved to its server file. */
function checkRuntime(name, out, entry, resolved) {
  assert.deepEqual(out.runtime, { name, version: RUNTIMES[name].version }, 'the runtime that ran the script');
  assert.equal(resolved, entryFile(name, entry), `${entry} resolves to the server entry of the package`);
}

test('Deno and Bun are the pinned versions, run from node_modules', (t) => {
  const deno = execFileSync(RUNTIMES.deno.bin, ['--version'], { env: environment('deno'), encoding: 'utf8' });
  const bun = execFileSync(RUNTIMES.bun.bin, ['--version'], { env: environment('bun'), encoding: 'utf8' });
  t.diagnostic(`deno --version: ${deno.trim().replace(/\n/g, ' | ')}`);
  t.diagnostic(`bun --version: ${bun.trim()}`);
  t.diagnostic(`node --version: v${process.versions.node}`);
  assert.match(deno, new RegExp(`^deno ${RUNTIMES.deno.version.replace(/\./g, '\\.')} `));
  assert.equal(bun.trim(), RUNTIMES.bun.version);
});

// ---- contextio-signer: every published vector, the typed errors, every API check -----------

/** What a runtime signed that differs from the published vectors (empty when all agree). */
function vectorFailures(signed) {
  const failures = [];
  let rows = 0;
  for (const [file, { vectors }] of Object.entries({ published, methods })) {
    for (const v of vectors) {
      const ways = vectorNewUser(v) ? ['Signer.forNewUser'] : ['signRequest', 'Signer'];
      const mode = v.token ? 'three-legged' : vectorNewUser(v) ? 'new-user' : 'two-legged';
      for (const via of ways) {
        rows++;
        const got = signed.find((s) => s.file === file && s.name === v.name && s.via === via);
        const wrong = [];
        if (!got) wrong.push('not signed');
        else if (got.error) wrong.push(`threw ${got.error}`);
        else {
          if (got.signature !== v.signature) wrong.push(`signature ${got.signature}, published ${v.signature}`);
          if (v.baseString !== undefined && got.baseString !== v.baseString) wrong.push(`base string ${got.baseString}`);
          if (got.signatureMethod !== (v.signatureMethod ?? 'HMAC-SHA1')) wrong.push(`method ${got.signatureMethod}`);
          if (via !== 'signRequest' && got.mode !== mode) wrong.push(`a ${got.mode} signer, not ${mode}`);
          if (v.realm && !got.authorization.startsWith(`OAuth realm="${v.realm}", `)) wrong.push(`header ${got.authorization}`);
        }
        if (wrong.length) failures.push(`${describe(v)} (${via}): ${wrong.join('; ')}`);
      }
    }
  }
  assert.equal(signed.length, rows, 'one result per vector and way');
  return failures;
}

test('sign entry: the published vectors through signRequest and 2- and 3-legged Signers, typed errors as in Node, every API check', async (t) => {
  const input = { published: VECTORS_PATH, methods: METHODS_PATH, apiChecks: join(support, 'api-checks.js') };
  const results = {};
  for (const name of NAMES) {
    await t.test(name, () => {
      const out = run(name, 'sign.mjs', input);
      results[name] = out;
      checkRuntime(name, out, '.', out.resolved['contextio-signer']);
      assert.deepEqual(vectorFailures(out.signed), []);
      const modes = new Set(out.signed.map((s) => s.mode));
      for (const mode of ['two-legged', 'three-legged', 'new-user']) assert.ok(modes.has(mode), `a ${mode} signer signed`);
      for (const [what, e] of Object.entries(out.errors)) {
        const code = what.split(':')[0];
        assert.deepEqual({ threw: e.threw, isError: e.isError, name: e.name, code: e.code, isOAuthSignError: e.isOAuthSignError },
          { threw: true, isError: true, name: 'OAuthSignError', code, isOAuthSignError: true }, `${what}: ${JSON.stringify(e)}`);
        assert.ok(e.message.length > 0 && !e.message.includes('SECRET'), `${what}: ${e.message}`);
      }
      if (name !== 'node') assert.deepEqual(out.errors, results.node.errors, 'the same errors, messages and all, as Node');
      assert.deepEqual(out.api.failed, []);
      assert.deepEqual(out.api.groups, out.api.all, 'every group of tests/support/api-checks.js ran');
      assert.ok(out.api.count >= 150, `only ${out.api.count} checks ran`);
    });
  }
});

// ---- contextio-signer/diagnose: a Context.IO 105 answer, every recorded refusal ------------

const DIAGNOSED_VECTOR = 'rfc5849-1.2-photos';

test('diagnose entry: a Context.IO 105 answer whose base string differs in one parameter names it; every recorded refusal as in Node', async (t) => {
  const v = published.vectors.find((x) => x.name === DIAGNOSED_VECTOR);
  // The server's base string: the published one with one value changed (written here, not computed by the package).
  const theirs = v.baseString.replace('%26size%3Doriginal', '%26size%3Dlarge');
  assert.notEqual(theirs, v.baseString);
  const answer = {
    status: 401,
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify({ type: 'error', code: 105, value: 'Invalid signature', base_string: theirs }),
  };
  const { cases } = JSON.parse(readFileSync(REFUSALS, 'utf8'));
  const input = { published: VECTORS_PATH, apiChecks: join(support, 'api-checks.js'), refusals: REFUSALS, vector: DIAGNOSED_VECTOR, answer };
  const results = {};
  for (const name of NAMES) {
    await t.test(name, () => {
      const out = run(name, 'diagnose.mjs', input);
      results[name] = out;
      checkRuntime(name, out, './diagnose', out.resolved['contextio-signer/diagnose']);
      assert.deepEqual(out.signed, { baseString: v.baseString, signature: v.signature }, 'the published vector signed');
      const d = out.answered;
      assert.deepEqual(
        { problem: d.problem, serverProblem: d.serverProblem, status: d.status, identical: d.identical, baseStringSource: d.baseStringSource, serverBaseString: d.serverBaseString, retry: d.retry },
        { problem: 'SIGNATURE_INVALID', serverProblem: '105', status: 401, identical: false, baseStringSource: 'json', serverBaseString: theirs, retry: null });
      assert.deepEqual(d.differences.map(({ component, kind, name: n, ours, theirs: t2 }) => ({ component, kind, name: n, ours, theirs: t2 })),
        [{ component: 'parameter', kind: 'value', name: 'size', ours: 'original', theirs: 'large' }], 'exactly the one difference');
      assert.deepEqual(out.answeredWithHeaders, d, 'headers as a Headers object read alike');
      assert.equal(out.recorded.length, cases.length);
      cases.forEach((c, i) => {
        const got = out.recorded[i];
        assert.equal(got.problem, c.expect.problem, c.name);
        if (c.expect.differences) {
          assert.deepEqual(got.differences.map((x) => Object.fromEntries(Object.keys(c.expect.differences[0] ?? {}).map((k) => [k, x[k]]))), c.expect.differences, c.name);
        }
        if (c.expect.notContaining) assert.ok(!JSON.stringify(got).includes(c.expect.notContaining), `${c.name}: a secret in the diagnosis`);
      });
      assert.deepEqual({ threw: out.badInput.threw, name: out.badInput.name, code: out.badInput.code }, { threw: true, name: 'OAuthSignError', code: 'INVALID_OPTIONS' });
      if (name !== 'node') {
        assert.deepEqual(out.recorded, results.node.recorded, 'every recorded refusal diagnosed as Node does');
        assert.deepEqual(out.answered, results.node.answered);
        assert.deepEqual(out.badInput, results.node.badInput);
      }
    });
  }
});

// ---- contextio-signer/verify: a signed request accepted, one changed value refused ---------

/** A refusal's `debug_sbs`, from its form body or its challenge (null when it has none). */
function debugBaseString(refusal) {
  const inBody = new URLSearchParams(refusal.body).get('debug_sbs');
  const inChallenge = /(?:^OAuth |, )debug_sbs="([^"]*)"/.exec(refusal.headers['WWW-Authenticate']);
  return inBody ?? (inChallenge && decodeURIComponent(inChallenge[1]));
}

test('verify entry', async (t) => {
  // Fails, never skips, until the lead's entry is built (issue 23 item 3).
  assert.ok(existsSync(join(pkgDir, 'verify.js')), 'pkg/verify.js is missing: the verify entry (contextio-signer/verify) is not built');
  for (const name of NAMES) {
    await t.test(name, () => {
      const out = run(name, 'verify.mjs', {});
      checkRuntime(name, out, './verify', out.resolved['contextio-signer/verify']);
      for (const [what, r] of Object.entries(out.results)) {
        const { ok, consumerKey, token, signatureMethod } = r.accepted;
        assert.deepEqual({ ok, consumerKey, token, signatureMethod }, { ok: true, consumerKey: 'ck', token: 'tok', signatureMethod: 'HMAC-SHA1' }, `${what}: accepted ${JSON.stringify(r.accepted)}`);
        assert.ok(r.accepted.parameters !== undefined, `${what}: the collected parameters`);
        for (const [which, refusal] of [['refused', r.refused], ['refused, debugBaseString', r.refusedWithBaseString]]) {
          const label = `${what}, one query value changed, ${which}: ${JSON.stringify(refusal)}`;
          assert.deepEqual({ ok: refusal.ok, status: refusal.status, problem: refusal.problem }, { ok: false, status: 401, problem: 'signature_invalid' }, label);
          assert.match(refusal.headers['WWW-Authenticate'], /^OAuth realm="Photos", oauth_problem="signature_invalid"/, label);
          assert.equal(new URLSearchParams(refusal.body).get('oauth_problem'), 'signature_invalid', label);
        }
        assert.equal(debugBaseString(r.refused), null, `${what}: no base string unless asked`);
        const sbs = debugBaseString(r.refusedWithBaseString);
        assert.ok(sbs && sbs.includes('limit%3D11'), `${what}: the base string the server computed: ${sbs}`);
        assert.deepEqual(r.diagnosis && r.diagnosis.differences.map(({ component, kind, name: n, ours, theirs }) => ({ component, kind, name: n, ours, theirs })),
          [{ component: 'parameter', kind: 'value', name: 'limit', ours: '10', theirs: '11' }], `${what}: the diagnosis names the one difference`);
      }
      assert.ok(out.lookups.some((l) => l[0] === 'consumer' && l[1] === 'ck'), 'the consumer was looked up');
      assert.ok(out.lookups.some((l) => l[0] === 'token' && l[1] === 'ck' && l[2] === 'tok'), 'the token was looked up');
      assert.ok(out.lookups.some((l) => l[0] === 'nonce'), 'the nonce was checked');
      const text = JSON.stringify(out.results);
      for (const secret of out.secrets) assert.ok(!text.includes(secret), 'no secret in a verdict');
    });
  }
});
