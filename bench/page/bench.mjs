// The Chromium contenders (driven by bench/run.mjs through playwright-core): this package, the
// bench build (its Signer and the BenchHmac floor), oauth-1.0a + crypto-js and WebCrypto.
// `window.runBench({rounds, roundMs})` resolves to the same JSON as bench/node.mjs prints.
import init, * as shipped from '/pkg/contextio_signer.js';
import initBench, * as benchBuild from '/bench-pkg/contextio_signer.js';
import * as c from '/bench/lib/contenders.mjs';
import { runSuite } from '/bench/lib/suite.mjs';

// The floor is not part of the public entry: it comes from the bench build's glue, the module
// instance that its entry imports and initBench() instantiates (imported here, not statically,
// so that a build without it fails with a message instead of a link error).
let BenchHmac;

window.benchReady = (async () => {
  await init();
  await initBench();
  ({ BenchHmac } = await import('/bench-pkg/contextio_signer_glue.js'));
  if (typeof BenchHmac !== 'function') throw new Error('/bench-pkg/contextio_signer_glue.js has no BenchHmac export');
  if (typeof window.CryptoJS?.HmacSHA1 !== 'function') throw new Error('crypto-js did not load');
  if (typeof window.OAuth !== 'function') throw new Error('oauth-1.0a did not load');
  return fetch('/bench/requests.json').then((r) => r.json());
})();

window.runBench = async ({ rounds, roundMs }) => {
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
  };
  const encoder = new TextEncoder();
  const suite = await runSuite({
    fx,
    contenders,
    unchecked: new Set(['ours-own-nonce']),
    baseStringBytes: (req) => encoder.encode(c.oursBaseString(shipped, fx, req)).length,
    rounds,
    roundMs,
  });
  return { userAgent: navigator.userAgent, crossOriginIsolated, ...suite };
};
