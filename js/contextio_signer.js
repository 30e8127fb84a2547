// The package entry for pages, workers, extensions and bundlers: `await init()` once, then use
// Signer and signRequest. (Node, Deno and Bun load node.js, which needs no init.)
import init, { initSync, maxPacketLength, RawSigner, signOnce } from './contextio_signer_glue.js';
import { createApi } from './api.js';

export const { Signer, signRequest, isOAuthSignError } = createApi({
  createSigner: (packet, newUser) => new RawSigner(packet, newUser),
  signOnce,
  maxPacketLength,
});
export { init as default, initSync };
