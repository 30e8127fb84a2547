// One vocabulary (issue 23, item 5), the JavaScript side held to the core's:
//
// - Context.IO's numeric OAuth codes have one table, `CONTEXT_IO_CODES` in common/constants.js,
//   which the local server (`ErrorCode`, `OAUTH_PROBLEMS`, the status of `refusal`) and the
//   extension (`API_ERROR_CODES`) are made of. The package's diagnosis, as built into pkg/,
//   reads each code, alone and with its Problem Reporting word, as the table's name, and reads
//   no code the table does not have.
// - One rule for which parameter names are secret, `isSecretParameter` in common/constants.js:
//   the diagnosis hides the value of exactly the names it marks, in the differences and in the
//   server's base string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTEXT_IO_CODES, SECRET_NAME_PARTS, isSecretParameter } from '../../common/constants.js';
import { ErrorCode, OAUTH_PROBLEMS, refusal } from '../../devserver/errors.mjs';
import { API_ERROR_CODES } from '../../extension/api.js';

const PKG = fileURLToPath(new URL('../../pkg/diagnose-node.js', import.meta.url));
assert.ok(existsSync(PKG), 'pkg/ is not built: run node scripts/build-pkg.mjs');
const { diagnoseRefusal } = await import(PKG);

/** What was signed; the codes' answers hold no base string, so any will do. */
const SIGNED = { baseString: 'GET&http%3A%2F%2F127.0.0.1%3A8787%2Flite%2Fusers&oauth_nonce%3Dn' };
const jsonError = (code) => JSON.stringify({ type: 'error', code, value: `refused with ${code}` });
const CODES = Object.entries(CONTEXT_IO_CODES).map(([code, entry]) => ({ code: Number(code), ...entry }));

test("the table: Context.IO's seven OAuth codes, each with one name, one word and a refusal's status", () => {
  assert.deepEqual(CODES.map((c) => c.code), [101, 102, 103, 105, 106, 107, 108]);
  for (const key of ['name', 'oauthProblem']) assert.equal(new Set(CODES.map((c) => c[key])).size, CODES.length, `one ${key} per code`);
  for (const { code, name, oauthProblem, status } of CODES) {
    assert.match(name, /^[A-Z]+(_[A-Z]+)*$/, `${code}`);
    assert.match(oauthProblem, /^[a-z]+(_[a-z]+)*$/, `${code}`);
    assert.ok(status === 401 || status === 403, `${code}: ${status}`);
  }
  assert.equal(CONTEXT_IO_CODES[106].name, 'TIMESTAMP_REFUSED');
  assert.equal(CONTEXT_IO_CODES[107].name, 'NONCE_USED');
});

test('the core diagnoses each code of the table, in a Context.IO answer alone, as its name', () => {
  for (const { code, name, status } of CODES) {
    const d = diagnoseRefusal(SIGNED, { status, headers: { 'Content-Type': 'application/json' }, body: jsonError(code) });
    assert.equal(d.problem, name, `${code}`);
    assert.equal(d.serverProblem, String(code), `${code}: the server's own word is its code`);
    assert.equal(d.status, status);
  }
});

test("the core diagnoses each code with its word in the server's challenge as its name, and keeps the word", () => {
  for (const { code, name, oauthProblem, status } of CODES) {
    const d = diagnoseRefusal(SIGNED, {
      status,
      headers: { 'WWW-Authenticate': `OAuth realm="http://127.0.0.1:8787", oauth_problem="${oauthProblem}"` },
      body: jsonError(code),
    });
    assert.equal(d.problem, name, `${code} ${oauthProblem}`);
    assert.equal(d.serverProblem, oauthProblem, `${code}`);
  }
});

test('the core reads no Context.IO code the table does not have', () => {
  const read = [];
  for (let code = 0; code < 1000; code += 1) {
    const d = diagnoseRefusal(SIGNED, { status: 401, body: jsonError(code) });
    if (d.problem !== 'UNEXPLAINED') read.push(code);
  }
  assert.deepEqual(read, CODES.map((c) => c.code));
});

test('the local server and the extension name, word and answer each code as the table does', () => {
  for (const { code, name, oauthProblem, status } of CODES) {
    assert.equal(ErrorCode[name], code, `server ErrorCode.${name}`);
    assert.equal(OAUTH_PROBLEMS[code], oauthProblem, `server OAUTH_PROBLEMS[${code}]`);
    const e = refusal(code, 'refused');
    assert.deepEqual([e.status, e.code, e.problem], [status, code, { oauth_problem: oauthProblem }], `server refusal(${code})`);
    assert.equal(API_ERROR_CODES[code], name, `extension API_ERROR_CODES[${code}]`);
  }
  assert.deepEqual(Object.keys(API_ERROR_CODES), Object.keys(CONTEXT_IO_CODES), 'the extension names no other code');
  assert.deepEqual(Object.keys(OAUTH_PROBLEMS), Object.keys(CONTEXT_IO_CODES), 'the server gives no other code a word');
  const own = Object.entries(ErrorCode).filter(([, n]) => !(n in CONTEXT_IO_CODES));
  assert.deepEqual(own.map(([, n]) => n), [400, 404, 413, 500, 503], "the server's own codes stay its own");
  assert.throws(() => refusal(ErrorCode.BAD_REQUEST, 'x'), TypeError, 'refusal() is for the OAuth codes only');
});

