#!/usr/bin/env node
// The benchmark: this package against the JavaScript signers a careful engineer would pick
// (oauth-1.0a + crypto-js, node:crypto or @noble/hashes; oauth-sign; Postman's node-oauth1;
// WebCrypto; a lean hand-written signer), the oauth1-request crate compiled to wasm, and the
// Rust core natively, on the same three requests (bench/requests.json), in Node and in headless
// Chromium, in HMAC-SHA1 and HMAC-SHA256; plus the floor (a bare wasm HMAC-SHA1), the size of
// every shipped file and what each crate and signature method costs, cold start, and memory
// over a million signatures; then the targets. Prints the tables and writes
// target/bench/latest.json.
//
//   node bench/run.mjs              build pkg/ and the bench build, then measure (~4 minutes)
//   node bench/run.mjs --no-build   measure pkg/ and target/bench-pkg/ as they are
//   node bench/run.mjs --quick      fewer rounds, 100,000 signatures for memory (a smoke run)
//
// Speed is measured in many short rounds, the contenders interleaved in each, and every ratio
// is the median of the per-round ratios (bench/lib/timing.mjs, bench/README.md).
//   node bench/run.mjs --profile    also sample where the time of one signature goes
//   node bench/run.mjs --before F   the before run's report (default target/bench/before.json;
//                                   `--before none` prints issue 15's figures instead)
//   node bench/run.mjs --before-pkg DIR
//                                   another build of the package (bash bench/build-before.sh
//                                   makes one from a commit), timed in the same rounds and cold
//                                   starts as this one: the "no slower" targets
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './lib/serve.mjs';
import { buildNamed, fileSize, hasBenchExport, packageSizes, twiggyBreakdown, WASM_OPT_FEATURES } from './lib/sizes.mjs';
import { methodCost } from './lib/method-cost.mjs';
import { stats } from './lib/timing.mjs';
import * as fmt from './lib/format.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'skip-chromium': { type: 'boolean', default: false },
    before: { type: 'string', default: 'target/bench/before.json' },
    // Another build of the package (its pkg/ directory): its cold starts are then timed
    // interleaved with this package's, sample by sample, and the "no worse" targets judge the
    // median of the per-pair ratios instead of comparing with a report made at another time.
    'before-pkg': { type: 'string' },
  },
});
const BEFORE_PKG = opts['before-pkg'] ? resolve(opts['before-pkg']) : null;
if (BEFORE_PKG && !existsSync(join(BEFORE_PKG, 'contextio_signer.js'))) {
  console.error(`--before-pkg ${BEFORE_PKG}: no contextio_signer.js there (a pkg/ directory of the package)`);
  process.exit(2);
}
// Speed: contenders interleaved round by round, each contender's batch ~roundMs, after
// ~warmupMs of warm-up each (bench/lib/timing.mjs); natively, nativeRuns fresh runs of
// cargo bench's binary, each one ~roundMs round of Signer::sign then one of the floor.
const CFG = opts.quick
  ? { rounds: 31, roundMs: 2, warmupMs: 150, nativeRuns: 11, memoryTotal: 100_000, coldSamples: 3 }
  : { rounds: 201, roundMs: 2, warmupMs: 300, nativeRuns: 101, memoryTotal: 1_000_000, coldSamples: 21 };
const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
];
// The timed suites (Node, Chromium, native; not the cold starts, memory or builds) run pinned
// to one CPU with taskset: every thread of a contender then shares that CPU, so WebCrypto's
// worker-thread round trips cost a switch on one core, not the wake-up of the other core,
// which on a busy machine depends on whatever else runs there and made its figure swing by 2x
// between runs. Without taskset they run unpinned (the report says so).
const PIN_CPU = (() => {
  const cpu = cpus().length - 1;
  return spawnSync('taskset', ['-c', String(cpu), 'true']).status === 0 ? cpu : null;
})();
/** [cmd, args] run pinned to PIN_CPU when there is one. */
const pinned = (cmd, args) => (PIN_CPU == null ? [cmd, args] : ['taskset', ['-c', String(PIN_CPU), cmd, ...args]]);
const PKG = join(root, 'pkg');
const BENCH_PKG = join(root, 'target/bench-pkg');
const OUT = join(root, 'target/bench');
const FLOOR_GLUE = join(OUT, 'floor-glue');
// The oauth1-request contender: bench/oauth1-request-wasm/ (a crate of its own, never part of
// the package), its cargo target directory, and its wasm-bindgen glue.
const O1R_CRATE = join(import.meta.dirname, 'oauth1-request-wasm');
const O1R_TARGET = join(root, 'target/oauth1-request-wasm');
const O1R_GLUE = join(OUT, 'oauth1-request-wasm');

