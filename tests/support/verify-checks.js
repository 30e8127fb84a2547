// The verifier's checks on the published vectors (../shared/vectors/published.json and
// methods.json), shared by the tiers: the wasm-bindgen tests (tier 2: js/verify-api.js over their
// own build of the verify binding, in Node and in browsers' workers) and the built package (tier
// 3: `contextio-signer/verify`). A plain ES module with no imports.
//
// Each vector's request is written as a server receives it: its protocol parameters and its
// published signature in the Authorization header, its query, its body. What the verifier must
// answer comes from the vector (its published signature, its published base string, for
// `debug_sbs`) and from the WHATWG URL parser (the parameters it must hand back), never from the
// verifier itself.

const FORM = 'application/x-www-form-urlencoded';

/** RFC 3986 percent-encoding (§3.6 of RFC 5849): all but the unreserved characters. */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

const methodOf = (v) => v.signatureMethod ?? 'HMAC-SHA1';

/** The protocol parameters of a vector as sent, its signature last. */
function protocol(v, signature) {
  const p = [['oauth_consumer_key', v.consumerKey]];
  if (v.token) p.push(['oauth_token', v.token]);
  p.push(['oauth_signature_method', methodOf(v)]);
  if (v.timestamp !== undefined) p.push(['oauth_timestamp', v.timestamp]);
  if (v.nonce !== undefined) p.push(['oauth_nonce', v.nonce]);
  if (v.version !== false) p.push(['oauth_version', '1.0']);
  if (v.callback !== undefined) p.push(['oauth_callback', v.callback]);
  if (v.verifier !== undefined) p.push(['oauth_verifier', v.verifier]);
  if (v.bodyHash !== undefined) p.push(['oauth_body_hash', v.bodyHash]);
  p.push(['oauth_signature', signature]);
  return p;
}

/**
 * The request a server receives for a vector: `{ method, url, headers, body }`, the protocol
 * parameters in the Authorization header (with `realm` when the vector has one), or in the query
 * (`placement: 'query'`). `signature` replaces the published one; `extra` adds header parameters.
 */
export function receivedOf(v, { signature = v.signature, extra = [], placement = 'header' } = {}) {
  const oauth = [...protocol(v, signature), ...extra];
  const headers = [];
  let url = v.url;
  if (placement === 'header') {
    const realm = v.realm ? `realm="${v.realm}", ` : '';
    headers.push(['Authorization', 'OAuth ' + realm + oauth.map(([k, x]) => `${k}="${enc(x)}"`).join(', ')]);
  } else {
    const u = new URL(url);
    const added = oauth.map(([k, x]) => `${enc(k)}=${enc(x)}`).join('&');
    u.search = u.search ? `${u.search}&${added}` : `?${added}`;
    url = u.href;
  }
  let body;
  if (v.form !== undefined) {
    body = new URLSearchParams(v.form).toString();
    headers.push(['Content-Type', FORM]);
  } else if (v.body !== undefined) {
    body = v.body;
    if (v.contentType) headers.push(['Content-Type', v.contentType]);
  }
  return { method: v.method, url, headers, body };
}

/** The parameters the verifier must hand back: the query's and a form body's, by the WHATWG parser. */
function expectedParameters(v) {
  const out = [...new URL(v.url).searchParams];
  if (v.form !== undefined) out.push(...new URLSearchParams(v.form));
  else if (v.body !== undefined && v.contentType === FORM) out.push(...new URLSearchParams(v.body));
  return out;
}

/** The options of a server that knows the vector's consumer and token; `change` overrides. */
function serverOf(v, change = {}) {
  const { consumer, ...rest } = change;
  return {
    consumer: (key) => (key === v.consumerKey
      ? { secret: v.consumerSecret, signatureMethods: [methodOf(v)], requireToken: Boolean(v.token), ...consumer }
      : null),
    token: (key, token) => (key === v.consumerKey && token === v.token ? { secret: v.tokenSecret } : null),
    nonce: () => true,
    now: v.timestamp !== undefined ? Number(v.timestamp) : undefined,
    realm: 'Checks',
    ...rest,
  };
}

/** The other signature method than the vector's, for a consumer that may not use the vector's. */
const otherMethod = (v) => (methodOf(v) === 'HMAC-SHA256' ? 'HMAC-SHA1' : 'HMAC-SHA256');

/** A signature of the same length that is not the published one. */
const changed = (s) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);

/**
 * Runs every check on every vector through `verifyRequest`: a list of `{ name, pass, detail }`.
 * @param {(request: object, options: object) => Promise<any>} verifyRequest
 * @param {Array<{ vectors: object[] }>} docs the vector files
 */
