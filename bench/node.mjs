#!/usr/bin/env node
// The Node contenders, side by side on the three requests (started by bench/run.mjs; prints
// JSON on stdout, progress on stderr). Each contender first signs every request once with the
// fixture's nonce and timestamp and must produce the same signature as the others; then all
// are timed together, interleaved round by round (bench/lib/timing.mjs). bench/run.mjs starts
// it pinned to one CPU.
//
// HMAC-SHA256 contenders are compared with each other, and this package joins them when its
// Signer takes `signatureMethod: 'HMAC-SHA256'` (else `unavailable` says why). With
// --before-pkg DIR another build of the package runs in the same rounds (`before-ours`).
//
//   node --expose-gc bench/node.mjs [--rounds 201] [--round-ms 2] [--warmup-ms 300] [--pkg DIR] [--bench-pkg DIR] [--floor-glue DIR]
//                                   [--oauth1-request DIR] [--before-pkg DIR]
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
    'oauth1-request': { type: 'string', default: resolve(root, 'target/bench/oauth1-request-wasm') },
    'before-pkg': { type: 'string' },
  },
});
const require = createRequire(import.meta.url);
const OAuth = require('oauth-1.0a');
const CryptoJS = require('crypto-js');
const oauthSignLib = require('oauth-sign');
const nodeOAuth1 = require('node-oauth1');
const noble = {
  ...(await import('@noble/hashes/hmac.js')),
  ...(await import('@noble/hashes/legacy.js')),
  ...(await import('@noble/hashes/sha2.js')),
  ...(await import('@noble/hashes/utils.js')),
};

const fx = JSON.parse(readFileSync(resolve(import.meta.dirname, 'requests.json'), 'utf8'));
// Each package as a Node user loads it: node.js instantiates the module on import.
const shipped = await import(pathToFileURL(resolve(args.pkg, 'node.js')).href);
const benchBuild = await import(pathToFileURL(resolve(args['bench-pkg'], 'node.js')).href);
// The floor is not part of the public entry (bench/lib/floor.mjs says where it comes from).
const { BenchHmac, inputArea, source: floorSource } = await loadBenchHmac({
  url: pathToFileURL(resolve(args['floor-glue'], 'contextio_signer.js')).href,
  init: (glue) => glue.initSync({ module: readFileSync(resolve(args['bench-pkg'], 'contextio_signer_bg.wasm')) }),
});

// The oauth1-request crate behind its wasm-bindgen wrapper (bench/oauth1-request-wasm/, built
// by bench/run.mjs).
const oauth1RequestWasm = await import(pathToFileURL(resolve(args['oauth1-request'], 'oauth1_request_wasm.js')).href);
oauth1RequestWasm.initSync({ module: readFileSync(resolve(args['oauth1-request'], 'oauth1_request_wasm_bg.wasm')) });
const beforePkg = args['before-pkg'] ? await import(pathToFileURL(resolve(args['before-pkg'], 'node.js')).href) : null;

const cryptoJsHmac = (base, key) => CryptoJS.HmacSHA1(base, key).toString(CryptoJS.enc.Base64);
const nodeHmac = (base, key) => createHmac('sha1', key).update(base).digest('base64');
const nodeHmacOf = (algorithm, key, text) => createHmac(algorithm, key).update(text).digest('base64');

const unavailable = {};
// The package signs HMAC-SHA256 only from issue 22 on: before, its Signer refuses the option
// with INVALID_OPTIONS, and the rows say "not available".
const SHA256 = { signatureMethod: 'HMAC-SHA256' };
try {
  new shipped.Signer({ consumerKey: 'k', consumerSecret: 's', token: 't', tokenSecret: 'u', ...SHA256 }).free?.();
} catch (e) {
  // Any other error is the package's fault, and stops the run.
  if (e?.code !== 'INVALID_OPTIONS') throw e;
  unavailable['ours-sha256'] = `the package refuses signatureMethod: 'HMAC-SHA256' (${e.code ?? e.name})`;
}

/** id -> prepare(request) */
const contenders = {
  ours: c.ours(shipped, fx),
  'ours-own-nonce': c.ours(shipped, fx, { ownNonce: true }),
  'oauth-1.0a+crypto-js': c.oauth1a(OAuth, cryptoJsHmac, fx),
  'oauth-1.0a+node:crypto': c.oauth1a(OAuth, nodeHmac, fx),
  'oauth-sign': c.oauthSign(oauthSignLib, fx),
  'oauth-1.0a+noble': c.oauth1a(OAuth, c.nobleHmac(noble, 'sha1'), fx),
  postman: c.postman(nodeOAuth1, fx),
  webcrypto: c.webCrypto(globalThis.crypto.subtle, fx),
  lean: c.lean(nodeHmacOf, fx),
  'oauth1-request': c.oauth1Request(oauth1RequestWasm, fx),
  ...(beforePkg ? { 'before-ours': c.ours(beforePkg, fx) } : {}),
  'bench-ours': c.ours(benchBuild, fx),
  floor: c.floor(BenchHmac, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
  'floor-area': c.floorArea(BenchHmac, inputArea, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
  // HMAC-SHA256, compared with each other (the first, oauth-sign, is the reference).
  'oauth-sign-sha256': c.oauthSign(oauthSignLib, fx, SHA256),
  ...(unavailable['ours-sha256'] ? {} : { 'ours-sha256': c.ours(shipped, fx, SHA256) }),
  'oauth-1.0a+noble-sha256': c.oauth1a(OAuth, c.nobleHmac(noble, 'sha256'), fx, SHA256),
  'lean-sha256': c.lean(nodeHmacOf, fx, SHA256),
};
const unchecked = new Set(['ours-own-nonce']);
const groups = Object.fromEntries(Object.keys(contenders).filter((id) => id.endsWith('-sha256')).map((id) => [id, 'HMAC-SHA256']));

const suite = await runSuite({
  fx,
  contenders,
  unchecked,
  groups,
  baseStringBytes: (req) => Buffer.byteLength(c.oursBaseString(shipped, fx, req)),
  rounds: Number(args.rounds),
  roundMs: Number(args['round-ms']),
  warmupMs: Number(args['warmup-ms']),
  gc: globalThis.gc,
  log: (line) => process.stderr.write(`  node: ${line}\n`),
});
console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, floorSource, unavailable, ...suite }));
if (suite.mismatches.length) process.exitCode = 3;
