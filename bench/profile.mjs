#!/usr/bin/env node
// Where the time of one signature goes: samples `signRequest` in Node with the V8 CPU profiler
// (node:inspector, the same sampler as `node --cpu-prof`) on the shipped code rebuilt with
// its names (bench/lib/sizes.mjs buildNamed: the public entry and api.js over the glue and the
// .wasm with names), and prints the self time by function and by part: the JS half of the
// boundary (api.js), wasm-bindgen's glue, string crossings, and the .wasm by crate. Also
// started by `node bench/run.mjs --profile`.
//
//   node bench/profile.mjs [--seconds 3] [--requests listing,large] [--json] [--no-build]
// (--no-build reuses target/bench/named from an earlier run.)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { record } from './lib/contenders.mjs';
import { buildNamed, groupOf } from './lib/sizes.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    requests: { type: 'string', default: 'listing,large' },
    json: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const namedDir = resolve(root, 'target/bench/named');
if (!args['no-build']) buildNamed(root, namedDir);
// The public entry, as the package ships it, over the build with names.
const pkg = await import(pathToFileURL(join(namedDir, 'contextio_signer.js')).href);
pkg.initSync({ module: readFileSync(join(namedDir, 'contextio_signer_bg.wasm')) });
const fx = JSON.parse(readFileSync(resolve(import.meta.dirname, 'requests.json'), 'utf8'));
const glueLines = readFileSync(join(namedDir, 'contextio_signer_glue.js'), 'utf8').split('\n');

/** A name for an anonymous function of the glue: the import it implements and its first line. */
function glueName(line) {
  for (let i = line; i >= Math.max(0, line - 2); i--) {
    const m = /^\s*(__wbg\w+|__wbindgen\w+):/.exec(glueLines[i] ?? '');
    if (m) return `${m[1]} { ${(glueLines[line + 1] ?? '').trim()} }`;
  }
  return `(anonymous) line ${line + 1}`;
}

function signerFor(req) {
  const creds = { consumerKey: fx.consumer.key, consumerSecret: fx.consumer.secret };
  return req.signer === 'three-legged'
    ? new pkg.Signer({ ...creds, token: fx.token.key, tokenSecret: fx.token.secret })
    : pkg.Signer.forNewUser(creds);
}

/** Self time by function and by group, in percent of the samples. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const fns = new Map();
  const groups = new Map();
  const total = profile.samples.length;
  for (const [id, count] of counts) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const isWasm = url.startsWith('wasm://');
    const isGlue = url.endsWith('/contextio_signer_glue.js');
    const isApi = url.endsWith('/api.js') || url.endsWith('/contextio_signer.js');
    const name = (functionName || (isGlue ? glueName(lineNumber) : '(anonymous)')).replace(/^\$/, '').replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');
    let group;
    if (isWasm) group = `wasm: ${groupOf(name)}`;
    else if (isApi) group = 'JS: api.js (reading the request, packing, unpacking the result)';
    else if (isGlue || functionName === 'get buffer') group = "JS: wasm-bindgen's glue (contextio_signer_glue.js, memory views)";
    else if (url === 'node:internal/encoding' || /^(decodeUTF8|encodeInto|encodeUtf8String)$/.test(functionName)) {
      group = 'TextDecoder/TextEncoder (strings crossing)';
    }
    else if (!url && /^\(.*\)$/.test(functionName)) group = functionName; // (garbage collector), (program), (idle)
    else group = 'other JS (the benchmark loop, Node internals)';
    const key = isWasm ? `wasm ${name}` : `${name} (${url.split('/').pop() || 'native'})`;
    fns.set(key, (fns.get(key) ?? 0) + count);
    groups.set(group, (groups.get(group) ?? 0) + count);
  }
  const pct = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, pct: (n / total) * 100 }));
  return { samples: total, groups: pct(groups), functions: pct(fns).slice(0, 20) };
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
const out = {};
for (const id of args.requests.split(',')) {
  const req = fx.requests.find((r) => r.id === id);
  if (!req) throw new Error(`no request ${id} in bench/requests.json`);
  const signer = signerFor(req);
  const request = { method: req.method, url: req.url, nonce: fx.nonce, timestamp: fx.timestamp };
  if (req.query.length) request.query = record(req.query);
  if (req.form.length) request.body = record(req.form);
  let sink = 0;
  for (let i = 0; i < 20000; i++) sink += signer.signRequest(request).signature.length; // tier up
  await session.post('Profiler.start');
  const until = performance.now() + Number(args.seconds) * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) sink += signer.signRequest(request).signature.length;
    n += 100;
  }
  const { profile } = await session.post('Profiler.stop');
  out[id] = { signatures: n, sink, ...summarize(profile) };
  mkdirSync(resolve(root, 'target/bench'), { recursive: true });
  writeFileSync(resolve(root, `target/bench/profile-${id}.cpuprofile`), JSON.stringify(profile));
}
session.disconnect();

if (args.json) {
  console.log(JSON.stringify(out));
} else {
  for (const [id, p] of Object.entries(out)) {
    console.log(`\n${id}: ${p.samples} samples over ${p.signatures} signatures (target/bench/profile-${id}.cpuprofile)`);
    console.log('  self time by group');
    for (const g of p.groups) console.log(`    ${g.pct.toFixed(1).padStart(5)}%  ${g.name}`);
    console.log('  self time by function (top 20)');
    for (const f of p.functions) console.log(`    ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  }
}
