// Runs generated cases through the package and checks each one:
//
// - a case with a fault must be refused with an OAuthSignError whose code is one the README
//   documents for that fault; a tolerated input may be refused with its named code;
// - every other case must be signed, and then what a server receives (oracle.mjs) must give
//   the same base string, normalized parameters and signature as the package reports, and
//   must carry what the caller asked for: same scheme, host and port, same path, the URL query
//   then the `query` option in order, the body as given, the protocol parameters exactly once
//   and only where the placement puts them, the realm only in the header;
// - and the second referee, oauthlib (tests/oauthlib/oracle.py: Python's oauthlib reading the
//   same request), must compute the same normalized parameters, base string and signature,
//   verify the signature with its own verify_* function, and find the same body hash. Where
//   oauthlib is known to read a request differently from RFC 5849 (oracle.py's "quirks": it
//   %-decodes an oauth_ value from the query or body twice, drops a query parameter named realm,
//   loses a path's trailing ';', refuses port 0) the case is counted, by reason, instead of
//   compared; any other difference, or a request oauthlib cannot read, fails the case.

import { generateCase, intentOf } from './generate.mjs';
import { bodyHash, received, serverSide } from './oracle.mjs';
import { oauthlibMissing, startOauthlib } from '../oauthlib/oracle.mjs';

export const DEFAULT_SEED = 20261128;

const here = new URL('.', import.meta.url);

/** Imports the package's Node entry (pkg/node.js). */
export async function loadPackage() {
  // SIGNER_PKG points at another build of the package (e.g. one with a fix being tried).
  const entry = process.env.SIGNER_PKG ? new URL(`file://${process.env.SIGNER_PKG}`) : new URL('../../pkg/node.js', here);
  try {
    return await import(entry.href);
  } catch (e) {
    throw new Error(`cannot import ${entry.pathname} (build it with: node scripts/build-pkg.mjs --quiet): ${e.message}`);
  }
}

/** Starts the oauthlib referee (a /usr/bin/python3 process); throws with the fix when it cannot. */
export async function loadOauthlib() {
  const missing = oauthlibMissing();
  if (missing) throw new Error(`the oauthlib referee is not available: ${missing}`);
  return startOauthlib();
}

function call(pkg, c) {
  if (c.api === 'function') return pkg.signRequest(c.options, c.request);
  const signer = c.api === 'forNewUser' ? pkg.Signer.forNewUser(c.options) : new pkg.Signer(c.options);
  const signed = signer.signRequest(c.request);
  // Freed only after a successful call, so that free() cannot hide the error of a failed one
  // (the weak-reference build frees the others when they are collected).
  signer.free();
  return signed;
}

/** A JSON rendering that keeps what JSON would lose: undefined, NaN, -0, URL, classes, symbols. */
export function show(value) {
  return JSON.stringify(value, function replacer(key, v) {
    const raw = key === '' ? value : this[key];
    if (raw === undefined) return { $undefined: true };
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0))) return { $number: Object.is(raw, -0) ? '-0' : String(raw) };
    if (typeof raw === 'bigint') return { $bigint: String(raw) };
    if (typeof raw === 'symbol') return { $symbol: String(raw) };
    if (typeof raw === 'function') return { $function: String(raw) };
    if (raw instanceof URL) return { $URL: raw.href };
    if (raw instanceof URLSearchParams) return { $URLSearchParams: raw.toString() };
    if (raw instanceof Map) return { $Map: [...raw] };
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const proto = Object.getPrototypeOf(raw);
      if (proto === null) return { $prototype: null, ...raw };
      if (proto !== Object.prototype) return { $class: raw.constructor?.name ?? '?' };
    }
    return v;
  });
}

