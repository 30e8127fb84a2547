// The package's JavaScript front. Each language checks what is its own: this module owns the JS
// API's value rules (which fields exist and the field a typo meant, the types they take, getters
// and proxies, arrays, safe integers, lone surrogates, the size limit) and throws their errors
// with the codes of the Rust `Error` (CODES below; tier 1 checks the two lists agree). It hands
// the wasm binding one packet of values already known to be strings, integers and lists
// (src/binding/packet.rs documents the format and reads it); the Rust core applies every OAuth and URL
// rule and answers with one string.
//
// A factory with no imports, so that the wasm-bindgen tests can load this very file next to
// their own build of the binding: `createApi({ inputArea, createSigner, signOnce, didYouMean })`,
// the last being the project's one did-you-mean rule (js/suggest.js).

const ERROR_NAME = 'OAuthSignError';

/** Every error code, the Rust `Error`'s (`Error::ALL_CODES`, in the same order). */
export const CODES = [
  'INVALID_OPTIONS', 'THREE_LEGGED_REQUIRED', 'TWO_LEGGED_FORBIDDEN', 'OUT_OF_SCOPE', 'INVALID_URL',
  'INVALID_METHOD', 'INVALID_ENCODING', 'INVALID_PLACEMENT', 'INVALID_TIMESTAMP', 'INVALID_NONCE',
  'INVALID_BODY', 'RANDOM_UNAVAILABLE', 'PLAINTEXT_NEEDS_HTTPS',
];
const [OPTIONS, , , , URL_CODE, METHOD, ENCODING, PLACEMENT, TIMESTAMP, NONCE, BODY] = CODES;

/**
 * What a JavaScript caller does about an error the core reports in OAuth's words, by code: the
 * core's messages name the concept ("the token secret"), this names the field and the call.
 */
const ADVICE = {
  THREE_LEGGED_REQUIRED: 'pass token and tokenSecret; Signer.forNewUser adds users',
  TWO_LEGGED_FORBIDDEN: 'pass token and tokenSecret, or use Signer.forNewUser',
  OUT_OF_SCOPE: 'sign it with new Signer({ ..., token, tokenSecret })',
  PLAINTEXT_NEEDS_HTTPS: 'an https: url, or another signatureMethod',
};

/** The signature methods, as `signatureMethod` takes them (the Rust `SignatureMethod`). */
export const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'];

/** The fields of an options object and of a request object, in packet order. */
export const OPTION_FIELDS = ['consumerKey', 'consumerSecret', 'token', 'tokenSecret', 'twoLegged', 'realm', 'placement', 'clockOffset', 'signatureMethod'];
export const REQUEST_FIELDS = ['method', 'url', 'query', 'body', 'contentType', 'placement', 'realm', 'nonce', 'timestamp', 'includeVersion', 'callback', 'verifier', 'bodyHash'];

/**
 * The most UTF-16 code units a call may hand the module (4 Mi): a signature of a longer request
 * could need more than a gigabyte of wasm memory in the worst case (every character escaped
 * twice), which a page may not get; the module must not trap for want of it.
 */
const MAX_UNITS = 4 << 20;

const OBJECT_PROTOTYPE = Object.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const hasOwn = Object.hasOwn;
const keysOf = Object.keys;
const isArray = Array.isArray;
const isSafeInteger = Number.isSafeInteger;
const UrlClass = typeof URL === 'function' ? URL : null;
const ParamsClass = typeof URLSearchParams === 'function' ? URLSearchParams : null;

/** Whether a string has no lone UTF-16 surrogate (which has no UTF-8 form). */
const isWellFormed = typeof ''.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/\p{Cs}/u.test(s);

/** An OAuthSignError: a real Error with `name` and `code`. */
function fail(code, message) {
  const error = new Error(message);
  error.name = ERROR_NAME;
  error.code = code;
  return error;
}

const WRONG_OPTIONS = 'options must be an object with consumerKey and consumerSecret';
const WRONG_REQUEST = 'request must be an object with method and url';
const WRONG_PLACEMENT = "placement must be 'header', 'query' or 'body'";
const WRONG_QUERY = 'query must be URLSearchParams or a plain object of strings, numbers, booleans or arrays of them';
const WRONG_BODY = 'body must be a string, URLSearchParams or a plain object of strings, numbers, booleans or arrays of them (binary and multipart bodies cannot be signed)';
const TIMESTAMP_RULE = 'timestamp must be a whole number of seconds since the epoch, not negative (at most 2^53 - 1)';
const CLOCK_OFFSET_RULE = 'clockOffset must be a whole number of seconds, at most ten years either way';
const unreadable = (what) => `${what} could not be read: a getter or Proxy trap threw`;
const mustBe = (field, type) => `${field} must be ${type}`;

