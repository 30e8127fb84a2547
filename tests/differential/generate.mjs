// The request generator of the differential test: `generateCase(seed, index)` builds one call of
// the package's JavaScript API (signer options + request) from a seeded stream, so that any case
// can be replayed alone.
//
// Most cases are valid by construction and must be signed; about one in six gets one or two
// deliberate faults from FAULTS below, each naming the error codes the README documents for it
// (the package must then throw an OAuthSignError with one of those codes). A few inputs are
// "tolerated": the package may either sign them correctly or refuse them with the named code.
//
// The corners covered are the ones the issue lists: methods (standard, lower case, custom
// tokens); http/https in any case; upper-case hosts, IPv4, IPv6 in any spelling; default,
// explicit-default, odd, zero-padded and empty ports; paths with encoded `/`, `@`, spaces,
// unicode, non-UTF-8 escapes and characters fetch would encode; queries with duplicate keys,
// bare keys, empty values, `+`, `%20`, lower-case hex, every reserved character, astral-plane
// characters, empty segments; `query` as a record (arrays, numbers, booleans, null, odd keys) or
// URLSearchParams; bodies as form strings (content types in any case, with and without
// `; charset=utf-8`), records, URLSearchParams, JSON and plain text; realm; 2-legged, 3-legged
// and forNewUser signers; all three placements; given or default nonces and timestamps.
//
// Issue 22 adds: every signature method (HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, PLAINTEXT, or none
// given); PLAINTEXT over plain http to a host that is not loopback, refused with
// PLAINTEXT_NEEDS_HTTPS (loopback and https are signed); the request fields `callback` (also the
// temporary-credentials request of a forNewUser signer, a POST to any URL), `verifier` and
// `bodyHash` (non-form bodies only, never with PLAINTEXT), and their refusals; oauth_callback,
// oauth_verifier and oauth_body_hash given as ordinary query or body fields, refused with
// INVALID_OPTIONS (they used to be ordinary fields).
//
// Secrets are fixed test values (printing them in a failure report is fine).

import { isFormContentType, parseFormBody } from '../../devserver/request.mjs';
import { Rng } from './rng.mjs';

export const RESERVED = [
  'oauth_consumer_key',
  'oauth_nonce',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_token',
  'oauth_version',
];

/** The protocol parameters a caller supplies through a request field of their own (issue 22). */
export const PROTOCOL_FIELDS = { oauth_callback: 'callback', oauth_verifier: 'verifier', oauth_body_hash: 'bodyHash' };

export const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'];

// Callbacks (RFC 5849 §2.1: an absolute URL or 'oob'). The odd ones are absolute URLs too, but
// a signer may refuse them (a scheme that is not http(s), raw non-ASCII, a space).
const CALLBACKS = [
  'oob', 'oob', 'https://client.example/callback', 'http://127.0.0.1:8080/cb?state=a%20b&x=1',
  'https://app.example/oauth/callback?next=%2Fhome%3Fa%3D1&t=1+2', "https://EXAMPLE.com:8443/c/b;p?q=~*'()!",
  'http://localhost/cb/', 'https://client.example/cb?a=%E2%82%AC&b=%25', 'https://client.example/a/../b?x',
];
const ODD_CALLBACKS = ['x-app://oauth/done', 'urn:ietf:wg:oauth:2.0:oob', 'https://client.example/é?q=ü', 'https://client.example/a b', 'HTTPS://CLIENT.EXAMPLE/CB', 'https://client.example/cb#frag'];

export const CONSUMER_SECRETS = ['kd94hf93k423kf44', 'CONSUMER-SECRET-7f3a', 'c s&e=c+r%e/t', 'sécret-😀', "!*'()~"];
export const TOKEN_SECRETS = ['pfkkdhi9sl3r4s00', 'TOKEN-SECRET-9b1c', 't&s=1+2', 'ключ/%', ' '];

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UNRESERVED_SYM = '-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const GEN_DELIMS = ':/?#[]@';
const OTHER_ASCII = ' "%<>\\^`{|}';
const ALL_RESERVED = ":/?#[]@!$&'()*+,;=";
const CONTROLS = ['\0', '\t', '\n', '\r', '\x1b', '\x1f', '\x7f'];
// U+FFFD and U+FEFF are real characters here: they must be signed, not taken for a lone
// surrogate or a byte-order mark.
const BMP = ['é', 'Ü', 'ß', '中', '文', '€', '☃', '\u00a0', '\u3000', '\ufeff', '\ufffd', '\u2028', 'Ω', 'ﬀ', 'e\u0301', 'İ'];
const ASTRAL = ['😀', '𝄞', '🀄', '𠜎', '\u{10ffff}', '🇺🇸', '\u{e0041}', '👩\u200d💻'];
const LOOKALIKES = ['%zz', '%', '%2', '+', '%20', '%2B', '&', '=', '&amp;', '%%', 'oauth_', '\\u0000'];
const ASTRAL_RE = /[\u{10000}-\u{10ffff}]/u;
const LONE_SURROGATES = ['\ud800', '\udfff', '\udc00x', 'a\ud83d'];

const FORM_CTS = [
  'application/x-www-form-urlencoded',
  'Application/X-WWW-Form-URLEncoded',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded;charset=UTF-8',
  'application/x-www-form-urlencoded ; Charset="utf-8"',
  ' application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded\t',
  '\tapplication/x-www-form-urlencoded ;charset=utf-8',
];
// fetch strips leading and trailing HTTP whitespace (tab, space, CR, LF) from header values, so
// a server sees these as form bodies. The package may sign them as such or refuse them.
const CRLF_FORM_CTS = [
  '\napplication/x-www-form-urlencoded',
  'application/x-www-form-urlencoded\r\n',
  '\r\n application/x-www-form-urlencoded; charset=utf-8',
];
const NON_FORM_CTS = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/json',
  'application/x-www-form-urlencoded-extra',
  'application/x-www-form-urlencodedx',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'x-www-form-urlencoded',
];
const JSON_CTS = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json'];

const METHODS_NO_BODY = ['GET', 'HEAD', 'get', 'Head'];
const METHODS_BODY = [
  'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'post', 'Put', 'patch', 'delete',
  'PROPFIND', 'MKCOL', 'M-SEARCH', 'X_CUSTOM', "A!#$%&'*+-.^_`|~Z", 'purge', 'QUERY',
];

// ---------------------------------------------------------------------------------------------
// Text and its encodings

/** A decoded string of mixed atoms: ASCII of every class, BMP and astral characters. */
function text(rng, { min = 0, max = 10, controls = false } = {}) {
  const n = rng.range(min, max);
  let s = '';
  for (let i = 0; i < n; i++) {
    switch (
      rng.weighted({
        alnum: 40, unres: 6, sub: 12, gen: 10, other: 10, bmp: 8, astral: 7,
        control: controls ? 4 : 0, reservedAll: 1, lookalike: 3,
      })
    ) {
      case 'alnum': {
        const k = rng.range(1, 4);
        for (let j = 0; j < k; j++) s += rng.pick(ALNUM);
        break;
      }
      case 'unres': s += rng.pick(UNRESERVED_SYM); break;
      case 'sub': s += rng.pick(SUB_DELIMS); break;
      case 'gen': s += rng.pick(GEN_DELIMS); break;
      case 'other': s += rng.pick(OTHER_ASCII); break;
      case 'bmp': s += rng.pick(BMP); break;
      case 'astral': s += rng.pick(ASTRAL); break;
      case 'control': s += rng.pick(CONTROLS); break;
      case 'reservedAll': s += ALL_RESERVED; break;
      case 'lookalike': s += rng.pick(LOOKALIKES); break;
    }
  }
  return s;
}

function alnum(rng, min, max) {
  let s = '';
  const n = rng.range(min, max);
  for (let i = 0; i < n; i++) s += rng.pick(ALNUM);
  return s;
}