export async function checkVerify(verifyRequest, docs) {
  const checks = [];
  const check = (name, pass, detail = '') => checks.push({ name, pass: Boolean(pass), detail: pass ? '' : detail });
  const refused = (name, r, status, problem) => {
    const ok = r && r.ok === false && r.status === status && r.problem === problem
      && r.headers['WWW-Authenticate'].startsWith(`OAuth realm="Checks", oauth_problem="${problem}"`)
      && r.headers['Content-Type'] === FORM
      && new URLSearchParams(r.body).get('oauth_problem') === problem;
    check(name, ok, `expected ${status} ${problem}, got ${JSON.stringify(r)}`);
    return r;
  };
  const vectors = docs.flatMap((d) => d.vectors);
  for (const v of vectors) {
    const n = (what) => `${v.name}: ${what}`;
    // Secrets of a few characters (a vector's "b") would be found in any text.
    const secrets = [v.consumerSecret, v.tokenSecret].filter((s) => s && s.length >= 5);
    const noSecret = (what, r) => {
      const text = JSON.stringify(r);
      check(n(`${what} holds no secret`), !secrets.some((s) => text.includes(s)), text);
    };
    for (const placement of ['header', 'query']) {
      const r = await verifyRequest(receivedOf(v, { placement }), serverOf(v));
      const want = { ok: true, consumerKey: v.consumerKey, token: v.token ?? null, signatureMethod: methodOf(v), parameters: expectedParameters(v) };
      check(n(`the published signature is accepted (${placement})`), JSON.stringify(r) === JSON.stringify(want), `got ${JSON.stringify(r)}, want ${JSON.stringify(want)}`);
      noSecret(`the verified request (${placement})`, r);
    }
    const bad = refused(n('a changed signature'), await verifyRequest(receivedOf(v, { signature: changed(v.signature) }), serverOf(v)), 401, 'signature_invalid');
    check(n('no debug_sbs unless asked'), bad && !/debug_sbs/.test(bad.body) && !/debug_sbs/.test(bad.headers['WWW-Authenticate']), JSON.stringify(bad));
    const debug = await verifyRequest(receivedOf(v, { signature: changed(v.signature) }), serverOf(v, { debugBaseString: true }));
    // PLAINTEXT signs no base string (its vectors publish none).
    if (v.baseString !== undefined) {
      check(n('debug_sbs is the published base string'), debug.ok === false && new URLSearchParams(debug.body).get('debug_sbs') === v.baseString, JSON.stringify(debug));
    }
    noSecret('a refusal with debug_sbs', debug);
    refused(n('the wrong consumer secret'), await verifyRequest(receivedOf(v), serverOf(v, { consumer: { secret: `${v.consumerSecret}x` } })), 401, 'signature_invalid');
    refused(n('an unknown consumer'), await verifyRequest(receivedOf(v), { ...serverOf(v), consumer: () => null }), 401, 'consumer_key_unknown');
    refused(n('a method the consumer may not use'), await verifyRequest(receivedOf(v), serverOf(v, { consumer: { signatureMethods: [otherMethod(v)] } })), 400, 'signature_method_rejected');
    refused(n('a protocol parameter twice'), await verifyRequest(receivedOf(v, { extra: [['oauth_consumer_key', v.consumerKey]] }), serverOf(v)), 400, 'parameter_rejected');
    if (v.token) {
      refused(n('an unknown token'), await verifyRequest(receivedOf(v), serverOf(v, { token: () => null })), 401, 'token_rejected');
    } else {
      refused(n('no token where the consumer requires one'), await verifyRequest(receivedOf(v), serverOf(v, { consumer: { requireToken: true } })), 400, 'parameter_absent');
    }
    if (v.timestamp !== undefined) {
      const stale = refused(n('a timestamp past the window'), await verifyRequest(receivedOf(v), serverOf(v, { now: Number(v.timestamp) + 301 })), 401, 'timestamp_refused');
      const from = Number(v.timestamp) + 1;
      check(n('the acceptable timestamps'), stale && new URLSearchParams(stale.body).get('oauth_acceptable_timestamps') === `${from}-${from + 600}`, JSON.stringify(stale));
      const atEdge = await verifyRequest(receivedOf(v), serverOf(v, { now: Number(v.timestamp) + 300 }));
      check(n('a timestamp at the edge of the window is accepted'), atEdge.ok === true, JSON.stringify(atEdge));
    }
    if (v.nonce !== undefined) {
      let asked = null;
      const replay = await verifyRequest(receivedOf(v), serverOf(v, { nonce: (claim) => { asked = claim; return false; } }));
      refused(n('a used nonce'), replay, 401, 'nonce_used');
      const claim = { consumerKey: v.consumerKey, token: v.token ?? null, timestamp: Number(v.timestamp), nonce: v.nonce };
      check(n('the nonce lookup is asked about the claim'), JSON.stringify(asked) === JSON.stringify(claim), JSON.stringify(asked));
      let askedForBad = false;
      await verifyRequest(receivedOf(v, { signature: changed(v.signature) }), serverOf(v, { nonce: () => { askedForBad = true; return true; } }));
      check(n('a forged request is never recorded as a nonce'), !askedForBad);
    }
  }

  // The calls that are wrong themselves: typed errors, never a verdict.
  const v = vectors[0];
  // debug_sbs shows a secret-named parameter's value as <hidden> (the project's one rule).
  const withPassword = { ...receivedOf(v), url: `${v.url}&password=hunter2-x&client_secret=zz-9q` };
  const hidden = await verifyRequest(withPassword, serverOf(v, { debugBaseString: true }));
  const sbs = hidden.ok === false ? new URLSearchParams(hidden.body).get('debug_sbs') : '';
  check('debug_sbs hides the values of secret-named parameters',
    hidden.problem === 'signature_invalid' && sbs.includes('password%3D%253Chidden%253E') && sbs.includes('client_secret%3D%253Chidden%253E')
      && !JSON.stringify(hidden).includes('hunter2') && !JSON.stringify(hidden).includes('zz-9q'),
    JSON.stringify(hidden));
  const throws = async (name, code, call) => {
    try {
      const r = await call();
      check(name, false, `no error: ${JSON.stringify(r)}`);
    } catch (e) {
      check(name, e instanceof Error && e.name === 'OAuthSignError' && e.code === code, `${e && e.name} ${e && e.code}: ${e && e.message}`);
    }
  };
  await throws('a request that is no object', 'INVALID_REQUEST', () => verifyRequest(null, serverOf(v)));
  await throws("a path alone for the url (Node's req.url)", 'INVALID_REQUEST', () => verifyRequest({ ...receivedOf(v), url: '/photos?size=original' }, serverOf(v)));
  await throws('a misspelt field of the consumer', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), consumer: () => ({ secret: 's', signatureMethod: ['PLAINTEXT'] }) }));
  await throws('a request without a method', 'INVALID_REQUEST', () => verifyRequest({ ...receivedOf(v), method: '' }, serverOf(v)));
  await throws('an unknown request field', 'INVALID_REQUEST', () => verifyRequest({ ...receivedOf(v), query: 'a=1' }, serverOf(v)));
  await throws('a body of another type', 'INVALID_REQUEST', () => verifyRequest({ ...receivedOf(v), body: 42 }, serverOf(v)));
  await throws('headers of another type', 'INVALID_REQUEST', () => verifyRequest({ ...receivedOf(v), headers: 'Authorization: x' }, serverOf(v)));
  await throws('no nonce lookup', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), nonce: undefined }));
  await throws('an unknown option', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), windowSeconds: 300 }));
  await throws('a window of another type', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), window: '300' }));
  await throws('a clock in milliseconds is no clock', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), now: 1.5 }));
  await throws('a consumer without a secret', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), consumer: () => ({ key: 'x' }) }));
  await throws('an unknown signature method', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), serverOf(v, { consumer: { signatureMethods: ['HMAC-SHA-256'] } })));
  await throws('a misspelt field of the token', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), token: () => ({ secret: 's', secrets: 'x' }) }));
  await throws('a nonce lookup that answers no boolean', 'INVALID_OPTIONS', () => verifyRequest(receivedOf(v), { ...serverOf(v), nonce: () => 'yes' }));
  // A lookup's own error is the caller's: passed on as it is.
  const own = new Error('the database is down');
  try {
    await verifyRequest(receivedOf(v), { ...serverOf(v), consumer: async () => { throw own; } });
    check("a lookup's error is passed on", false, 'no error');
  } catch (e) {
    check("a lookup's error is passed on", e === own, String(e));
  }
  // Every form of headers a server has: Headers, pairs, an object (Node's req.headers).
  const pairs = receivedOf(v);
  const object = Object.fromEntries(pairs.headers.map(([k, x]) => [k.toLowerCase(), x]));
  for (const [name, headers] of [['pairs', pairs.headers], ['an object', object], ['Headers', new Headers(pairs.headers)]]) {
    const r = await verifyRequest({ ...pairs, headers }, serverOf(v));
    check(`headers as ${name}`, r.ok === true, JSON.stringify(r));
  }
  // The body as bytes, as a server reads it.
  const form = vectors.find((x) => x.form !== undefined || (x.body !== undefined && x.contentType === FORM));
  const asText = receivedOf(form);
  const bytes = new TextEncoder().encode(asText.body);
  for (const [name, body] of [['a Uint8Array', bytes], ['an ArrayBuffer', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)]]) {
    const r = await verifyRequest({ ...asText, body }, serverOf(form));
    check(`the body as ${name}`, r.ok === true, JSON.stringify(r));
  }
  return checks;
}

/** The checks that failed, one line each. */
export function failures(checks) {
  return checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`);
}
