// Tier 3: the npm package as users get it. `npm pack` the built pkg/, install the tarball into a
// scratch project, import it by name in Node ESM (no init call), sign every published vector,
// and type-check typed consumers against the generated .d.ts with `tsc --strict`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { published, describe, VECTORS_PATH } from './vectors.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkgDir = join(root, 'pkg');
let scratch;

before(() => {
  assert.ok(existsSync(join(pkgDir, 'package.json')), 'pkg/ is not built: run node scripts/build-pkg.mjs');
  scratch = mkdtempSync(join(tmpdir(), 'contextio-signer-consumer-'));
  const out = execFileSync('npm', ['pack', pkgDir, '--pack-destination', scratch, '--json'], { encoding: 'utf8' });
  const tarball = join(scratch, JSON.parse(out)[0].filename);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: scratch, stdio: 'pipe' });
});

test('the tarball holds the wasm, the glue, the types and the Node entry', () => {
  const files = readdirSync(join(scratch, 'node_modules', 'contextio-signer')).sort();
  for (const f of ['contextio_signer.d.ts', 'contextio_signer.js', 'contextio_signer_bg.wasm', 'node.js', 'package.json']) {
    assert.ok(files.includes(f), `${f} missing from the package: ${files}`);
  }
});

test('Node ESM: import by name, no init, every published vector', () => {
  const script = `
    import { Signer, signRequest } from 'contextio-signer';
    import { readFileSync } from 'node:fs';
    const { vectors } = JSON.parse(readFileSync(${JSON.stringify(VECTORS_PATH)}, 'utf8'));
    const results = vectors.map((v) => {
      const o = { consumerKey: v.consumerKey, consumerSecret: v.consumerSecret };
      if (v.token) Object.assign(o, { token: v.token, tokenSecret: v.tokenSecret }); else o.twoLegged = true;
      if (v.realm) o.realm = v.realm;
      const r = { method: v.method, url: v.url, nonce: v.nonce, timestamp: Number(v.timestamp) };
      if (v.body !== undefined) r.body = v.body;
      if (v.contentType !== undefined) r.contentType = v.contentType;
      if (v.version === false) r.includeVersion = false;
      const a = new Signer(o).signRequest(r);
      const b = signRequest(o, r);
      return { name: v.name, signature: a.signature, baseString: a.baseString, once: b.signature, authorization: a.headers.Authorization };
    });
    console.log(JSON.stringify(results));
  `;
  writeFileSync(join(scratch, 'sign.mjs'), script);
  const results = JSON.parse(execFileSync('node', ['sign.mjs'], { cwd: scratch, encoding: 'utf8' }));
  assert.equal(results.length, published.vectors.length);
  for (const [i, v] of published.vectors.entries()) {
    const got = results[i];
    assert.equal(got.baseString, v.baseString, describe(v));
    assert.equal(got.signature, v.signature, describe(v));
    assert.equal(got.once, v.signature, `${describe(v)} (signRequest)`);
    assert.match(got.authorization, new RegExp(`oauth_signature="${encodeURIComponent(v.signature).replace(/[+/=]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}"`), describe(v));
  }
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
  for (const f of ['consumer.ts', 'consumer-errors.ts']) copyFileSync(join(root, 'tests/js', f), join(scratch, f));
  const tsc = join(root, 'node_modules/.bin/tsc');
  const common = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom,esnext.disposable', '--skipLibCheck', 'false'];
  for (const f of ['consumer.ts', 'consumer-errors.ts']) {
    try {
      execFileSync(tsc, [...common, f], { cwd: scratch, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      assert.fail(`tsc ${f}:\n${e.stdout}${e.stderr}`);
    }
  }
  // And the declarations have no `any` in the public API: comments aside, and leaving out
  // InitOutput, wasm-bindgen's raw view of the module's exports that no caller touches.
  const dts = readFileSync(join(scratch, 'node_modules/contextio-signer/contextio_signer.d.ts'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/export interface InitOutput \{[\s\S]*?\n\}/, '');
  const anys = dts.split('\n').filter((line) => /\bany\b/.test(line));
  assert.deepEqual(anys, [], 'public declarations mention any');
});