/** The name of an unknown field as a message quotes it: 64 characters at most, controls as `?`. */
function shown(name) {
  const chars = [...name];
  const head = chars.slice(0, 64).join('').replace(/\p{Cc}/gu, '?');
  return chars.length > 64 ? `${head}…` : head;
}

/** The did-you-mean rule (js/suggest.js), handed to createApi. */
let didYouMean = () => '';

/**
 * The fields of the options or the request, by their index in `known`. A field is read wherever
 * JavaScript would find it (an own or inherited property, enumerable or not, a plain value or a
 * getter) but never from Object.prototype, so a polluted prototype adds nothing. An own
 * enumerable property that is not a field is refused with the field it resembles.
 */
function fieldsOf(v, object, known, wrong) {
  if (v === null || typeof v !== 'object') throw fail(OPTIONS, wrong);
  const what = object === 'option' ? 'options' : 'request';
  let keys;
  let proto;
  let plain;
  try {
    plain = !isArray(v) && !(UrlClass !== null && v instanceof UrlClass) && !(ParamsClass !== null && v instanceof ParamsClass);
    keys = keysOf(v);
    proto = getPrototypeOf(v);
  } catch {
    throw fail(OPTIONS, unreadable(what));
  }
  if (!plain) throw fail(OPTIONS, wrong);
  for (let i = 0; i < keys.length; i++) {
    if (!known.includes(keys[i])) {
      throw fail(OPTIONS, `unknown ${object} field "${shown(keys[i])}"${didYouMean(keys[i], known)}`);
    }
  }
  const out = new Array(known.length);
  try {
    for (let i = 0; i < known.length; i++) {
      const k = known[i];
      if (hasOwn(v, k)) out[i] = v[k];
      else {
        for (let p = proto; p !== null && p !== OBJECT_PROTOTYPE; p = getPrototypeOf(p)) {
          if (hasOwn(p, k)) {
            out[i] = v[k];
            break;
          }
        }
      }
    }
  } catch {
    throw fail(OPTIONS, unreadable(what));
  }
  return out;
}

// The packet (src/binding/packet.rs): a string is its UTF-16 length, `:` and its text; an absent
// optional value is `_`; an integer its decimal digits and `;`; a flag `t` or `f`; a list of
// pairs `p`, their count, `;` and the names and values as strings.

const str = (s) => s.length + ':' + s;

/** An optional string field: `_` when absent, else the string; anything else is `wrong`. */
function optional(v, code, message) {
  if (v === undefined || v === null) return '_';
  if (typeof v !== 'string') throw fail(code, message);
  return str(v);
}

function flag(v, absent, field) {
  if (v === undefined || v === null) return absent ? 't' : 'f';
  if (typeof v !== 'boolean') throw fail(OPTIONS, mustBe(field, 'a boolean'));
  return v ? 't' : 'f';
}

/** A query or form value as `String(value)` writes it: a string, a finite number or a boolean. */
function paramText(x, code, message) {
  switch (typeof x) {
    case 'string': return x;
    case 'boolean': return x ? 'true' : 'false';
    case 'number': if (Number.isFinite(x)) return String(x);
    // falls through
    default: throw fail(code, message);
  }
}

/**
 * A query or body given as parameters: `f` and the serialization of a URLSearchParams, or `p`
 * and the pairs of a plain object (an array repeats the name, `null` and `undefined` are
 * skipped); `null` when `v` is neither (the caller decides what else it may be).
 */
function params(v, code, wrong, what) {
  try {
    return paramsOf(v, code, wrong, what);
  } catch (e) {
    // A Proxy trap or a getter threw.
    throw isOAuthSignError(e) ? e : fail(code, unreadable(what));
  }
}