const started = performance.now();
const step = (msg) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);
const fx = JSON.parse(readFileSync(join(import.meta.dirname, 'requests.json'), 'utf8'));

class BenchError extends Error {}

/** Runs a command; on failure throws with its output. Returns stdout. */
function run(cmd, args, { env, label } = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, ...env } });
  if (r.status !== 0) {
    throw new BenchError(`${label ?? cmd} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || '').slice(-4000)}${(r.stdout || '').slice(-2000)}`);
  }
  return r.stdout;
}

/** The last stdout line of a child that prints JSON. */
function runJson(cmd, args, opts) {
  const out = run(cmd, args, opts).trim().split('\n');
  return JSON.parse(out[out.length - 1]);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function summary(values) {
  const xs = values.filter((x) => typeof x === 'number');
  return xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs } : null;
}

// ---------------------------------------------------------------------------------------------

function build() {
  step('build the bench build (target/bench-pkg, --features bench)');
  run('node', ['scripts/build-pkg.mjs', '--quiet', '--out-dir', 'target/bench-pkg', '--features', 'bench'], { label: 'bench build' });
  // The glue that exports BenchHmac, for the floor (see bench/lib/floor.mjs): wasm-bindgen over
  // the release artifact, which is the bench build's now, unless another build has just
  // replaced it (then the floor could not be measured, and the run stops here).
  rmSync(FLOOR_GLUE, { recursive: true, force: true });
  const release = join(root, 'target/wasm32-unknown-unknown/release/contextio_signer.wasm');
  if (!hasBenchExport(release)) {
    throw new BenchError(`${release} is not the bench build's (another build replaced it meanwhile?): run the benchmark again`);
  }
  run('wasm-bindgen', ['--target', 'web', '--weak-refs', '--no-typescript', '--out-dir', FLOOR_GLUE, '--out-name', 'contextio_signer', release],
    { label: 'wasm-bindgen (the floor glue)' });
  // Last, so that target/wasm32-unknown-unknown/release is the shipped build (for twiggy).
  step('build the shipped package (pkg/)');
  run('node', ['scripts/build-pkg.mjs', '--quiet'], { label: 'package build' });
}

/**
 * The oauth1-request crate behind its thin wasm-bindgen wrapper (bench/oauth1-request-wasm/):
 * cargo build --release for wasm32 in a target directory of its own, the wasm-bindgen CLI of
 * scripts/setup.sh (the crate pins the same wasm-bindgen), then wasm-opt -O, as wasm-pack
 * would run it for a release build. With --no-build, only when its glue is missing.
 */
function buildOauth1Request() {
  if (opts['no-build'] && existsSync(join(O1R_GLUE, 'oauth1_request_wasm.js'))) return;
  step('build the oauth1-request contender (bench/oauth1-request-wasm, wasm32, release)');
  run('cargo', ['build', '--manifest-path', join(O1R_CRATE, 'Cargo.toml'), '--target', 'wasm32-unknown-unknown', '--release',
    '--locked', '--target-dir', O1R_TARGET, '--quiet'], { label: 'cargo build (bench/oauth1-request-wasm)' });
  rmSync(O1R_GLUE, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', O1R_GLUE, '--out-name', 'oauth1_request_wasm',
    join(O1R_TARGET, 'wasm32-unknown-unknown/release/oauth1_request_wasm.wasm')], { label: 'wasm-bindgen (oauth1-request)' });
  const wasm = join(O1R_GLUE, 'oauth1_request_wasm_bg.wasm');
  run(join(root, 'node_modules/.bin/wasm-opt'), ['-O', ...WASM_OPT_FEATURES, wasm, '-o', wasm], { label: 'wasm-opt (oauth1-request)' });
}

/**
 * The Rust core natively: cargo bench's binary (benches/native.rs), run CFG.nativeRuns times,
 * each run one round of Signer::sign then one of the floor per request (BENCH_ROUNDS=1), so
 * that the two alternate like the contenders in Node; a run's two rounds make its ratio.
 */
