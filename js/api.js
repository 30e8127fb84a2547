// The package's JavaScript side of the boundary: reads the caller's objects, packs each call
// into one string for the wasm module, and unpacks its one-string answer. It converts and never
// decides: which fields exist, which types they take, what an absent one means, every error
// code and message are decided in Rust (src/boundary.rs documents the packet format).
//
// A factory with no imports, so that the wasm-bindgen tests can load this very file next to
// their own build of the binding: `createApi({ createSigner, signOnce })`.

const ERROR_NAME = 'OAuthSignError';
const OBJECT_PROTOTYPE = Object.prototype;
const getPrototypeOf = Object.getPrototypeOf;
const keysOf = Object.keys;
const namesOf = Object.getOwnPropertyNames;
const isArray = Array.isArray;
const UrlClass = typeof URL === 'function' ? URL : null;
const ParamsClass = typeof URLSearchParams === 'function' ? URLSearchParams : null;

/** Whether a string has no lone UTF-16 surrogate (which has no UTF-8 form). */
const isWellFormed = typeof ''.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/\p{Cs}/u.test(s);

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

/** A value in the packet form (see src/boundary.rs). `depth` 0 is the options or request. */
function pack(v, depth) {
  switch (typeof v) {
    case 'string': return 's' + v.length + ':' + v;
    case 'number': return 'n' + v + ';';
    case 'boolean': return v ? 't' : 'f';
    case 'undefined': return 'z';
    case 'object': return v === null ? 'z' : packObject(v, depth);
    default: return 'x';
  }
}

function packObject(v, depth) {
  try {
    if (UrlClass !== null && v instanceof UrlClass) {
      const href = v.href;
      return typeof href === 'string' ? 'u' + href.length + ':' + href : '!';
    }
    if (ParamsClass !== null && v instanceof ParamsClass) {
      const form = v.toString();
      return typeof form === 'string' ? 'p' + form.length + ':' + form : '!';
    }
    if (depth > 2) return 'x';
    if (isArray(v)) {
      const n = v.length;
      if (!Number.isSafeInteger(n) || n < 0) return '!';
      let items = '';
      for (let i = 0; i < n; i++) {
        // A hole, or an item that cannot be a parameter value, makes the array one that cannot
        // be packed: it is not written out (a sparse array may be a billion holes long).
        if (!(i in v)) return 'x';
        const item = v[i];
        if (item !== null && (typeof item === 'object' || typeof item === 'function')) return 'x';
        items += pack(item, depth + 1);
      }
      return 'a' + n + ':' + items.length + ':' + items;
    }
    // The options and the request themselves are read whatever their prototype; values inside
    // them only when plain, so that a Map or a class instance is refused, not read as empty.
    if (depth > 0) {
      const proto = getPrototypeOf(v);
      if (proto !== OBJECT_PROTOTYPE && proto !== null) return 'x';
    }
    const keys = keysOf(v);
    let entries = '';
    for (let i = 0; i < keys.length; i++) entries += entry(v, keys[i], depth, '');
    let count = keys.length;
    // The options and the request: their properties that are not own and enumerable (a class's
    // getters, inherited or non-enumerable properties, up to but not including
    // Object.prototype), marked `~`. Rust reads those that are fields and ignores the others.
    if (depth === 0) {
      const hidden = hiddenNames(v, keys);
      if (hidden !== null) {
        for (let i = 0; i < hidden.length; i++) entries += entry(v, hidden[i], depth, '~');
        count += hidden.length;
      }
    }
    return 'o' + count + ':' + entries.length + ':' + entries;
  } catch {
    // A Proxy trap or a getter threw: Rust says what that means for this value.
    return '!';
  }
}

/** One entry of a packed object: `mark`, the key, the value (`!` if reading it threw). */
function entry(v, k, depth, mark) {
  let item;
  try {
    item = pack(v[k], depth + 1);
  } catch {
    item = '!';
  }
  return mark + k.length + ':' + k + item;
}

/**
 * The string-keyed properties of `v` that `Object.keys` leaves out: non-enumerable own ones, and
 * those of its prototypes up to Object.prototype (not included: a polluted Object.prototype is
 * never read). `null` when there are none, the common case of a plain object.
 */
function hiddenNames(v, keys) {
  let names = null;
  const own = namesOf(v);
  if (own.length !== keys.length) names = own.filter((k) => !keys.includes(k));
  for (let p = getPrototypeOf(v); p !== null && p !== OBJECT_PROTOTYPE; p = getPrototypeOf(p)) {
    for (const k of namesOf(p)) {
      if (k !== 'constructor' && !keys.includes(k) && !(names !== null && names.includes(k))) (names ??= []).push(k);
    }
  }
  return names;
}

/**
 * The packet: its flag (`W` well-formed, `L` a lone surrogate somewhere) and the body; or only
 * `T` when the body is longer than the binding reads (`limit`, asked of Rust once), so that a
 * huge string is never copied into wasm memory.
 */
