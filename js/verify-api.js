// The JavaScript side of `contextio-signer/verify`: checks its values (each language checks what
// is its own), awaits the server's lookups, and between them hands the Rust core the request as
// received (src/binding/verify.rs has the packets). Every OAuth rule and every refusal is the
// core's; secrets go in, only the verdict comes out.
//
// A factory over the binding, so that the wasm-bindgen tests can load this very file next to
// their own build of the binding: `createVerify({ verifyRead, verifyCheck })` (they load
// js/headers.js too).

import { headerPairs } from './headers.js';

const ERROR_NAME = 'OAuthSignError';
const OPTION_FIELDS = ['consumer', 'token', 'nonce', 'now', 'window', 'realm', 'debugBaseString'];
const REQUEST_FIELDS = ['method', 'url', 'headers', 'body'];
const CONSUMER_FIELDS = ['secret', 'signatureMethods', 'requireToken'];
const TOKEN_FIELDS = ['secret'];
const FORM = 'application/x-www-form-urlencoded';
/** The window of timestamps, either way, unless the server sets one (seconds). */
const WINDOW = 300;
/** The largest window a server may set: a year (a longer one is no window). */
const MAX_WINDOW = 366 * 24 * 3600;

const str = (s) => s.length + ':' + s;
/** `s` with each lone UTF-16 surrogate (which has no UTF-8 form) as U+FFFD. */
const wellFormed = typeof ''.toWellFormed === 'function'
  ? (s) => s.toWellFormed()
  : (s) => s.replace(/\p{Cs}/gu, '\uFFFD');
const encoder = new TextEncoder();

/** An OAuthSignError (the same shape as the signer's): a real Error with `name` and `code`. */
function fail(code, message) {
  const error = new Error(message);
  error.name = ERROR_NAME;
  error.code = code;
  return error;
}
const wrongRequest = (message) => fail('INVALID_REQUEST', message);
const wrongOptions = (message) => fail('INVALID_OPTIONS', message);

/** Refuses fields of `object` not in `known`, naming the first (quoted, 64 characters at most). */
function known(object, fields, what, wrong) {
  for (const name of Object.keys(object)) {
    if (!fields.includes(name)) {
      const shown = JSON.stringify(name.slice(0, 64));
      throw wrong(`${what} has an unknown field ${shown} (${fields.join(', ')})`);
    }
  }
}

/** A lookup's answer: the function's result, awaited; a function it must be. */
function lookup(options, name) {
  const f = options[name];
  if (typeof f !== 'function') throw wrongOptions(`options.${name} must be a function (it may be async)`);
  return f;
}

/** The body's bytes: text (as UTF-8), bytes (a Uint8Array such as a Buffer, an ArrayBuffer), none. */
function bodyBytes(body) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw wrongRequest('request.body must be the body as text, a Uint8Array or an ArrayBuffer (or absent)');
}

/** The request part of every packet: method, url, headers. */
function requestPacket(request) {
  if (request === null || typeof request !== 'object') throw wrongRequest('request must be { method, url, headers, body }');
  known(request, REQUEST_FIELDS, 'request', wrongRequest);
  const { method, headers } = request;
  let { url } = request;
  if (typeof method !== 'string' || method === '') throw wrongRequest('request.method must be the HTTP method as received');
  if (typeof URL === 'function' && url instanceof URL) url = url.href;
  if (typeof url !== 'string') throw wrongRequest('request.url must be the absolute URL as the server sees it (a string or URL)');
  // A path alone (Node's `req.url`) is the server's mistake, not the client's: thrown, not
  // refused. What follows the scheme is the client's (the Host header): the core reads it.
  if (!/^https?:\/\//i.test(url)) {
    throw wrongRequest('request.url must be absolute, as the client addressed it: in Node `http://${req.headers.host}${req.url}` (behind a TLS-ending proxy, https:)');
  }
  const pairs = headerPairs(headers, 'request.headers', wrongRequest);
  let packet = str(method) + str(url) + 'p' + pairs.length + ';';
  for (const [name, value] of pairs) packet += str(name) + str(value);
  return packet;
}

/** The server's clock in whole seconds: `now` (seconds since the epoch, or a Date) or the clock. */
function clock(now) {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (now instanceof Date) now = Math.floor(now.getTime() / 1000);
  if (!Number.isSafeInteger(now) || now < 0) {
    throw wrongOptions('options.now must be the server clock as whole seconds since the epoch (or a Date)');
  }
  return now;
}

/**
 * The consumer lookup's answer, checked: `null` (not known) or its secret and policy. An unknown
 * field is refused: a misspelt `signatureMethods` or `requireToken` must not fall back to the
 * default unnoticed.
 */
function consumerOf(found) {
  if (found === null || found === undefined) return null;
  if (typeof found !== 'object') throw wrongOptions('options.consumer must return { secret, signatureMethods?, requireToken? } or null');
  known(found, CONSUMER_FIELDS, 'the consumer', wrongOptions);
  const { secret, signatureMethods = ['HMAC-SHA1'], requireToken = true } = found;
  if (typeof secret !== 'string') throw wrongOptions("the consumer's secret must be a string");
  if (!Array.isArray(signatureMethods) || signatureMethods.length === 0 || !signatureMethods.every((m) => typeof m === 'string')) {
    throw wrongOptions("the consumer's signatureMethods must be a non-empty array of signature method names");
  }
  if (typeof requireToken !== 'boolean') throw wrongOptions("the consumer's requireToken must be true or false");
  return { secret, signatureMethods, requireToken };
}