function native() {
  step(`native: cargo bench --features internals --bench native, ${CFG.nativeRuns} runs of one ~${CFG.roundMs} ms round each`);
  const built = run('cargo', ['bench', '--features', 'internals', '--bench', 'native', '--no-run', '--message-format=json'], {
    label: 'cargo bench --features internals --bench native --no-run',
  });
  const exe = built.split('\n').map((l) => { try { return JSON.parse(l); } catch { return null; } })
    .find((m) => m?.reason === 'compiler-artifact' && m.target?.name === 'native' && m.executable)?.executable;
  if (!exe) throw new BenchError('cargo bench --no-run named no executable for the native bench');
  const runs = [];
  for (let i = 0; i < CFG.nativeRuns; i++) {
    const out = run(...pinned(exe, ['--bench']), {
      env: { BENCH_ROUNDS: '1', BENCH_ROUND_MS: String(CFG.roundMs) },
      label: 'the native bench (benches/native.rs)',
    });
    const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
    if (!line) throw new BenchError(`the native bench printed no BENCH_JSON line:\n${out}`);
    runs.push(JSON.parse(line.slice('BENCH_JSON '.length)));
  }
  const requests = {};
  for (const id of Object.keys(runs[0].requests)) {
    const first = runs[0].requests[id];
    const series = (k) => stats(runs.map((r) => r.requests[id][k].median), first[k].iterations);
    requests[id] = { signature: first.signature, baseStringBytes: first.baseStringBytes, sign: series('sign'), floor: series('floor') };
    // oauth1-request natively, and this signer with the query in the URL (the requests whose
    // names the crate can sign): in the same runs, so their ratios are per run.
    if (first.oauth1Request) Object.assign(requests[id], { oauth1Request: series('oauth1Request'), signUrlQuery: series('signUrlQuery') });
  }
  return { requests };
}