function eq(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A path with every character outside RFC 3986 pchar and '/' percent-encoded, escapes kept. */
function canonicalPath(p) {
  let out = '';
  for (const ch of p) {
    if (/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function expectedOauth(c, signed, req, problems) {
  const i = c.intent;
  const sent = signed.oauthParameters ?? {};
  const want = {
    oauth_consumer_key: i.consumerKey,
    oauth_nonce: i.nonce ?? sent.oauth_nonce,
    oauth_signature: signed.signature,
    oauth_signature_method: i.signatureMethod,
    oauth_timestamp: i.timestamp ?? sent.oauth_timestamp,
  };
  if (i.token !== undefined) want.oauth_token = i.token;
  if (i.callback !== undefined) want.oauth_callback = i.callback;
  if (i.verifier !== undefined) want.oauth_verifier = i.verifier;
  // The hash of the bytes fetch sends (the empty string without a body), by node:crypto.
  if (i.bodyHash) want.oauth_body_hash = bodyHash(i.signatureMethod, req.bodyBytes);
  if (i.includeVersion) want.oauth_version = '1.0';
  if (i.nonce === undefined && !/^[A-Za-z0-9]{25}$/.test(sent.oauth_nonce ?? '')) {
    problems.push(`default nonce is not 25 letters and digits: ${show(sent.oauth_nonce)}`);
  }
  if (i.timestamp === undefined) {
    const now = Math.floor(Date.now() / 1000) + i.clockOffset;
    if (!(Math.abs(Number(sent.oauth_timestamp) - now) <= 10)) {
      problems.push(`default timestamp ${show(sent.oauth_timestamp)} is not the clock plus clockOffset (${now})`);
    }
  }
  return want;
}

function sortedPairs(obj) {
  return Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Compares what arrived with what was asked for; returns problems. */
function checkSigned(c, signed, req, srv) {
  const problems = [];
  const i = c.intent;
  const mismatch = (what, pkgValue, refValue) => problems.push(`${what} differs\n      package:     ${show(pkgValue)}\n      independent: ${show(refValue)}`);

  if (signed.baseString !== srv.baseString) mismatch('base string', signed.baseString, srv.baseString);
  if (signed.normalizedParameters !== srv.normalizedParameters) mismatch('normalized parameters', signed.normalizedParameters, srv.normalizedParameters);
  if (signed.signature !== srv.signature) mismatch(`signature (package vs oauth-sign over what was sent, ${srv.signatureMethod})`, signed.signature, srv.signature);
  if (srv.signatureMethod !== i.signatureMethod) mismatch('oauth_signature_method sent', srv.signatureMethod, i.signatureMethod);
  if (srv.sentSignature !== signed.signature) mismatch('oauth_signature sent vs signature reported', srv.sentSignature, signed.signature);

  const method = typeof c.request.method === 'string' ? c.request.method.toUpperCase() : c.request.method;
  if (signed.method !== method) mismatch('method', signed.method, method);

  // The URL: no fragment; scheme, host and port as WHATWG reads the URL given; the same path.
  if (signed.url.includes('#')) problems.push(`the returned url keeps a fragment: ${signed.url}`);
  const orig = new URL(i.url);
  if (srv.url.protocol !== orig.protocol || srv.url.host !== orig.host) mismatch('scheme or host or port', `${srv.url.protocol}//${srv.url.host}`, `${orig.protocol}//${orig.host}`);
  if (canonicalPath(srv.url.pathname) !== canonicalPath(orig.pathname)) mismatch('path', srv.url.pathname, orig.pathname);

  // The protocol parameters: exactly once, where the placement puts them.
  const wantOauth = expectedOauth(c, signed, req, problems);
  if (!eq(sortedPairs(signed.oauthParameters ?? {}), sortedPairs(wantOauth))) mismatch('oauthParameters', signed.oauthParameters, wantOauth);
  const wantOauthPairs = sortedPairs(wantOauth);
  const tailIsOauth = (where, tail, placed) => {
    const got = [...tail].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!eq(got, placed ? wantOauthPairs : [])) mismatch(`protocol parameters in the ${where}`, got, placed ? wantOauthPairs : []);
  };

  const urlPairs = [...orig.searchParams, ...i.query];
  if (!eq(srv.queryPairs.slice(0, urlPairs.length), urlPairs)) mismatch('query parameters (url query, then the query option)', srv.queryPairs.slice(0, urlPairs.length), urlPairs);
  tailIsOauth('query', srv.queryPairs.slice(urlPairs.length), i.placement === 'query');

  if (i.placement === 'header') {
    if (req.authorization === undefined) problems.push('placement header but no Authorization header');
    else {
      tailIsOauth('Authorization header', srv.header.params, true);
      if ((srv.header.realm ?? undefined) !== i.realm) mismatch('realm', srv.header.realm, i.realm);
      // RFC 5849 §3.6: hexadecimal characters in encodings MUST be upper case (a server may
      // accept lower case, as ours does; a signer must not send it).
      for (const [name, value] of srv.header.encoded) {
        if (/%[0-9A-F]?[a-f]/.test(`${name}=${value}`)) problems.push(`lower-case hex in the Authorization header: ${name}="${value}"`);
      }
    }
  } else if (signed.headers.Authorization !== undefined) {
    problems.push(`placement ${i.placement} but an Authorization header was returned: ${signed.headers.Authorization}`);
  }

  // The body and its content type: the one given, or it as fetch sends it (surrounding HTTP
  // whitespace trimmed).
  // An empty one is no content type at all.
  const trimHttpWhitespace = (v) => (typeof v === 'string' ? v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '') || undefined : v);
  const ct = trimHttpWhitespace(signed.headers['Content-Type']);
  const given = trimHttpWhitespace(i.bodyContentType);
  if (i.body.kind === 'none') {
    if (signed.body !== undefined) mismatch('body', signed.body, undefined);
    if (ct !== given) mismatch('Content-Type', ct, given);
  } else if (i.body.kind === 'text') {
    if (req.body !== i.body.text) mismatch('body', req.body, i.body.text);
    if (ct !== given) mismatch('Content-Type', ct, given);
    if (srv.bodyIsForm) problems.push('a non-form body arrived as a form');
  } else {
    const want = given ?? 'application/x-www-form-urlencoded';
    if (ct !== want) mismatch('Content-Type', ct, want);
    if (!srv.bodyIsForm) problems.push(`a form body did not arrive as a form (Content-Type ${show(req.contentType)})`);
    const n = i.body.pairs.length;
    if (!eq(srv.bodyPairs.slice(0, n), i.body.pairs)) mismatch('form body parameters', srv.bodyPairs.slice(0, n), i.body.pairs);
    tailIsOauth('body', srv.bodyPairs.slice(n), i.placement === 'body');
  }
  return problems;
}

/**
 * The second referee: oauthlib's reading of the same request. Returns problems, and a reason
 * when the case was counted instead of compared.
 */
function checkOauthlib(c, signed, req, srv, a) {
  const problems = [];
  const mismatch = (what, pkgValue, refValue) => problems.push(`${what} differs\n      package: ${show(pkgValue)}\n      oauthlib: ${show(refValue)}`);
  // A known way in which oauthlib reads this request unlike RFC 5849 (oracle.py lists them).
  if (a.quirks?.length) return { problems, skipped: a.quirks[0] };
  if (!a.ok) {
    problems.push(`oauthlib could not read the request: ${a.error}`);
    return { problems };
  }
  // When oauthlib's verify function accepted an HMAC, its base string is the package's (the
  // HMAC over it is the signature sent) and oracle.py does not compute it a second time.
  if (!a.impliedByVerify) {
    if (a.normalizedParameters !== signed.normalizedParameters) mismatch('normalized parameters (oauthlib)', signed.normalizedParameters, a.normalizedParameters);
    if (a.baseString !== signed.baseString) mismatch('base string (oauthlib)', signed.baseString, a.baseString);
  }
  if (a.signatureMethod !== c.intent.signatureMethod) mismatch('oauth_signature_method (oauthlib)', c.intent.signatureMethod, a.signatureMethod);
  if (a.signature !== signed.signature) mismatch(`signature (oauthlib's sign_*_with_client, ${a.signatureMethod})`, signed.signature, a.signature);
  if (!a.verified) problems.push(`oauthlib's verify function refused the signature ${show(a.sentSignature)}`);
  if (c.intent.bodyHash) {
    const algo = { 'HMAC-SHA1': 'SHA-1', 'HMAC-SHA256': 'SHA-256', 'HMAC-SHA512': 'SHA-512' }[c.intent.signatureMethod];
    const sent = a.params.find(([k]) => k === 'oauth_body_hash')?.[1];
    if (sent !== a.bodyHash?.[algo]) mismatch(`oauth_body_hash (oauthlib's params vs hashlib's ${algo} of the body)`, sent, a.bodyHash[algo]);
  }
  return { problems };
}

function isOAuthSignError(pkg, e) {
  return e instanceof Error && e.name === 'OAuthSignError' && typeof e.code === 'string' && pkg.isOAuthSignError(e);
}

/**
 * Generates and checks one case.
 * @returns {Promise<{c: any, outcome: 'signed' | 'refused' | 'tolerated refusal' | 'failed', problems: string[], signed?: any, error?: any, req?: any, srv?: any}>}
 */
export async function runCase(pkg, seed, index, oauthlib) {
  return checkCase(pkg, generateCase(seed, index), oauthlib);
}

/**
 * A hand-written call as a case: valid unless `faults` are given.
 * @param {string} name
 * @param {{api?: 'signer' | 'function' | 'forNewUser', options: any, request: any, faults?: Array<{what: string, codes: string[]}>, tolerated?: Array<{what: string, codes: string[]}>}} call
 */
export function handCase(name, { api = 'signer', options, request, faults = [], tolerated = [] }) {
  const twoLegged = api === 'forNewUser' || options.twoLegged === true;
  return {
    seed: 'hand-written',
    index: name,
    api,
    options,
    request,
    secrets: { consumerSecret: options.consumerSecret, tokenSecret: twoLegged ? '' : options.tokenSecret },
    faults,
    tolerated,
    tags: [],
    intent: faults.length ? undefined : intentOf(api, options, request),
  };
}

/**
 * Signs one case with the package and checks it (see the top of this file); `oauthlib` is the
 * started second referee (loadOauthlib()), or null to leave it out for this case.
 */
export async function checkCase(pkg, c, oauthlib) {
  let signed;
  let error;
  try {
    signed = call(pkg, c);
  } catch (e) {
    error = e;
  }
  const problems = [];
  if (error !== undefined) {
    const desc = isOAuthSignError(pkg, error) ? `${error.code}: ${error.message}` : `${error?.name}: ${error?.message}`;
    if (!isOAuthSignError(pkg, error)) {
      problems.push(`threw something other than an OAuthSignError: ${desc}\n${error?.stack ?? ''}`);
      return { c, outcome: 'failed', problems, error };
    }
    const tolerated = c.tolerated.flatMap((f) => f.codes);
    // A tolerated refusal may come first, before the fault is reached.
    const allowed = [...c.faults.flatMap((f) => f.codes), ...tolerated];
    if (c.faults.length && allowed.includes(error.code)) return { c, outcome: 'refused', problems, error };
    if (!c.faults.length && tolerated.includes(error.code)) return { c, outcome: 'tolerated refusal', problems, error };
    problems.push(c.faults.length
      ? `refused with ${desc}; documented for this input: ${[...new Set(allowed)].join(' or ')}`
      : `a valid request was refused: ${desc}`);
    return { c, outcome: 'failed', problems, error };
  }
  if (c.faults.length) {
    problems.push(`signed, but should have been refused (${c.faults.map((f) => `${f.what}: ${f.codes.join(' or ')}`).join('; ')})`);
    return { c, outcome: 'failed', problems, signed };
  }
  let req;
  let srv;
  try {
    req = await received(signed);
  } catch (e) {
    problems.push(`fetch would not send the signed request: ${e.message}`);
    return { c, outcome: 'failed', problems, signed };
  }
  try {
    srv = serverSide(req, c.secrets);
  } catch (e) {
    problems.push(`a server could not read the request: ${e.message}`);
    return { c, outcome: 'failed', problems, signed, req };
  }
  problems.push(...checkSigned(c, signed, req, srv));
  if (!oauthlib) return { c, outcome: problems.length ? 'failed' : 'signed', problems, signed, req, srv };
  const lib = await oauthlib.ask({
    method: req.method,
    url: req.url,
    authorization: req.authorization,
    contentType: req.contentType,
    body: req.bodyBytes,
    bodyIsForm: srv.bodyIsForm,
    ...c.secrets,
  });
  const byLib = checkOauthlib(c, signed, req, srv, lib);
  problems.push(...byLib.problems);
  return { c, outcome: problems.length ? 'failed' : 'signed', problems, signed, req, srv, oauthlib: lib, oauthlibAsked: true, oauthlibSkipped: byLib.skipped };
}

/** A report of a failed case: the seed, the index, the replay command and the inputs. */
export function report(r) {
  const { c } = r;
  const lines = [
    ...(typeof c.seed === 'number'
      ? [`MISMATCH seed=${c.seed} index=${c.index}`, `  replay: node tests/differential/run.mjs --seed ${c.seed} --index ${c.index}`]
      : [`MISMATCH ${c.seed}: ${c.index}`]),
    ...r.problems.map((p) => `  - ${p}`),
    `  api: ${c.api}`,
    `  options: ${show(c.options)}`,
    `  request: ${show(c.request)}`,
    `  secrets (fixed test values): ${show(c.secrets)}`,
  ];
  if (c.faults.length) lines.push(`  faults: ${show(c.faults)}`);
  if (c.tolerated.length) lines.push(`  tolerated: ${show(c.tolerated)}`);
  if (r.signed) lines.push(`  returned: ${show({ method: r.signed.method, url: r.signed.url, headers: r.signed.headers, body: r.signed.body })}`);
  if (r.req) lines.push(`  received: ${show(r.req)}`);
  if (r.oauthlib) lines.push(`  oauthlib: ${show(r.oauthlib)}`);
  return lines.join('\n');
}

/**
 * Runs `count` cases from `start`. Calls `onFailure(result)` for each failed case and stops
 * after `maxFailures` of them. oauthlib is asked about the cases whose index is a multiple of
 * `oauthlibEvery` (1: every case).
 */
export async function runRange(pkg, { seed, start = 0, count, maxFailures = 10, onFailure = () => {}, onProgress, oauthlib, oauthlibEvery = 1 }) {
  const stats = {
    cases: 0, signed: 0, refused: 0, toleratedRefusals: 0, failures: 0, tags: new Map(), refusalCodes: new Map(),
    // The signed cases oauthlib compared, those it was counted for instead (by reason), and
    // those where the oracle escaped a character oauthlib's urldecode refuses.
    oauthlibCompared: 0, oauthlibSkipped: new Map(), oauthlibEscaped: 0, signedByMethod: new Map(), askedByMethod: new Map(), comparedByMethod: new Map(),
  };
  // Up to WINDOW cases in flight: the package and oauth-sign run here while oauthlib answers
  // the cases before (Python, another process). Counted as they finish; a replay is the same.
  const WINDOW = 64;
  const inFlight = new Set();
  const record = (r) => {
    stats.cases++;
    for (const t of r.c.tags) stats.tags.set(t, (stats.tags.get(t) ?? 0) + 1);
    if (r.outcome === 'signed') {
      stats.signed++;
      const m = r.c.intent.signatureMethod;
      stats.signedByMethod.set(m, (stats.signedByMethod.get(m) ?? 0) + 1);
      if (r.oauthlibAsked) stats.askedByMethod.set(m, (stats.askedByMethod.get(m) ?? 0) + 1);
      if (!r.oauthlibAsked) {
        // not asked
      } else if (r.oauthlibSkipped) stats.oauthlibSkipped.set(r.oauthlibSkipped, (stats.oauthlibSkipped.get(r.oauthlibSkipped) ?? 0) + 1);
      else {
        stats.oauthlibCompared++;
        stats.comparedByMethod.set(m, (stats.comparedByMethod.get(m) ?? 0) + 1);
      }
      if (r.oauthlib?.escaped?.length) stats.oauthlibEscaped++;
    } else if (r.outcome === 'refused') {
      stats.refused++;
      stats.refusalCodes.set(r.error.code, (stats.refusalCodes.get(r.error.code) ?? 0) + 1);
    } else if (r.outcome === 'tolerated refusal') stats.toleratedRefusals++;
    else {
      stats.failures++;
      if (stats.failures <= maxFailures) onFailure(r);
    }
    if (onProgress && stats.cases % 50000 === 0) onProgress(stats);
  };
  for (let index = start; index < start + count && stats.failures < maxFailures; index++) {
    const p = runCase(pkg, seed, index, index % oauthlibEvery === 0 ? oauthlib : null).then(record);
    inFlight.add(p);
    // (A rejection, such as the oauthlib process dying, reaches the caller through race/all.)
    p.finally(() => inFlight.delete(p)).catch(() => {});
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return stats;
}