// ---- The secret rule ----------------------------------------------------------------------

/** RFC 3986 percent-encoding of all but the unreserved set (RFC 5849 §3.6). */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const URI = 'http://127.0.0.1:8787/lite/users';

/** Names the rule marks, names it does not (by its substrings, ASCII case only), decoded. */
const SECRET = ['password', 'Password', 'PASSWORD', 'PassWd', 'passwd', 'new_passwd', 'user_secret', 'client_secret', 'consumer_secret',
  'access_token_secret', 'provider_consumer_secret', 'secretary', 'refresh_token', 'provider_refresh_token', 'REFRESH_TOKEN', 'private_key',
  'PRIVATE_KEY', 'ssh_private_key_pem', 'x.password', 'my secret', 'ünïcode_secret', 'a~passwd'];
const PLAIN = ['token', 'oauth_token', 'access_token', 'oauth_consumer_key', 'name', 'email', 'refreshtoken', 'refresh-token', 'private-key',
  'privatekey', 'pass', 'pwd', 'key', 'api_key', 'secre', 'sec_ret', 'pass_word',
  // U+212A KELVIN SIGN lower-cases to "k" in Unicode; the core lower-cases ASCII only.
  'private_\u212Aey',
  // U+017F LATIN SMALL LETTER LONG S folds to "s" in a Unicode case-insensitive match.
  '\u017Fecret', 'pa\u017F\u017Fword'];

test('isSecretParameter: the core\'s substrings, ASCII letters lower-cased', () => {
  assert.deepEqual([...SECRET_NAME_PARTS], ['password', 'secret', 'refresh_token', 'passwd', 'private_key']);
  for (const n of SECRET) assert.equal(isSecretParameter(n), true, n);
  for (const n of PLAIN) assert.equal(isSecretParameter(n), false, n);
});

/**
 * A base string over `names` with `value(i)` for the i-th: parameters sorted by encoded name
 * (RFC 5849 §3.4.1.3.2).
 */
function baseString(names, value) {
  const pairs = names.map((n, i) => `${enc(n)}=${enc(value(i))}`).sort();
  return `GET&${enc(URI)}&${enc(pairs.join('&'))}`;
}

/** The parameters of a base string, name and value decoded. */
function parameters(base) {
  const [, , params] = base.split('&');
  return new Map(decodeURIComponent(params).split('&').map((p) => p.split('=').map(decodeURIComponent)));
}

test("the diagnosis hides the value of exactly the names isSecretParameter marks, in the differences and in the server's base string", () => {
  const names = [...SECRET, ...PLAIN].sort();
  const ours = (i) => `ours-value-${i}-end`;
  const theirs = (i) => `theirs-value-${i}-end`;
  const sbs = baseString(names, theirs);
  const answer = { type: 'error', code: 105, value: `Invalid signature AAAA. Signature base string should be ${sbs}`, base_string: sbs };
  const d = diagnoseRefusal({ baseString: baseString(names, ours) }, { status: 401, body: JSON.stringify(answer) });
  assert.equal(d.problem, 'SIGNATURE_INVALID');
  assert.equal(d.identical, false);

  // Every parameter differs in its value: one difference each, its sides shown or hidden.
  const byName = new Map(d.differences.map((x) => [decodeURIComponent(x.name), x]));
  assert.equal(d.differences.length, names.length, JSON.stringify(d.differences.map((x) => x.name)));
  const shown = parameters(d.serverBaseString);
  const hidden = [];
  for (const [i, name] of names.entries()) {
    const x = byName.get(name);
    assert.ok(x, `a difference for ${name}`);
    assert.deepEqual([x.component, x.kind], ['parameter', 'value'], name);
    const secret = isSecretParameter(name);
    assert.deepEqual([x.ours, x.theirs], secret ? ['<hidden>', '<hidden>'] : [ours(i), theirs(i)], `${name}: the difference`);
    assert.equal(shown.get(name), secret ? '<hidden>' : theirs(i), `${name}: the server's base string`);
    if (secret) hidden.push(name);
  }
  assert.deepEqual(hidden, names.filter((n) => SECRET.includes(n)), 'the diagnosis hides the names of SECRET, and only those');
  const text = JSON.stringify(d);
  for (const name of hidden) {
    const i = names.indexOf(name);
    assert.ok(!text.includes(ours(i)) && !text.includes(theirs(i)), `${name}: its value is nowhere in the diagnosis`);
  }
});

test(
  'the diagnosis reads a name by its decoded form in the differences too (a server that percent-encodes an unreserved letter)',
  () => {
    // `pass%77ord` is `password` with its `w` percent-encoded, which RFC 5849 §3.6 does not do but
    // a server may: isSecretParameter is given the decoded name.
    const base = (v) => `GET&${enc(URI)}&${enc(`a=1&pass%77ord=${v}`)}`;
    const sbs = base('theirs-value');
    const d = diagnoseRefusal({ baseString: base('ours-value') }, { status: 401, body: JSON.stringify({ type: 'error', code: 105, value: 'x', base_string: sbs }) });
    assert.equal(isSecretParameter(decodeURIComponent('pass%77ord')), true);
    assert.equal(parameters(d.serverBaseString).get('password'), '<hidden>', "the server's base string hides it already");
    assert.ok(!JSON.stringify(d).includes('-value'), JSON.stringify(d.differences));
  },
);