function paramsOf(v, code, wrong, what) {
  if (ParamsClass !== null && v instanceof ParamsClass) return 'f' + str(v.toString());
  if (typeof v !== 'object' || isArray(v) || (UrlClass !== null && v instanceof UrlClass)) return null;
  const proto = getPrototypeOf(v);
  if (proto !== OBJECT_PROTOTYPE && proto !== null) throw fail(code, wrong);
  const keys = keysOf(v);
  let pairs = '';
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const name = keys[i];
    const x = v[name];
    if (x === undefined || x === null) continue;
    if (isArray(x)) {
      const n = x.length;
      if (!isSafeInteger(n) || n < 0) throw fail(code, unreadable(what));
      for (let j = 0; j < n; j++) {
        // A hole makes the array one that cannot be a list of values: refused at once (a
        // sparse array may be a billion holes long).
        if (!(j in x)) throw fail(code, wrong);
        pairs += str(name) + str(paramText(x[j], code, wrong));
        count++;
      }
    } else {
      pairs += str(name) + str(paramText(x, code, wrong));
      count++;
    }
  }
  return 'p' + count + ';' + pairs;
}

/**
 * The options value as a packet (the runtime is written before it), with the consumer key and
 * token that the results show (read once: a getter is not asked twice).
 */
function packOptions(options) {
  const [key, secret, token, tokenSecret, twoLegged, realm, place, clockOffset, method] =
    fieldsOf(options, 'option', OPTION_FIELDS, WRONG_OPTIONS);
  let m = '_';
  if (method !== undefined && method !== null) {
    if (typeof method !== 'string') throw fail(OPTIONS, mustBe('signatureMethod', `one of ${SIGNATURE_METHODS.join(', ')}`));
    if (!SIGNATURE_METHODS.includes(method)) {
      throw fail(OPTIONS, `unknown signatureMethod "${shown(method)}"${didYouMean(method, SIGNATURE_METHODS)}: one of ${SIGNATURE_METHODS.join(', ')}`);
    }
    m = str(method);
  }
  let offset = 0;
  if (clockOffset !== undefined && clockOffset !== null) {
    // A safe integer; its range is the core's rule.
    if (!isSafeInteger(clockOffset)) throw fail(OPTIONS, CLOCK_OFFSET_RULE);
    offset = clockOffset;
  }
  const packet = (key === undefined || key === null ? '0:' : optional(key, OPTIONS, mustBe('consumerKey', 'a string')))
    + (secret === undefined || secret === null ? '0:' : optional(secret, OPTIONS, mustBe('consumerSecret', 'a string')))
    + optional(token, OPTIONS, mustBe('token', 'a string'))
    + optional(tokenSecret, OPTIONS, mustBe('tokenSecret', 'a string'))
    + flag(twoLegged, false, 'twoLegged')
    + optional(realm, OPTIONS, mustBe('realm', 'a string'))
    + optional(place, PLACEMENT, WRONG_PLACEMENT)
    + (offset === 0 ? 0 : offset) + ';' + m;
  return [packet, typeof key === 'string' ? key : '', typeof token === 'string' ? token : '', m === '_' ? SIGNATURE_METHODS[0] : method];
}

/**
 * The request value as a packet, beginning with the clock reading (`Date.now()`, read only when
 * no timestamp is fixed). `into` receives what the answer does not repeat: `body`, the caller's
 * text of a text or form body (else null), `nonce`, the nonce the caller fixed (else null), and
 * `callback` and `verifier` (else null).
 */
