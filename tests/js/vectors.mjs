// The published vectors (../shared/vectors/published.json beside the repository) and helpers to
// turn one into Signer options and a SignableRequest. Shared by the JS-tier tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS_PATH =
  process.env.CONTEXTIO_VECTORS ?? fileURLToPath(new URL('../../../shared/vectors/published.json', import.meta.url));

export const published = JSON.parse(readFileSync(VECTORS_PATH, 'utf8'));

/** Signer options of a vector: 3-legged when it has a token, else explicit 2-legged. */
export function vectorOptions(v) {
  const o = { consumerKey: v.consumerKey, consumerSecret: v.consumerSecret };
  if (v.token) Object.assign(o, { token: v.token, tokenSecret: v.tokenSecret });
  else o.twoLegged = true;
  if (v.realm) o.realm = v.realm;
  return o;
}

/** The SignableRequest of a vector, with its fixed nonce and timestamp. */
export function vectorRequest(v) {
  const r = { method: v.method, url: v.url, nonce: v.nonce, timestamp: Number(v.timestamp) };
  if (v.body !== undefined) r.body = v.body;
  if (v.contentType !== undefined) r.contentType = v.contentType;
  if (v.version === false) r.includeVersion = false;
  return r;
}

/** How a failing vector is reported: its name and inputs, never its secrets. */
export function describe(v) {
  return `vector ${v.name}: ${v.method} ${v.url}${v.body ? ` body=${JSON.stringify(v.body)}` : ''}`;
}
