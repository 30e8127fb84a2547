// Tier 3: the package in the web tools people build pages with. For each of a Vite production
// build, webpack 5 (production mode) and esbuild (bundle, esm, minified, with the package's .wasm
// copied beside the bundle, as the README says), this makes a scratch consumer project under
// target/bundlers/<tool>/, installs the `npm pack`ed package into it offline, bundles the one app
// entry tests/bundlers/app/main.js with the bundler's Node API (from the workspace node_modules),
// serves the output over HTTP and loads it in headless Chromium. The page calls `init()` with no
// argument and signs every published vector; the test then checks the page's report, that the
// .wasm was fetched as application/wasm, and that no page error, console error or warning, or
// failed request happened. Bundle sizes are reported as diagnostics, not asserted.
//
// Only the package's public contract is used: import by name, `init`, `Signer`, `signRequest`,
// `isOAuthSignError`. The one file looked up inside the installed package is the .wasm that
// esbuild users copy, found by a glob so that a rename does not break this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '../support/chromium.mjs';
import { serveStatic } from '../js/static-server.mjs';
import { describe, published, vectorOptions, vectorRequest } from '../js/vectors.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkgDir = join(root, 'pkg');
const appEntry = join(root, 'tests/bundlers/app/main.js');
// Inside the repository, so that what a bundler injects of its own (Vite's preload helper,
// webpack's runtime) resolves from the workspace node_modules.
const work = join(root, 'target/bundlers');
const casesPath = join(work, 'vectors.json');

// What the page signs: each published vector through the one JS helper that turns a vector into
// options and a request. The expected signature and base string are the published ones.
const cases = published.vectors.map((v) => {
  const options = vectorOptions(v);
  return {
    label: describe(v),
    options,
    request: vectorRequest(v),
    twoLegged: options.twoLegged === true,
    expected: { signature: v.signature, baseString: v.baseString },
  };
});
// Two checks per vector (the Signer and the one-call signRequest, or both refusals of 2-legged),
// plus the fixed checks at the end of app/main.js.
const FIXED_CHECKS = 6;
const EXPECTED_CHECKS = 2 * cases.length + FIXED_CHECKS;

let tarball;
let browser;

before(async () => {
  assert.ok(existsSync(join(pkgDir, 'package.json')), 'pkg/ is not built: run node scripts/build-pkg.mjs');
  assert.ok(cases.some((c) => !c.twoLegged), 'no 3-legged vector in the published set');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = execFileSync('npm', ['pack', pkgDir, '--pack-destination', work, '--json'], { encoding: 'utf8' });
  tarball = join(work, JSON.parse(out)[0].filename);
  writeFileSync(casesPath, JSON.stringify(cases));
  browser = await chromium.launch({ executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS, timeout: 60_000 });
});

after(async () => {
  await browser?.close();
});

/** A fresh consumer project with the packed package installed and the app entry in src/. */
function makeProject(tool, scriptTag) {
  const dir = join(work, tool);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${tool}`, private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir, stdio: 'pipe' });
  cpSync(appEntry, join(dir, 'src/main.js'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<title>contextio-signer, built by ${tool}</title>\n${scriptTag}\n`,
  );
  return dir;
}

/** Every file under dir, as paths relative to it. */
const filesUnder = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile());

/** JS and wasm shipped in a build's output, raw and gzipped (-9); of the .wasm files, `fetched` only. */
function bundleSizes(dist, fetched) {
  const sizes = { js: { raw: 0, gzip: 0 }, wasm: { raw: 0, gzip: 0 } };
  for (const f of filesUnder(dist)) {
    const kind = f.endsWith('.js') || f.endsWith('.mjs') ? 'js' : f.endsWith('.wasm') && fetched.includes(basename(f)) ? 'wasm' : null;
    if (!kind) continue;
    const buf = readFileSync(join(dist, f));
    sizes[kind].raw += buf.length;
    sizes[kind].gzip += gzipSync(buf, { level: 9 }).length;
  }
  return sizes;
}

const fmt = (n) => n.toLocaleString('en-US');