function packRequest(request, into) {
  const [method, url, query, body, contentType, place, realm, nonce, timestamp, includeVersion, callback, verifier, bodyHash] =
    fieldsOf(request, 'request', REQUEST_FIELDS, WRONG_REQUEST);
  let m;
  if (typeof method === 'string') m = method;
  else if (method === undefined || method === null) throw fail(METHOD, 'method is required: a non-empty HTTP token such as GET or POST');
  else throw fail(METHOD, 'method must be a string, an HTTP token such as GET or POST');
  let u;
  if (typeof url === 'string') u = url;
  else if (UrlClass !== null && url instanceof UrlClass) u = url.href;
  else throw fail(URL_CODE, 'url must be a string or a URL (an absolute http or https url)');
  let q = '_';
  if (query !== undefined && query !== null) {
    q = params(query, OPTIONS, WRONG_QUERY, 'query');
    if (q === null) throw fail(OPTIONS, WRONG_QUERY);
  }
  let b = '_';
  into.body = null;
  if (typeof body === 'string') {
    b = 's' + str(body);
    into.body = body;
  } else if (body !== undefined && body !== null) {
    b = params(body, BODY, WRONG_BODY, 'body');
    if (b === null) throw fail(BODY, WRONG_BODY);
    if (b.charCodeAt(0) === 102) into.body = b.slice(b.indexOf(':') + 1);
  }
  let t = '_';
  let now = 0;
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'number') throw fail(TIMESTAMP, 'timestamp must be a number: whole seconds since the epoch, not negative');
    if (!isSafeInteger(timestamp) || timestamp < 0) throw fail(TIMESTAMP, TIMESTAMP_RULE);
    t = (timestamp === 0 ? 0 : timestamp) + ';';
  } else {
    now = clock();
    if (!isSafeInteger(now)) throw fail(TIMESTAMP, 'the clock (Date.now()) gives no number of milliseconds: pass a timestamp');
  }
  const n = optional(nonce, NONCE, mustBe('nonce', 'a string'));
  into.nonce = n === '_' ? null : nonce;
  const c = optional(callback, OPTIONS, mustBe('callback', "a string: an absolute URL or 'oob'"));
  into.callback = c === '_' ? null : callback;
  const v = optional(verifier, OPTIONS, mustBe('verifier', 'a string'));
  into.verifier = v === '_' ? null : verifier;
  return now + ';' + str(m) + str(u) + q + b
    + optional(contentType, BODY, mustBe('contentType', 'a string'))
    + optional(place, PLACEMENT, WRONG_PLACEMENT)
    + optional(realm, OPTIONS, mustBe('realm', 'a string'))
    + n + t + flag(includeVersion, true, 'includeVersion') + c + v + flag(bodyHash, false, 'bodyHash');
}

/** The packet as the binding takes it, once every string in it is known to have a UTF-8 form. */
function seal(packet) {
  if (packet.length > MAX_UNITS) {
    throw fail(BODY, 'the request is too large to sign: the options and the request (url, query, body, ...) may hold 4,194,304 characters in all');
  }
  if (!isWellFormed(packet)) throw fail(ENCODING, 'a string contains a lone UTF-16 surrogate, which has no UTF-8 encoding');
  return packet;
}

/** The clock: `Date.now()` in whole milliseconds, or NaN when it gives no number. */
function clock() {
  const now = Date.now();
  return typeof now === 'number' ? Math.floor(now) : NaN;
}

/**
 * Where this module runs: `S` for a server runtime (Node, Deno, Bun, detected positively and
 * only when no page, worker or extension API is present), `B` for anything else. A platform
 * fact handed to Rust, like the clock; the rule that uses it is Rust's. Read at each
 * construction, as globals may change (a test harness that installs a DOM).
 */
function runtime() {
  const g = globalThis;
  try {
    const browserLike = g.document !== undefined || g.window !== undefined
      || g.WorkerGlobalScope !== undefined || g.importScripts !== undefined
      || (g.chrome != null && g.chrome.runtime != null)
      || (g.browser != null && g.browser.runtime != null);
    if (browserLike) return 'B';
    const versions = g.process != null ? g.process.versions : undefined;
    const node = versions != null && (typeof versions.node === 'string' || typeof versions.bun === 'string');
    const deno = g.Deno != null && typeof g.Deno.version === 'object' && g.Deno.version !== null;
    return node || deno ? 'S' : 'B';
  } catch {
    return 'B';
  }
}

/** The error of an error answer: `\0` code `\u0001` message, with the advice for JavaScript. */
function errorFrom(answer) {
  const sep = answer.indexOf('\u0001');
  const code = answer.slice(1, sep);
  const advice = hasOwn(ADVICE, code) ? ` (in JavaScript: ${ADVICE[code]})` : '';
  return fail(code, answer.slice(sep + 1) + advice);
}

/**
 * The plain-data SignedRequest of an answer (src/binding/packet.rs): `\u0002`, a mask character, then
 * the parts the core wrote, separated by `\u0001`. The caller's own text (the consumer key and
 * token, a nonce it fixed, a text or form body) is not repeated: `key`, `token` and `sent` hold it.
 */