/** A parameter name: usually short and plain, sometimes anything at all. */
function paramName(rng) {
  const name = rng.weighted({ plain: 6, text: 3, special: 1 }) === 'plain'
    ? alnum(rng, 1, 6)
    : rng.chance(0.75)
      ? text(rng, { min: 0, max: 5 })
      : rng.pick(['oauth_callback', 'oauth_verifier', 'realm', 'oauth_', 'OAUTH_NONCE', 'oauth_nonce2', 'x_oauth_token', '', '__proto__', 'constructor', 'hasOwnProperty']);
  // oauth_callback and oauth_verifier were ordinary fields here before issue 22: now they are
  // refused (see the faults), so a name of those is given a prefix like a reserved one.
  return RESERVED.includes(name) || Object.hasOwn(PROTOCOL_FIELDS, name) ? `x${name}` : name;
}

function paramValue(rng) {
  return rng.weighted({ plain: 4, text: 5, empty: 1 }) === 'plain'
    ? alnum(rng, 1, 8)
    : rng.chance(0.85)
      ? text(rng)
      : '';
}

const HEX = '0123456789ABCDEF';

/** %XX escapes of the UTF-8 bytes of `ch`, in upper, lower or mixed case. */
function pct(rng, ch, tags) {
  const style = rng.weighted({ upper: 5, lower: 3, mixed: 1 });
  let out = '';
  for (const b of Buffer.from(ch, 'utf8')) {
    let e = HEX[b >> 4] + HEX[b & 15];
    if (style === 'lower') e = e.toLowerCase();
    else if (style === 'mixed') e = rng.chance(0.5) ? e[0] + e[1].toLowerCase() : e[0].toLowerCase() + e[1];
    out += `%${e}`;
  }
  if (style !== 'upper' && /[a-f]/.test(out)) tags.add('lower-case hex escape');
  return out;
}

/**
 * Form-encodes a decoded name or value for a URL query (`inUrl`) or a form body: characters
 * that would change the structure are always escaped, spaces become `+`, `%20` or stay raw,
 * anything else is raw or escaped at random.
 */
function encodeForm(rng, s, { isName, inUrl, tags }) {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    const control = cp < 0x20 || cp === 0x7f;
    const must = ch === '&' || ch === '%' || ch === '+' || (isName && ch === '=') || (inUrl && (ch === '#' || control));
    if (ch === ' ') {
      const how = rng.weighted({ plus: 4, pct: 3, raw: 2 });
      tags.add(`space as ${how}`);
      out += how === 'plus' ? '+' : how === 'pct' ? pct(rng, ' ', tags) : ' ';
    } else if (must || rng.chance(0.3)) {
      out += pct(rng, ch, tags);
    } else {
      if (control) tags.add('raw control character in a form body');
      out += ch;
    }
  }
  return out;
}

/** A form-encoded string of `pairs`, with bare keys and empty segments now and then. */
function formString(rng, pairs, { inUrl, tags }) {
  const parts = [];
  if (rng.chance(0.05)) parts.push('');
  for (const [n, v] of pairs) {
    const en = encodeForm(rng, n, { isName: true, inUrl, tags });
    if (v === '' && rng.chance(0.5)) {
      parts.push(en);
      tags.add('bare key');
    } else {
      parts.push(`${en}=${encodeForm(rng, v, { isName: false, inUrl, tags })}`);
    }
    if (rng.chance(0.05)) {
      parts.push('');
      tags.add('empty segment');
    }
  }
  return parts.join('&');
}

function pairList(rng, max) {
  const pairs = [];
  const n = rng.range(0, max);
  for (let i = 0; i < n; i++) {
    const name = pairs.length && rng.chance(0.25) ? rng.pick(pairs)[0] : paramName(rng);
    pairs.push([name, paramValue(rng)]);
  }
  return pairs;
}

function tagPairs(pairs, where, tags) {
  const names = pairs.map(([n]) => n);
  if (new Set(names).size < names.length) tags.add(`${where}: duplicate keys`);
  for (const [n, v] of pairs) {
    if (v === '') tags.add(`${where}: empty value`);
    if (ASTRAL_RE.test(n + v)) tags.add(`${where}: astral character`);
    if (/[^\x00-\x7f]/.test(n + v)) tags.add(`${where}: non-ASCII`);
    if (n.startsWith('oauth_')) tags.add(`${where}: ordinary oauth_ parameter`);
    if ((n + v).includes(ALL_RESERVED)) tags.add(`${where}: every reserved character`);
  }
}

// ---------------------------------------------------------------------------------------------
// URLs

function dnsHost(rng, tags) {
  const fixed = ['localhost', 'LOCALHOST', 'api.context.io', 'Example.COM', 'photos.example.net', 'a..b', 'x', 'sub_domain.example', '-lead.trail-', '1a.example', 'example.1a', 'example.0xg', 'a-b.c-d.e_f', 'xn--bcher-kva.example', 'XN--BCHER-KVA.EXAMPLE'];
  if (rng.chance(0.35)) return rng.pick(fixed);
  const labels = [];
  const n = rng.range(1, 4);
  for (let i = 0; i < n; i++) {
    let l = '';
    const k = rng.range(1, 8);
    for (let j = 0; j < k; j++) l += rng.pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_');
    if (/^xn--/i.test(l)) l = `h${l}`;
    labels.push(l);
  }
  // A last label that is all digits or 0x-hex makes the whole host an IPv4 address to WHATWG.
  const last = labels[labels.length - 1];
  if (/^\d+$/.test(last) || /^0x[0-9a-f]*$/i.test(last)) labels[labels.length - 1] = `h${last}`;
  let host = labels.join('.');
  if (/[A-Z]/.test(host)) tags.add('upper-case host');
  if (rng.chance(0.05)) {
    host += '.';
    tags.add('host with a trailing dot');
  }
  return host;
}

function ipv4(rng) {
  const o = () => String(rng.pick([0, 1, 9, 10, 99, 100, 127, 192, 255, rng.int(256)]));
  return `${o()}.${o()}.${o()}.${o()}`;
}

function ipv6(rng, tags) {
  if (rng.chance(0.1)) {
    // The embedded-IPv4 form: fetch writes it in hex groups, and so does the package.
    tags.add('IPv6 with an embedded IPv4 part');
    return rng.pick(['[::ffff:1.2.3.4]', '[::1.2.3.4]', '[64:ff9b::192.0.2.33]', '[::FFFF:127.0.0.1]', '[1:2:3:4:5:6:255.255.255.255]']);
  }
  if (rng.chance(0.4)) {
    return rng.pick(['[::1]', '[0:0::1]', '[2001:DB8::1]', '[::ffff:102:304]', '[1:2:3:4:5:6:7:8]', '[::]', '[fe80::a:B:c]', '[0000:0000:0000:0000:0000:0000:0000:0001]', '[1::]', '[1:0:0:2::3]', '[2001:db8:0:0:1:0:0:1]', '[1:2:3:4:5:6:7::]', '[::2:3:4:5:6:7:8]']);
  }
  const groups = [];
  for (let i = 0; i < 8; i++) groups.push(rng.chance(0.4) ? 0 : rng.pick([1, 0xab, 0xffff, rng.int(0x10000)]));
  const hex = (g) => {
    let h = g.toString(16);
    if (rng.chance(0.2)) h = h.padStart(4, '0');
    return rng.chance(0.3) ? h.toUpperCase() : h;
  };
  // Compress one run of zeros (any run, not necessarily the longest) or none.
  const runs = [];
  for (let i = 0; i < 8; i++) {
    if (groups[i] !== 0) continue;
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    runs.push([i, j]);
    i = j;
  }
  if (runs.length && rng.chance(0.7)) {
    const [a, b] = rng.pick(runs);
    return `[${groups.slice(0, a).map(hex).join(':')}::${groups.slice(b).map(hex).join(':')}]`;
  }
  return `[${groups.map(hex).join(':')}]`;
}

function isDotSegment(seg) {
  return /^(?:\.|%2e){1,2}$/i.test(seg);
}

