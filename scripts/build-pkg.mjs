#!/usr/bin/env node
// Builds the npm package into pkg/:
//   1. wasm-pack (web target, weak refs) builds the binding (src/binding/) without std (see
//      src/binding/runtime.rs) into target/wasm-pack/, once per entry;
//   2. the npm binaryen's wasm-opt -Oz shrinks the module (Debian's wasm-opt 108 breaks modules);
//   3. pkg/ is assembled: the public module, bundled and minified by esbuild into one file
//      (js/contextio_signer.js, js/api.js, js/suggest.js and wasm-bindgen's glue: a page loads this file and
//      the .wasm, nothing else), its source map, the .wasm, the Node entry, the hand-written
//      declarations, package.json with conditional exports; and the same for the entries
//      `contextio-signer/diagnose` (js/diagnose*.js) and `contextio-signer/verify` (js/verify*.js).
//
// Usage: node scripts/build-pkg.mjs [--out-dir DIR] [--features bench] [--quiet]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'out-dir': { type: 'string', default: 'pkg' },
    features: { type: 'string', default: '' },
    quiet: { type: 'boolean', default: false },
  },
});
const outDir = resolve(root, args['out-dir']);
const quiet = args.quiet;
const run = (cmd, argv, env = {}) =>
  execFileSync(cmd, argv, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env: { ...process.env, ...env } });

// 1. The bindings, one per entry, each with its one Cargo feature (src/binding/mod.rs): the signer
// (`sign-exports`), the diagnosis (`diagnose-exports`, `contextio-signer/diagnose`) and the
// verifier (`verify-exports`, `contextio-signer/verify`), so that a page that only signs loads
// none of the other two. wasm-pack uses
// the wasm-bindgen on PATH when its version matches Cargo.lock (scripts/setup.sh installs that
// one) and never downloads one then.
//
// opt-level 3 (Cargo.toml) with LLVM's inline threshold lowered from 225 to 100: the same speed
// on the benchmark's requests and about 12% less code (bench/README.md has the measurements).
// Loop unrolling off (issue 15, measured 2026-12-03 in Node, interleaved rounds): the page loads
// 1,198 B less gzipped (31,739 against 32,937 B) and the three requests take 0.93x to 1.04x the
// time, within the noise of that run. (Lower inline thresholds cost far more: 25 made them
// 1.25x to 1.6x slower for 1.7 KB; opt-level "s" 1.35x to 1.75x slower for 2.7 KB.)
const RUSTFLAGS = `${process.env.RUSTFLAGS ?? ''} -C llvm-args=-inline-threshold=100 -C llvm-args=-unroll-threshold=0 -C llvm-args=-unroll-runtime=false`.trim();
const stageRoot = join(root, 'target/wasm-pack', relative(root, outDir).replace(/[\\/]/g, '_'));
rmSync(stageRoot, { recursive: true, force: true });

/** Builds one binding into `target/wasm-pack/.../NAME` and shrinks its module (2. wasm-opt). */
function binding(name, features) {
  const stage = join(stageRoot, name);
  const wasmPackArgs = ['build', '--release', '--target', 'web', '--weak-refs', '--no-pack',
    '--out-dir', stage, '--out-name', name];
  if (quiet) wasmPackArgs.unshift('--log-level', 'warn');
  wasmPackArgs.push('--', '--no-default-features');
  if (features) wasmPackArgs.push('--features', features);
  run('wasm-pack', wasmPackArgs, { RUSTFLAGS });
  const wasm = join(stage, `${name}_bg.wasm`);
  const before = statSync(wasm).size;
  run(join(root, 'node_modules/.bin/wasm-opt'), [
    process.env.WASM_OPT_LEVEL ?? '-Oz', '--strip-debug', '--strip-producers',
    '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
    wasm, '-o', wasm,
  ]);
  return { stage, wasm, before };
}
// The diagnosis first: the signer's is then the release artifact left in target/ (the
// benchmark's size breakdown and floor read it).
const diagnosis = binding('contextio_signer_diagnose', 'diagnose-exports');
const verifier = binding('contextio_signer_verify', 'verify-exports');
const signer = binding('contextio_signer', ['sign-exports', args.features].filter(Boolean).join(','));
const before = signer.before;

// 3. The package. Each entry, its modules and its glue are bundled into one ES module: the
// glue's `new URL('..._bg.wasm', import.meta.url)` stays as it is, so the .wasm is found next to
// it (and bundlers see it). Minified, with a linked source map of the sources.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const copy = (from, to) => copyFileSync(from, join(outDir, to));

