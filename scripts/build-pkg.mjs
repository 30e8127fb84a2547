#!/usr/bin/env node
// Builds the npm package into pkg/: wasm-pack (web target, weak refs), then the npm binaryen's
// wasm-opt -Oz (Debian's wasm-opt 108 breaks modules), then the Node entry and the
// conditional exports. Usage: node scripts/build-pkg.mjs [--out-dir DIR] [--features bench]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync, copyFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const outDir = resolve(root, opt('--out-dir', 'pkg'));
const features = opt('--features', '');
const quiet = args.includes('--quiet');
const run = (cmd, argv, env = {}) =>
  execFileSync(cmd, argv, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env: { ...process.env, ...env } });

const wasmPackArgs = ['build', '--release', '--target', 'web', '--weak-refs',
  '--out-dir', outDir, '--out-name', 'contextio_signer'];
if (quiet) wasmPackArgs.unshift('--log-level', 'warn');
// The shipped package is the no_std build (see src/wasm_runtime.rs); `--features bench` adds
// the benchmark's floor export to the same build.
wasmPackArgs.push('--', '--no-default-features');
if (features) wasmPackArgs.push('--features', features);
// WASM_BINDGEN_PATH-style lookups are not needed: wasm-pack uses the wasm-bindgen on PATH
// when its version matches Cargo.lock, and never downloads one then.
run('wasm-pack', wasmPackArgs);

const wasm = join(outDir, 'contextio_signer_bg.wasm');
const before = statSync(wasm).size;
run(join(root, 'node_modules/.bin/wasm-opt'), [
  '-Oz', '--strip-debug', '--strip-producers',
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
  wasm, '-o', wasm,
]);

// Node entry: instantiate synchronously from the file next to it, so that
// `import { Signer } from 'contextio-signer'` needs no init() and no top-level await.
writeFileSync(join(outDir, 'node.js'), `// Node, Deno and Bun entry: the module is instantiated synchronously on import.
import { readFileSync } from 'node:fs';
import { initSync } from './contextio_signer.js';

initSync({ module: readFileSync(new URL('./contextio_signer_bg.wasm', import.meta.url)) });

export * from './contextio_signer.js';
export { default } from './contextio_signer.js';
`);
writeFileSync(join(outDir, 'node.d.ts'), `export * from './contextio_signer.js';
export { default } from './contextio_signer.js';
`);

const pkgPath = join(outDir, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const files = new Set([...(pkg.files ?? []), 'node.js', 'node.d.ts', 'LICENSE']);
Object.assign(pkg, {
  name: 'contextio-signer',
  type: 'module',
  files: [...files],
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
    './contextio_signer_bg.wasm': './contextio_signer_bg.wasm',
    './package.json': './package.json',
  },
  sideEffects: ['./node.js', './snippets/*'],
  engines: { node: '>=20' },
});
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
for (const f of ['LICENSE']) {
  try { copyFileSync(join(root, f), join(outDir, f)); } catch { /* optional */ }
}

const size = (f) => {
  const buf = readFileSync(join(outDir, f));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};
const w = size('contextio_signer_bg.wasm');
const js = size('contextio_signer.js');
console.log(`pkg: ${outDir}`);
console.log(`wasm: ${w.raw} B raw (${before} B before wasm-opt), ${w.gzip} B gzipped; JS glue: ${js.raw} B raw, ${js.gzip} B gzipped`);