function pathSegment(rng, tags) {
  let seg = '';
  const n = rng.range(0, 5);
  for (let i = 0; i < n; i++) {
    switch (
      rng.weighted({ alnum: 10, sub: 3, slash: 1, at: 1, space: 1, uni: 2, pctUni: 1, badUtf8: 1, encodes: 2, unres: 2 })
    ) {
      case 'alnum': seg += alnum(rng, 1, 6); break;
      case 'sub': seg += rng.pick("!$&'()*+,;=:"); break;
      case 'slash': seg += rng.pick(['%2F', '%2f']); tags.add('path: encoded slash'); break;
      case 'at': seg += rng.pick(['@', '%40']); tags.add('path: @'); break;
      case 'space': seg += rng.pick([' ', '%20', '+']); tags.add('path: space'); break;
      case 'uni': seg += rng.pick(rng.chance(0.5) ? BMP : ASTRAL); tags.add('path: unicode'); break;
      case 'pctUni': seg += pct(rng, rng.pick(rng.chance(0.5) ? BMP : ASTRAL), tags); tags.add('path: unicode'); break;
      // Path escapes need not be UTF-8: they are kept byte for byte.
      case 'badUtf8': seg += rng.pick(['%FF', '%fe', '%C3', '%80']); tags.add('path: non-UTF-8 escape'); break;
      case 'encodes': seg += rng.pick(' "<>^`{|}[]'); tags.add('path: character fetch would encode'); break;
      case 'unres': seg += rng.pick(UNRESERVED_SYM); break;
    }
  }
  if (isDotSegment(seg)) seg += 'x';
  return seg;
}

function path(rng, tags) {
  if (rng.chance(0.08)) {
    tags.add('empty path');
    return '';
  }
  const segs = [];
  const n = rng.range(1, 4);
  for (let i = 0; i < n; i++) segs.push(pathSegment(rng, tags));
  let p = `/${segs.join('/')}`;
  if (rng.chance(0.15)) p += '/';
  if (rng.chance(0.05)) p = `/${p}`;
  return p;
}

/** @typedef {{scheme: string, host: string, port: string, path: string, query: string | null, fragment: string | null}} UrlParts */

/** The URL string; never ends with a space (the package refuses that: see validUrlString). */
function buildUrl(/** @type {UrlParts} */ u) {
  let s = `${u.scheme}://${u.host}${u.port}${u.path}`;
  if (u.query !== null) s += `?${u.query}`;
  if (u.fragment !== null) s += `#${u.fragment}`;
  return s.endsWith(' ') ? `${s}#` : s;
}

/** `s` with `insert` put between two code points (never inside a surrogate pair). */
function insertAt(rng, s, insert, from = 0) {
  const cps = [...s];
  let skip = 0;
  let i = 0;
  while (i < cps.length && skip < from) skip += cps[i++].length;
  const at = i + rng.int(cps.length - i + 1);
  return [...cps.slice(0, at), insert, ...cps.slice(at)].join('');
}

function urlParts(rng, tags) {
  const https = rng.chance(0.5);
  let scheme = https ? 'https' : 'http';
  tags.add(`scheme: ${scheme}`);
  if (rng.chance(0.15)) {
    scheme = rng.pick([scheme.toUpperCase(), scheme[0].toUpperCase() + scheme.slice(1)]);
    tags.add('upper-case scheme');
  }
  const hostKind = rng.weighted({ dns: 8, ipv4: 1, ipv6: 1 });
  tags.add(`host: ${hostKind}`);
  const host = hostKind === 'dns' ? dnsHost(rng, tags) : hostKind === 'ipv4' ? ipv4(rng) : ipv6(rng, tags);
  const portKind = rng.weighted({ none: 8, default: 3, odd: 4, padded: 1, empty: 1, otherDefault: 1 });
  tags.add(`port: ${portKind}`);
  const port = {
    none: '',
    default: https ? ':443' : ':80',
    odd: `:${rng.pick([8080, 8443, 8787, 1, 65535, 0, 81, 444])}`,
    padded: rng.pick([':0080', ':00443', ':08080', ':000']),
    empty: ':',
    otherDefault: https ? ':80' : ':443',
  }[portKind];
  let query = null;
  if (rng.chance(0.65)) {
    const pairs = pairList(rng, 6);
    tagPairs(pairs, 'url query', tags);
    query = formString(rng, pairs, { inUrl: true, tags });
  }
  let fragment = null;
  if (rng.chance(0.1)) {
    fragment = text(rng, { max: 4 }).replace(/#/g, '');
    tags.add('fragment');
  }
  return { scheme, host, port, path: path(rng, tags), query, fragment };
}

/** The URL string of valid parts; never ends with a space (the package refuses that). */
function validUrlString(u, tags) {
  const s = buildUrl(u);
  if (u.fragment === null && s.endsWith(' #')) tags.add('raw space at the end, before an empty fragment');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Records, URLSearchParams and bodies

function define(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function scalar(rng) {
  switch (rng.weighted({ string: 7, number: 2, boolean: 1 })) {
    case 'string': return paramValue(rng);
    case 'number': return rng.pick([0, -0, 1, -1, 42, 1.5, -2.25, 1e21, 5e-7, 123456789012, Number.MAX_SAFE_INTEGER, 0.1 + 0.2]);
    default: return rng.chance(0.5);
  }
}

/** A record of parameter values: scalars, arrays of them, null and undefined. */
function record(rng, tags, where) {
  const obj = rng.chance(0.15) ? Object.create(null) : {};
  const n = rng.range(0, 5);
  for (let i = 0; i < n; i++) {
    const name = paramName(rng);
    if (Object.prototype.hasOwnProperty.call(obj, name)) continue;
    const kind = rng.weighted({ scalar: 12, array: 4, null: 1, undefined: 1 });
    let value;
    if (kind === 'scalar') value = scalar(rng);
    else if (kind === 'array') {
      value = [];
      const k = rng.range(0, 3);
      for (let j = 0; j < k; j++) value.push(scalar(rng));
      tags.add(value.length ? `${where}: array value` : `${where}: empty array`);
    } else value = kind === 'null' ? null : undefined;
    if (typeof value === 'number' || typeof value === 'boolean') tags.add(`${where}: number or boolean`);
    if (kind === 'null' || kind === 'undefined') tags.add(`${where}: null or undefined skipped`);
    define(obj, name, value);
  }
  return obj;
}

/** The pairs a record stands for, in Object.entries order, values as String(value). */
export function recordPairs(obj) {
  const pairs = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) pairs.push([k, String(item)]);
  }
  return pairs;
}

function searchParams(rng, tags, where) {
  const usp = new URLSearchParams();
  const pairs = pairList(rng, 5);
  tagPairs(pairs, where, tags);
  for (const [n, v] of pairs) usp.append(n, v);
  return usp;
}

function jsonBody(rng) {
  const obj = {};
  const n = rng.range(0, 4);
  for (let i = 0; i < n; i++) obj[paramName(rng)] = rng.chance(0.2) ? rng.int(1000) : text(rng, { controls: true });
  return JSON.stringify(obj);
}

// ---------------------------------------------------------------------------------------------
// PLAINTEXT's transport rule (the contract): a PLAINTEXT signer refuses a plain http: URL whose
// host is not loopback (127.0.0.0/8, [::1], localhost; not *.localhost, which a server runtime
// may resolve through DNS) with PLAINTEXT_NEEDS_HTTPS.

/**
 * 'secure' (https or loopback: signed), 'refused' (plain http elsewhere) or 'either' (a host the
 * rule does not settle: a trailing dot, an IPv4-mapped loopback address; signed or refused).
 * Read from the URL as WHATWG parses it; an unparseable URL is 'either' (a fault refuses it).
 * @param {string | URL} url
 */
export function plaintextTransport(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return 'either';
  }
  if (u.protocol === 'https:') return 'secure';
  if (u.protocol !== 'http:') return 'either';
  const h = u.hostname;
  if (/^127\.\d+\.\d+\.\d+$/.test(h) || h === '[::1]' || h === 'localhost') return 'secure';
  if (h === 'localhost.' || h.endsWith('.localhost.') || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(h)) return 'either';
  return 'refused';
}

function urlOfDraft(d) {
  return typeof d.request.url === 'string' || d.request.url instanceof URL ? d.request.url : buildUrl(d.url);
}

/** Is the draft's body a form (a record, URLSearchParams, or a string with a form content type)? */
function draftBodyIsForm(d) {
  const b = d.request.body;
  if (b === undefined || b === null) return false;
  if (typeof b !== 'string') return true;
  return typeof d.request.contentType === 'string' && isFormContentType(d.request.contentType.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''));
}

// ---------------------------------------------------------------------------------------------
// Faults: each makes the call invalid and names the codes the README documents for it.


function ensureBodyMethod(rng, d) {
  if (METHODS_NO_BODY.includes(d.request.method)) d.request.method = rng.pick(['POST', 'PUT', 'PATCH']);
}

