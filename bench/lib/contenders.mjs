// The contenders, written once for Node and the browser: each takes its library as an argument
// (no imports here), so the page and the Node runner build the same closures.
//
// A contender's `prepare(request)` does the per-key work a sensible caller does once (build a
// Signer, import a CryptoKey, configure an OAuth object) and returns `sign()`, one signature
// with the fixture's nonce and timestamp. `sign()` returns the Authorization header (or, for
// the floor, the bare signature) so that nothing the caller needs can be skipped; `signatureOf`
// reads the signature back for the cross-check. Async contenders return a promise.

/** Name/value pairs as a plain object (the benchmark's names are unique). */
export function record(pairs) {
  const out = {};
  for (const [name, value] of pairs) out[name] = value;
  return out;
}

/** RFC 3986 percent encoding (RFC 5849 §3.6), the usual JavaScript idiom. */
export function rfc3986(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The signature in an `OAuth ...` header, or the string itself when it is a bare signature. */
export function signatureOf(out) {
  if (typeof out !== 'string' || !out.startsWith('OAuth ')) return out;
  const m = /oauth_signature="([^"]*)"/.exec(out);
  return m ? decodeURIComponent(m[1]) : `(no oauth_signature in ${out})`;
}

const threeLegged = (req) => req.signer === 'three-legged';

/**
 * This package: one `Signer` per key, `signRequest` per call.
 * @param {any} pkg the package's entry module (`Signer`)
 * @param {{ownNonce?: boolean}} [opts] let the package draw the nonce and read the clock
 */
export function ours(pkg, fx, { ownNonce = false } = {}) {
  return (req) => {
    const creds = { consumerKey: fx.consumer.key, consumerSecret: fx.consumer.secret };
    const signer = threeLegged(req)
      ? new pkg.Signer({ ...creds, token: fx.token.key, tokenSecret: fx.token.secret })
      : pkg.Signer.forNewUser(creds);
    const request = { method: req.method, url: req.url };
    if (req.query.length) request.query = record(req.query);
    if (req.form.length) request.body = record(req.form);
    if (!ownNonce) Object.assign(request, { nonce: fx.nonce, timestamp: fx.timestamp });
    return () => signer.signRequest(request).headers.Authorization;
  };
}

/** The base string this package signs for `req` (the input of the floor). */
export function oursBaseString(pkg, fx, req) {
  const creds = { consumerKey: fx.consumer.key, consumerSecret: fx.consumer.secret };
  const signer = threeLegged(req)
    ? new pkg.Signer({ ...creds, token: fx.token.key, tokenSecret: fx.token.secret })
    : pkg.Signer.forNewUser(creds);
  const request = { method: req.method, url: req.url, nonce: fx.nonce, timestamp: fx.timestamp };
  if (req.query.length) request.query = record(req.query);
  if (req.form.length) request.body = record(req.form);
  const { baseString } = signer.signRequest(request);
  signer.free();
  return baseString;
}

/**
 * The floor: the bench build's bare HMAC-SHA1 (`BenchHmac`, pads precomputed) over the base
 * string this package signs: one string in, one out. `BenchHmac` is not re-exported by the
 * package's entry: the caller loads it as bench/lib/floor.mjs says.
 * @param {new (consumerSecret: string, tokenSecret: string) => {sign(text: string): string}} BenchHmac
 */
export function floor(BenchHmac, fx, baseString) {
  return (req) => {
    const hmac = new BenchHmac(fx.consumer.secret, threeLegged(req) ? fx.token.secret : '');
    const base = baseString(req);
    return () => hmac.sign(base);
  };
}

/**
 * The floor through the input area: the base string written with one `encodeInto` into the
 * floor instance's own input area, then `signArea(len)`, as the package writes its packets.
 */
export function floorArea(BenchHmac, inputArea, fx, baseString) {
  const encoder = new TextEncoder();
  let area = new Uint8Array(0);
  return (req) => {
    const hmac = new BenchHmac(fx.consumer.secret, threeLegged(req) ? fx.token.secret : '');
    const base = baseString(req);
    return () => {
      // Taken again when wasm memory has grown (the view is then detached: length 0).
      if (area.length === 0) area = inputArea(65536);
      return hmac.signArea(encoder.encodeInto(base, area).written);
    };
  };
}

