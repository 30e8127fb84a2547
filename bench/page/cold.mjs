// One cold start of the package in a fresh browser context (bench/run.mjs opens several):
// `?mode=stream` times `await init()` (fetch + streaming compile + instantiate), `?mode=bytes`
// times `await init({ module_or_path: bytes })` with the bytes already fetched (compile +
// instantiate only). Then the first Signer, the first signature, and the first with the
// package's own nonce.
// Sets window.cold to the figures in ms.
// `&pkg=before` loads the package given to bench/run.mjs as --before-pkg instead.
const query = new URLSearchParams(location.search);
const mode = query.get('mode') ?? 'stream';
const dir = query.get('pkg') === 'before' ? '/before-pkg' : '/pkg';
window.cold = (async () => {
  const t0 = performance.now();
  const glue = await import(`${dir}/contextio_signer.js`);
  const t1 = performance.now();
  let bytes;
  if (mode === 'bytes') bytes = await (await fetch(`${dir}/contextio_signer_bg.wasm`)).arrayBuffer();
  const t2 = performance.now();
  await glue.default(bytes ? { module_or_path: bytes } : undefined);
  const t3 = performance.now();
  const signer = new glue.Signer({ consumerKey: 'k', consumerSecret: 's', token: 't', tokenSecret: 'u' });
  const t4 = performance.now();
  const request = { method: 'GET', url: 'https://api.context.io/lite/users' };
  const a = signer.signRequest({ ...request, nonce: 'n', timestamp: 1 });
  const t5 = performance.now();
  const b = signer.signRequest(request);
  const t6 = performance.now();
  // Resource timing shares performance.now()'s origin: split init() into the download and
  // what follows the last byte (the end of the streaming compile, and instantiation).
  const wasm = mode === 'stream' && performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
  return {
    mode,
    glueMs: t1 - t0,
    initMs: t3 - t2,
    fetchMs: wasm ? wasm.responseEnd - wasm.startTime : null,
    afterLastByteMs: wasm ? t3 - wasm.responseEnd : null,
    firstSignerMs: t4 - t3,
    firstSignatureMs: t5 - t4,
    firstOwnNonceMs: t6 - t5,
    crossOriginIsolated,
    ok: a.signature.length === 28 && b.signature.length === 28,
  };
})();