/** Bundles js/ENTRY (with js/MODULES and the glue of `built`) into pkg/ENTRY. */
function bundle(entry, modules, built, glue) {
  copy(built.wasm, basename(built.wasm));
  const sources = join(built.stage, 'src');
  mkdirSync(sources, { recursive: true });
  copyFileSync(join(built.stage, `${basename(built.wasm, '_bg.wasm')}.js`), join(sources, glue));
  for (const f of [entry, ...modules]) copyFileSync(join(root, 'js', f), join(sources, f));
  run(join(root, 'node_modules/.bin/esbuild'), [
    join(sources, entry), '--bundle', '--format=esm', '--minify', '--target=es2022',
    '--legal-comments=none', '--sourcemap=linked', '--sources-content=true', '--log-level=warning',
    `--outfile=${join(outDir, entry)}`,
  ]);
}
bundle('contextio_signer.js', ['api.js', 'suggest.js'], signer, 'contextio_signer_glue.js');
bundle('diagnose.js', ['diagnose-api.js', 'headers.js'], diagnosis, 'contextio_signer_diagnose_glue.js');
bundle('verify.js', ['verify-api.js', 'headers.js'], verifier, 'contextio_signer_verify_glue.js');
const stagedWasm = signer.wasm;
for (const f of ['contextio_signer.d.ts', 'node.js', 'diagnose.d.ts', 'diagnose-node.js', 'verify.d.ts', 'verify-node.js']) copy(join(root, 'js', f), f);
writeFileSync(join(outDir, 'diagnose-node.d.ts'), "export * from './diagnose.js';\nexport { default } from './diagnose.js';\n");
writeFileSync(join(outDir, 'verify-node.d.ts'), "export * from './verify.js';\nexport { default } from './verify.js';\n");
writeFileSync(join(outDir, 'node.d.ts'), "export * from './contextio_signer.js';\nexport { default } from './contextio_signer.js';\n");
copy(join(root, 'LICENSE'), 'LICENSE');

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "(.*)"$`, 'm'))?.[1];
const files = ['contextio_signer.js', 'contextio_signer.js.map', 'contextio_signer_bg.wasm',
  'contextio_signer.d.ts', 'node.js', 'node.d.ts', 'diagnose.js', 'diagnose.js.map',
  'contextio_signer_diagnose_bg.wasm', 'diagnose.d.ts', 'diagnose-node.js', 'diagnose-node.d.ts',
  'verify.js', 'verify.js.map', 'contextio_signer_verify_bg.wasm', 'verify.d.ts', 'verify-node.js',
  'verify-node.d.ts', 'LICENSE'];
const pkg = {
  name: 'contextio-signer',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  files,
  main: 'contextio_signer.js',
  types: 'contextio_signer.d.ts',
  exports: {
    '.': {
      types: './contextio_signer.d.ts',
      node: './node.js',
      deno: './node.js',
      bun: './node.js',
      default: './contextio_signer.js',
    },
    './web': { types: './contextio_signer.d.ts', default: './contextio_signer.js' },
    './diagnose': {
      types: './diagnose.d.ts',
      node: './diagnose-node.js',
      deno: './diagnose-node.js',
      bun: './diagnose-node.js',
      default: './diagnose.js',
    },
    './verify': {
      types: './verify.d.ts',
      node: './verify-node.js',
      deno: './verify-node.js',
      bun: './verify-node.js',
      default: './verify.js',
    },
    './contextio_signer_bg.wasm': './contextio_signer_bg.wasm',
    './contextio_signer_diagnose_bg.wasm': './contextio_signer_diagnose_bg.wasm',
    './contextio_signer_verify_bg.wasm': './contextio_signer_verify_bg.wasm',
    './package.json': './package.json',
  },
  sideEffects: ['./node.js', './diagnose-node.js', './verify-node.js'],
  keywords: ['oauth', 'oauth1', 'hmac-sha1', 'wasm', 'context-io'],
  engines: { node: '>=20' },
};
writeFileSync(join(outDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

const size = (f) => {
  const buf = readFileSync(join(outDir, f));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};
const w = size('contextio_signer_bg.wasm');
const js = ['contextio_signer.js'].map(size);
const jsRaw = js.reduce((a, s) => a + s.raw, 0);
const jsGzip = js.reduce((a, s) => a + s.gzip, 0);
console.log(`pkg: ${outDir}`);
console.log(`wasm: ${w.raw} B raw (${before} B before wasm-opt), ${w.gzip} B gzipped; JS: ${jsRaw} B raw, ${jsGzip} B gzipped; a page loads ${w.gzip + jsGzip} B gzipped`);
const dw = size('contextio_signer_diagnose_bg.wasm');
const dj = size('diagnose.js');
console.log(`diagnose entry (loaded only by those who import it): wasm ${dw.gzip} B gzipped, JS ${dj.gzip} B gzipped, ${dw.gzip + dj.gzip} B in all`);
const vw = size('contextio_signer_verify_bg.wasm');
const vj = size('verify.js');
console.log(`verify entry (loaded only by those who import it): wasm ${vw.gzip} B gzipped, JS ${vj.gzip} B gzipped, ${vw.gzip + vj.gzip} B in all`);