function unpack(s, key, token, sent) {
  if (s.charCodeAt(0) !== 2) throw errorFrom(s);
  const mask = s.charCodeAt(1) - 64;
  // The thirteen parts, each ended by `\u0001`, by indexOf and slice: split costs twice as much
  // in V8 (measured in Node 20 on the listing's answer: 0.44 against 0.64-0.77 µs for decode
  // and parse, 3-5% of a signature).
  const f = new Array(13);
  for (let k = 0, i = 2; k < 13; k++) {
    const j = s.indexOf('\u0001', i);
    if (j < 0) throw fail(OPTIONS, 'internal: mismatched package files');
    f[k] = s.slice(i, j);
    i = j + 1;
  }
  const headers = {};
  if (mask & 1) headers.Authorization = f[2];
  if (mask & 2) headers['Content-Type'] = f[3];
  // In name order, as the core keeps them; one object literal when there is no body hash and no
  // callback (the common case: V8 builds a literal's shape at once).
  const nonce = mask & 32 ? f[8] : sent.nonce;
  let oauthParameters;
  if (f[12] === '' && sent.callback === null) {
    oauthParameters = { oauth_consumer_key: key, oauth_nonce: nonce, oauth_signature: f[4], oauth_signature_method: f[10], oauth_timestamp: f[7] };
  } else {
    oauthParameters = {};
    if (f[12] !== '') oauthParameters.oauth_body_hash = f[12];
    if (sent.callback !== null) oauthParameters.oauth_callback = sent.callback;
    oauthParameters.oauth_consumer_key = key;
    oauthParameters.oauth_nonce = nonce;
    oauthParameters.oauth_signature = f[4];
    oauthParameters.oauth_signature_method = f[10];
    oauthParameters.oauth_timestamp = f[7];
  }
  if (mask & 8) oauthParameters.oauth_token = token;
  if (sent.verifier !== null) oauthParameters.oauth_verifier = sent.verifier;
  if (mask & 16) oauthParameters.oauth_version = f[11];
  return mask & 4
    ? { method: f[0], url: f[1], headers, body: sent.body === null ? f[9] : sent.body + f[9], signature: f[4], baseString: f[5], normalizedParameters: f[6], oauthParameters }
    : { method: f[0], url: f[1], headers, signature: f[4], baseString: f[5], normalizedParameters: f[6], oauthParameters };
}

/** Whether a thrown string is an error answer from the binding. */
function rethrow(e) {
  return typeof e === 'string' && e.charCodeAt(0) === 0 ? errorFrom(e) : e;
}

/** Whether `value` is an error thrown by this package (an OAuthSignError with a code). */
export function isOAuthSignError(value) {
  try {
    return value instanceof Error && value.name === ERROR_NAME && typeof value.code === 'string';
  } catch {
    return false;
  }
}

/**
 * Bytes of the input area kept between calls: any packet whose UTF-8 fits. A longer one gets an
 * area of its own (3 bytes per UTF-16 unit, the most UTF-8 needs), given back after its call.
 */
const AREA = 16384;

/**
 * The public API over a build of the binding. Each packet is written into the binding's input
 * area (`inputArea(bytes)`: a view of wasm memory, `undefined` when there is no memory for it);
 * `createSigner`, `sign` and `signOnce` take its length in bytes.
 * @param {{ inputArea: (bytes: number) => Uint8Array | undefined, createSigner: (len: number, newUser: boolean) => { mode: string, sign(len: number): string, free(): void }, signOnce: (len: number) => string, didYouMean: (name: string, known: readonly string[]) => string }} raw
 */
