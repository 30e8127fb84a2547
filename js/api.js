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
      return 'u' + href.length + ':' + href;
    }
    if (ParamsClass !== null && v instanceof ParamsClass) {
      const form = v.toString();
      return 'p' + form.length + ':' + form;
    }
    if (depth > 2) return 'x';
    if (isArray(v)) {
      const n = v.length;
      let items = '';
      for (let i = 0; i < n; i++) items += pack(v[i], depth + 1);
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
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      let item;
      try {
        item = pack(v[k], depth + 1);
      } catch {
        item = '!';
      }
      entries += k.length + ':' + k + item;
    }
    return 'o' + keys.length + ':' + entries.length + ':' + entries;
  } catch {
    // A Proxy trap or a getter threw: Rust says what that means for this value.
    return '!';
  }
}

/** The packet's well-formedness flag and the packet. */
function seal(body) {
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
 * @param {{ createSigner: (packet: string, newUser: boolean) => any, signOnce: (packet: string) => string }} raw
 */
export function createApi(raw) {
  const { createSigner, signOnce } = raw;
  const NEW_USER = Symbol('forNewUser');

  function build(options, newUser) {
    try {
      return createSigner(seal(runtime() + pack(options, 0)), newUser);
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

    constructor(options, kind) {
      const raw = build(options, kind === NEW_USER);
      this.#raw = raw;
      this.#mode = raw.mode;
      this.#consumerKey = raw.consumerKey;
    }

    /** The one consumer-only signer allowed everywhere: signs only requests that add a user. */
    static forNewUser(options) {
      return new Signer(options, NEW_USER);
    }

    /** Signs a request; throws an OAuthSignError on bad input. */
    signRequest(request) {
      return unpack(this.#raw.sign(seal(Date.now() + ';' + pack(request, 0))));
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

    /** `Signer(consumerKey=..., mode=...)`: never a secret. */
    toString() {
      return this.#raw.describe();
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
    return unpack(signOnce(seal(runtime() + Date.now() + ';' + pack(options, 0) + pack(request, 0))));
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