function setUrlString(d) {
  d.request.url = buildUrl(d.url);
}

/** @type {Array<{area: string, what: string, weight?: number, when?: (d: any) => boolean, apply: (rng: Rng, d: any) => string[] | void}>} */
export const FAULTS = [
  // URL
  { area: 'url', what: 'relative or scheme-less url', apply: (rng, d) => { d.request.url = rng.pick(['/x', 'example.com/x', '//example.com/x', 'x', '', '?a=1']); return ['INVALID_URL']; } },
  { area: 'url', what: 'scheme other than http(s)', apply: (rng, d) => { d.url.scheme = rng.pick(['ftp', 'ws', 'wss', 'file', 'mailto', 'httpx', 'htp', 'https+x', 'javascript']); setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'missing or extra slashes after the scheme', apply: (rng, d) => { d.request.url = `${d.url.scheme}${rng.pick([':/', ':', ':\\\\', ':///', ':////', ':/\\'])}${d.url.host}${d.url.port}${d.url.path}`; return ['INVALID_URL']; } },
  { area: 'url', what: 'credentials in the url', apply: (rng, d) => { d.url.host = rng.pick(['user:pass@', 'user@', '@', ':@', 'u%40x@', 'a:b@c@']) + d.url.host; setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'backslash in the path', apply: (rng, d) => { d.url.path = rng.chance(0.5) && d.url.path.includes('/') ? d.url.path.replace('/', '\\') : `${d.url.path}\\x`; setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'dot segment in the path', apply: (rng, d) => { const dot = rng.pick(['/..', '/.', '/%2e', '/%2E%2e', '/.%2E', '/%2e.', '/../x', '/./x', '/%2E/x']); d.url.path = rng.chance(0.7) ? d.url.path + dot : dot + d.url.path; setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'non-canonical IPv4 host', apply: (rng, d) => { d.url.host = rng.pick(['127.1', '0x7f.0.0.1', '1.2.3.04', '010.0.0.1', '4294967295', '1.2.3.256', 'a.1', 'example.0x1f', '1.2.3.4.', '0', '1.2.3.4.5', 'example.0x', '0X7F.1']); setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'host with a percent sign, non-ASCII or a character not allowed', apply: (rng, d) => { d.url.host = rng.pick(['ex%41mple.com', 'exämple.com', '中国.cn', 'a b.com', 'a<b', 'a|b', 'a^b', 'a{b', 'a"b', "a'b", 'a*b', 'a!b', 'a$b', 'a,b', 'a;b', 'a=b', 'a&b', 'a+b', 'a~b', 'a(b)', 'a`b', 'ex\u00adample.com', 'EXAMPLE.ＣＯＭ', '%', 'xn--a.com.%20']); setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'bad port', apply: (rng, d) => { d.url.port = rng.pick([':99999', ':65536', ':8a', ':-1', ':1_0', ':123456', ':0x50', ': 80', ':+80', ':80:80', ':١٢']); setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'malformed IPv6 host', apply: (rng, d) => { d.url.host = rng.pick(['[::1', '[::1]x', '[zz::1]', '[fe80::1%25eth0]', '[1:2:3:4:5:6:7:8:9]', '[::1::2]', '[]', '[1.2.3.4]', '::1', '[::1]]', '[:1]', '[1:2:3:4:5:6:7]', '[12345::1]', '[1:2:3:4:5:6:7:8::]']); setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'IPv6 host with a malformed embedded IPv4 part', apply: (rng, d) => { d.url.host = rng.pick(['[::ffff:1.2.3.04]', '[::1.2.3]', '[::1.2.3.4.5]', '[::256.0.0.1]', '[1.2.3.4::]', '[1:2:3:4:5:6:7:1.2.3.4]']); setUrlString(d); return ['INVALID_URL']; } },
  { area: 'url', what: 'control character in the url', apply: (rng, d) => { d.request.url = insertAt(rng, buildUrl(d.url), rng.pick(CONTROLS)); return ['INVALID_URL']; } },
  { area: 'url', what: 'leading or trailing space', apply: (rng, d) => { const s = buildUrl(d.url); d.request.url = rng.chance(0.5) ? ` ${s}` : `${s} `; return ['INVALID_URL']; } },
  { area: 'url', what: "'%' not followed by two hex digits in the path", apply: (rng, d) => { d.url.path += rng.pick(['/%zz', '/a%g0', '/%', '/%4', '/%%41', '/%-1', '/%2']); setUrlString(d); return ['INVALID_ENCODING']; } },
  { area: 'url', what: 'bad escape or non-UTF-8 escape in the query', apply: (rng, d) => { const bad = rng.pick(['x=%zz', 'x=%', '%', 'x=%4', 'x=%C3', 'x=%FF', 'x=%ed%a0%80', 'x=%C3%28', 'x=%E2%82', '%zz=1', 'x=%f0%9f%98', 'x=%c0%af']); d.url.query = d.url.query ? `${d.url.query}&${bad}` : bad; setUrlString(d); return ['INVALID_ENCODING']; } },
  { area: 'url', what: 'lone surrogate in the url', apply: (rng, d) => { const s = buildUrl(d.url); d.request.url = insertAt(rng, s, rng.pick(LONE_SURROGATES), s.indexOf('//') + 2); return ['INVALID_ENCODING']; } },
  { area: 'url', what: 'url of the wrong type, or a URL object fetch cannot sign', apply: (rng, d) => { d.request.url = rng.pick([42, {}, [], true, null, undefined, new URL('ftp://h/x'), new URL('http://u:p@h/x'), new URL('file:///etc/passwd')]); return ['INVALID_URL']; } },
  { area: 'url', what: 'protocol parameter in the url query', apply: (rng, d) => { const name = rng.pick([...RESERVED, 'oauth%5Fnonce', 'oauth_nonc%65', 'oauth_signature']); const p = `${name}=${rng.pick(['1', '', 'x%20y'])}`; d.url.query = d.url.query ? (rng.chance(0.5) ? `${p}&${d.url.query}` : `${d.url.query}&${p}`) : p; setUrlString(d); return ['INVALID_URL']; } },

  // Method
  { area: 'method', what: 'method that is not an HTTP token', apply: (rng, d) => { d.request.method = rng.pick(['', ' GET', 'GET ', 'G ET', 'GÉT', '(GET)', 'GET\n', 'G\0', 'GET/1', 'GET,POST', 'a"b', '{}', '@', 'GET;', 'GE:T', '\u00a0GET', 'GET?', 'GE[T]']); return ['INVALID_METHOD']; } },
  { area: 'method', what: 'method of the wrong type or missing', apply: (rng, d) => { d.request.method = rng.pick([1, null, undefined, {}, true, ['GET']]); return ['INVALID_METHOD']; } },
  { area: 'method', what: 'lone surrogate in the method', apply: (rng, d) => { d.request.method = `GET${rng.pick(LONE_SURROGATES)}`; return ['INVALID_ENCODING', 'INVALID_METHOD']; } },

  // Options
  { area: 'options', what: 'consumerKey missing, empty or not a string', apply: (rng, d) => { const v = rng.pick(['', 42, null, undefined, {}, 'DELETE']); if (v === 'DELETE') delete d.options.consumerKey; else d.options.consumerKey = v; return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'consumerSecret missing, empty or not a string', apply: (rng, d) => { const v = rng.pick(['', 42, null, undefined, {}, 'DELETE']); if (v === 'DELETE') delete d.options.consumerSecret; else d.options.consumerSecret = v; return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'token or token secret missing or empty', when: (d) => d.api !== 'forNewUser' && !d.options.twoLegged, apply: (rng, d) => { const k = rng.pick(['token', 'tokenSecret', 'both']); const v = rng.pick(['', null, undefined, 'DELETE']); for (const key of k === 'both' ? ['token', 'tokenSecret'] : [k]) { if (v === 'DELETE') delete d.options[key]; else d.options[key] = v; } if (rng.chance(0.3)) d.options.twoLegged = false; return ['THREE_LEGGED_REQUIRED']; } },
  { area: 'options', what: 'twoLegged together with a token', when: (d) => d.api !== 'forNewUser' && !d.options.twoLegged, apply: (rng, d) => { d.options.twoLegged = true; if (rng.chance(0.3)) d.options.token = ''; return ['INVALID_OPTIONS']; } },
  // Issue 12: a field the signer does not know is refused, never silently ignored.
  { area: 'options', what: 'unknown option field', apply: (rng, d) => { d.options[rng.pick(['tokenSecrett', 'consumer_key', 'realmm', 'clockoffset', 'secret', 'key'])] = rng.pick(['x', 1, true]); return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'twoLegged not a boolean', when: (d) => d.api !== 'forNewUser', apply: (rng, d) => { d.options.twoLegged = rng.pick(['yes', 1, 'true', {}, 0]); return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'token or token secret not a string', when: (d) => d.api !== 'forNewUser', apply: (rng, d) => { d.options[rng.pick(['token', 'tokenSecret'])] = rng.pick([42, {}, true, ['t']]); return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'realm option not printable ASCII or not a string', apply: (rng, d) => { d.options.realm = rng.pick(['é', 'a\nb', '\x7f', 'tab\t', '😀', 42, {}]); return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'placement option unknown', apply: (rng, d) => { d.options.placement = rng.pick(['Header', 'url', 'BODY', '', 1, ' header', 'authorization']); return ['INVALID_PLACEMENT']; } },
  { area: 'options', what: 'clockOffset not a whole number within ten years', apply: (rng, d) => { d.options.clockOffset = rng.pick([1.5, NaN, Infinity, 1e10, -1e10, '5', {}]); return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'options not an object', apply: (rng, d) => { d.options = rng.pick([null, undefined, 'ck', 42, true]); return ['INVALID_OPTIONS']; } },
  { area: 'options', what: 'lone surrogate in a credential', apply: (rng, d) => { const keys = d.api === 'forNewUser' || d.options.twoLegged ? ['consumerKey', 'consumerSecret'] : ['consumerKey', 'consumerSecret', 'token', 'tokenSecret']; d.options[rng.pick(keys)] = `k${rng.pick(LONE_SURROGATES)}`; return ['INVALID_ENCODING']; } },
  { area: 'options', what: 'forNewUser given a token or twoLegged', when: (d) => d.api === 'forNewUser', apply: (rng, d) => { const k = rng.pick(['token', 'tokenSecret', 'twoLegged', 'emptyToken']); if (k === 'twoLegged') d.options.twoLegged = true; else if (k === 'emptyToken') d.options.token = ''; else d.options[k] = 'x'; return ['INVALID_OPTIONS']; } },
  // A POST that carries a callback is in scope at any URL (the temporary-credentials request), so the path branch drops the callback.
  { area: 'options', what: 'forNewUser asked to sign anything but adding a user', when: (d) => d.api === 'forNewUser', apply: (rng, d) => { if (rng.chance(0.4)) { d.request.method = rng.pick(['GET', 'PUT', 'DELETE', 'PATCH']); if (d.request.method === 'GET') { delete d.request.body; if (d.request.placement === 'body') delete d.request.placement; if (d.options.placement === 'body') delete d.options.placement; } } else { delete d.request.callback; d.url.path = `/${d.url.path.replace(/\/?$/, '').replace(/^\//, '')}${rng.pick(['x', '/1', '/%75sers', '/users/1/'])}`.replace(/^\/\//, '/'); setUrlString(d); } return ['OUT_OF_SCOPE']; } },

  // Request: query
  { area: 'request', what: 'unknown request field', apply: (rng, d) => { d.request[rng.pick(['qurey', 'headers', 'data', 'Method', 'time_stamp', 'params'])] = rng.pick([{ email: 'alice@example.com' }, 'x', 1]); return ['INVALID_OPTIONS']; } },
  { area: 'request', what: 'request not an object', apply: (rng, d) => { d.request = rng.pick([null, undefined, 'GET http://h/', 42]); return ['INVALID_OPTIONS']; } },
  { area: 'query', what: 'query of the wrong type', apply: (rng, d) => { d.request.query = rng.pick(['a=1', 42, true, ['a', '1'], [['a', '1']], () => 1, new Map([['a', '1']]), new (class Query {})(), Object.create({ a: '1' }), new Date(0), new URL('http://h/?a=1')]); return ['INVALID_OPTIONS']; } },
  { area: 'query', what: 'query value of the wrong type', apply: (rng, d) => { const q = d.request.query && !(d.request.query instanceof URLSearchParams) ? d.request.query : {}; define(q, `bad${rng.int(10)}`, rng.pick([NaN, Infinity, -Infinity, {}, [null], [[]], [{}], 10n, () => 1, Symbol('s'), [undefined], [NaN]])); d.request.query = q; return ['INVALID_OPTIONS']; } },
  { area: 'query', what: 'lone surrogate in a query name or value', apply: (rng, d) => { const q = {}; define(q, rng.chance(0.5) ? `n${rng.pick(LONE_SURROGATES)}` : 'n', rng.chance(0.5) ? [`v${rng.pick(LONE_SURROGATES)}`] : `v${rng.pick(LONE_SURROGATES)}`); if (!rng.chance(0.5)) q[Object.keys(q)[0]] = `v${rng.pick(LONE_SURROGATES)}`; d.request.query = q; return ['INVALID_ENCODING']; } },
  { area: 'query', what: 'protocol parameter in the query option', apply: (rng, d) => { const name = rng.pick(RESERVED); if (rng.chance(0.5)) { const usp = new URLSearchParams(); usp.append('a', '1'); usp.append(name, 'x'); d.request.query = usp; } else { const q = {}; define(q, name, rng.pick(['x', '', ['1', '2'], 5])); d.request.query = q; } return ['INVALID_OPTIONS']; } },

  // Request: body
  { area: 'body', what: 'body of an unsupported kind', apply: (rng, d) => { ensureBodyMethod(rng, d); d.request.body = rng.pick([new Uint8Array([97, 61, 49]), new ArrayBuffer(2), new Blob(['a=1']), new FormData(), [['a', '1']], 42, true, new Map([['a', '1']]), new Date(0), new (class Form {})(), new DataView(new ArrayBuffer(1)), Object.create({ a: 1 })]); return ['INVALID_BODY']; } },
  { area: 'body', what: 'body record value of the wrong type', apply: (rng, d) => { ensureBodyMethod(rng, d); const b = {}; define(b, 'a', '1'); define(b, 'bad', rng.pick([NaN, Infinity, {}, [null], [[]], 10n, () => 1, Symbol('s')])); d.request.body = b; delete d.request.contentType; return ['INVALID_BODY']; } },
  { area: 'body', what: 'lone surrogate in the body', apply: (rng, d) => { ensureBodyMethod(rng, d); if (rng.chance(0.5)) { d.request.body = `a=${rng.pick(LONE_SURROGATES)}`; } else { const b = {}; define(b, rng.chance(0.5) ? `k${rng.pick(LONE_SURROGATES)}` : 'k', `v${rng.pick(LONE_SURROGATES)}`); d.request.body = b; delete d.request.contentType; } return ['INVALID_ENCODING']; } },
  { area: 'body', what: 'record or URLSearchParams body with a non-form content type', apply: (rng, d) => { ensureBodyMethod(rng, d); if (!(d.request.body instanceof URLSearchParams) && !(d.request.body && typeof d.request.body === 'object')) d.request.body = rng.chance(0.5) ? { a: '1' } : new URLSearchParams('a=1'); d.request.contentType = rng.pick([...NON_FORM_CTS, ...JSON_CTS]); return ['INVALID_BODY']; } },
  // fetch refuses a header value with NUL, CR or LF inside; the package refuses every control character there.
  { area: 'body', what: 'contentType with a control character inside', apply: (rng, d) => { ensureBodyMethod(rng, d); if (d.request.body === undefined || d.request.body === null) d.request.body = 'a=1'; d.request.contentType = rng.pick(['text/plain\n; charset=utf-8', 'application/x-www-form-urlencoded\0', 'a\rb', 'application/json\x7f', 'text/plain;\x01', 'application/x-www-form-urlencoded;\r\ncharset=utf-8']); return ['INVALID_BODY']; } },
  // A forNewUser signer checks its scope before the body, so GET is OUT_OF_SCOPE there.
  { area: 'body', what: 'body on GET or HEAD', apply: (rng, d) => { d.request.method = rng.pick(METHODS_NO_BODY); if (d.request.body === undefined || d.request.body === null) d.request.body = rng.pick(['', 'x', { a: '1' }, new URLSearchParams('a=1')]); return d.api === 'forNewUser' ? ['INVALID_BODY', 'OUT_OF_SCOPE'] : ['INVALID_BODY']; } },
  { area: 'body', what: 'form body string with a bad or non-UTF-8 escape', apply: (rng, d) => { ensureBodyMethod(rng, d); const bad = rng.pick(['x=%zz', 'x=%', '%', 'x=%C3', 'x=%FF', 'x=%ed%a0%80', '%g1=1', 'x=%2']); d.request.body = typeof d.request.body === 'string' && d.bodyIsForm ? `${d.request.body}&${bad}` : `a=1&${bad}`; d.request.contentType = rng.pick(FORM_CTS); return ['INVALID_ENCODING']; } },
  { area: 'body', what: 'protocol parameter in the body', apply: (rng, d) => { ensureBodyMethod(rng, d); const name = rng.pick(RESERVED); const how = rng.pick(['record', 'usp', 'string']); if (how === 'record') { const b = {}; define(b, name, 'x'); d.request.body = b; delete d.request.contentType; } else if (how === 'usp') { d.request.body = new URLSearchParams([[name, 'x']]); delete d.request.contentType; } else { d.request.body = `a=1&${name}=x`; d.request.contentType = rng.pick(FORM_CTS); } return ['INVALID_OPTIONS']; } },
  { area: 'body', what: 'contentType not a string', apply: (rng, d) => { d.request.contentType = rng.pick([42, {}, true, ['text/plain']]); return ['INVALID_BODY']; } },

  // Request: the rest
  { area: 'request', what: 'placement unknown', apply: (rng, d) => { d.request.placement = rng.pick(['Header', 'url', 'BODY', '', 1, 'form', {}]); return ['INVALID_PLACEMENT']; } },
  { area: 'request', what: "placement 'body' without a form body", apply: (rng, d) => { d.request.placement = 'body'; const b = rng.pick(['none', 'json', 'text']); if (b === 'none') delete d.request.body; else { ensureBodyMethod(rng, d); d.request.body = b === 'json' ? '{"a":1}' : 'a=1'; d.request.contentType = b === 'json' ? rng.pick(JSON_CTS) : rng.pick([undefined, ...NON_FORM_CTS]); } return ['INVALID_PLACEMENT']; } },
  { area: 'request', what: 'realm not printable ASCII or not a string', apply: (rng, d) => { d.request.realm = rng.pick(['é', 'a\nb', '\x7f', '\t', '😀', 42, true]); return ['INVALID_OPTIONS']; } },
  { area: 'request', what: 'nonce empty, too long or not a string', apply: (rng, d) => { d.request.nonce = rng.pick(['', 'x'.repeat(257), 'é'.repeat(129), '😀'.repeat(65), 42, {}, true]); return ['INVALID_NONCE']; } },
  { area: 'request', what: 'lone surrogate in the nonce', apply: (rng, d) => { d.request.nonce = `n${rng.pick(LONE_SURROGATES)}`; return ['INVALID_ENCODING']; } },
  { area: 'request', what: 'timestamp not a non-negative whole number', apply: (rng, d) => { d.request.timestamp = rng.pick([-1, 1.5, NaN, Infinity, 2 ** 53, 1e300, '12a', '', '-1', '1234567890123456', ' 1', '1.0', true, {}, '0x10', -0.5]); return ['INVALID_TIMESTAMP']; } },
  // The declared type is number: a digit string is refused too (issue 12), never read as one.
  { area: 'request', what: 'timestamp as a digit string', apply: (rng, d) => { d.request.timestamp = rng.pick(['0', '1191242096', '000123', '999999999999999', String(rng.int(2 ** 31))]); return ['INVALID_TIMESTAMP']; } },
  // Issue 22: the signature method, callback, verifier and bodyHash.
  { area: 'options', what: 'signatureMethod unknown', apply: (rng, d) => { d.options.signatureMethod = rng.pick(['hmac-sha1', 'HMAC-SHA-256', 'HMAC_SHA256', 'HMAC-SHA384', 'RSA-SHA1', 'SHA256', 'PLAIN', 'plaintext', '', 42, true, {}]); return ['INVALID_OPTIONS']; } },
  { area: 'protocol', what: 'callback not an absolute URL or oob', apply: (rng, d) => { d.request.callback = rng.pick(['', '/callback', 'client.example/cb', '//client.example/cb', 'cb?x=1', 42, true, {}]); return d.api === 'forNewUser' ? ['INVALID_OPTIONS', 'OUT_OF_SCOPE'] : ['INVALID_OPTIONS']; } },
  { area: 'protocol', what: 'verifier empty or not a string', when: (d) => d.api !== 'forNewUser' && !d.options.twoLegged, apply: (rng, d) => { d.request.verifier = rng.pick(['', 42, true, {}, ['v']]); return ['INVALID_OPTIONS']; } },
  { area: 'protocol', what: 'verifier given to forNewUser', when: (d) => d.api === 'forNewUser', apply: (rng, d) => { d.request.verifier = alnum(rng, 8, 20); return ['OUT_OF_SCOPE', 'INVALID_OPTIONS']; } },
  { area: 'protocol', what: 'callback on a forNewUser request that is not a POST', when: (d) => d.api === 'forNewUser', apply: (rng, d) => { d.request.callback = rng.pick(CALLBACKS); d.request.method = rng.pick(['GET', 'PUT', 'DELETE', 'get']); if (d.request.method.toUpperCase() === 'GET') { delete d.request.body; delete d.request.contentType; if (d.request.placement === 'body') delete d.request.placement; if (d.options.placement === 'body') delete d.options.placement; } return ['OUT_OF_SCOPE']; } },
  { area: 'protocol', what: 'bodyHash on a form-encoded body', when: (d) => d.api !== 'forNewUser', apply: (rng, d) => { ensureBodyMethod(rng, d); if (!draftBodyIsForm(d)) { if (rng.chance(0.5)) { d.request.body = { a: '1' }; delete d.request.contentType; } else { d.request.body = 'a=1&b=x+y'; d.request.contentType = rng.pick(FORM_CTS); } } d.request.bodyHash = true; return ['INVALID_BODY']; } },
  { area: 'protocol', what: 'bodyHash with PLAINTEXT', when: (d) => d.api !== 'forNewUser', apply: (rng, d) => { d.options.signatureMethod = 'PLAINTEXT'; d.request.bodyHash = true; return ['INVALID_OPTIONS']; } },
  { area: 'protocol', what: 'bodyHash not a boolean', apply: (rng, d) => { d.request.bodyHash = rng.pick(['true', 1, 0, 'yes', {}, 'SHA-256']); return ['INVALID_OPTIONS']; } },
  { area: 'url', what: 'oauth_callback, oauth_verifier or oauth_body_hash in the url query', apply: (rng, d) => { const name = rng.pick([...Object.keys(PROTOCOL_FIELDS), 'oauth_callbac%6B', 'oauth%5Fverifier']); const p = `${name}=${rng.pick(['oob', 'x', '', 'http%3A%2F%2Fh%2F'])}`; d.url.query = d.url.query ? (rng.chance(0.5) ? `${p}&${d.url.query}` : `${d.url.query}&${p}`) : p; setUrlString(d); return ['INVALID_OPTIONS']; } },
  { area: 'query', what: 'oauth_callback, oauth_verifier or oauth_body_hash in the query option', apply: (rng, d) => { const name = rng.pick(Object.keys(PROTOCOL_FIELDS)); if (rng.chance(0.5)) { const usp = new URLSearchParams(); usp.append('a', '1'); usp.append(name, 'oob'); d.request.query = usp; } else { const q = {}; define(q, name, rng.pick(['oob', 'x', ['1', '2']])); d.request.query = q; } return ['INVALID_OPTIONS']; } },
  { area: 'body', what: 'oauth_callback, oauth_verifier or oauth_body_hash in the body', apply: (rng, d) => { ensureBodyMethod(rng, d); const name = rng.pick(Object.keys(PROTOCOL_FIELDS)); const how = rng.pick(['record', 'usp', 'string']); if (how === 'record') { const b = {}; define(b, name, 'oob'); d.request.body = b; delete d.request.contentType; } else if (how === 'usp') { d.request.body = new URLSearchParams([['a', '1'], [name, 'x']]); delete d.request.contentType; } else { d.request.body = `a=1&${name}=x`; d.request.contentType = rng.pick(FORM_CTS); } return ['INVALID_OPTIONS']; } },
  { area: 'request', what: 'includeVersion not a boolean', apply: (rng, d) => { d.request.includeVersion = rng.pick(['false', 0, 1, {}, 'true']); return ['INVALID_OPTIONS']; } },
];

// ---------------------------------------------------------------------------------------------
// The case

/**
 * @typedef {object} Case
 * @property {number} seed
 * @property {number} index
 * @property {'signer' | 'function' | 'forNewUser'} api
 * @property {any} options
 * @property {any} request
 * @property {{consumerSecret: string, tokenSecret: string}} secrets
 * @property {Array<{what: string, codes: string[]}>} faults the call must be refused with one of these codes
 * @property {Array<{what: string, codes: string[]}>} tolerated the call may be refused with one of these codes
 * @property {string[]} tags corners this case covers
 * @property {any} intent what a correct signer sends, for the checks (valid cases only)
 */

/** @returns {Case} */
export function generateCase(seed, index) {
  const rng = new Rng(seed, index);
  const tags = new Set();
  const tolerated = [];
  const api = rng.weighted({ signer: 5, function: 4, forNewUser: 1 });
  tags.add(`api: ${api}`);
  const twoLegged = api !== 'forNewUser' && rng.chance(0.25);
  const consumerSecret = rng.pick(CONSUMER_SECRETS);
  const tokenSecret = api === 'forNewUser' || twoLegged ? '' : rng.pick(TOKEN_SECRETS);
  const options = {
    consumerKey: rng.chance(0.5) ? alnum(rng, 1, 16) : text(rng, { min: 1, max: 6, controls: true }) || 'ck',
    consumerSecret,
  };
  if (api === 'forNewUser') tags.add('mode: new-user');
  else if (twoLegged) {
    options.twoLegged = true;
    tags.add('mode: 2-legged');
    if (rng.chance(0.2)) options.token = rng.pick([null, undefined]);
  } else {
    options.token = rng.chance(0.5) ? alnum(rng, 1, 16) : text(rng, { min: 1, max: 6, controls: true }) || 't';
    options.tokenSecret = tokenSecret;
    if (rng.chance(0.1)) options.twoLegged = false;
    tags.add('mode: 3-legged');
  }
  if (rng.chance(0.15)) {
    options.realm = rng.chance(0.8) ? text(rng, { max: 8 }).replace(/[^\x20-\x7e]/g, '') : '';
  }
  const placements = ['header', 'query', 'body'];
  if (rng.chance(0.25)) options.placement = rng.pick(placements);
  if (rng.chance(0.1)) options.clockOffset = rng.pick([0, -30, 3600, -86400, 315360000, -315360000]);

  // The URL.
  const url = urlParts(rng, tags);
  if (api === 'forNewUser') {
    url.path = `${url.path.replace(/\/$/, '')}/${rng.pick(['users', 'users', 'accounts', 'connect_tokens'])}${rng.chance(0.2) ? '/' : ''}`;
  }
  const request = {};

  // The body, and the method to go with it.
  const bodyKind = rng.weighted({ none: 9, formString: 3, record: 3, usp: 2, json: 2, text: 1 });
  tags.add(`body: ${bodyKind}`);
  let bodyIsForm = false;
  switch (bodyKind) {
    case 'none':
      if (rng.chance(0.1)) request.body = rng.pick([null, undefined]);
      if (rng.chance(0.05)) {
        request.contentType = rng.pick([...FORM_CTS, ...JSON_CTS]);
        tags.add('content type without a body');
      }
      break;
    case 'formString': {
      const pairs = pairList(rng, 6);
      tagPairs(pairs, 'form body', tags);
      request.body = formString(rng, pairs, { inUrl: false, tags });
      if (rng.chance(0.04)) {
        request.contentType = rng.pick(CRLF_FORM_CTS);
        tolerated.push({ what: 'form content type with a leading or trailing CR/LF (fetch strips it)', codes: ['INVALID_BODY', 'INVALID_PLACEMENT'] });
        tags.add('form content type with CR/LF around it');
      } else {
        request.contentType = rng.pick(FORM_CTS);
      }
      if (/charset/i.test(request.contentType)) tags.add('form content type with charset');
      else tags.add('form content type without charset');
      if (request.contentType !== 'application/x-www-form-urlencoded') tags.add('form content type spelled differently');
      bodyIsForm = true;
      break;
    }
    case 'record': {
      request.body = record(rng, tags, 'body record');
      if (rng.chance(0.3)) request.contentType = rng.pick(FORM_CTS);
      else if (rng.chance(0.05)) {
        request.contentType = rng.pick(['', ' ', '\r\n']);
        tags.add('empty content type (none at all)');
      }
      bodyIsForm = true;
      tagPairs(recordPairs(request.body), 'body record', tags);
      break;
    }
    case 'usp': {
      request.body = searchParams(rng, tags, 'body URLSearchParams');
      if (rng.chance(0.3)) request.contentType = rng.pick(FORM_CTS);
      bodyIsForm = true;
      break;
    }
    case 'json':
      request.body = jsonBody(rng);
      request.contentType = rng.pick(JSON_CTS);
      break;
    case 'text':
      // Never parameters, so malformed escapes are fine here.
      request.body = rng.chance(0.5) ? formString(rng, pairList(rng, 3), { inUrl: false, tags }) + rng.pick(['', '&x=%zz', '%', '&%FF']) : text(rng, { controls: true });
      if (rng.chance(0.7)) request.contentType = rng.pick(NON_FORM_CTS);
      tags.add('non-form body that looks like a form');
      break;
  }
  const hasBody = request.body !== undefined && request.body !== null;
  request.method = api === 'forNewUser'
    ? rng.pick(['POST', 'post', 'Post'])
    : hasBody ? rng.pick(METHODS_BODY) : rng.pick([...METHODS_NO_BODY, ...METHODS_BODY]);
  tags.add(`method: ${request.method.toUpperCase()}`);
  if (request.method !== request.method.toUpperCase()) tags.add('method in lower or mixed case');
  if (!['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(request.method.toUpperCase())) tags.add('method: extension token');

  // Extra query parameters.
  const queryKind = rng.weighted({ none: 6, record: 3, usp: 1, absent: 1 });
  if (queryKind === 'record') {
    request.query = record(rng, tags, 'query record');
    tagPairs(recordPairs(request.query), 'query record', tags);
    tags.add('query option: record');
  } else if (queryKind === 'usp') {
    request.query = searchParams(rng, tags, 'query URLSearchParams');
    tags.add('query option: URLSearchParams');
  } else if (queryKind === 'absent') {
    request.query = rng.pick([null, undefined]);
  }

  // Placement: the form-body placement only where there is a form body.
  if (rng.chance(0.5)) {
    request.placement = bodyIsForm ? rng.pick(placements) : rng.pick(['header', 'query']);
  } else if (options.placement === 'body' && !bodyIsForm) {
    request.placement = rng.pick(['header', 'query']);
  }
  const placement = request.placement ?? options.placement ?? 'header';
  tags.add(`placement: ${placement}`);
  if (rng.chance(0.15)) request.realm = rng.chance(0.1) ? undefined : text(rng, { max: 8 }).replace(/[^\x20-\x7e]/g, '');
  const realm = request.realm ?? options.realm;
  if (realm !== undefined) tags.add(placement === 'header' ? 'realm in the header' : 'realm not sent (not header placement)');
  if (realm && /["\\]/.test(realm)) tags.add('realm with a quote or backslash');

  // Nonce and timestamp: usually given, sometimes generated by the package.
  if (rng.chance(0.85)) {
    let nonce = rng.chance(0.6) ? alnum(rng, 1, 32) : text(rng, { min: 1, max: 12, controls: true }) || 'n';
    if (rng.chance(0.03)) {
      nonce = rng.pick(['x'.repeat(256), 'é'.repeat(128), '😀'.repeat(64), `${'a'.repeat(253)}€`]);
      tags.add('nonce of 256 bytes');
    }
    while (Buffer.byteLength(nonce) > 256) nonce = [...nonce].slice(0, -1).join('');
    request.nonce = nonce;
  } else tags.add('default nonce');
  if (rng.chance(0.8)) {
    request.timestamp = rng.pick([0, -0, 1, 1191242096, 2 ** 31 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, rng.int(2 ** 31)]);
  } else tags.add('default timestamp');
  if (rng.chance(0.4)) request.includeVersion = rng.chance(0.5);
  if (request.includeVersion === false) tags.add('without oauth_version');

  // Issue 22: the signature method, the callback, the verifier and the body hash.
  const methodKind = rng.weighted({ none: 28, 'HMAC-SHA1': 10, 'HMAC-SHA256': 22, 'HMAC-SHA512': 18, PLAINTEXT: 22 });
  if (methodKind !== 'none') options.signatureMethod = methodKind;
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA1';
  tags.add(`signature method: ${signatureMethod}`);
  if (methodKind === 'none') tags.add('signature method: default');
  if (rng.chance(api === 'forNewUser' ? 0.5 : 0.15)) {
    if (rng.chance(0.1)) {
      request.callback = rng.pick(ODD_CALLBACKS);
      tolerated.push({ what: 'a callback that is an absolute URL a signer may refuse', codes: ['INVALID_OPTIONS'] });
      tags.add('callback: odd absolute URL');
    } else request.callback = rng.pick(CALLBACKS);
    tags.add(request.callback === 'oob' ? 'callback: oob' : 'callback: URL');
    tags.add(`callback with ${api}`);
    if (api === 'forNewUser' && rng.chance(0.6)) {
      // The temporary-credentials request (RFC 5849 §2.1): a POST to any URL.
      url.path = rng.pick(['/oauth/request_token', '/request_token', '/oauth/initiate', '/1/OAuthGetRequestToken', '/']);
      tags.add('forNewUser: temporary credentials at any URL');
    }
  }
  if (api !== 'forNewUser' && !twoLegged && rng.chance(0.15)) {
    request.verifier = rng.chance(0.7) ? alnum(rng, 1, 32) : text(rng, { min: 1, max: 8 });
    tags.add('verifier');
    if (/[^A-Za-z0-9\-._~]/.test(request.verifier)) tags.add('verifier that needs encoding');
  }
  if (api !== 'forNewUser' && signatureMethod !== 'PLAINTEXT' && !bodyIsForm) {
    if (rng.chance(0.3)) {
      request.bodyHash = true;
      tags.add(`bodyHash: ${signatureMethod}`);
      tags.add(hasBody ? 'bodyHash: with a body' : 'bodyHash: without a body (empty string hashed)');
    } else if (rng.chance(0.05)) {
      request.bodyHash = false;
      tags.add('bodyHash: false');
    }
  }

  // PLAINTEXT over plain http to a host that is not loopback is refused (below): half of those
  // go over https instead, so that most PLAINTEXT cases are signed and compared.
  if (signatureMethod === 'PLAINTEXT' && plaintextTransport(buildUrl(url)) === 'refused' && rng.chance(0.5)) {
    url.scheme = 'https';
    tags.add('scheme: https');
  }

  // The URL as given: usually a string, sometimes a URL object.
  const urlString = validUrlString(url, tags);
  request.url = urlString;
  if (rng.chance(0.12)) {
    request.url = new URL(urlString);
    tags.add('url as a URL object');
  }

  // PLAINTEXT sends the secrets themselves: over plain http to a host that is not loopback it is
  // refused (a fault of the case itself, without the random faults below).
  const transport = signatureMethod === 'PLAINTEXT' ? plaintextTransport(urlString) : 'secure';
  if (signatureMethod === 'PLAINTEXT') {
    tags.add(transport === 'secure' ? `PLAINTEXT over ${new URL(urlString).protocol === 'https:' ? 'https' : 'http to loopback'}` : transport === 'refused' ? 'PLAINTEXT over http to a host that is not loopback' : 'PLAINTEXT to a host the loopback rule does not settle');
  }
  if (transport === 'either') tolerated.push({ what: 'PLAINTEXT over http to a host the loopback rule does not settle', codes: ['PLAINTEXT_NEEDS_HTTPS'] });

  // Faults.
  const draft = { api, options, request, url, bodyIsForm };
  const faults = [];
  if (transport === 'refused') faults.push({ what: 'PLAINTEXT over plain http to a host that is not loopback', codes: ['PLAINTEXT_NEEDS_HTTPS'] });
  if (rng.chance(0.17)) {
    const n = rng.chance(0.15) ? 2 : 1;
    const areas = new Set();
    for (let i = 0; i < n; i++) {
      // Nothing more to break once the options or the request are not objects at all.
      const isObject = (v) => typeof v === 'object' && v !== null;
      if (!isObject(draft.options) || !isObject(draft.request)) break;
      const candidates = FAULTS.filter((f) => !areas.has(f.area) && (!f.when || f.when(draft)));
      const f = rng.pick(candidates);
      areas.add(f.area);
      // Faults in the URL work on its parts and leave a string.
      if (f.area === 'url' && typeof draft.request.url !== 'string') draft.request.url = buildUrl(draft.url);
      const codes = f.apply(rng, draft);
      faults.push({ what: f.what, codes });
      tags.add(`fault: ${f.what}`);
    }
  }
  // With a fault, the package may meet another refusal of the new fields first: the faults
  // above change the URL, the body and the method without knowing about them.
  if (faults.length && typeof draft.options === 'object' && draft.options !== null && typeof draft.request === 'object' && draft.request !== null) {
    const also = [];
    if (draft.options.signatureMethod === 'PLAINTEXT' && plaintextTransport(urlOfDraft(draft)) !== 'secure') also.push('PLAINTEXT_NEEDS_HTTPS');
    if (draft.request.bodyHash === true && draftBodyIsForm(draft)) also.push('INVALID_BODY');
    if (draft.request.bodyHash === true && draft.options.signatureMethod === 'PLAINTEXT') also.push('INVALID_OPTIONS');
    if (api === 'forNewUser' && draft.request.callback !== undefined && String(draft.request.method).toUpperCase() !== 'POST') also.push('OUT_OF_SCOPE');
    if (also.length) tolerated.push({ what: 'another refusal of the new fields, reached before the fault', codes: also });
  }

  return {
    seed,
    index,
    api,
    options: draft.options,
    request: draft.request,
    secrets: { consumerSecret, tokenSecret },
    faults,
    tolerated,
    tags: [...tags],
    // What was asked for; checked only when the call is valid.
    intent: faults.length ? undefined : intentOf(api, options, request),
  };
}

/**
 * What a correct signer sends for a valid call: the URL as given, the `query` option's pairs,
 * the body (form pairs, or text sent as it is), the placement, the realm and the protocol
 * parameters' values. Works for hand-written calls too.
 */
export function intentOf(api, options, request) {
  const pairsOf = (v) => (v instanceof URLSearchParams ? [...v] : v === null || v === undefined ? [] : recordPairs(v));
  let body;
  if (request.body === undefined || request.body === null) body = { kind: 'none' };
  else if (typeof request.body !== 'string') body = { kind: 'form', pairs: pairsOf(request.body) };
  else if (isFormContentType(request.contentType)) body = { kind: 'form', pairs: [...parseFormBody(request.body)] };
  else body = { kind: 'text', text: request.body };
  const twoLegged = api === 'forNewUser' || options.twoLegged === true;
  return {
    url: request.url instanceof URL ? request.url.href : request.url,
    query: pairsOf(request.query),
    body,
    bodyContentType: request.contentType ?? undefined,
    placement: request.placement ?? options.placement ?? 'header',
    realm: request.realm ?? options.realm ?? undefined,
    includeVersion: request.includeVersion !== false,
    nonce: request.nonce ?? undefined,
    timestamp: request.timestamp === undefined || request.timestamp === null ? undefined : String(Number(request.timestamp)),
    clockOffset: options.clockOffset ?? 0,
    consumerKey: options.consumerKey,
    token: twoLegged ? undefined : options.token,
    signatureMethod: options.signatureMethod ?? 'HMAC-SHA1',
    callback: request.callback ?? undefined,
    verifier: request.verifier ?? undefined,
    bodyHash: request.bodyHash === true,
  };
}