export function createApi(raw) {
  const { inputArea, createSigner, signOnce } = raw;
  didYouMean = raw.didYouMean;
  const NEW_USER = Symbol('forNewUser');
  const encoder = new TextEncoder();
  let area = new Uint8Array(0);
  let busy = false;

  /**
   * Makes the input area `bytes` long. The old view is dropped first: once the binding is asked
   * for another area, the old one's memory is freed, even when no new one can be had.
   */
  function takeArea(bytes) {
    area = new Uint8Array(0);
    const view = inputArea(bytes);
    if (view === undefined) {
      throw fail(BODY, 'the request is too large to sign: there is not enough memory for it');
    }
    area = view;
  }

  /**
   * Seals a packet (`seal`: within the size limit, no lone surrogate, so that its UTF-8 is at
   * most 3 bytes per UTF-16 unit), writes it into the input area and calls `send` with its
   * length in bytes: a view of wasm memory taken again when the memory has grown
   * (detached, its length reads 0), one `encodeInto` instead of the glue's copy of a string
   * one UTF-16 unit at a time (src/binding/area.rs has the measurement). One call at a time: the core
   * reads the area in place, so a call made while another runs (from a `crypto.getRandomValues`
   * replaced by the page, which the core calls for a nonce) is refused before it touches it.
   */
  function through(unsealed, send) {
    const packet = seal(unsealed);
    if (busy) {
      throw fail(OPTIONS, 'a request was signed while another was being signed (from crypto.getRandomValues?): sign one at a time');
    }
    if (area.length !== AREA) takeArea(AREA);
    let done = encoder.encodeInto(packet, area);
    const own = done.read < packet.length;
    if (own) {
      takeArea(packet.length * 3);
      done = encoder.encodeInto(packet, area);
    }
    busy = true;
    try {
      return send(done.written);
    } finally {
      busy = false;
      if (own) {
        // Never throws over the call's own outcome: a kept area that cannot be had now is asked
        // for again by the next call.
        area = new Uint8Array(0);
        area = inputArea(AREA) ?? area;
      }
    }
  }

  /**
   * An OAuth 1.0a signer for one consumer and, usually, one user, with one signature method
   * (HMAC-SHA1 unless `signatureMethod` says otherwise). `new
   * Signer(options)` requires the user's `token` and `tokenSecret` (3-legged); `twoLegged:
   * true` is accepted only in a server runtime; `Signer.forNewUser` makes the one
   * consumer-only signer, which only adds users. The secrets cannot be read back.
   */
  class Signer {
    #raw;
    #mode;
    #consumerKey;
    #token;
    #signatureMethod;

    constructor(options, kind) {
      const [packet, key, token, method] = packOptions(options);
      this.#consumerKey = key;
      this.#token = token;
      this.#signatureMethod = method;
      try {
        this.#raw = through(runtime() + packet, (len) => createSigner(len, kind === NEW_USER));
      } catch (e) {
        throw rethrow(e);
      }
      this.#mode = this.#raw.mode;
    }

    /** The one consumer-only signer allowed everywhere: signs only requests that add a user. */
    static forNewUser(options) {
      return new Signer(options, NEW_USER);
    }

    /** Signs a request; throws an OAuthSignError on bad input. */
    signRequest(request) {
      const sent = {};
      const raw = this.#raw;
      const answer = through(packRequest(request, sent), (len) => raw.sign(len));
      return unpack(answer, this.#consumerKey, this.#token, sent);
    }

    /** `'three-legged'`, `'two-legged'` or `'new-user'`. */
    get mode() {
      return this.#mode;
    }

    /** The consumer key (not a secret). */
    get consumerKey() {
      return this.#consumerKey;
    }

    /** `'HMAC-SHA1'` (the default), `'HMAC-SHA256'`, `'HMAC-SHA512'` or `'PLAINTEXT'`. */
    get signatureMethod() {
      return this.#signatureMethod;
    }

    /** `{ consumerKey, mode }`: never a secret. */
    toJSON() {
      return { consumerKey: this.#consumerKey, mode: this.#mode };
    }

    /** `Signer(consumerKey=..., mode=...)`: never a secret. (Kept: it still works once freed.) */
    toString() {
      return `Signer(consumerKey=${this.#consumerKey}, mode=${this.#mode})`;
    }

    /** Frees the wasm memory now instead of at garbage collection (optional). */
    free() {
      this.#raw.free();
    }
  }
  if (typeof Symbol.dispose === 'symbol') Signer.prototype[Symbol.dispose] = Signer.prototype.free;
  // The name and what Node's console shows, whatever a minifier renames the class to.
  Object.defineProperty(Signer, 'name', { value: 'Signer' });
  Signer.prototype[Symbol.for('nodejs.util.inspect.custom')] = Signer.prototype.toString;

  /** Signs one request with a signer built from `options` (same rules as `new Signer`). */
  function signRequest(options, request) {
    const [head, key, token] = packOptions(options);
    const sent = {};
    const answer = through(runtime() + head + packRequest(request, sent), signOnce);
    return unpack(answer, key, token, sent);
  }

  return { Signer, signRequest, isOAuthSignError };
}
