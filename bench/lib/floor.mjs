// Where the floor (`BenchHmac`, the bench build's bare HMAC-SHA1) comes from, for Node and the
// page alike. The package's entry does not re-export it, and once the entry, api.js and the glue
// are bundled into one module the bundle drops it, so it is looked for in this order:
//   1. the bench build's entry, should it export `BenchHmac` (the same module instance);
//   2. the bench build's `contextio_signer_glue.js`, when the package ships the glue as a file
//      (the instance its entry has instantiated);
//   3. a glue that bench/run.mjs makes with wasm-bindgen from the bench build's release artifact
//      (target/bench/floor-glue/), instantiated here over the bench build's own .wasm: the same
//      code, its own instance. A glue from another build fails to link, and says so.

/**
 * @param {object} o
 * @param {any} o.benchBuild the bench build's entry module, already instantiated
 * @param {{url: string, source: string, init?: (mod: any) => unknown}[]} o.candidates 2 and 3 above
 * @returns {Promise<{BenchHmac: new (consumerSecret: string, tokenSecret: string) => {sign(text: string): string}, source: string}>}
 */
export async function loadBenchHmac({ benchBuild, candidates }) {
  if (typeof benchBuild.BenchHmac === 'function') {
    return { BenchHmac: benchBuild.BenchHmac, source: "the bench build's entry (the same instance)" };
  }
  const tried = [];
  for (const { url, source, init } of candidates) {
    let mod;
    try {
      mod = await import(url);
    } catch (e) {
      tried.push(`${url}: ${e.message.split('\n')[0]}`);
      continue;
    }
    if (typeof mod.BenchHmac !== 'function') {
      tried.push(`${url}: no BenchHmac export`);
      continue;
    }
    try {
      await init?.(mod);
    } catch (e) {
      throw new Error(`${url} does not fit the bench build's .wasm (run the benchmark without --no-build): ${e.message}`);
    }
    return { BenchHmac: mod.BenchHmac, source };
  }
  throw new Error(`no BenchHmac for the floor (the bench build is built with --features bench): ${tried.join('; ')}`);
}

export const OWN_INSTANCE = "the bench build's .wasm in its own instance (wasm-bindgen glue made by bench/run.mjs)";
export const GLUE_FILE = "the bench build's contextio_signer_glue.js (the entry's instance)";
