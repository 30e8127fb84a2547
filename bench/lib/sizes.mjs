// Shipped sizes, and what each dependency costs in the .wasm (twiggy over a build with names).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, posix } from 'node:path';
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

/** What each file of the package is, for the size table. */
const ROLES = {
  'contextio_signer_bg.wasm': 'the module',
  'contextio_signer_diagnose_bg.wasm': 'the diagnose entry\'s module',
  'diagnose.js': 'diagnose entry, bundled',
  'diagnose.js.map': 'source map, for devtools',
  'diagnose-node.js': 'diagnose Node entry',
  'diagnose.d.ts': 'types',
  'diagnose-node.d.ts': 'types',
  'contextio_signer_verify_bg.wasm': 'the verify entry\'s module',
  'verify.js': 'verify entry, bundled',
  'verify.js.map': 'source map, for devtools',
  'verify-node.js': 'verify Node entry',
  'verify.d.ts': 'types',
  'verify-node.d.ts': 'types',
  'contextio_signer.js': 'public entry',
  'contextio_signer.js.map': 'source map, for devtools',
  'api.js': 'JS half of the boundary',
  'contextio_signer_glue.js': "wasm-bindgen's glue",
  'node.js': 'Node entry',
  'contextio_signer.d.ts': 'types',
  'node.d.ts': 'types',
  'package.json': 'manifest',
  LICENSE: 'licence',
};

/** The relative modules a JS file imports statically (`import ... from './x.js'`, `export ... from`). */
function staticImports(source) {
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm)]
    .map((m) => m[1] ?? m[2]);
}

/** The browser entry of a package.json's export `key` (`.` or `./diagnose`), or null. */
function entryOf(manifest, key = '.') {
  const e = manifest.exports?.[key];
  const file = e?.default ?? e?.browser ?? (key === '.' ? manifest.main ?? 'contextio_signer.js' : null);
  return file === null ? null : posix.normalize(file);
}

/** The `.wasm` files a module instantiates (`new URL('x.wasm', import.meta.url)`). */
function wasmReferences(source) {
  return [...source.matchAll(/new URL\(\s*['"]([^'"]+\.wasm)['"]/g)].map((m) => m[1]);
}

/**
 * The files a page loads for one entry: the browser entry with every module it imports,
 * followed through the package, and each `.wasm` those modules instantiate. The Node entry and
 * the declarations are not among them.
 */
function pageFiles(pkgDir, entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(join(pkgDir, file), 'utf8');
    for (const spec of staticImports(source)) queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
    for (const wasm of wasmReferences(source)) seen.add(posix.normalize(posix.join(posix.dirname(file), wasm)));
  }
  return seen;
}

/**
 * One row per shipped file (package.json's `files`, and package.json itself), each marked
 * whether a page loads it, and `page`: the sum over the files a page loads, each compressed on
 * its own as a server sends it.
 * @returns {{files: {name: string, role: string, page: boolean, raw: number, gzip: number, brotli: number}[],
 *   page: {raw: number, gzip: number, brotli: number, files: string[]}}}
 */
export function packageSizes(pkgDir) {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const shipped = [...(manifest.files ?? readdirSync(pkgDir)), 'package.json'].filter((f, i, all) => all.indexOf(f) === i);
  const loaded = pageFiles(pkgDir, entryOf(manifest));
  if (![...loaded].some((f) => f.endsWith('.wasm'))) throw new Error('the browser entry instantiates no .wasm the benchmark can find');
  for (const f of loaded) if (!shipped.includes(f)) throw new Error(`a page loads ${f}, which package.json's files does not ship`);
  // The diagnose entry (issue 16): what a page that imports it loads in addition.
  const diagnoseEntry = entryOf(manifest, './diagnose');
  const extra = diagnoseEntry === null ? new Set() : pageFiles(pkgDir, diagnoseEntry);
  // The verify entry (issue 23): what a server or worker that imports it loads.
  const verifyEntry = entryOf(manifest, './verify');
  const verifying = verifyEntry === null ? new Set() : pageFiles(pkgDir, verifyEntry);
  const role = (name) => {
    // The entry alone, with no module of the package imported, is the bundle of all of them.
    if (name === entryOf(manifest) && !staticImports(readFileSync(join(pkgDir, name), 'utf8')).length) return 'public module, bundled';
    return ROLES[name] ?? '';
  };
  const files = shipped.map((name) => ({ name, role: role(name), page: loaded.has(name), diagnose: extra.has(name) && !loaded.has(name), verify: verifying.has(name) && !loaded.has(name), ...fileSize(join(pkgDir, name)) }));
  // The page's files in the order of the table: the module first, then the JS.
  files.sort((a, b) => (b.page - a.page) || (b.name.endsWith('.wasm') - a.name.endsWith('.wasm')));
  const total = (list) => ({
    raw: list.reduce((n, f) => n + f.raw, 0),
    gzip: list.reduce((n, f) => n + f.gzip, 0),
    brotli: list.reduce((n, f) => n + f.brotli, 0),
    files: list.map((f) => f.name),
  });
  const onDiagnose = files.filter((f) => f.diagnose);
  const onVerify = files.filter((f) => f.verify);
  return {
    files,
    page: total(files.filter((f) => f.page)),
    diagnose: onDiagnose.length ? total(onDiagnose) : null,
    verify: onVerify.length ? total(onVerify) : null,
  };
}

