// Shipped sizes, and what each dependency costs in the .wasm (twiggy over a build with names).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Raw, gzip -9 and brotli sizes of a file. */
export function fileSize(path) {
  const buf = readFileSync(path);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The shipped package's .wasm, browser glue and Node entry. */
export function packageSizes(pkgDir) {
  const wasm = fileSize(join(pkgDir, 'contextio_signer_bg.wasm'));
  const glue = fileSize(join(pkgDir, 'contextio_signer.js'));
  const nodeEntry = fileSize(join(pkgDir, 'node.js'));
  return {
    wasm,
    glue,
    nodeEntry,
    // What a page downloads: the .wasm and the glue.
    web: { raw: wasm.raw + glue.raw, gzip: wasm.gzip + glue.gzip, brotli: wasm.brotli + glue.brotli },
  };
}

// The flags scripts/build-pkg.mjs gives wasm-opt, minus the stripping.
const WASM_OPT_FEATURES = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
];

/**
 * Rebuilds the shipped .wasm with its names kept: wasm-bindgen --keep-debug over the release
 * artifact, then the same wasm-opt -Oz as the package but with -g. Its code and data are the
 * shipped ones; only the name section (and producers) differ.
 * @returns {string} the directory holding contextio_signer.js and contextio_signer_bg.wasm
 */
export function buildNamed(root, outDir) {
  const input = join(root, 'target/wasm32-unknown-unknown/release/contextio_signer.wasm');
  if (!existsSync(input)) throw new Error(`no ${input}: build the package first (node scripts/build-pkg.mjs)`);
  mkdirSync(outDir, { recursive: true });
  const quiet = { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] };
  execFileSync('wasm-bindgen', ['--target', 'web', '--weak-refs', '--keep-debug', '--out-dir', outDir, '--out-name', 'contextio_signer', input], quiet);
  const wasm = join(outDir, 'contextio_signer_bg.wasm');
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', '-g', ...WASM_OPT_FEATURES, wasm, '-o', wasm], quiet);
  return outDir;
}

/** Items that exist only in the build with names (the shipped .wasm strips them). */
const NOT_SHIPPED = /subsection"?$|^custom section 'name'|^custom section 'producers'/;

/** The group an item of `twiggy top` belongs to. */
export function groupOf(rawName) {
  const name = rawName.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');
  if (/^data segment/.test(name)) return 'data segments (strings, tables)';
  if (/ shim$|^__wbindgen|^__wbg_|^__externref|^export "__wbindgen|wasm_bindgen::/.test(name)) return 'wasm_bindgen (glue, shims)';
  if (/core::fmt|alloc::fmt|::fmt$|Formatter|panic|_fail$|unwrap_failed|expect_failed|slice_index|str_index_overflow/.test(name)) {
    return 'core::fmt + panics';
  }
  const roots = [...name.matchAll(/(?:^|[<\s&*(,;[])([a-z_][a-z0-9_]*)::/g)].map((m) => m[1]);
  for (const r of roots) {
    if (['contextio_signer', 'sha1', 'hmac', 'base64', 'dlmalloc', 'js_sys', 'getrandom'].includes(r)) return r;
    if (r === 'digest' || r === 'block_buffer' || r === 'crypto_common') return 'digest (sha1/hmac traits)';
    if (r === '__rustc' || r === 'alloc') return 'alloc';
    if (r === 'core' || r === 'std') return 'core (other)';
    if (r === 'compiler_builtins') return 'compiler_builtins';
  }
  if (/^(memcpy|memmove|memset|memcmp|bcmp)$/.test(name)) return 'compiler_builtins';
  if (/^(type\[|global\[|table\[|memory\[|elem\[|export |import |wasm magic|custom section|.* section headers$)/.test(name)) {
    return 'module structure (types, exports, headers)';
  }
  return 'other';
}

/**
 * twiggy top over the build with names, grouped by crate.
 * @returns {{groups: {group: string, bytes: number, items: number}[], top: {name: string, bytes: number}[],
 *   total: number, notShipped: number}}
 */
export function twiggyBreakdown(namedWasm, topN = 10) {
  const rows = JSON.parse(execFileSync('twiggy', ['top', '-n', '100000', '-f', 'json', namedWasm], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const groups = new Map();
  let total = 0;
  let notShipped = 0;
  const top = [];
  for (const { name, shallow_size: bytes } of rows) {
    if (NOT_SHIPPED.test(name)) {
      notShipped += bytes;
      continue;
    }
    total += bytes;
    const g = groupOf(name);
    const cur = groups.get(g) ?? { group: g, bytes: 0, items: 0 };
    cur.bytes += bytes;
    cur.items += 1;
    groups.set(g, cur);
    if (top.length < topN) top.push({ name: name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, ''), bytes });
  }
  return { groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes), top, total, notShipped };
}

/** Whether a .wasm exports the bench-only BenchHmac (then it is not the shipped build). */
export function hasBenchExport(wasmPath) {
  const mod = new WebAssembly.Module(readFileSync(wasmPath));
  return WebAssembly.Module.exports(mod).some((e) => e.name.startsWith('benchhmac'));
}