/** Serves dist/ (and the cases as /vectors.json), loads it in Chromium, checks what happened. */
async function loadInChromium(t, tool, dist) {
  assert.ok(existsSync(join(dist, 'index.html')), `${tool}: no index.html in ${dist}`);
  const server = await serveStatic({ '/vectors.json': casesPath, '/': `${dist}/` });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    const wasmResponses = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.stack || e}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      if (new URL(r.url()).pathname.endsWith('.wasm')) wasmResponses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] });
    });
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
    const result = await page.evaluate(() => window.__result);

    assert.ok(!result.error, `${tool}: the page failed: ${result.error}\n${problems.join('\n')}`);
    const failed = result.checks.filter((c) => !c.ok);
    assert.deepEqual(failed, [], `${tool}: failed checks`);
    assert.equal(result.checks.length, EXPECTED_CHECKS, `${tool}: ${result.checks.length} checks ran, expected ${EXPECTED_CHECKS}`);
    for (const c of cases) {
      assert.equal(result.checks.filter((k) => k.name.startsWith(`${c.label}: `)).length, 2, `${tool}: ${c.label} not checked twice`);
    }
    assert.deepEqual(problems, [], `${tool}: errors, warnings or failed requests in the page`);
    assert.equal(wasmResponses.length, 1, `${tool}: expected one .wasm fetched, got ${JSON.stringify(wasmResponses)}`);
    assert.equal(wasmResponses[0].status, 200);
    assert.equal(wasmResponses[0].type, 'application/wasm', `${tool}: .wasm served as ${wasmResponses[0].type}`);

    // The diagnose entry's .wasm may sit beside the bundle (copied with `*.wasm`); a page that
    // only signs never fetches it, and it is not counted.
    const s = bundleSizes(dist, wasmResponses.map((w) => basename(new URL(w.url).pathname)));
    t.diagnostic(
      `${tool}: JS ${fmt(s.js.gzip)} B + wasm ${fmt(s.wasm.gzip)} B = ${fmt(s.js.gzip + s.wasm.gzip)} B gzipped ` +
        `(raw ${fmt(s.js.raw)} + ${fmt(s.wasm.raw)} B); ${result.checks.length} checks in the page`,
    );
  } finally {
    await context.close();
    await server.close();
  }
}

test('Vite production build, loaded in Chromium', { timeout: 120_000 }, async (t) => {
  const { build, createLogger } = await import('vite');
  const dir = makeProject('vite', '<script type="module" src="/src/main.js"></script>');
  // Any warning Vite prints (an unresolvable `new URL(..., import.meta.url)`, say) fails the test.
  const warnings = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  logger.warn = (msg) => warnings.push(msg);
  logger.warnOnce = (msg) => warnings.push(msg);
  await build({
    root: dir,
    configFile: false,
    envDir: false,
    customLogger: logger,
    logLevel: 'warn',
    build: { outDir: 'dist', emptyOutDir: true },
  });
  assert.deepEqual(warnings, [], 'vite build warnings');
  await loadInChromium(t, 'vite', join(dir, 'dist'));
});

test('webpack 5 production build, loaded in Chromium', { timeout: 120_000 }, async (t) => {
  const { default: webpack } = await import('webpack');
  // webpack's default output is a classic script, as html-webpack-plugin would inject it.
  const dir = makeProject('webpack', '<script defer src="./main.js"></script>');
  const stats = await new Promise((resolve, reject) => {
    webpack(
      {
        mode: 'production',
        context: dir,
        entry: './src/main.js',
        output: { path: join(dir, 'dist'), filename: 'main.js', clean: true },
        // Size hints are for apps; the sizes are reported below.
        performance: false,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  assert.deepEqual(info.errors.map((e) => e.message), [], 'webpack errors');
  assert.deepEqual(info.warnings.map((e) => e.message), [], 'webpack warnings');
  cpSync(join(dir, 'index.html'), join(dir, 'dist/index.html'));
  await loadInChromium(t, 'webpack', join(dir, 'dist'));
});

test('esbuild bundle (esm, minified, .wasm copied beside it), loaded in Chromium', { timeout: 120_000 }, async (t) => {
  const esbuild = await import('esbuild');
  const dir = makeProject('esbuild', '<script type="module" src="./main.js"></script>');
  const dist = join(dir, 'dist');
  const result = await esbuild.build({
    entryPoints: [join(dir, 'src/main.js')],
    absWorkingDir: dir,
    bundle: true,
    format: 'esm',
    minify: true,
    platform: 'browser',
    outdir: dist,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, [], 'esbuild errors');
  assert.deepEqual(result.warnings.map((w) => w.text), [], 'esbuild warnings');
  // esbuild keeps `new URL('<name>.wasm', import.meta.url)` as it is: the package's .wasm files
  // go beside the bundle, as the README says (`cp node_modules/contextio-signer/*.wasm dist/`).
  // Found through the installed package, as a user's build script would.
  const installed = dirname(createRequire(join(dir, 'package.json')).resolve('contextio-signer/package.json'));
  const wasmFiles = filesUnder(installed).filter((f) => !f.includes('/') && f.endsWith('.wasm'));
  assert.deepEqual(wasmFiles.sort(), ['contextio_signer_bg.wasm', 'contextio_signer_diagnose_bg.wasm', 'contextio_signer_verify_bg.wasm'], `the .wasm files of ${relative(root, installed)}`);
  for (const f of wasmFiles) cpSync(join(installed, f), join(dist, f));
  cpSync(join(dir, 'index.html'), join(dist, 'index.html'));
  await loadInChromium(t, 'esbuild', dist);
});
