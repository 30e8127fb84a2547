#!/usr/bin/env node
// The differential test from the command line: signs generated requests with the package
// (pkg/node.js) and checks each against two independent referees (oauth-sign over WHATWG
// URL/URLSearchParams parsing of what fetch would send, and Python's oauthlib reading the same
// request: tests/oauthlib/oracle.py through /usr/bin/python3). See check.mjs and generate.mjs.
//
//   node tests/differential/run.mjs --count 1000000 --seed 7     the long run
//   node tests/differential/run.mjs --seed 7 --index 123456      replay one case, verbosely
//   node tests/differential/run.mjs --count 100000 --start 500000 --seed 7
//
// Exits non-zero on any mismatch, printing each one (seed, index, replay command, inputs).
// The last line is the summary "N passed, M failed".

import { parseArgs } from 'node:util';
import { DEFAULT_SEED, loadOauthlib, loadPackage, report, runCase, runRange, show } from './check.mjs';

const USAGE = `usage: node tests/differential/run.mjs [--seed N] [--count N] [--start N] [--index N] [--max-failures N] [--oauthlib-every N] [--tags]

  --seed N          the generator's seed (default ${DEFAULT_SEED})
  --count N         cases to run (default 10000), from --start (default 0)
  --index N         replay one case verbosely
  --max-failures N  stop after N mismatches (default 20)
  --oauthlib-every N  ask oauthlib about every Nth case only (default 1: every case)
  --tags            print how often each corner was generated
  --help            show this help`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      count: { type: 'string', default: '10000' },
      start: { type: 'string', default: '0' },
      index: { type: 'string' },
      'max-failures': { type: 'string', default: '20' },
      'oauthlib-every': { type: 'string', default: '1' },
      tags: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  console.error(`differential: ${e.message.split('\n')[0]}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const int = (name, s) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${s}`);
    process.exit(2);
  }
  return n;
};

const pkg = await loadPackage();
const oauthlib = await loadOauthlib();
const seed = int('seed', values.seed);

if (values.index !== undefined) {
  const r = await runCase(pkg, seed, int('index', values.index), oauthlib);
  oauthlib.close();
  if (r.outcome === 'failed') {
    console.log(report(r));
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const { c } = r;
  console.log(`seed=${seed} index=${c.index}: ${r.outcome}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}`);
  console.log(`  api: ${c.api}\n  options: ${show(c.options)}\n  request: ${show(c.request)}`);
  if (c.faults.length) console.log(`  faults: ${show(c.faults)}`);
  if (r.signed) {
    console.log(`  returned: ${show({ method: r.signed.method, url: r.signed.url, headers: r.signed.headers, body: r.signed.body })}`);
    console.log(`  base string (package = independent): ${r.signed.baseString}`);
    console.log(`  signature (package = independent): ${r.signed.signature}`);
    console.log(`  oauthlib: ${r.oauthlibSkipped ? `counted instead of compared: ${r.oauthlibSkipped}` : 'same base string and signature, verified'}`);
  }
  console.log(`  corners: ${c.tags.join(', ')}`);
  console.log('1 passed, 0 failed');
  process.exit(0);
}

const count = int('count', values.count);
const start = int('start', values.start);
const t0 = Date.now();
console.log(`differential: seed ${seed}, cases ${start}..${start + count - 1}`);
const stats = await runRange(pkg, {
  seed,
  start,
  count,
  maxFailures: int('max-failures', values['max-failures']),
  oauthlib,
  oauthlibEvery: Math.max(1, int('oauthlib-every', values['oauthlib-every'])),
  onFailure: (r) => console.log(report(r)),
  onProgress: (s) => console.log(`  ${s.cases} cases, ${s.signed} signed and compared, ${s.refused} refused as documented, ${s.failures} failed (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
});
oauthlib.close();
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`${stats.cases} cases in ${secs} s: ${stats.signed} signed and identical to the independent signer (base string and signature), ${stats.refused} refused with a documented code, ${stats.toleratedRefusals} tolerated refusals, ${stats.failures} failed`);
console.log(`signed by method: ${[...stats.signedByMethod].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`oauthlib ${oauthlib.version}: ${stats.oauthlibCompared} compared and verified (${stats.oauthlibEscaped} after escaping characters its urldecode refuses), counted instead: ${[...stats.oauthlibSkipped].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
console.log(`refusals by code: ${[...stats.refusalCodes].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
if (values.tags) {
  for (const [t, n] of [...stats.tags].sort()) console.log(`  ${String(n).padStart(8)}  ${t}`);
}
console.log(`${stats.cases - stats.failures} passed, ${stats.failures} failed`);
process.exit(stats.failures ? 1 : 0);