function seal(body, limit) {
  if (body.length > limit) return 'T';
  return (isWellFormed(body) ? 'W' : 'L') + body;
}

/** The error an error packet describes: `\0` code `\u0001` message. */
function errorFrom(packet) {
  const sep = packet.indexOf('\u0001');
  const error = new Error(packet.slice(sep + 1));
  error.name = ERROR_NAME;
  error.code = packet.slice(1, sep);
  return error;
}

/**
 * The plain-data SignedRequest a result packet describes (see src/boundary.rs): `\u0002`, the
 * caller's text (consumer key, nonce, token, body, by their UTF-16 lengths in the header), the
 * other parts each followed by `\u0001`, then the header. Anything else is an error packet.
 */
function unpack(s) {
  if (s.charCodeAt(0) !== 2) throw errorFrom(s);
  const h = s.lastIndexOf('\u0001');
  const len = [0, 0, 0, 0, 0];
  for (let i = h + 1, k = 0, n = s.length; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 44) k++;
    else len[k] = len[k] * 10 + c - 48;
  }
  const mask = len[0];
  const a = 1 + len[1];
  const b = a + len[2];
  const c = b + len[3];
  const d = c + len[4];
  const f = s.slice(d, h).split('\u0001');
  const headers = {};
  if (mask & 1) headers.Authorization = f[2];
  if (mask & 2) headers['Content-Type'] = f[3];
  const oauthParameters = {
    oauth_consumer_key: s.slice(1, a),
    oauth_nonce: s.slice(a, b),
    oauth_signature: f[4],
    oauth_signature_method: f[7],
    oauth_timestamp: f[8],
  };
  if (mask & 8) oauthParameters.oauth_token = s.slice(b, c);
  if (mask & 16) oauthParameters.oauth_version = f[9];
  return mask & 4
    ? { method: f[0], url: f[1], headers, body: s.slice(c, d), signature: f[4], baseString: f[5], normalizedParameters: f[6], oauthParameters }
    : { method: f[0], url: f[1], headers, signature: f[4], baseString: f[5], normalizedParameters: f[6], oauthParameters };
}

/** Whether a thrown string is an error packet from the binding. */
function rethrow(e) {
  return typeof e === 'string' && e.charCodeAt(0) === 0 ? errorFrom(e) : e;
}

/**
 * The public API over a build of the binding.
 * @param {{ createSigner: (packet: string, newUser: boolean) => any, signOnce: (packet: string) => string, maxPacketLength: () => number }} raw
 */
export function createApi(raw) {
  const { createSigner, signOnce, maxPacketLength } = raw;
  const NEW_USER = Symbol('forNewUser');
  let max = 0;
  const limit = () => max || (max = maxPacketLength());

  function build(options, newUser) {
    try {
      return createSigner(seal(runtime() + pack(options, 0), limit()), newUser);
    } catch (e) {
      throw rethrow(e);
    }
  }

  /**
   * An OAuth 1.0a HMAC-SHA1 signer for one consumer and, usually, one user. `new
   * Signer(options)` requires the user's `token` and `tokenSecret` (3-legged); `twoLegged:
   * true` is accepted only in a server runtime; `Signer.forNewUser` makes the one
   * consumer-only signer, which only adds users. The secrets cannot be read back.
   */
  class Signer {
    #raw;
    #mode;
    #consumerKey;
    #summary;

    constructor(options, kind) {
      const raw = build(options, kind === NEW_USER);
      this.#raw = raw;
      this.#mode = raw.mode;
      this.#consumerKey = raw.consumerKey;
      this.#summary = raw.describe();
    }

    /** The one consumer-only signer allowed everywhere: signs only requests that add a user. */
    static forNewUser(options) {
      return new Signer(options, NEW_USER);
    }

    /** Signs a request; throws an OAuthSignError on bad input. */
    signRequest(request) {
      return unpack(this.#raw.sign(seal(Date.now() + ';' + pack(request, 0), limit())));
    }

    /** `'three-legged'`, `'two-legged'` or `'new-user'`. */
    get mode() {
      return this.#mode;
    }

    /** The consumer key (not a secret). */
    get consumerKey() {
      return this.#consumerKey;
    }

    /** `{ consumerKey, mode }`: never a secret. */
    toJSON() {
      return { consumerKey: this.#consumerKey, mode: this.#mode };
    }

    /** `Signer(consumerKey=..., mode=...)`: never a secret. (Kept: it still works once freed.) */
    toString() {
      return this.#summary;
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
    return unpack(signOnce(seal(runtime() + Date.now() + ';' + pack(options, 0) + pack(request, 0), limit())));
  }

  /** Whether `value` is an error thrown by this package (an OAuthSignError with a code). */
  function isOAuthSignError(value) {
    try {
      return value instanceof Error && value.name === ERROR_NAME && typeof value.code === 'string';
    } catch {
      return false;
    }
  }

  return { Signer, signRequest, isOAuthSignError };
}
