// Node, Deno and Bun entry: the module is instantiated synchronously on import, no init().
import { readFileSync } from 'node:fs';
import { initSync } from './contextio_signer.js';

initSync({ module: readFileSync(new URL('./contextio_signer_bg.wasm', import.meta.url)) });

export * from './contextio_signer.js';
export { default } from './contextio_signer.js';
