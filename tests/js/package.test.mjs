// Tier 3: the npm package as users get it. `npm pack` the built pkg/, install the tarball into a
// scratch project, import it by name in Node ESM (no init call), run the checks every tier
// shares (tests/support/api-checks.js: the published vectors, every error code, strict input,
// values, defaults, secrets), and type-check typed consumers against the declarations with
// `tsc --strict`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, copyFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { METHODS_PATH, VECTORS_PATH } from './vectors.mjs';
import { installPackage } from '../support/installed.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkgDir = join(root, 'pkg');
let scratch;

before(() => {
  assert.ok(existsSync(join(pkgDir, 'package.json')), 'pkg/ is not built: run node scripts/build-pkg.mjs');
  ({ dir: scratch } = installPackage({ prefix: 'contextio-signer-consumer-' }));
});

test('the tarball holds each entry (one module and its map), its wasm, the types and the Node entries', () => {
  const files = readdirSync(join(scratch, 'node_modules', 'contextio-signer')).sort();
  const expected = ['LICENSE', 'contextio_signer.d.ts', 'contextio_signer.js', 'contextio_signer.js.map',
    'contextio_signer_bg.wasm', 'contextio_signer_diagnose_bg.wasm', 'contextio_signer_verify_bg.wasm',
    'diagnose-node.d.ts', 'diagnose-node.js', 'diagnose.d.ts', 'diagnose.js', 'diagnose.js.map', 'node.d.ts',
    'node.js', 'package.json', 'verify-node.d.ts', 'verify-node.js', 'verify.d.ts', 'verify.js', 'verify.js.map'];
  assert.deepEqual(files, expected);
});

test('Node ESM: import by name, no init, every check of the API', () => {
  const checksModule = pathToFileURL(join(root, 'tests/support/api-checks.js')).href;
  const script = `
    import * as api from 'contextio-signer';
    import { checkApi, failures, GROUPS } from ${JSON.stringify(checksModule)};
    import { readFileSync } from 'node:fs';
    const published = JSON.parse(readFileSync(${JSON.stringify(VECTORS_PATH)}, 'utf8'));
    const methods = JSON.parse(readFileSync(${JSON.stringify(METHODS_PATH)}, 'utf8'));
    const { checks } = checkApi(api, published, { server: true, methods });
    console.log(JSON.stringify({ count: checks.length, groups: [...new Set(checks.map((c) => c.group))], all: GROUPS, failed: failures(checks) }));
  `;
  writeFileSync(join(scratch, 'checks.mjs'), script);
  const out = JSON.parse(execFileSync('node', ['checks.mjs'], { cwd: scratch, encoding: 'utf8' }));
  assert.deepEqual(out.failed, []);
  assert.deepEqual(out.groups, out.all, 'every group ran');
  assert.ok(out.count >= 150, `only ${out.count} checks ran`);
});

test('contextio-signer/verify by name in Node: every verifier check (tests/support/verify-checks.js)', () => {
  const checksModule = pathToFileURL(join(root, 'tests/support/verify-checks.js')).href;
  const script = `
    import { verifyRequest } from 'contextio-signer/verify';
    import { checkVerify, failures } from ${JSON.stringify(checksModule)};
    import { readFileSync } from 'node:fs';
    const docs = [${JSON.stringify(VECTORS_PATH)}, ${JSON.stringify(METHODS_PATH)}].map((f) => JSON.parse(readFileSync(f, 'utf8')));
    const checks = await checkVerify(verifyRequest, docs);
    console.log(JSON.stringify({ count: checks.length, failed: failures(checks) }));
  `;
  writeFileSync(join(scratch, 'verify-checks.mjs'), script);
  const out = JSON.parse(execFileSync('node', ['verify-checks.mjs'], { cwd: scratch, encoding: 'utf8' }));
  assert.deepEqual(out.failed, []);
  assert.ok(out.count >= 300, `only ${out.count} checks ran`);
});

test('the signing entry loads none of the verifier, the verify entry none of the signer', () => {
  const dir = join(scratch, 'node_modules/contextio-signer');
  const signer = readFileSync(join(dir, 'contextio_signer.js'), 'utf8');
  const verify = readFileSync(join(dir, 'verify.js'), 'utf8');
  assert.doesNotMatch(signer, /verify_bg\.wasm|verifyRead|verifyCheck/);
  assert.match(verify, /contextio_signer_verify_bg\.wasm/);
  assert.doesNotMatch(verify, /contextio_signer_bg\.wasm|signOnce|inputArea/);
  // Each wasm exports its own entry's functions only.
  const exportsOf = (f) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(dir, f)))).map((e) => e.name);
  const verifyExports = exportsOf('contextio_signer_verify_bg.wasm');
  assert.ok(verifyExports.includes('verifyRead') && verifyExports.includes('verifyCheck'), verifyExports.join());
  assert.ok(!verifyExports.some((n) => /^(signOnce|inputArea|rawsigner_|diagnose$)/.test(n)), verifyExports.join());
  const signerExports = exportsOf('contextio_signer_bg.wasm');
  assert.ok(!signerExports.some((n) => /^(verifyRead|verifyCheck|diagnose)$/.test(n)), signerExports.join());
});

test('the web entry needs init(), then signs', () => {
  const script = `
    import init, { Signer } from 'contextio-signer/web';
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    let threw = false;
    try { new Signer({ consumerKey: 'a', consumerSecret: 'b', token: 'c', tokenSecret: 'd' }); } catch { threw = true; }
    const wasm = readFileSync(new URL('./node_modules/contextio-signer/contextio_signer_bg.wasm', import.meta.url));
    await init({ module_or_path: wasm });
    const s = new Signer({ consumerKey: 'a', consumerSecret: 'b', token: 'c', tokenSecret: 'd' });
    console.log(JSON.stringify({ threw, mode: s.mode }));
  `;
  writeFileSync(join(scratch, 'web.mjs'), script);
  const out = JSON.parse(execFileSync('node', ['web.mjs'], { cwd: scratch, encoding: 'utf8' }));
  assert.deepEqual(out, { threw: true, mode: 'three-legged' });
});

test('tsc --noEmit --strict accepts the typed consumer and rejects every misuse', () => {
  const typed = ['consumer.ts', 'consumer-errors.ts', 'consumer-verify.ts', 'consumer-verify-errors.ts'];
  for (const f of typed) copyFileSync(join(root, 'tests/js', f), join(scratch, f));
  const tsc = join(root, 'node_modules/.bin/tsc');
  const common = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom,esnext.disposable', '--skipLibCheck', 'false'];
  for (const f of typed) {
    try {
      execFileSync(tsc, [...common, f], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      assert.fail(`tsc ${f}:\n${e.stdout}${e.stderr}`);
    }
  }
  // And the declarations have no `any`, comments aside.
  const dts = ['contextio_signer.d.ts', 'diagnose.d.ts', 'verify.d.ts']
    .map((f) => readFileSync(join(scratch, 'node_modules/contextio-signer', f), 'utf8'))
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const anys = dts.split('\n').filter((line) => /\bany\b/.test(line));
  assert.deepEqual(anys, [], 'public declarations mention any');
});
