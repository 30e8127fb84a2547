// Tier 3 against a real peer: the package walks RFC 5849 §2 (temporary credentials, the user's
// authorization, token credentials) and signs protected requests, over real HTTP with fetch,
// against oauthlib's own provider endpoints (provider.py: RequestTokenEndpoint,
// AuthorizationEndpoint, AccessTokenEndpoint, ResourceEndpoint), for every signature method and
// every placement each step allows; and the body hash, which the provider checks with hashlib.
//
//   node --test tests/oauthlib/
//
// Needs pkg/ (node scripts/build-pkg.mjs --quiet) and Debian's python3-oauthlib,
// python3-requests-oauthlib and python3-authlib (scripts/setup.sh installs them).
//
// What the installed oauthlib (3.2.2) does, as measured here (README.md of this folder):
// - it accepts every method in every placement, PLAINTEXT in the query and the body too, as
//   long as no oauth_ value there holds a '%': it %-decodes an oauth_ value from the query or
//   the body twice, so a PLAINTEXT signature of a secret that needs encoding, or a callback
//   with an escape in it, sent there, is refused. The package is right (RFC 5849 §3.5.2/3);
//   so the query and body placements here use a callback without '%', and the secrets that
//   need encoding are tried in the header (a second provider);
// - it refuses oauth_ parameters split over two places with 400 ("oauth_ params must come
//   from only 1 signature type"), which the package cannot send since issue 22.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PYTHON, oauthlibMissing } from './oracle.mjs';
import { startProvider } from './provider.mjs';

const METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'];
// oauthlib's default validator wants a client key of 20 to 30 characters of A-Z a-z 0-9.
const CONSUMER = { consumerKey: 'flowConsumerKey00001', consumerSecret: 'kd94hf93k423kf44' };
// A secret that needs percent-encoding (RFC 5849 §3.6) in the HMAC key and the PLAINTEXT signature.
const ODD_CONSUMER = { consumerKey: 'flowConsumerKey00002', consumerSecret: 'c s&e=c+r%e/t~é😀' };
const HASH = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

let pkg;
let provider;
let oddProvider;

before(async () => {
  const missing = oauthlibMissing();
  if (missing) throw new Error(missing);
  // SIGNER_PKG points at another build of the package, as in tests/differential/.
  const entry = process.env.SIGNER_PKG ? new URL(`file://${process.env.SIGNER_PKG}`) : new URL('../../pkg/node.js', import.meta.url);
  try {
    pkg = await import(entry.href);
  } catch (e) {
    throw new Error(`cannot import ${entry.pathname} (build it with: node scripts/build-pkg.mjs --quiet): ${e.message}`);
  }
  try {
    pkg.signRequest({ ...CONSUMER, token: 't', tokenSecret: 's', signatureMethod: 'HMAC-SHA256' }, { method: 'GET', url: 'http://127.0.0.1/' });
  } catch (e) {
    throw new Error(`pkg/ does not sign with signatureMethod (issue 22): ${e.code}: ${e.message} (rebuild: node scripts/build-pkg.mjs --quiet)`);
  }
  [provider, oddProvider] = await Promise.all([startProvider(CONSUMER), startProvider(ODD_CONSUMER)]);
});

after(async () => {
  await Promise.all([provider?.close(), oddProvider?.close()]);
});

/** Sends what the package signed, with fetch, as a page or a backend would. */
async function send(signed) {
  return fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body, redirect: 'manual' });
}

/** The answer's text, or a failure that says what the provider (oauthlib) said and logged. */
async function expectOk(res, prov, what) {
  const text = await res.text();
  if (res.status !== 200) assert.fail(`${what}: ${res.status} ${text}\noauthlib's log:\n${(await prov.log()).split('\n').slice(-12).join('\n')}`);
  return text;
}

function sign(options, request) {
  const signer = options.token === undefined ? pkg.Signer.forNewUser(options) : new pkg.Signer(options);
  try {
    return signer.signRequest(request);
  } finally {
    signer.free();
  }
}

/**
 * The whole §2 flow, then protected requests; returns the token credentials.
 * @param {{url: string, log: () => Promise<string>}} prov
 * @param {{consumerKey: string, consumerSecret: string}} consumer
 * @param {string} signatureMethod
 * @param {'header' | 'query' | 'body'} placement
 * @param {string} callback
 */