/**
 * `oauth-1.0a` as its README shows it: `authorize` then `toHeader`, with the given HMAC
 * (`crypto-js` or `node:crypto`). Nonce and clock are pinned on the instance.
 * @param {Function} OAuth the `oauth-1.0a` export
 * @param {(base: string, key: string) => string} hmacSha1Base64
 */
export function oauth1a(OAuth, hmacSha1Base64, fx) {
  return (req) => {
    const oauth = OAuth({
      consumer: { key: fx.consumer.key, secret: fx.consumer.secret },
      signature_method: 'HMAC-SHA1',
      hash_function: hmacSha1Base64,
    });
    oauth.getNonce = () => fx.nonce;
    oauth.getTimeStamp = () => fx.timestamp;
    const token = threeLegged(req) ? { key: fx.token.key, secret: fx.token.secret } : undefined;
    const request = { url: req.url, method: req.method, data: record([...req.query, ...req.form]) };
    return () => oauth.toHeader(oauth.authorize(request, token)).Authorization;
  };
}

/** The protocol parameters (RFC 5849 §3.1), without the signature. */
function protocolParams(fx, req) {
  const p = {
    oauth_consumer_key: fx.consumer.key,
    oauth_nonce: fx.nonce,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(fx.timestamp),
  };
  if (threeLegged(req)) p.oauth_token = fx.token.key;
  p.oauth_version = '1.0';
  return p;
}

function header(oauthParams, signature) {
  const parts = Object.entries({ ...oauthParams, oauth_signature: signature })
    .map(([k, v]) => `${rfc3986(k)}="${rfc3986(v)}"`);
  return 'OAuth ' + parts.join(', ');
}

/**
 * `oauth-sign` (`hmacsign`, on `node:crypto`) given the parameters as it expects them (the
 * query or form parameters and the protocol parameters in one object), plus the header, as
 * the `request` library used it.
 * @param {{hmacsign: Function}} oauthSign
 */
export function oauthSign(oauthSign, fx) {
  return (req) => {
    const params = record([...req.query, ...req.form]);
    const tokenSecret = threeLegged(req) ? fx.token.secret : '';
    return () => {
      const oa = protocolParams(fx, req);
      const signature = oauthSign.hmacsign(req.method, req.url, { ...params, ...oa }, fx.consumer.secret, tokenSecret);
      return header(oa, signature);
    };
  };
}

/**
 * A straightforward WebCrypto signer: the base string in JavaScript, `crypto.subtle.sign`
 * (asynchronous) with the key imported once per signer and cached, base64 with `btoa`.
 * @param {SubtleCrypto} subtle
 */
export function webCrypto(subtle, fx) {
  const encoder = new TextEncoder();
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return async (req) => {
    const keyText = rfc3986(fx.consumer.secret) + '&' + rfc3986(threeLegged(req) ? fx.token.secret : '');
    const key = await subtle.importKey('raw', encoder.encode(keyText), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    const params = [...req.query, ...req.form];
    return async () => {
      const oa = protocolParams(fx, req);
      const normalized = [...params, ...Object.entries(oa)]
        .map(([k, v]) => [rfc3986(k), rfc3986(v)])
        .sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]))
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const base = `${req.method}&${rfc3986(req.url)}&${rfc3986(normalized)}`;
      const mac = new Uint8Array(await subtle.sign('HMAC', key, encoder.encode(base)));
      return header(oa, btoa(String.fromCharCode(...mac)));
    };
  };
}

/**
 * Runs each contender once and compares its signature with the reference (the first entry
 * that is checked). Entries with `check: false` (a random nonce) are only run.
 * @param {{id: string, sign: Function, check?: boolean}[]} entries
 * @returns {Promise<{signatures: Record<string, string>, mismatches: string[]}>}
 */
export async function crossCheck(req, entries) {
  const signatures = {};
  const mismatches = [];
  let reference;
  for (const { id, sign, check = true } of entries) {
    let sig;
    try {
      sig = signatureOf(await sign());
    } catch (e) {
      mismatches.push(`${req.id}: ${id} threw ${e?.code ?? ''} ${e?.message ?? e}`);
      continue;
    }
    if (!check) continue;
    signatures[id] = sig;
    reference ??= { id, sig };
    if (sig !== reference.sig) {
      mismatches.push(`${req.id}: ${id} signed ${sig}, ${reference.id} signed ${reference.sig}`);
    }
  }
  return { signatures, mismatches };
}
