// Node, Deno and Bun entry of `contextio-signer/verify`: instantiated on import, no init().
import { readFileSync } from 'node:fs';
import { initSync } from './verify.js';

initSync({ module: readFileSync(new URL('./contextio_signer_verify_bg.wasm', import.meta.url)) });

export * from './verify.js';
export { default } from './verify.js';
