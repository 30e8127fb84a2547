#!/usr/bin/env node
// Memory across the JS boundary: one Signer signs the message listing a thousand times, then
// up to a million times (its own nonce and clock, as in real use: getrandom and Date.now cross
// the boundary too). After each phase: a full GC, then rss, heapUsed, the wasm linear memory
// and the externref table. Started by bench/run.mjs; prints JSON on stdout.
//
//   node --expose-gc bench/memory.mjs [--total 1000000] [--pkg DIR]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { record } from './lib/contenders.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    total: { type: 'string', default: '1000000' },
    first: { type: 'string', default: '1000' },
    pkg: { type: 'string', default: resolve(root, 'pkg') },
  },
});
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

// The package's entry, instantiated here with initSync (not through node.js) to hold the wasm
// exports it returns: the linear memory and the externref table.
const pkg = await import(pathToFileURL(resolve(args.pkg, 'contextio_signer.js')).href);
const exports = pkg.initSync({ module: readFileSync(resolve(args.pkg, 'contextio_signer_bg.wasm')) });

const fx = JSON.parse(readFileSync(resolve(import.meta.dirname, 'requests.json'), 'utf8'));
const req = fx.requests.find((r) => r.id === 'listing');
const signer = new pkg.Signer({
  consumerKey: fx.consumer.key,
  consumerSecret: fx.consumer.secret,
  token: fx.token.key,
  tokenSecret: fx.token.secret,
});
const request = { method: req.method, url: req.url, query: record(req.query) };

function snapshot(signatures) {
  gc();
  gc();
  const m = process.memoryUsage();
  return {
    signatures,
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    wasmMemory: exports.memory?.buffer.byteLength ?? null,
    externrefTable: exports.__wbindgen_externrefs?.length ?? null,
  };
}

let sink = 0;
let done = 0;
const signUpTo = (n) => {
  for (; done < n; done++) sink += signer.signRequest(request).signature.length;
};
const first = Number(args.first);
const total = Number(args.total);
const t0 = performance.now();
signUpTo(first);
const after = [snapshot(first)];
const t1 = performance.now();
signUpTo(total);
const t2 = performance.now();
after.push(snapshot(total));
console.log(
  JSON.stringify({
    after,
    usPerSignature: ((t2 - t1) * 1000) / (total - first),
    firstPhaseMs: t1 - t0,
    sink,
  }),
);
