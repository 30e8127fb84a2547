// What each signature method's code costs, measured on builds that differ by one method.
//
// The package has no build that leaves a method out (its features add exports, not methods),
// so the builds are those of a probe (bench/method-cost/): a bare no_std module of RustCrypto's
// HMAC over the hashes its features turn on, built as the package is (the main Cargo.toml's
// release profile and its per-crate opt-levels, the LLVM flags of scripts/build-pkg.mjs, the
// npm binaryen's wasm-opt -Oz). A method's cost is the difference between the build with it
// and the build without it, gzipped -9 as a server sends the .wasm, and raw. It is the cost
// of the method's hash and HMAC code in isolation: in the package, LLVM inlines that code
// into the signer's functions, where twiggy cannot tell it apart by name (sizes.mjs
// `methodOf` gives that lower bound from the package's own module).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WASM_OPT_FEATURES } from './sizes.mjs';

/** The builds: each with its features, and which method it adds to which other build. */
const VARIANTS = [
  { id: 'none', features: '' },
  { id: 'sha1', features: 'sha1', adds: 'HMAC-SHA1', to: 'none' },
  { id: 'sha1+sha256', features: 'sha1,sha256', adds: 'HMAC-SHA256', to: 'sha1' },
  { id: 'sha1+sha512', features: 'sha1,sha512', adds: 'HMAC-SHA512', to: 'sha1' },
  { id: 'sha1+sha256+sha512', features: 'sha1,sha256,sha512', adds: 'HMAC-SHA256 and HMAC-SHA512', to: 'sha1' },
];

/** `-C llvm-args=...` of scripts/build-pkg.mjs's RUSTFLAGS (the shipped build's LLVM flags). */
function packageRustflags(root) {
  const line = readFileSync(join(root, 'scripts/build-pkg.mjs'), 'utf8').split('\n').find((l) => /^const RUSTFLAGS = /.test(l));
  if (!line) throw new Error('scripts/build-pkg.mjs has no `const RUSTFLAGS = ...` line to take the LLVM flags from');
  return [...line.matchAll(/-C (llvm-args=\S+?)(?=[\s`])/g)].map((m) => `-C ${m[1]}`).join(' ');
}

/** `--config profile.release.package.NAME.opt-level=...` for each such section of Cargo.toml. */
function packageOptLevels(root) {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const out = [];
  for (const m of toml.matchAll(/^\[profile\.release\.package\.([A-Za-z0-9_-]+)\]\s*\n((?:(?!\[)[^\n]*\n?)*)/gm)) {
    const level = /^opt-level\s*=\s*("?[0-9sz]"?)\s*$/m.exec(m[2]);
    if (level) out.push('--config', `profile.release.package.${m[1]}.opt-level=${level[1]}`);
  }
  return out;
}

/**
 * Builds every variant into `outDir` (one .wasm each, after wasm-opt -Oz) and measures them.
 * @returns {{variants: Record<string, {raw: number, gzip: number}>, methods: {method: string, raw: number, gzip: number}[],
 *   settings: {rustflags: string, optLevels: string[]}}}
 */
export function methodCost(root, outDir, run) {
  const crate = join(root, 'bench/method-cost/Cargo.toml');
  const target = join(root, 'target/method-cost');
  const rustflags = packageRustflags(root);
  const optLevels = packageOptLevels(root);
  mkdirSync(outDir, { recursive: true });
  const variants = {};
  for (const v of VARIANTS) {
    run('cargo', ['build', '--manifest-path', crate, '--target', 'wasm32-unknown-unknown', '--release', '--locked', '--quiet',
      '--target-dir', target, ...optLevels, ...(v.features ? ['--features', v.features] : [])],
    { env: { RUSTFLAGS: rustflags }, label: `cargo build (bench/method-cost, ${v.id})` });
    const wasm = join(outDir, `${v.id}.wasm`);
    copyFileSync(join(target, 'wasm32-unknown-unknown/release/method_cost.wasm'), wasm);
    execFileSync(join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', '--strip-debug', '--strip-producers', ...WASM_OPT_FEATURES, wasm, '-o', wasm]);
    const buf = readFileSync(wasm);
    variants[v.id] = { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  }
  const methods = VARIANTS.filter((v) => v.adds).map((v) => ({
    method: v.adds,
    over: v.to,
    raw: variants[v.id].raw - variants[v.to].raw,
    gzip: variants[v.id].gzip - variants[v.to].gzip,
  }));
  return { variants, methods, settings: { rustflags, optLevels: optLevels.filter((a) => a !== '--config') } };
}
