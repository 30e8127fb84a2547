// Where the floor (`BenchHmac`, the bench build's bare HMAC-SHA1) comes from, for Node and the
// page alike. The shipped entry does not export it: bench/run.mjs makes a glue for it with
// wasm-bindgen from the bench build's release artifact right after the bench build
// (target/bench/floor-glue/), and it is instantiated over the bench build's own .wasm: the same
// code, in an instance of its own, behind wasm-bindgen's plain glue, as the floor was measured
// before issue 9. Not from inside the package's bundle: there BenchHmac shares its
// string-passing code with the packets of `signRequest`, and measured that way the bare HMAC
// costs some 20% more in Node (1.9 against 1.55 µs on the listing, measured when the packets
// still crossed as strings), which would flatter "sign ÷ floor".
//
// Two floors: `BenchHmac.sign(text)`, the base string crossing as wasm-bindgen passes a string
// (the floor issue 15's targets are set against), and `signArea`, the same HMAC over the base
// string written into the module's input area, the crossing the package's own packets take
// since issue 15 (src/binding/area.rs): the fair floor for the package's crossing.

/**
 * @param {object} o
 * @param {string} o.url the floor glue's module
 * @param {(mod: any) => unknown} o.init instantiates it over the bench build's .wasm
 * @returns {Promise<{BenchHmac: new (consumerSecret: string, tokenSecret: string) => {sign(text: string): string, signArea(len: number): string}, inputArea: (bytes: number) => Uint8Array | undefined, source: string}>}
 */
export async function loadBenchHmac({ url, init }) {
  const mod = await import(url);
  if (typeof mod.BenchHmac !== 'function') {
    throw new Error(`no BenchHmac in ${url}: the bench build is built with --features bench`);
  }
  try {
    await init(mod);
  } catch (e) {
    throw new Error(`${url} does not fit the bench build's .wasm (a glue from another build?): ${e.message.split('\n')[0]}`);
  }
  return { BenchHmac: mod.BenchHmac, inputArea: mod.inputArea, source: OWN_INSTANCE };
}

export const OWN_INSTANCE = "the bench build's .wasm in an instance of its own, behind wasm-bindgen's plain glue (made by bench/run.mjs)";
