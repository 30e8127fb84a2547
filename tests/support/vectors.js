// The one JavaScript helper that turns a published vector (../shared/vectors/published.json) into
// Signer options and a SignableRequest. A plain ES module with no imports: loaded by Node tests,
// by pages and workers over HTTP, and by the wasm-bindgen tests as a snippet.

/**
 * Signer options of a vector: 3-legged when it has a token; without one, the consumer-only
 * signer of a temporary-credentials request when it has a callback (`newUser` is then true: build
 * it with `Signer.forNewUser`), else explicit 2-legged. The signature method when it names one
 * (../shared/vectors/methods.json).
 */
export function vectorOptions(v) {
  const o = { consumerKey: v.consumerKey, consumerSecret: v.consumerSecret };
  if (v.token) Object.assign(o, { token: v.token, tokenSecret: v.tokenSecret });
  else if (v.callback === undefined) o.twoLegged = true;
  if (v.realm) o.realm = v.realm;
  if (v.signatureMethod !== undefined) o.signatureMethod = v.signatureMethod;
  return o;
}

/** Whether a vector is signed by `Signer.forNewUser` (no token, a callback). */
export function vectorNewUser(v) {
  return !v.token && v.callback !== undefined;
}

/**
 * The SignableRequest of a vector, with its fixed nonce and timestamp: its body a string, or a
 * form of pairs (`form`, as URLSearchParams), its callback, verifier and body hash.
 */
export function vectorRequest(v) {
  const r = { method: v.method, url: v.url, nonce: v.nonce, timestamp: Number(v.timestamp) };
  if (v.body !== undefined) r.body = v.body;
  if (v.form !== undefined) r.body = new URLSearchParams(v.form);
  if (v.contentType !== undefined) r.contentType = v.contentType;
  if (v.version === false) r.includeVersion = false;
  if (v.callback !== undefined) r.callback = v.callback;
  if (v.verifier !== undefined) r.verifier = v.verifier;
  if (v.bodyHash !== undefined) r.bodyHash = true;
  return r;
}

/** How a failing vector is reported: its name and inputs, never its secrets. */
export function describe(v) {
  const method = v.signatureMethod ? ` ${v.signatureMethod}` : '';
  const body = v.body ? ` body=${JSON.stringify(v.body)}` : v.form ? ` form=${JSON.stringify(v.form)}` : '';
  return `vector ${v.name}:${method} ${v.method} ${v.url}${body}`;
}

/** RFC 3986 percent-encoding by the platform's own encodeURIComponent: independent of ours. */
export function rfc3986(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
