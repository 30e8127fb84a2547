// The published vectors (../shared/vectors/published.json beside the repository, or
// $CONTEXTIO_VECTORS) for the Node tests, and the one helper that turns a vector into Signer
// options and a request (tests/support/vectors.js, shared with pages and the wasm tests).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export { vectorOptions, vectorRequest, vectorNewUser, describe, rfc3986 } from '../support/vectors.js';

export const VECTORS_PATH =
  process.env.CONTEXTIO_VECTORS ?? fileURLToPath(new URL('../../../shared/vectors/published.json', import.meta.url));

export const published = JSON.parse(readFileSync(VECTORS_PATH, 'utf8'));

/** The vectors of the other signature methods, callback, verifier and body hash. */
export const METHODS_PATH =
  process.env.CONTEXTIO_METHOD_VECTORS ?? fileURLToPath(new URL('../../../shared/vectors/methods.json', import.meta.url));

export const methods = JSON.parse(readFileSync(METHODS_PATH, 'utf8'));