// The flags scripts/build-pkg.mjs gives wasm-opt, minus the stripping.
export const WASM_OPT_FEATURES = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
];

/** The .wasm of a named build before wasm-opt (for twiggy: one item per Rust function). */
export const PRE_OPT_WASM = 'contextio_signer_bg.pre-opt.wasm';

/**
 * Rebuilds the shipped package with its names kept, laid out like pkg/ so that the public
 * entry runs over it: wasm-bindgen --keep-debug over the release artifact (kept as
 * `contextio_signer_bg.pre-opt.wasm`), then the same wasm-opt as the package but with -g; the
 * glue renamed `contextio_signer_glue.js`, next to copies of `js/api.js` and
 * `js/contextio_signer.js`. Its code and data are the shipped ones; only the name section (and
 * producers) differ.
 * @returns {string} the directory (contextio_signer.js is the public entry)
 */
export function buildNamed(root, outDir) {
  const input = join(root, 'target/wasm32-unknown-unknown/release/contextio_signer.wasm');
  if (!existsSync(input)) throw new Error(`no ${input}: build the package first (node scripts/build-pkg.mjs)`);
  mkdirSync(outDir, { recursive: true });
  const quiet = { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] };
  execFileSync('wasm-bindgen', ['--target', 'web', '--weak-refs', '--keep-debug', '--out-dir', outDir, '--out-name', 'contextio_signer', input], quiet);
  renameSync(join(outDir, 'contextio_signer.js'), join(outDir, 'contextio_signer_glue.js'));
  for (const f of ['api.js', 'suggest.js', 'contextio_signer.js']) copyFileSync(join(root, 'js', f), join(outDir, f));
  const wasm = join(outDir, 'contextio_signer_bg.wasm');
  copyFileSync(wasm, join(outDir, PRE_OPT_WASM));
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), [process.env.WASM_OPT_LEVEL ?? '-Oz', '-g', ...WASM_OPT_FEATURES, wasm, '-o', wasm], quiet);
  return outDir;
}

/** Items that exist only in the build with names (the shipped .wasm strips them). */
const NOT_SHIPPED = /subsection"?$|^custom section '(name|producers)'/;

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
    if (['contextio_signer', 'sha1', 'sha2', 'hmac', 'base64', 'dlmalloc', 'lol_alloc', 'js_sys', 'getrandom', 'percent_encoding'].includes(r)) return r;
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

const shortName = (name) => name.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');

/**
 * The signature method an item of `twiggy top` serves, by its name: the functions of a hash
 * crate and every generic instantiated with one hash (`hmac::...<...Sha256VarCore...>`,
 * `contextio_signer::...<Sha512>...`) count for that method; `shared` for an item named after
 * more than one (a dispatcher), null for the rest. Data segments (SHA-256's and SHA-512's round
 * constants among them) have no names and count for none.
 */
export function methodOf(rawName) {
  const found = [];
  if (/sha2::sha256|Sha256|Sha224|sha256/.test(rawName)) found.push('HMAC-SHA256');
  if (/sha2::sha512|Sha512|Sha384|sha512/.test(rawName)) found.push('HMAC-SHA512');
  if (/\bsha1::|Sha1\b|Sha1Core|sha1_/.test(rawName)) found.push('HMAC-SHA1');
  if (found.length > 1) return 'shared';
  if (found.length === 1) return found[0];
  // sha2's code that serves both of its hashes (none is expected: each is generic over one).
  return /\bsha2::/.test(rawName) ? 'shared' : null;
}

/**
 * twiggy top over a .wasm with names, grouped by crate, and the bytes of each signature
 * method's code (`methodOf`).
 * @returns {{groups: {group: string, bytes: number, items: number}[], top: {name: string, bytes: number}[],
 *   methods: Record<string, {bytes: number, items: number}>, total: number, notShipped: number}}
 */
export function twiggyTop(namedWasm, topN = 10) {
  const rows = JSON.parse(execFileSync('twiggy', ['top', '-n', '100000', '-f', 'json', namedWasm], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const groups = new Map();
  const methods = {};
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
    const m = methodOf(name);
    if (m) {
      methods[m] ??= { bytes: 0, items: 0 };
      methods[m].bytes += bytes;
      methods[m].items += 1;
    }
    if (top.length < topN) top.push({ name: shortName(name), bytes });
  }
  return { groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes), top, methods, total, notShipped };
}

/**
 * The per-crate breakdown of a named build, twice: before wasm-opt, where each Rust function
 * is still its own item (wasm-opt -Oz inlines single-caller functions into their callers, so
 * after it a crate's code is counted wherever it was inlined), and the shipped code (after
 * wasm-opt, whose total is the shipped .wasm's size).
 * @returns {{preOpt: ReturnType<typeof twiggyTop>, shipped: ReturnType<typeof twiggyTop>}}
 */
export function twiggyBreakdown(namedDir) {
  return {
    preOpt: twiggyTop(join(namedDir, PRE_OPT_WASM), 12),
    shipped: twiggyTop(join(namedDir, 'contextio_signer_bg.wasm'), 10),
  };
}

/** Whether a .wasm exports the bench-only BenchHmac (then it is not the shipped build). */
export function hasBenchExport(wasmPath) {
  const mod = new WebAssembly.Module(readFileSync(wasmPath));
  return WebAssembly.Module.exports(mod).some((e) => e.name.startsWith('benchhmac'));
}
