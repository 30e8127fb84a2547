#!/usr/bin/env node
// One cold start of the package in a fresh Node process (bench/run.mjs starts several): the
// steps of importing node.js, timed one by one: read the .wasm, import the public entry (and
// any module of the package it imports), compile, instantiate; then the first Signer, the first
// signature (given nonce and timestamp), the first with the package's own nonce. Prints JSON (ms).
//
//   node bench/cold-node.mjs [--pkg DIR]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({ options: { pkg: { type: 'string', default: resolve(root, 'pkg') } } });

const t0 = performance.now();
const bytes = readFileSync(resolve(args.pkg, 'contextio_signer_bg.wasm'));
const t1 = performance.now();
const pkg = await import(pathToFileURL(resolve(args.pkg, 'contextio_signer.js')).href);
const t2 = performance.now();
const module = new WebAssembly.Module(bytes);
const t3 = performance.now();
pkg.initSync({ module });
const t4 = performance.now();
const signer = new pkg.Signer({ consumerKey: 'k', consumerSecret: 's', token: 't', tokenSecret: 'u' });
const t4b = performance.now();
const request = { method: 'GET', url: 'https://api.context.io/lite/users' };
const a = signer.signRequest({ ...request, nonce: 'n', timestamp: 1 });
const t5 = performance.now();
// The first nonce from crypto.getRandomValues (Node loads its WebCrypto lazily).
const b = signer.signRequest(request);
const t6 = performance.now();

console.log(
  JSON.stringify({
    readMs: t1 - t0,
    glueMs: t2 - t1,
    compileMs: t3 - t2,
    instantiateMs: t4 - t3,
    compileInstantiateMs: t4 - t2,
    totalMs: t4 - t0,
    firstSignerMs: t4b - t4,
    firstSignatureMs: t5 - t4b,
    firstOwnNonceMs: t6 - t5,
    ok: a.signature.length === 28 && b.signature.length === 28,
  }),
);