function nodeSuite() {
  step(`node: the HMAC-SHA1 and HMAC-SHA256 contenders, the floors${BEFORE_PKG ? ', the before package' : ''} x ${fx.requests.length} requests, ${CFG.rounds} interleaved rounds, ~${CFG.roundMs} ms a contender`);
  const args = ['--expose-gc', 'bench/node.mjs', '--rounds', String(CFG.rounds), '--round-ms', String(CFG.roundMs), '--warmup-ms', String(CFG.warmupMs),
    '--oauth1-request', O1R_GLUE, ...(BEFORE_PKG ? ['--before-pkg', BEFORE_PKG] : [])];
  const r = spawnSync(...pinned('node', args), {
    cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = (r.stdout || '').trim().split('\n');
  let result;
  try {
    result = JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new BenchError(`bench/node.mjs failed (exit ${r.status}):\n${r.stdout}`);
  }
  if (result.mismatches?.length) throw new BenchError(`Node: signatures differ:\n  ${result.mismatches.join('\n  ')}`);
  if (r.status !== 0) throw new BenchError(`bench/node.mjs failed (exit ${r.status})`);
  return result;
}

/**
 * Cold starts of the package in fresh Node processes; with --before-pkg, of both packages, one
 * after the other in each pair (the order alternating), so that both meet the same load.
 */
async function nodeCold() {
  step(`node: cold start x ${CFG.coldSamples} fresh processes${BEFORE_PKG ? ', interleaved with the before package' : ''}`);
  const once = (dir) => runJson('node', ['bench/cold-node.mjs', '--pkg', dir], { label: 'bench/cold-node.mjs' });
  const { samples, before } = await coldSamples(() => once(PKG), () => once(BEFORE_PKG));
  const keys = Object.keys(samples[0]).filter((k) => typeof samples[0][k] === 'number');
  if (![...samples, ...before].every((s) => s.ok)) throw new BenchError('Node cold start: a signature had the wrong length');
  const summarize = (list) => Object.fromEntries(keys.map((k) => [k, summary(list.map((s) => s[k]))]));
  const out = summarize(samples);
  if (BEFORE_PKG) out.before = { ...summarize(before), pairRatio: pairRatio(samples, before, 'totalMs') };
  return out;
}

/**
 * CFG.coldSamples cold starts of this package (`now()`) and, with --before-pkg, as many of the
 * before package (`before()`), one of each per pair, the order alternating from pair to pair.
 */
async function coldSamples(now, before) {
  const samples = [];
  const others = [];
  for (let i = 0; i < CFG.coldSamples; i++) {
    if (!BEFORE_PKG) {
      samples.push(await now());
    } else if (i % 2 === 0) {
      samples.push(await now());
      others.push(await before());
    } else {
      others.push(await before());
      samples.push(await now());
    }
  }
  return { samples, before: others };
}

/** The median and range of the per-pair ratios now ÷ before of one figure. */
function pairRatio(now, before, key) {
  return summary(now.map((s, i) => s[key] / before[i][key]));
}

function verifySpeed() {
  step(`node: verifyRequest beside signRequest x ${fx.requests.length} requests, ${CFG.rounds} interleaved rounds`);
  return runJson(...pinned('node', ['--expose-gc', 'bench/verify.mjs', '--pkg', PKG, '--rounds', String(CFG.rounds),
    '--round-ms', String(CFG.roundMs), '--warmup-ms', String(CFG.warmupMs)]), { label: 'bench/verify.mjs' });
}

function memory() {
  step(`node: memory over ${CFG.memoryTotal.toLocaleString('en')} signatures`);
  return runJson('node', ['--expose-gc', 'bench/memory.mjs', '--total', String(CFG.memoryTotal)], { label: 'bench/memory.mjs' });
}

async function browser() {
  if (!existsSync(CHROMIUM_BIN)) throw new BenchError(`no Chromium at ${CHROMIUM_BIN} (apt-get install chromium, or set CHROMIUM_BIN)`);
  const server = await serve({
    '/': join(import.meta.dirname, 'page'),
    '/bench/': import.meta.dirname,
    '/pkg/': PKG,
    '/bench-pkg/': BENCH_PKG,
    '/bench-floor/': FLOOR_GLUE,
    '/oauth1-request/': O1R_GLUE,
    '/npm/': join(root, 'node_modules'),
    ...(BEFORE_PKG ? { '/before-pkg/': BEFORE_PKG } : {}),
  });
  // The speed suite in a browser pinned to PIN_CPU (every process it starts inherits the
  // affinity), with gc() exposed for the minor GC before each batch; the cold starts in an
  // unpinned browser as a page meets them.
  let executablePath = CHROMIUM_BIN;
  if (PIN_CPU != null) {
    executablePath = join(OUT, 'chromium-pinned.sh');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(executablePath, `#!/bin/sh\nexec taskset -c ${PIN_CPU} ${JSON.stringify(CHROMIUM_BIN)} "$@"\n`, { mode: 0o755 });
  }
  let b = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'], timeout: 60_000 });
  try {
    const version = b.version();
    step(`chromium ${version}: the HMAC-SHA1 and HMAC-SHA256 contenders, the floors${BEFORE_PKG ? ', the before package' : ''} x ${fx.requests.length} requests, ${CFG.rounds} interleaved rounds`);
    const context = await b.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/index.html${BEFORE_PKG ? '?before' : ''}`);
    await page.evaluate(() => window.benchReady).catch((e) => {
      throw new BenchError(`the benchmark page did not load: ${e.message} ${errors.join(' ')}`);
    });
    const suite = await page.evaluate((o) => window.runBench(o), { rounds: CFG.rounds, roundMs: CFG.roundMs, warmupMs: CFG.warmupMs });
    await context.close();
    if (suite.mismatches.length) throw new BenchError(`Chromium: signatures differ:\n  ${suite.mismatches.join('\n  ')}`);
    if (errors.length) throw new BenchError(`Chromium page errors: ${errors.join('\n')}`);
    await b.close();
    b = await chromium.launch({ executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS, timeout: 60_000 });

    step(`chromium: cold start x ${CFG.coldSamples} fresh contexts, streaming and from bytes${BEFORE_PKG ? ', interleaved with the before package' : ''}`);
    const cold = {};
    const KEYS = ['glueMs', 'initMs', 'fetchMs', 'afterLastByteMs', 'firstSignerMs', 'firstSignatureMs', 'firstOwnNonceMs'];
    const once = async (mode, which) => {
      const ctx = await b.newContext();
      const p = await ctx.newPage();
      await p.goto(`${server.url}/cold.html?mode=${mode}&pkg=${which}`);
      const sample = await p.evaluate(() => window.cold);
      await ctx.close();
      return sample;
    };
    const summarize = (list) => Object.fromEntries(KEYS.map((k) => [k, summary(list.map((s) => s[k]))]));
    for (const mode of ['stream', 'bytes']) {
      const { samples, before } = await coldSamples(() => once(mode, 'now'), () => once(mode, 'before'));
      if (![...samples, ...before].every((s) => s.ok)) throw new BenchError('Chromium cold start: a signature had the wrong length');
      cold[mode] = summarize(samples);
      if (BEFORE_PKG) cold[mode].before = { ...summarize(before), pairRatio: pairRatio(samples, before, 'initMs') };
      cold.crossOriginIsolated = samples[0].crossOriginIsolated;
    }
    return { version, suite, cold };
  } finally {
    await b.close();
    await server.close();
  }
}

/** What a page would load for the oauth1-request contender (its .wasm and glue), for scale. */
function contenderSizes() {
  const files = ['oauth1_request_wasm_bg.wasm', 'oauth1_request_wasm.js'].map((f) => ({ name: f, ...fileSize(join(O1R_GLUE, f)) }));
  return { 'oauth1-request': { files, gzip: files.reduce((n, f) => n + f.gzip, 0), raw: files.reduce((n, f) => n + f.raw, 0) } };
}

function sizes() {
  step('sizes of pkg/, and twiggy over the shipped code with names');
  const pkg = packageSizes(PKG);
  pkg.contenders = contenderSizes();
  // What each signature method costs: builds of the probe that differ by one method.
  step('sizes: the per-method probe (bench/method-cost), five builds that differ by one method');
  try {
    pkg.methodCost = methodCost(root, join(OUT, 'method-cost'), run);
  } catch (e) {
    pkg.methodCost = { error: e.message.split('\n')[0] };
  }
  const release = join(root, 'target/wasm32-unknown-unknown/release/contextio_signer.wasm');
  if (hasBenchExport(release)) {
    return { pkg, twiggy: null, note: 'target/wasm32-unknown-unknown/release holds the bench build: run without --no-build for the breakdown' };
  }
  let twiggy;
  try {
    twiggy = twiggyBreakdown(buildNamed(root, join(OUT, 'named')));
  } catch (e) {
    // The breakdown needs wasm-bindgen and twiggy (cargo install twiggy); the rest does not.
    return { pkg, twiggy: null, note: `no size breakdown: ${e.message.split('\n')[0]}` };
  }
  const wasm = pkg.files.find((f) => f.name.endsWith('.wasm')).raw;
  const note = twiggy.shipped.total === wasm ? null
    : `the build with names has ${twiggy.shipped.total} B of code and data, pkg/ ${wasm} B: pkg/ may be older than target/ (run without --no-build)`;
  return { pkg, twiggy, note };
}

/**
 * Whether src/ holds a hand-written HMAC (issue 15): the RFC 2104 pads written out, or SHA-1
 * driven block by block, rather than RustCrypto's `hmac` crate.
 */
function handWrittenHmac() {
  const dir = join(root, 'src');
  const sources = readdirSync(dir).filter((f) => f.endsWith('.rs')).map((f) => readFileSync(join(dir, f), 'utf8'));
  return sources.some((t) => /0x36u8|0x5cu8|sha1::compress\(/.test(t)) || !sources.some((t) => /\buse hmac::/.test(t));
}

/** The report of the run before issue 9, if there is one (see bench/before.sh). */
function beforeReport() {
  if (opts.before === 'none') return null;
  const file = resolve(root, opts.before);
  if (!existsSync(file)) {
    if (opts.before !== 'target/bench/before.json') throw new BenchError(`no before report at ${file}`);
    return null;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return { report, file: opts.before, commit: report.source?.commit ?? null, date: report.date, load1AtStart: report.machine.load1AtStart };
}

/** The commit measured, and whether the package's sources differ from it. */
function source() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'js', 'Cargo.toml', 'Cargo.lock', 'scripts/build-pkg.mjs'],
      { cwd: root, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

function profile() {
  step('profile: V8 CPU sampler over signRequest (listing, large)');
  return runJson('node', ['bench/profile.mjs', '--no-build', '--json', '--seconds', opts.quick ? '1' : '3'], { label: 'bench/profile.mjs' });
}

/** Every environment must agree with Node's signatures, method by method. */
function crossEnvironment(nodeRes, chromiumRes, nativeRes) {
  const problems = [];
  for (const req of fx.requests) {
    const refs = nodeRes.requests[req.id].references;
    const check = (where, sigs, groupOf = () => 'HMAC-SHA1') => {
      for (const [id, sig] of Object.entries(sigs)) {
        const want = refs[groupOf(id)];
        if (sig !== want) problems.push(`${req.id}: ${where} ${id} signed ${sig}, Node's reference ${want} (${groupOf(id)})`);
      }
    };
    if (chromiumRes) check('Chromium', chromiumRes.suite.requests[req.id].signatures, (id) => chromiumRes.suite.groups?.[id] ?? 'HMAC-SHA1');
    check('native', { 'Rust core': nativeRes.requests[req.id].signature });
  }
  if (problems.length) throw new BenchError(`signatures differ between environments:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const before = beforeReport();
  const load = loadavg()[0];
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, load1AtStart: load, pinnedCpu: PIN_CPU };
  if (!opts['no-build']) build();
  buildOauth1Request();
  for (const dir of [PKG, BENCH_PKG]) {
    if (!existsSync(join(dir, 'node.js'))) throw new BenchError(`${dir} is not built: run without --no-build`);
  }
  const nat = native();
  const nodeRes = nodeSuite();
  const chromiumRes = opts['skip-chromium'] ? null : await browser();
  crossEnvironment(nodeRes, chromiumRes, nat);
  const coldNode = await nodeCold();
  const verification = verifySpeed();
  const mem = memory();
  const size = sizes();
  const prof = opts.profile ? profile() : null;
  machine.load1AtEnd = loadavg()[0];

  const report = {
    date: new Date().toISOString(),
    source: source(),
    handHmac: handWrittenHmac(),
    config: { ...CFG, quick: opts.quick },
    machine,
    node: { version: process.version, v8: process.versions.v8 },
    chromium: chromiumRes?.version ?? null,
    requests: Object.fromEntries(fx.requests.map((r) => [r.id, {
      title: r.title,
      detail: r.detail,
      baseStringBytes: nodeRes.requests[r.id].baseStringBytes,
      signature: nodeRes.requests[r.id].signatures.ours,
      // The signature of each method, as its contenders agreed on it.
      signatures: nodeRes.requests[r.id].references,
    }])),
    speed: {
      node: Object.fromEntries(fx.requests.map((r) => [r.id, nodeRes.requests[r.id].results])),
      chromium: chromiumRes && Object.fromEntries(fx.requests.map((r) => [r.id, chromiumRes.suite.requests[r.id].results])),
      native: Object.fromEntries(fx.requests.map((r) => {
        const { sign, floor, oauth1Request, signUrlQuery } = nat.requests[r.id];
        return [r.id, { sign, floor, ...(oauth1Request ? { oauth1Request, signUrlQuery } : {}) }];
      })),
      floorSource: { node: nodeRes.floorSource, chromium: chromiumRes?.suite.floorSource ?? null },
      // Contenders that did not run, and why (this package's HMAC-SHA256 before issue 22).
      unavailable: { node: nodeRes.unavailable ?? {}, chromium: chromiumRes?.suite.unavailable ?? null },
      // Contenders run once but not timed on a request (oauth1-request on the large one).
      skipped: {
        node: Object.fromEntries(fx.requests.map((r) => [r.id, nodeRes.requests[r.id].skipped ?? {}])),
        chromium: chromiumRes && Object.fromEntries(fx.requests.map((r) => [r.id, chromiumRes.suite.requests[r.id].skipped ?? {}])),
      },
      beforePkg: BEFORE_PKG,
    },
    cold: { node: coldNode, chromium: chromiumRes?.cold ?? null },
    verification,
    memory: mem,
    size: size.pkg,
    sizeBreakdown: size.twiggy,
    sizeNote: size.note,
    profile: prof,
  };
  report.ratios = fmt.ratios(report);
  report.targets = fmt.targets(report, before?.report);
  report.methodTargets = fmt.methodTargets(report);
  report.speedTargets = fmt.speedTargets(report);
  // The commit bench/build-before.sh built the before package from (its BUILT-FROM file).
  if (BEFORE_PKG && existsSync(join(BEFORE_PKG, 'BUILT-FROM'))) {
    const from = readFileSync(join(BEFORE_PKG, 'BUILT-FROM'), 'utf8').trim();
    report.beforePkgSource = from.length > 72 ? `${from.slice(0, 71)}…` : from;
  }
  if (before) report.before = { file: before.file, commit: before.commit, date: before.date, load1AtStart: before.load1AtStart, figures: fmt.figures(before.report) };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  const text = fmt.render(report, fx);
  writeFileSync(join(OUT, 'latest.txt'), text + '\n');
  step(`done; wrote target/bench/latest.json and latest.txt`);
  console.log(text);
}

main().catch((e) => {
  if (e instanceof BenchError) {
    console.error(`\nbenchmark FAILED: ${e.message}`);
  } else {
    console.error('\nbenchmark FAILED:', e);
  }
  process.exit(1);
});
