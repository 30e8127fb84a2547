// The Chromium contenders (driven by bench/run.mjs through playwright-core): this package, the
// bench build (its Signer and the BenchHmac floor), oauth-1.0a + crypto-js, oauth-1.0a +
// @noble/hashes, WebCrypto, the lean signer (on @noble/hashes: a page has no node:crypto) and
// the oauth1-request crate's wasm wrapper; HMAC-SHA256 with oauth-1.0a + noble, the lean signer
// and this package when it has the method. With `?before`, the package given to bench/run.mjs
// as --before-pkg too. `window.runBench({rounds, roundMs, warmupMs})` resolves to the same JSON
// as bench/node.mjs prints.
import init, * as shipped from '/pkg/contextio_signer.js';
import initBench, * as benchBuild from '/bench-pkg/contextio_signer.js';
import * as c from '/bench/lib/contenders.mjs';
import { runSuite } from '/bench/lib/suite.mjs';
import { loadBenchHmac } from '/bench/lib/floor.mjs';
import initOauth1Request, * as oauth1RequestWasm from '/oauth1-request/oauth1_request_wasm.js';
import * as nobleHmac from '/npm/@noble/hashes/hmac.js';
import * as nobleLegacy from '/npm/@noble/hashes/legacy.js';
import * as nobleSha2 from '/npm/@noble/hashes/sha2.js';
import * as nobleUtils from '/npm/@noble/hashes/utils.js';

const noble = { ...nobleHmac, ...nobleLegacy, ...nobleSha2, ...nobleUtils };
let beforePkg = null;

// The floor is not part of the public entry (bench/lib/floor.mjs says where it comes from).
let BenchHmac;
let inputArea;
let floorSource;

window.benchReady = (async () => {
  await init();
  await initBench();
  await initOauth1Request();
  if (new URLSearchParams(location.search).has('before')) {
    beforePkg = await import('/before-pkg/contextio_signer.js');
    await beforePkg.default();
  }
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
  const nobleOf = { sha1: c.nobleHmac(noble, 'sha1'), sha256: c.nobleHmac(noble, 'sha256') };
  const leanHmac = (algorithm, key, text) => nobleOf[algorithm](text, key);
  const SHA256 = { signatureMethod: 'HMAC-SHA256' };
  // As in bench/node.mjs: this package's HMAC-SHA256 only when its Signer takes the option.
  const unavailable = {};
  try {
    new shipped.Signer({ consumerKey: 'k', consumerSecret: 's', token: 't', tokenSecret: 'u', ...SHA256 }).free?.();
  } catch (e) {
    if (e?.code !== 'INVALID_OPTIONS') throw e;
    unavailable['ours-sha256'] = `the package refuses signatureMethod: 'HMAC-SHA256' (${e.code ?? e.name})`;
  }
  const contenders = {
    ours: c.ours(shipped, fx),
    'ours-own-nonce': c.ours(shipped, fx, { ownNonce: true }),
    'oauth-1.0a+crypto-js': c.oauth1a(OAuth, cryptoJsHmac, fx),
    'oauth-1.0a+noble': c.oauth1a(OAuth, nobleOf.sha1, fx),
    webcrypto: c.webCrypto(crypto.subtle, fx),
    lean: c.lean(leanHmac, fx),
    'oauth1-request': c.oauth1Request(oauth1RequestWasm, fx),
    ...(beforePkg ? { 'before-ours': c.ours(beforePkg, fx) } : {}),
    'bench-ours': c.ours(benchBuild, fx),
    floor: c.floor(BenchHmac, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
    'floor-area': c.floorArea(BenchHmac, inputArea, fx, (req) => c.oursBaseString(benchBuild, fx, req)),
    ...(unavailable['ours-sha256'] ? {} : { 'ours-sha256': c.ours(shipped, fx, SHA256) }),
    'oauth-1.0a+noble-sha256': c.oauth1a(OAuth, nobleOf.sha256, fx, SHA256),
    'lean-sha256': c.lean(leanHmac, fx, SHA256),
  };
  const groups = Object.fromEntries(Object.keys(contenders).filter((id) => id.endsWith('-sha256')).map((id) => [id, 'HMAC-SHA256']));
  const encoder = new TextEncoder();
  const suite = await runSuite({
    fx,
    contenders,
    unchecked: new Set(['ours-own-nonce']),
    groups,
    baseStringBytes: (req) => encoder.encode(c.oursBaseString(shipped, fx, req)).length,
    rounds,
    roundMs,
    warmupMs,
    // The GCs of bench/lib/timing.mjs, as in Node (bench/run.mjs starts this Chromium with
    // --js-flags=--expose-gc).
    gc: typeof window.gc === 'function' ? (o) => window.gc(o) : undefined,
  });
  return { userAgent: navigator.userAgent, crossOriginIsolated, gc: typeof window.gc === 'function', floorSource, unavailable, ...suite };
};
