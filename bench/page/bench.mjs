// The Chromium contenders (driven by bench/run.mjs through playwright-core): this package, the
// bench build (its Signer and the BenchHmac floor), oauth-1.0a + crypto-js and WebCrypto.
// `window.runBench({rounds, roundMs, warmupMs})` resolves to the same JSON as bench/node.mjs
// prints.
import init, * as shipped from '/pkg/contextio_signer.js';
import initBench, * as benchBuild from '/bench-pkg/contextio_signer.js';
import * as c from '/bench/lib/contenders.mjs';
import { runSuite } from '/bench/lib/suite.mjs';
import { loadBenchHmac } from '/bench/lib/floor.mjs';

// The floor is not part of the public entry (bench/lib/floor.mjs says where it comes from).
let BenchHmac;
let inputArea;
let floorSource;

window.benchReady = (async () => {
  await init();
  await initBench();
  ({ BenchHmac, inputArea, source: floorSource } = await loadBenchHmac({
    url: '/bench-floor/contextio_signer.js',
    init: (glue) => glue.default({ module_or_path: '/bench-pkg/contextio_signer_bg.wasm' }),
  }));
  if (typeof window.CryptoJS?.HmacSHA1 !== 'function') throw new Error('crypto-js did not load');
  if (typeof window.OAuth !== 'function') throw new Error('oauth-1.0a did not load');
  return fetch('/bench/requests.json').then((r) => r.json());
})();

window.runBench = async ({ rounds, roundMs, warmupMs }) => {
  const fx = await window.benchReady;
  const { CryptoJS, OAuth } = window;
  const cryptoJsHmac = (base, key) => CryptoJS.HmacSHA1(base, key).toString(CryptoJS.enc.Base64);
  const contenders = {
    ours: c.ours(shipped, fx),
    'ours-own-nonce': c.ours(shipped, fx, { ownNonce: true }),
    'oauth-1.0a+crypto-js': c.oauth1a(OAuth, cryptoJsHmac, fx),
    webcrypto: c.webCrypto(crypto.subtle, fx),
    'bench-ours': c.ours(benchBuild, fx),
    floor: c.floor(BenchHmac, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
    'floor-area': c.floorArea(BenchHmac, inputArea, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
  };
  const encoder = new TextEncoder();
  const suite = await runSuite({
    fx,
    contenders,
    unchecked: new Set(['ours-own-nonce']),
    baseStringBytes: (req) => encoder.encode(c.oursBaseString(shipped, fx, req)).length,
    rounds,
    roundMs,
    warmupMs,
    // The GCs of bench/lib/timing.mjs, as in Node (bench/run.mjs starts this Chromium with
    // --js-flags=--expose-gc).
    gc: typeof window.gc === 'function' ? (o) => window.gc(o) : undefined,
  });
  return { userAgent: navigator.userAgent, crossOriginIsolated, gc: typeof window.gc === 'function', floorSource, ...suite };
};