/** Reads an answer's values (`len:text`, `_`, `digits;`), front to back. */
function reader(answer) {
  let at = 1;
  const digits = (end) => {
    const stop = answer.indexOf(end, at);
    const n = Number(answer.slice(at, stop));
    at = stop + 1;
    return n;
  };
  const string = () => {
    const len = digits(':');
    const s = answer.slice(at, at + len);
    at += len;
    return s;
  };
  const optional = () => {
    if (answer[at] === '_') {
      at += 1;
      return null;
    }
    return string();
  };
  const integer = () => {
    if (answer[at] === '_') {
      at += 1;
      return null;
    }
    return digits(';');
  };
  const pairs = () => {
    at += 1; // 'p'
    const out = [];
    for (let n = digits(';'); n > 0; n -= 1) out.push([string(), string()]);
    return out;
  };
  return { string, optional, integer, pairs, digits };
}

/** The verdict of an answer other than a claim: thrown (an error), a refusal, or verified. */
function verdict(answer) {
  const tag = answer.charCodeAt(0);
  if (tag === 0) {
    const sep = answer.indexOf('\u0001');
    throw fail(answer.slice(1, sep), answer.slice(sep + 1));
  }
  const r = reader(answer);
  if (tag === 4) {
    const status = r.digits(';');
    const problem = r.string();
    const challenge = r.string();
    const body = r.string();
    const reason = r.string();
    return { ok: false, status, problem, headers: { 'WWW-Authenticate': challenge, 'Content-Type': FORM }, body, reason };
  }
  if (tag === 2) {
    const consumerKey = r.string();
    const token = r.optional();
    const signatureMethod = r.string();
    return { ok: true, consumerKey, token, signatureMethod, parameters: r.pairs() };
  }
  throw fail('INVALID_OPTIONS', 'internal: an answer this module cannot read (mismatched package files?)');
}

/**
 * Verifies a request as a server received it (RFC 5849 §3.2). See `verifyRequest` in
 * verify.d.ts for the contract.
 */
async function verifyRequest(raw, request, options) {
  if (options === null || typeof options !== 'object') throw wrongOptions('options must be { consumer, token, nonce, ... }');
  known(options, OPTION_FIELDS, 'options', wrongOptions);
  const consumerLookup = lookup(options, 'consumer');
  const tokenLookup = lookup(options, 'token');
  const nonceLookup = lookup(options, 'nonce');
  const { realm, debugBaseString = false, window = WINDOW } = options;
  if (realm !== undefined && typeof realm !== 'string') throw wrongOptions('options.realm must be a string');
  if (typeof debugBaseString !== 'boolean') throw wrongOptions('options.debugBaseString must be true or false');
  if (!Number.isSafeInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw wrongOptions('options.window must be whole seconds, 0 to a year (300 is usual)');
  }
  const now = clock(options.now);

  const packet = wellFormed(requestPacket(request));
  const body = bodyBytes(request.body);
  const tail = realm === undefined ? '_' : str(wellFormed(realm));

  const claimAnswer = raw.verifyRead(packet + tail, body);
  if (claimAnswer.charCodeAt(0) !== 3) return verdict(claimAnswer);
  const claim = reader(claimAnswer);
  const consumerKey = claim.string();
  const token = claim.optional();
  claim.string(); // the signature method, which the verdict names
  const timestamp = claim.integer();
  const nonce = claim.optional();

  const consumer = consumerOf(await consumerLookup(consumerKey));
  if (consumer === null) return verdict(raw.verifyCheck(packet + 'c' + tail, body));
  let tokenPart = '_';
  if (token !== null) {
    const found = await tokenLookup(consumerKey, token);
    if (found === null || found === undefined) {
      tokenPart = 'u';
    } else if (typeof found === 'object' && typeof found.secret === 'string') {
      known(found, TOKEN_FIELDS, 'the token', wrongOptions);
      tokenPart = 's' + str(found.secret);
    } else {
      throw wrongOptions('options.token must return { secret } or null');
    }
  }
  let check = packet + 'v' + now + ';' + window + ';p' + consumer.signatureMethods.length + ';';
  for (const m of consumer.signatureMethods) check += str(m) + '0:';
  check += (consumer.requireToken ? 't' : 'f') + (debugBaseString ? 't' : 'f') + str(consumer.secret) + tokenPart + tail;
  const result = verdict(raw.verifyCheck(wellFormed(check), body));
  if (!result.ok || timestamp === null || nonce === null) return result;

  const fresh = await nonceLookup({ consumerKey, token, timestamp, nonce });
  if (fresh === true) return result;
  if (fresh === false) return verdict(raw.verifyCheck(packet + 'n' + tail, body));
  throw wrongOptions('options.nonce must return true (a new nonce, now recorded) or false (seen before)');
}

/**
 * `verifyRequest(request, options)` over a build of the binding's `verifyRead(packet, body)`
 * and `verifyCheck(packet, body)`.
 * @param {{ verifyRead: (packet: string, body: Uint8Array) => string, verifyCheck: (packet: string, body: Uint8Array) => string }} raw
 */
export function createVerify(raw) {
  return (request, options) => verifyRequest(raw, request, options);
}