async function flow(prov, consumer, signatureMethod, placement, callback) {
  const where = `${signatureMethod}, ${placement}`;
  // A body placement needs a form body to carry the protocol parameters.
  const form = placement === 'body' ? { scope: 'photos read' } : undefined;

  // 1. Temporary credentials (§2.1): consumer-only, a POST with the callback.
  const temporary = sign({ ...consumer, signatureMethod }, { method: 'POST', url: `${prov.url}/request_token`, callback, placement, body: form });
  assert.equal(temporary.oauthParameters.oauth_callback, callback);
  assert.equal(temporary.oauthParameters.oauth_signature_method, signatureMethod);
  const temp = new URLSearchParams(await expectOk(await send(temporary), prov, `${where}: request_token`));
  assert.equal(temp.get('oauth_callback_confirmed'), 'true');
  const tempToken = temp.get('oauth_token');
  const tempSecret = temp.get('oauth_token_secret');
  assert.ok(tempToken && tempSecret, `${where}: no temporary credentials in ${temp}`);

  // 2. The user's authorization (§2.2): the browser opens the provider's page, the user
  // approves, the provider sends the browser back to the callback with the verifier.
  const approved = await fetch(`${prov.url}/authorize?oauth_token=${encodeURIComponent(tempToken)}`, { redirect: 'manual' });
  let verifier;
  if (callback === 'oob') {
    const answer = new URLSearchParams(await expectOk(approved, prov, `${where}: authorize`));
    verifier = answer.get('oauth_verifier');
  } else {
    assert.equal(approved.status, 302, `${where}: authorize answered ${approved.status}`);
    const back = new URL(approved.headers.get('location'));
    assert.equal(`${back.origin}${back.pathname}`, `${new URL(callback).origin}${new URL(callback).pathname}`, `${where}: the provider sent the user elsewhere: ${back}`);
    assert.equal(back.searchParams.get('oauth_token'), tempToken);
    verifier = back.searchParams.get('oauth_verifier');
  }
  assert.ok(verifier, `${where}: no verifier`);

  // 3. Token credentials (§2.3): the temporary pair and the verifier.
  const exchange = sign({ ...consumer, token: tempToken, tokenSecret: tempSecret, signatureMethod }, { method: 'POST', url: `${prov.url}/access_token`, verifier, placement, body: form });
  assert.equal(exchange.oauthParameters.oauth_verifier, verifier);
  const creds = new URLSearchParams(await expectOk(await send(exchange), prov, `${where}: access_token`));
  const user = { ...consumer, token: creds.get('oauth_token'), tokenSecret: creds.get('oauth_token_secret'), signatureMethod };
  assert.ok(user.token && user.tokenSecret, `${where}: no token credentials in ${creds}`);

  // The temporary credentials are spent: the same exchange again is refused.
  const replay = sign({ ...consumer, token: tempToken, tokenSecret: tempSecret, signatureMethod }, { method: 'POST', url: `${prov.url}/access_token`, verifier, placement, body: form });
  assert.equal((await send(replay)).status, 401, `${where}: spent temporary credentials accepted again`);

  // 4. Protected requests with the token credentials.
  if (placement !== 'body') {
    const get = sign(user, { method: 'GET', url: `${prov.url}/resource/photos?size=original&q=a%20b`, query: { page: '2', tag: ['x', 'y'] }, placement });
    const answer = JSON.parse(await expectOk(await send(get), prov, `${where}: protected GET`));
    assert.equal(answer.signatureMethod, signatureMethod);
    assert.deepEqual(answer.params.filter(([k]) => !k.startsWith('oauth_')), [['size', 'original'], ['q', 'a b'], ['page', '2'], ['tag', 'x'], ['tag', 'y']]);
  }
  const post = sign(user, { method: 'POST', url: `${prov.url}/resource/photos?album=1`, body: { title: 'a b&c=d', n: '1' }, placement });
  const answer = JSON.parse(await expectOk(await send(post), prov, `${where}: protected form POST`));
  assert.deepEqual(answer.params.filter(([k]) => !k.startsWith('oauth_')).sort(), [['album', '1'], ['n', '1'], ['title', 'a b&c=d']]);
  return user;
}

describe('the RFC 5849 §2 flow against oauthlib 3 endpoints, every method and placement', () => {
  for (const signatureMethod of METHODS) {
    for (const placement of ['header', 'query', 'body']) {
      // No '%' in a callback sent in the query or the body (oauthlib decodes it twice there).
      const callback = placement === 'header' ? 'https://client.example/callback?state=a%20b&x=1' : 'https://client.example/callback?state=xyz';
      test(`${signatureMethod}, ${placement}`, async () => {
        await flow(provider, CONSUMER, signatureMethod, placement, callback);
      });
    }
    test(`${signatureMethod}, header, callback oob`, async () => {
      await flow(provider, CONSUMER, signatureMethod, 'header', 'oob');
    });
    test(`${signatureMethod}, header, secrets that need percent-encoding`, async () => {
      await flow(oddProvider, ODD_CONSUMER, signatureMethod, 'header', 'https://client.example/cb');
    });
  }
});

