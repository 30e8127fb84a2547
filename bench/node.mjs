#!/usr/bin/env node
// The Node contenders, side by side on the three requests (started by bench/run.mjs; prints
// JSON on stdout, progress on stderr). Each contender first signs every request once with the
// fixture's nonce and timestamp and must produce the same signature as the others; then all
// are timed together, interleaved round by round (bench/lib/timing.mjs). bench/run.mjs starts
// it pinned to one CPU.
//
//   node --expose-gc bench/node.mjs [--rounds 201] [--round-ms 2] [--warmup-ms 300] [--pkg DIR] [--bench-pkg DIR] [--floor-glue DIR]
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as c from './lib/contenders.mjs';
import { loadBenchHmac } from './lib/floor.mjs';
import { runSuite } from './lib/suite.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '201' },
    'round-ms': { type: 'string', default: '2' },
    'warmup-ms': { type: 'string', default: '300' },
    pkg: { type: 'string', default: resolve(root, 'pkg') },
    'bench-pkg': { type: 'string', default: resolve(root, 'target/bench-pkg') },
    'floor-glue': { type: 'string', default: resolve(root, 'target/bench/floor-glue') },
  },
});
const require = createRequire(import.meta.url);
const OAuth = require('oauth-1.0a');
const CryptoJS = require('crypto-js');
const oauthSignLib = require('oauth-sign');

const fx = JSON.parse(readFileSync(resolve(import.meta.dirname, 'requests.json'), 'utf8'));
// Each package as a Node user loads it: node.js instantiates the module on import.
const shipped = await import(pathToFileURL(resolve(args.pkg, 'node.js')).href);
const benchBuild = await import(pathToFileURL(resolve(args['bench-pkg'], 'node.js')).href);
// The floor is not part of the public entry (bench/lib/floor.mjs says where it comes from).
const { BenchHmac, inputArea, source: floorSource } = await loadBenchHmac({
  url: pathToFileURL(resolve(args['floor-glue'], 'contextio_signer.js')).href,
  init: (glue) => glue.initSync({ module: readFileSync(resolve(args['bench-pkg'], 'contextio_signer_bg.wasm')) }),
});

const cryptoJsHmac = (base, key) => CryptoJS.HmacSHA1(base, key).toString(CryptoJS.enc.Base64);
const nodeHmac = (base, key) => createHmac('sha1', key).update(base).digest('base64');

/** id -> prepare(request) */
const contenders = {
  ours: c.ours(shipped, fx),
  'ours-own-nonce': c.ours(shipped, fx, { ownNonce: true }),
  'oauth-1.0a+crypto-js': c.oauth1a(OAuth, cryptoJsHmac, fx),
  'oauth-1.0a+node:crypto': c.oauth1a(OAuth, nodeHmac, fx),
  'oauth-sign': c.oauthSign(oauthSignLib, fx),
  webcrypto: c.webCrypto(globalThis.crypto.subtle, fx),
  'bench-ours': c.ours(benchBuild, fx),
  floor: c.floor(BenchHmac, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
  'floor-area': c.floorArea(BenchHmac, inputArea, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
};
const unchecked = new Set(['ours-own-nonce']);

const suite = await runSuite({
  fx,
  contenders,
  unchecked,
  baseStringBytes: (req) => Buffer.byteLength(c.oursBaseString(shipped, fx, req)),
  rounds: Number(args.rounds),
  roundMs: Number(args['round-ms']),
  warmupMs: Number(args['warmup-ms']),
  gc: globalThis.gc,
  log: (line) => process.stderr.write(`  node: ${line}\n`),
});
console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, floorSource, ...suite }));
if (suite.mismatches.length) process.exitCode = 3;
