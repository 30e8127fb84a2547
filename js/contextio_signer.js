// The package entry for pages, workers, extensions and bundlers: `await init()` once, then use
// Signer and signRequest. (Node, Deno and Bun load node.js, which needs no init.)
import init, { initSync, inputArea, RawSigner, signOnce } from './contextio_signer_glue.js';
import { createApi } from './api.js';
import { didYouMean } from './suggest.js';

export const { Signer, signRequest, isOAuthSignError } = createApi({
  inputArea,
  createSigner: (len, newUser) => new RawSigner(len, newUser),
  signOnce,
  didYouMean,
});
export { init as default, initSync };
