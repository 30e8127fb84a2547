// The one JavaScript helper that turns a published vector (../shared/vectors/published.json) into
// Signer options and a SignableRequest. A plain ES module with no imports: loaded by Node tests,
// by pages and workers over HTTP, and by the wasm-bindgen tests as a snippet.

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

/** RFC 3986 percent-encoding by the platform's own encodeURIComponent: independent of ours. */
export function rfc3986(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
