// Where the floor (`BenchHmac`, the bench build's bare HMAC-SHA1) comes from, for Node and the
// page alike. The shipped entry does not export it; the first of these that works is used, and
// the floor table says which:
//   1. a glue that bench/run.mjs makes with wasm-bindgen from the bench build's release artifact
//      right after the bench build (target/bench/floor-glue/), instantiated over the bench
//      build's own .wasm: the same code, in an instance of its own, behind wasm-bindgen's plain
//      glue, as the floor was measured before issue 9. Preferred: when the package bundles and
//      minifies its JS, BenchHmac inside the bundle shares its string-passing code with the
//      packets of `signRequest`, and measured that way the bare HMAC costs some 20% more in
//      Node (1.9 against 1.55 µs on the listing), which would flatter "sign ÷ floor";
//   2. the bench build's `contextio_signer_glue.js`, when the package ships the glue as a file
//      (the instance its entry has instantiated);
//   3. the bench build's entry, should it export `BenchHmac` (the same instance).
// A glue from another build (after --no-build) fails to link and the next one is tried.

/**
 * @param {object} o
 * @param {any} o.benchBuild the bench build's entry module, already instantiated
 * @param {{url: string, source: string, init?: (mod: any) => unknown}[]} o.candidates 1 and 2 above
 * @returns {Promise<{BenchHmac: new (consumerSecret: string, tokenSecret: string) => {sign(text: string): string}, source: string}>}
 */
export async function loadBenchHmac({ benchBuild, candidates }) {
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
      tried.push(`${url} does not fit the bench build's .wasm: ${e.message.split('\n')[0]}`);
      continue;
    }
    return { BenchHmac: mod.BenchHmac, source };
  }
  if (typeof benchBuild.BenchHmac === 'function') {
    return { BenchHmac: benchBuild.BenchHmac, source: "the bench build's entry (the same instance: no separate glue fits it)" };
  }
  throw new Error(`no BenchHmac for the floor (the bench build is built with --features bench): ${tried.join('; ')}`);
}

export const OWN_INSTANCE = "the bench build's .wasm in an instance of its own, behind wasm-bindgen's plain glue (made by bench/run.mjs)";
export const GLUE_FILE = "the bench build's contextio_signer_glue.js (the entry's instance)";
