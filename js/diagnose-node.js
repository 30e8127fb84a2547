// Node, Deno and Bun entry of `contextio-signer/diagnose`: instantiated on import, no init().
import { readFileSync } from 'node:fs';
import { initSync } from './diagnose.js';

initSync({ module: readFileSync(new URL('./contextio_signer_diagnose_bg.wasm', import.meta.url)) });

export * from './diagnose.js';
export { default } from './diagnose.js';
