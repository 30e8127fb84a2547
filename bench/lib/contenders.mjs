// The contenders, written once for Node and the browser: each takes its library as an argument
// (no imports here), so the page and the Node runner build the same closures.
//
// A contender's `prepare(request)` does the per-key work a sensible caller does once (build a
// Signer, import a CryptoKey, configure an OAuth object) and returns `sign()`, one signature
// with the fixture's nonce and timestamp. `sign()` returns the Authorization header (or, for
// the floor, the bare signature) so that nothing the caller needs can be skipped; `signatureOf`
// reads the signature back for the cross-check. Async contenders return a promise. A contender
// that cannot sign a request right returns `{skip: reason, sign}` for it instead (run once for
// the record, not timed: oauth1Request), and one given `signatureMethod` signs with that method
// (its signature is compared with the others of the same method).

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
 * @param {{ownNonce?: boolean, signatureMethod?: string}} [opts] let the package draw the nonce
 *   and read the clock; sign with another method than the default HMAC-SHA1 (the option is
 *   passed only then, so that a build without it signs HMAC-SHA1 as before)
 */
export function ours(pkg, fx, { ownNonce = false, signatureMethod } = {}) {
  return (req) => {
    const creds = { consumerKey: fx.consumer.key, consumerSecret: fx.consumer.secret };
    if (signatureMethod) creds.signatureMethod = signatureMethod;
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
 * (`crypto-js`, `node:crypto` or `@noble/hashes`) for `signatureMethod`. Nonce and clock are
 * pinned on the instance.
 * @param {Function} OAuth the `oauth-1.0a` export
 * @param {(base: string, key: string) => string} hmacBase64
 */
export function oauth1a(OAuth, hmacBase64, fx, { signatureMethod = 'HMAC-SHA1' } = {}) {
  return (req) => {
    const oauth = OAuth({
      consumer: { key: fx.consumer.key, secret: fx.consumer.secret },
      signature_method: signatureMethod,
      hash_function: hmacBase64,
    });
    oauth.getNonce = () => fx.nonce;
    oauth.getTimeStamp = () => fx.timestamp;
    const token = threeLegged(req) ? { key: fx.token.key, secret: fx.token.secret } : undefined;
    const request = { url: req.url, method: req.method, data: record([...req.query, ...req.form]) };
    return () => oauth.toHeader(oauth.authorize(request, token)).Authorization;
  };
}

/** The protocol parameters (RFC 5849 §3.1), without the signature. */
function protocolParams(fx, req, method = 'HMAC-SHA1') {
  const p = {
    oauth_consumer_key: fx.consumer.key,
    oauth_nonce: fx.nonce,
    oauth_signature_method: method,
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
 * `oauth-sign` (`hmacsign`, or `hmacsign256` for HMAC-SHA256, on `node:crypto`) given the
 * parameters as it expects them (the query or form parameters and the protocol parameters in
 * one object), plus the header, as the `request` library used it.
 * @param {{hmacsign: Function, hmacsign256: Function}} oauthSign
 */
export function oauthSign(oauthSign, fx, { signatureMethod = 'HMAC-SHA1' } = {}) {
  const hmacsign = { 'HMAC-SHA1': oauthSign.hmacsign, 'HMAC-SHA256': oauthSign.hmacsign256 }[signatureMethod];
  return (req) => {
    const params = record([...req.query, ...req.form]);
    const tokenSecret = threeLegged(req) ? fx.token.secret : '';
    return () => {
      const oa = protocolParams(fx, req, signatureMethod);
      const signature = hmacsign(req.method, req.url, { ...params, ...oa }, fx.consumer.secret, tokenSecret);
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
 * A lean hand-written signer, the floor of plain JavaScript: what a careful engineer writes in
 * some fifteen lines for requests like these (RFC 5849 §3.4.1: every name and value
 * percent-encoded as RFC 3986 wants, sorted by encoded name then value, the base string, the
 * HMAC, the header). It takes the request as this package does (`query` and `body` objects)
 * and leaves out what these requests do not need: URL normalization (§3.4.1.2: the benchmark's
 * URLs are already normal), a query in the URL, duplicate names, lone surrogates.
 * @param {(algorithm: 'sha1' | 'sha256', key: string, text: string) => string} hmacBase64
 *   `node:crypto` in Node (`createHmac(...).update(text).digest('base64')`), `@noble/hashes` in
 *   a page
 */
export function lean(hmacBase64, fx, { signatureMethod = 'HMAC-SHA1' } = {}) {
  const algorithm = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256' }[signatureMethod];
  const enc = rfc3986;
  return (req) => {
    const token = threeLegged(req) ? fx.token : null;
    const key = enc(fx.consumer.secret) + '&' + (token ? enc(token.secret) : '');
    const request = { method: req.method, url: req.url, query: record(req.query), body: record(req.form), nonce: fx.nonce, timestamp: fx.timestamp };
    return () => {
      const { method, url, query, body, nonce, timestamp } = request;
      const oauth = { oauth_consumer_key: fx.consumer.key, oauth_nonce: nonce, oauth_signature_method: signatureMethod, oauth_timestamp: String(timestamp) };
      if (token) oauth.oauth_token = token.key;
      oauth.oauth_version = '1.0';
      const pairs = [];
      for (const part of [query, body, oauth]) for (const k in part) pairs.push([enc(k), enc(part[k])]);
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      const base = `${method}&${enc(url)}&${enc(pairs.map((p) => `${p[0]}=${p[1]}`).join('&'))}`;
      oauth.oauth_signature = hmacBase64(algorithm, key, base);
      return 'OAuth ' + Object.keys(oauth).map((k) => `${k}="${enc(oauth[k])}"`).join(', ');
    };
  };
}

/**
 * An HMAC of `@noble/hashes` (audited, synchronous, pure JavaScript: what a page uses where
 * WebCrypto's promise does not fit), as `oauth-1.0a`'s `hash_function` wants it: text and key
 * in, base64 out (`btoa`, in Node too).
 * @param {{hmac: Function, sha1: Function, sha256: Function, utf8ToBytes: (s: string) => Uint8Array}} noble
 * @param {'sha1' | 'sha256'} algorithm
 * @returns {(text: string, key: string) => string}
 */
export function nobleHmac(noble, algorithm) {
  const hash = noble[algorithm];
  return (text, key) => {
    const mac = noble.hmac(hash, noble.utf8ToBytes(key), noble.utf8ToBytes(text));
    let bin = '';
    for (let i = 0; i < mac.length; i++) bin += String.fromCharCode(mac[i]);
    return btoa(bin);
  };
}

/**
 * Postman's signer, `node-oauth1` (what postman-runtime signs OAuth 1.0 requests with: a fork
 * of Netflix's oauth1 implementation), as postman-runtime calls it: `SignatureMethod` chosen
 * by name, `OAuth.completeRequest` over a message of the request's parameters, then
 * `getAuthorizationHeader`. The nonce and timestamp are given among the message's protocol
 * parameters (completeRequest draws them only when they are missing), as Postman passes the
 * ones its settings hold; a GET's query stays in the URL, as a Postman request has it.
 * @param {any} OAuth the `node-oauth1` export (its `OAuth` object)
 */
export function postman(OAuth, fx, { signatureMethod = 'HMAC-SHA1' } = {}) {
  return (req) => {
    const accessor = { consumerKey: fx.consumer.key, consumerSecret: fx.consumer.secret };
    if (threeLegged(req)) Object.assign(accessor, { token: fx.token.key, tokenSecret: fx.token.secret });
    const params = [...req.query, ...req.form];
    return () => {
      const message = {
        action: req.method === 'GET' ? `${req.url}?${params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&')}` : req.url,
        method: req.method,
        parameters: [
          ...(req.method === 'GET' ? [] : params),
          ['oauth_consumer_key', fx.consumer.key],
          ...(threeLegged(req) ? [['oauth_token', fx.token.key]] : []),
          ['oauth_signature_method', signatureMethod],
          ['oauth_timestamp', String(fx.timestamp)],
          ['oauth_nonce', fx.nonce],
          ['oauth_version', '1.0'],
        ],
      };
      OAuth.completeRequest(message, accessor);
      return OAuth.getAuthorizationHeader('', message.parameters.filter(([k]) => k.startsWith('oauth_')));
    };
  };
}

/**
 * The `oauth1-request` crate (0.6) compiled to wasm behind a thin wasm-bindgen wrapper
 * (bench/oauth1-request-wasm/): a `Signer` per key, `authorize(method, url, pairs, nonce,
 * timestamp)` per call, the pairs as one flat array of strings. The crate never
 * percent-encodes parameter names (`ParameterList` wants them "URI-safe"), so a request whose
 * names need encoding is not signed right: for those (the large request, `tags[12]`),
 * `prepare` returns `{skip, sign}`, which the suite runs once and reports but does not time.
 * @param {{Signer: new (ck: string, cs: string, token?: string, secret?: string) => any}} wrapper
 */
export function oauth1Request(wrapper, fx) {
  return (req) => {
    const signer = threeLegged(req)
      ? new wrapper.Signer(fx.consumer.key, fx.consumer.secret, fx.token.key, fx.token.secret)
      : new wrapper.Signer(fx.consumer.key, fx.consumer.secret);
    const pairs = [...req.query, ...req.form].flat();
    const sign = () => signer.authorize(req.method, req.url, pairs, fx.nonce, fx.timestamp);
    const needsEncoding = [...req.query, ...req.form].map(([k]) => k).filter((k) => rfc3986(k) !== k);
    if (needsEncoding.length) {
      return { skip: `never percent-encodes parameter names (${needsEncoding.slice(0, 2).join(', ')}${needsEncoding.length > 2 ? ', …' : ''})`, sign };
    }
    return sign;
  };
}

/**
 * Runs each contender once and compares its signature with the reference of its group (the
 * first checked entry of the same `group`, the signature method: HMAC-SHA1 unless said).
 * Entries with `check: false` (a random nonce) are only run. Entries with `skip` (a reason)
 * are run and their signature recorded under `skipped` with whether it matched, without
 * stopping the run: they are not timed.
 * @param {{id: string, sign: Function, check?: boolean, group?: string, skip?: string}[]} entries
 * @returns {Promise<{signatures: Record<string, string>, references: Record<string, string>,
 *   skipped: Record<string, {reason: string, signature: string, matches: boolean}>, mismatches: string[]}>}
 */
export async function crossCheck(req, entries) {
  const signatures = {};
  const mismatches = [];
  const references = {};
  const skipped = {};
  const first = {};
  const ordered = [...entries.filter((e) => !e.skip), ...entries.filter((e) => e.skip)];
  for (const { id, sign, check = true, group = 'HMAC-SHA1', skip } of ordered) {
    let sig;
    try {
      sig = signatureOf(await sign());
    } catch (e) {
      if (skip) {
        skipped[id] = { reason: skip, signature: `threw ${e?.message ?? e}`, matches: false };
      } else {
        mismatches.push(`${req.id}: ${id} threw ${e?.code ?? ''} ${e?.message ?? e}`);
      }
      continue;
    }
    if (skip) {
      skipped[id] = { reason: skip, signature: sig, matches: sig === references[group] };
      continue;
    }
    if (!check) continue;
    signatures[id] = sig;
    if (!(group in first)) {
      first[group] = id;
      references[group] = sig;
    }
    if (sig !== references[group]) {
      mismatches.push(`${req.id}: ${id} signed ${sig}, ${first[group]} signed ${references[group]} (${group})`);
    }
  }
  return { signatures, references, skipped, mismatches };
}