describe('the body hash, checked by the provider with hashlib', () => {
  const bodies = [
    ['application/json', '{"score":0.92,"comment":"très bien 😀"}'],
    ['application/xml', '<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0"/>'],
    ['text/plain', 'a=1&b=2'],
  ];
  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512']) {
    test(`${signatureMethod}`, async () => {
      const user = await flow(provider, CONSUMER, signatureMethod, 'header', 'oob');
      for (const placement of ['header', 'query']) {
        for (const [contentType, body] of bodies) {
          const signed = sign(user, { method: 'POST', url: `${provider.url}/resource/outcomes`, body, contentType, bodyHash: true, placement });
          const want = createHash(HASH[signatureMethod]).update(Buffer.from(body, 'utf8')).digest('base64');
          assert.equal(signed.oauthParameters.oauth_body_hash, want);
          const answer = JSON.parse(await expectOk(await send(signed), provider, `${signatureMethod} ${placement} ${contentType}`));
          assert.equal(answer.bodyHash, want);
          // Another body under the same signature: the provider's check refuses it.
          const res = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: `${body} ` });
          assert.equal(res.status, 401, `a changed body was accepted (${signatureMethod} ${placement} ${contentType})`);
        }
        // No body: the hash of the empty string.
        const empty = sign(user, { method: 'GET', url: `${provider.url}/resource/outcomes`, bodyHash: true, placement });
        assert.equal(empty.oauthParameters.oauth_body_hash, createHash(HASH[signatureMethod]).digest('base64'));
        assert.equal(JSON.parse(await expectOk(await send(empty), provider, `${signatureMethod} ${placement} no body`)).bodyHash, empty.oauthParameters.oauth_body_hash);
      }
    });
  }
});

test('the provider refuses what it must (so that its 200s mean something)', async () => {
  const user = await flow(provider, CONSUMER, 'HMAC-SHA256', 'header', 'oob');
  const url = `${provider.url}/resource/photos`;
  const statusOf = async (signed) => (await send(signed)).status;
  assert.equal(await statusOf(sign({ ...user, consumerSecret: 'not-the-secret' }, { method: 'GET', url })), 401, 'a wrong consumer secret');
  assert.equal(await statusOf(sign({ ...user, tokenSecret: 'not-the-secret' }, { method: 'GET', url })), 401, 'a wrong token secret');
  assert.equal(await statusOf(sign({ ...user, signatureMethod: 'PLAINTEXT', tokenSecret: 'x' }, { method: 'GET', url })), 401, 'a wrong PLAINTEXT signature');
  const signed = sign(user, { method: 'GET', url });
  assert.equal(await statusOf(signed), 200);
  assert.equal(await statusOf(signed), 401, 'a replayed nonce');
  const changed = sign(user, { method: 'GET', url: `${url}?a=1` });
  assert.equal((await fetch(changed.url.replace('a=1', 'a=2'), { headers: changed.headers })).status, 401, 'a changed query');
  // A wrong verifier.
  const temporary = sign({ ...CONSUMER }, { method: 'POST', url: `${provider.url}/request_token`, callback: 'oob' });
  const temp = new URLSearchParams(await expectOk(await send(temporary), provider, 'request_token'));
  await fetch(`${provider.url}/authorize?oauth_token=${temp.get('oauth_token')}`);
  const wrong = sign({ ...CONSUMER, token: temp.get('oauth_token'), tokenSecret: temp.get('oauth_token_secret') }, { method: 'POST', url: `${provider.url}/access_token`, verifier: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
  assert.equal(await statusOf(wrong), 401, 'a wrong verifier');
  // Split protocol parameters (what the package sent before issue 22, oauth_callback in the
  // query): oauthlib refuses them. Built by hand, since the package refuses to sign that now.
  const header = sign({ ...user }, { method: 'GET', url }).headers.Authorization;
  const split = await fetch(`${url}?oauth_callback=oob`, { headers: { Authorization: header } });
  assert.equal(split.status, 400, 'oauth_ parameters in the header and the query');
  assert.match(await split.text(), /only\+1\+signature|only 1 signature/);
});

test('sanity check of the provider with real Python clients (requests-oauthlib, authlib)', async (t) => {
  const { stdout } = await promisify(execFile)(PYTHON, [fileURLToPath(new URL('./clients.py', import.meta.url)), provider.url, CONSUMER.consumerKey, CONSUMER.consumerSecret], { timeout: 60_000 });
  const checks = stdout.trim().split('\n').map((l) => JSON.parse(l));
  const failed = checks.filter((c) => !c.ok);
  t.diagnostic(`${checks.length} checks by ${[...new Set(checks.map((c) => c.client))].join(', ')}`);
  assert.deepEqual(failed, []);
  // requests-oauthlib: 4 methods x 3 placements x (request, authorize, access, protected requests).
  assert.ok(checks.filter((c) => c.client === 'requests-oauthlib').length >= 4 * 3 * 4, stdout);
  assert.ok(checks.filter((c) => c.client === 'authlib').length >= 2 * 4, stdout);
});

test('what this oauthlib does with PLAINTEXT in the query and a secret that needs encoding (recorded, not asserted)', async (t) => {
  // See the top of this file: oauthlib decodes oauth_signature twice there.
  const temporary = sign({ ...ODD_CONSUMER, signatureMethod: 'PLAINTEXT' }, { method: 'POST', url: `${oddProvider.url}/request_token`, callback: 'oob', placement: 'query' });
  const res = await send(temporary);
  t.diagnostic(`PLAINTEXT, secret ${JSON.stringify(ODD_CONSUMER.consumerSecret)}, query placement: oauthlib answered ${res.status}${res.status === 200 ? ' (accepted: the double decoding is gone)' : ' (refused: oauthlib decodes the signature twice)'}`);
  await res.arrayBuffer();
});
