// Signature methods beyond Context.IO's HMAC-SHA1 and the body hash (issue 22): a consumer whose
// config lists `signatureMethods` signs with them, in the header, the query and the body; every
// other consumer, the demo one first, keeps Context.IO's rule and is refused with
// signature_method_rejected; an oauth_body_hash is checked against the exact bytes received;
// oauth_callback and oauth_verifier are signed protocol parameters like the others; bad config
// values stop the start naming the entry. Requests are signed by oauth-1.0a (node:crypto's HMACs),
// by oauth-sign called directly, and by the package once it takes the options
// (helpers/signers.mjs METHOD_SIGNERS), each first checked against the published vectors of
// ../shared/vectors/methods.json, which also run through the server's own verification functions.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NonceCache, bodyHashOf, signatureBaseString, signatureOf, verifyRequest } from '../../devserver/oauth.mjs';
import { baseStringUri, collectParameters, parseRequest } from '../../devserver/request.mjs';
import { DEMO, expectStatus, makeClient, parseChallenge, runCliToExit, startCli, startServer, tempDir, killAllClis } from './helpers/server.mjs';
import { HASH_OF_METHOD, METHOD_SIGNERS, pkgFeatures, testBodyHash } from './helpers/signers.mjs';

const VECTORS_FILE = process.env.METHODS_VECTORS_FILE ?? fileURLToPath(new URL('../../../shared/vectors/methods.json', import.meta.url));
const { vectors } = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));

const METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'];
const HMACS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'];
const PLACEMENTS = ['header', 'query', 'body'];
const FORM = 'application/x-www-form-urlencoded';
const PKG = await pkgFeatures();

/** Consumers of the server under test; secrets with characters that percent-encoding changes. */
const EVERY = { consumerKey: 'every-method', consumerSecret: 'every method: & + / = secret' };
const EVERY_2L = { consumerKey: 'every-method-2l', consumerSecret: 'two legged % secret' };
const SHA256_ONLY = { consumerKey: 'sha256-only', consumerSecret: 'sha256 only secret' };
const CONSUMERS = [
  { key: EVERY.consumerKey, secret: EVERY.consumerSecret, signatureMethods: METHODS },
  { key: EVERY_2L.consumerKey, secret: EVERY_2L.consumerSecret, threeLegged: false, signatureMethods: [...METHODS].reverse() },
  { key: SHA256_ONLY.consumerKey, secret: SHA256_ONLY.consumerSecret, signatureMethods: ['HMAC-SHA256'] },
];

/** Whether a signer can sign what a test needs (the package, only once it takes the options). */
const can = (signer, ...features) => signer.name !== 'pkg' || features.every((f) => PKG[f]);
const independent = (signer) => signer.name !== 'pkg';

let emails = 0;
const email = () => `methods-${++emails}-${process.pid}@example.com`;

/** Asserts a 401 with its code and the challenge's exact parameters; returns the response. */
function expectProblem(res, code, params) {
  expectStatus(res, 401, code);
  assert.deepEqual(parseChallenge(res.headers.get('www-authenticate')).params, params, res.json?.value);
  return res;
}

const rejected = (name) => ({ oauth_problem: 'parameter_rejected', oauth_parameters_rejected: name });
const METHOD_REJECTED = { oauth_problem: 'signature_method_rejected' };

// ---------------------------------------------------------------------------------------------
// The published vectors: first the server's own functions, then each test signer.

/** The protocol parameters of a vector, oauth_signature aside. */
function vectorOauth(v) {
  const p = {
    oauth_consumer_key: v.consumerKey,
    oauth_nonce: v.nonce,
    oauth_signature_method: v.signatureMethod,
    oauth_timestamp: v.timestamp,
  };
  if (v.token) p.oauth_token = v.token;
  if (v.version !== false) p.oauth_version = '1.0';
  if (v.callback !== undefined) p.oauth_callback = v.callback;
  if (v.verifier !== undefined) p.oauth_verifier = v.verifier;
  if (v.bodyHash !== undefined) p.oauth_body_hash = v.bodyHash;
  return p;
}

/** A vector's body as sent, and its Content-Type. */
const vectorBody = (v) =>
  v.form ? { body: new URLSearchParams(v.form).toString(), contentType: FORM } : { body: v.body, contentType: v.contentType };

const about = (v) => `vector ${v.name} (${v.signatureMethod}): ${v.method} ${v.url} ${JSON.stringify(vectorBody(v))}`;
const pe = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** verifyRequest on a vector sent with its parameters in the Authorization header. */
function verifyVector(v, { signatureMethods, body = vectorBody(v).body } = {}) {
  const url = new URL(v.url);
  const header = `OAuth ${Object.entries({ ...vectorOauth(v), oauth_signature: v.signature })
    .map(([k, x]) => `${k}="${pe(x)}"`)
    .join(', ')}`;
  const consumer = { key: v.consumerKey, secret: v.consumerSecret, threeLegged: true, oauthProviders: [], ...(signatureMethods ? { signatureMethods } : {}) };
  return verifyRequest(
    { method: v.method, request: parseRequest({ url, authorization: header, contentType: vectorBody(v).contentType, body: body === undefined ? undefined : Buffer.from(body, 'utf8') }) },
    {
      findConsumer: (k) => (k === v.consumerKey ? consumer : undefined),
      findToken: (_c, t) => (t === v.token ? { kind: 'user', token: t, secret: v.tokenSecret, userId: 'u' } : undefined),
      now: Number(v.timestamp),
      nonces: new NonceCache(),
    },
  );
}

describe('methods.json through the server\'s own verification functions', () => {
  test('the file holds every method, oauth_callback, oauth_verifier and body hashes', () => {
    assert.deepEqual([...new Set(vectors.map((v) => v.signatureMethod))].sort(), [...METHODS].sort());
    for (const field of ['callback', 'verifier', 'bodyHash']) assert.ok(vectors.some((v) => v[field] !== undefined), field);
  });

  for (const v of vectors) {
    test(v.name, () => {
      const { body, contentType } = vectorBody(v);
      const url = new URL(v.url);
      const formBody = contentType === FORM ? body : null;
      const pairs = collectParameters({ url, formBody, headerParams: Object.entries(vectorOauth(v)) }).map((p) => [p.name, p.value]);
      const uri = baseStringUri(url);
      if (v.baseString !== undefined) assert.equal(signatureBaseString(v.method, uri, pairs), v.baseString, about(v));
      assert.equal(signatureOf(v.signatureMethod, v.method, uri, pairs, v.consumerSecret, v.tokenSecret ?? ''), v.signature, about(v));
      if (v.bodyHash !== undefined) assert.equal(bodyHashOf(v.signatureMethod, Buffer.from(body ?? '', 'utf8')), v.bodyHash, about(v));

      // The whole path: accepted for a consumer that lists the method ...
      assert.equal(verifyVector(v, { signatureMethods: [v.signatureMethod] }).consumer.key, v.consumerKey, about(v));
      // ... refused for one that does not, and by default unless it is HMAC-SHA1.
      const others = METHODS.filter((m) => m !== v.signatureMethod);
      assert.throws(() => verifyVector(v, { signatureMethods: others }), (e) => e.code === 101 && e.problem.oauth_problem === 'signature_method_rejected', about(v));
      if (v.signatureMethod === 'HMAC-SHA1') assert.equal(verifyVector(v).consumer.key, v.consumerKey, about(v));
      else assert.throws(() => verifyVector(v), (e) => e.code === 101 && /accepts HMAC-SHA1 only/.test(e.message), about(v));
      if (v.bodyHash !== undefined) {
        assert.throws(
          () => verifyVector(v, { signatureMethods: [v.signatureMethod], body: `${body}.` }),
          (e) => e.code === 101 && e.problem.oauth_parameters_rejected === 'oauth_body_hash',
          `${about(v)}: another body`,
        );
      }
    });
  }
});

for (const signer of METHOD_SIGNERS) {
  describe(`signer ${signer.name}: methods.json`, { skip: signer.skip }, () => {
    for (const v of vectors) {
      const needs = ['signatureMethod', ...['callback', 'verifier', 'bodyHash'].filter((f) => v[f] !== undefined)];
      const skip = !can(signer, ...needs) && `the package does not take ${needs.filter((f) => !PKG[f]).join(', ')} yet`;
      test(v.name, { skip }, async () => {
        const r = await signer.sign({
          consumerKey: v.consumerKey,
          consumerSecret: v.consumerSecret,
          token: v.token ?? undefined,
          tokenSecret: v.tokenSecret ?? undefined,
          method: v.method,
          url: v.url,
          ...vectorBody(v),
          nonce: v.nonce,
          timestamp: v.timestamp,
          includeVersion: v.version !== false,
          signatureMethod: v.signatureMethod,
          callback: v.callback,
          verifier: v.verifier,
          bodyHash: v.bodyHash !== undefined ? true : undefined,
        });
        if (v.baseString !== undefined && v.signatureMethod !== 'PLAINTEXT') assert.equal(r.baseString, v.baseString, about(v));
        assert.equal(r.signature, v.signature, about(v));
        if (v.bodyHash !== undefined) assert.equal(r.oauthParameters.oauth_body_hash, v.bodyHash, about(v));
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Over HTTP.

describe('over HTTP', () => {
  let server;
  let demo;
  before(async () => {
    [server, demo] = await Promise.all([startServer({ consumers: CONSUMERS }), startServer()]);
  });
  after(async () => {
    await Promise.all([server?.close(), demo?.close()]);
  });

  test('the consumers as the server uses them: signatureMethods kept, HMAC-SHA1 alone by default', () => {
    assert.deepEqual(server.consumers.map((c) => c.signatureMethods), CONSUMERS.map((c) => c.signatureMethods));
    assert.deepEqual(demo.consumers.map((c) => c.signatureMethods), [['HMAC-SHA1']]);
  });

  for (const signer of METHOD_SIGNERS) {
    describe(`signer ${signer.name}`, { skip: signer.skip }, () => {
      const api = () => makeClient(server.url, signer);
      const demoApi = () => makeClient(demo.url, signer);

      for (const signatureMethod of METHODS) {
        for (const placement of PLACEMENTS) {
          test(`${signatureMethod} in the ${placement}: a new user, the user's own requests, a wrong secret refused (105)`, async () => {
            const opts = { signatureMethod, placement };
            const created = await api().call(EVERY, 'POST', '/lite/users', { ...opts, form: { email: email() } });
            expectStatus(created, 201);
            const user = { ...EVERY, token: created.json.access_token, tokenSecret: created.json.access_token_secret };
            const own =
              placement === 'body'
                ? await api().call(user, 'POST', `/lite/users/${created.json.id}/email_accounts`, { ...opts, form: { email: email() } })
                : await api().call(user, 'GET', `/lite/users/${created.json.id}`, opts);
            expectStatus(own, placement === 'body' ? 201 : 200);
            // A 2-legged consumer's consumer-only request, with the methods listed the other way round.
            const listed = placement === 'body'
              ? await api().call(EVERY_2L, 'POST', '/lite/users', { ...opts, form: { email: email() } })
              : await api().call(EVERY_2L, 'GET', '/lite/users', opts);
            expectStatus(listed, placement === 'body' ? 201 : 200);

            const wrong = await api().call({ ...user, tokenSecret: 'not the token secret' }, 'GET', `/lite/users/${created.json.id}`, { signatureMethod });
            expectProblem(wrong, 105, { oauth_problem: 'signature_invalid' });
            if (signatureMethod === 'PLAINTEXT') {
              // The PLAINTEXT signature received is the secrets: not echoed, and no base string.
              assert.deepEqual(Object.keys(wrong.json).sort(), ['code', 'type', 'value']);
              assert.match(wrong.json.value, /^Invalid signature <hidden>\. A PLAINTEXT signature is/);
              assert.ok(!wrong.text.includes('not%20the%20token%20secret') && !wrong.text.includes('not the token secret'), wrong.text);
            } else {
              assert.ok(wrong.json.base_string.includes(`oauth_signature_method%3D${signatureMethod}`), wrong.json.base_string);
            }
          });
        }
      }

      test('a consumer that lists HMAC-SHA256 alone: HMAC-SHA256 accepted, every other method refused (signature_method_rejected)', async () => {
        expectStatus(await api().call(SHA256_ONLY, 'POST', '/lite/users', { signatureMethod: 'HMAC-SHA256', form: { email: email() } }), 201);
        for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA512', 'PLAINTEXT']) {
          const res = await api().call(SHA256_ONLY, 'POST', '/lite/users', { signatureMethod, form: { email: email() } });
          expectProblem(res, 101, METHOD_REJECTED);
          assert.equal(res.json.value, `unsupported oauth_signature_method "${signatureMethod}"; this consumer accepts HMAC-SHA256 only`);
          assert.deepEqual(Object.keys(res.json).sort(), ['code', 'type', 'value']);
        }
      });

      test('the demo consumer keeps Context.IO\'s rule: HMAC-SHA1 accepted, HMAC-SHA256, HMAC-SHA512 and PLAINTEXT refused (101)', async () => {
        expectStatus(await demoApi().call(DEMO, 'POST', '/lite/users', { signatureMethod: 'HMAC-SHA1', form: { email: email() } }), 201);
        for (const signatureMethod of ['HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT']) {
          for (const placement of PLACEMENTS) {
            const res = await demoApi().call(DEMO, 'POST', '/lite/users', { signatureMethod, placement, form: { email: email() } });
            expectProblem(res, 101, METHOD_REJECTED);
            assert.equal(res.json.value, `unsupported oauth_signature_method "${signatureMethod}"; this consumer accepts HMAC-SHA1 only`);
          }
        }
      });

      test('a method no consumer can list (RSA-SHA1, hmac-sha256): signature_method_rejected naming the four', { skip: !independent(signer) && 'signs only the methods it knows' }, async () => {
        for (const name of ['RSA-SHA1', 'hmac-sha256']) {
          const res = await api().call(EVERY, 'POST', '/lite/users', { oauthOverrides: { oauth_signature_method: name }, form: { email: email() } });
          expectProblem(res, 101, METHOD_REJECTED);
          assert.match(res.json.value, new RegExp(`^unsupported oauth_signature_method "${name}"; this server knows HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, PLAINTEXT`));
        }
      });

      describe('oauth_body_hash', { skip: !can(signer, 'bodyHash') && 'the package does not take bodyHash yet' }, () => {
        for (const signatureMethod of HMACS) {
          test(`${signatureMethod}: a text body, a JSON body with non-ASCII text, no body at all; header and query`, async () => {
            for (const placement of ['header', 'query']) {
              const opts = { signatureMethod, placement, bodyHash: true };
              const text = await api().call(EVERY, 'POST', `/lite/users?email=${encodeURIComponent(email())}`, { ...opts, body: 'Hello World!', contentType: 'text/plain' });
              expectStatus(text, 201);
              const json = await api().call(EVERY, 'POST', `/lite/users?email=${encodeURIComponent(email())}`, {
                ...opts,
                body: JSON.stringify({ note: 'café, 私のさえずり, \u{1F600}' }),
                contentType: 'application/json; charset=utf-8',
              });
              expectStatus(json, 201);
              expectStatus(await api().call(EVERY_2L, 'GET', '/lite/users', opts), 200);
            }
            // The default consumer's HMAC-SHA1 checks a body hash too.
            if (signatureMethod === 'HMAC-SHA1') {
              expectStatus(await demoApi().call(DEMO, 'POST', `/lite/users?email=${encodeURIComponent(email())}`, { bodyHash: true, body: '<x/>', contentType: 'application/xml' }), 201);
            }
          });
        }

        test('the signer sent the body hash it was asked for (oauth_body_hash in the signed parameters)', async () => {
          const signed = await signer.sign({ ...EVERY, method: 'PUT', url: `${server.url}/x`, body: 'Hello World!', contentType: 'text/plain', signatureMethod: 'HMAC-SHA256', bodyHash: true });
          assert.equal(signed.oauthParameters.oauth_body_hash, testBodyHash('HMAC-SHA256', 'Hello World!'));
        });
      });

      describe('oauth_body_hash refusals', { skip: !independent(signer) && 'the package refuses these itself' }, () => {
        for (const signatureMethod of HMACS) {
          test(`${signatureMethod}: a wrong hash, another method's hash, a body changed after signing: 101 naming oauth_body_hash`, async () => {
            const path = `/lite/users?email=${encodeURIComponent(email())}`;
            const body = '{"amount": 100}';
            const expected = testBodyHash(signatureMethod, body);
            const other = HMACS.find((m) => m !== signatureMethod);
            for (const [what, opts] of [
              ['the hash of another body', { oauthOverrides: { oauth_body_hash: testBodyHash(signatureMethod, '{"amount": 1000}') } }],
              [`the ${other} hash`, { oauthOverrides: { oauth_body_hash: testBodyHash(other, body) } }],
              ['an empty hash', { oauthOverrides: { oauth_body_hash: '' } }],
              ['the body changed after signing', { bodyHash: true, tamper: (s) => void (s.body = '{"amount": 1000}') }],
            ]) {
              const res = await api().call(EVERY, 'POST', path, { signatureMethod, body, contentType: 'application/json', ...opts });
              expectProblem(res, 101, rejected('oauth_body_hash'));
              const sent = what === 'the body changed after signing' ? '{"amount": 1000}' : body;
              const name = HASH_OF_METHOD[signatureMethod].toUpperCase().replace('SHA', 'SHA-');
              assert.match(res.json.value, /^oauth_body_hash "[^"]*" does not match the body/, what);
              assert.ok(res.json.value.includes(`the base64 ${name} of the ${Buffer.byteLength(sent)} bytes received is ${testBodyHash(signatureMethod, sent)}`), `${what}: ${res.json.value}`);
            }
            // No body: the hash of the empty string, nothing else.
            const empty = await api().call(EVERY_2L, 'GET', '/lite/users', { signatureMethod, oauthOverrides: { oauth_body_hash: expected } });
            expectProblem(empty, 101, rejected('oauth_body_hash'));
            assert.match(empty.json.value, /of the 0 bytes received is /);
          });

          test(`${signatureMethod}: the body hash is signed: changing it after signing is a bad signature (105)`, async () => {
            const res = await api().call(EVERY, 'POST', `/lite/users?email=${encodeURIComponent(email())}`, {
              signatureMethod,
              body: 'a',
              contentType: 'text/plain',
              bodyHash: true,
              tamper(signed) {
                signed.body = 'b';
                signed.headers.authorization = signed.headers.authorization.replace(/oauth_body_hash="[^"]*"/, `oauth_body_hash="${encodeURIComponent(testBodyHash(signatureMethod, 'b'))}"`);
              },
            });
            expectProblem(res, 105, { oauth_problem: 'signature_invalid' });
            assert.ok(res.json.base_string.includes('oauth_body_hash'), res.json.base_string);
          });

          test(`${signatureMethod}: a form-encoded body with oauth_body_hash is refused (101), even with the right hash of its bytes`, async () => {
            const form = `email=${encodeURIComponent(email())}`;
            for (const placement of ['header', 'query', 'body']) {
              const res = await api().call(EVERY, 'POST', '/lite/users', { signatureMethod, placement, form, bodyHash: true });
              expectProblem(res, 101, rejected('oauth_body_hash'));
              assert.match(res.json.value, /must not be sent with a form-encoded body/);
            }
          });
        }

        test('PLAINTEXT with oauth_body_hash is refused (101): PLAINTEXT has no hash', async () => {
          const body = 'Hello World!';
          for (const hash of HMACS) {
            const res = await api().call(EVERY, 'POST', `/lite/users?email=${encodeURIComponent(email())}`, {
              signatureMethod: 'PLAINTEXT',
              body,
              contentType: 'text/plain',
              oauthOverrides: { oauth_body_hash: testBodyHash(hash, body) },
            });
            expectProblem(res, 101, rejected('oauth_body_hash'));
            assert.match(res.json.value, /^oauth_body_hash cannot be checked with PLAINTEXT/);
          }
        });

        test('without oauth_body_hash a non-form body is not checked, as before', async () => {
          const res = await api().call(EVERY, 'POST', `/lite/users?email=${encodeURIComponent(email())}`, {
            signatureMethod: 'HMAC-SHA256',
            body: 'signed by nobody',
            contentType: 'text/plain',
            tamper: (s) => void (s.body = 'changed'),
          });
          expectStatus(res, 201);
        });
      });

      describe('oauth_callback and oauth_verifier: signed protocol parameters', () => {
        const callback = 'https://app.example/callback?state=a%20b&x=1';
        test('oauth_callback, in each placement and with each method, is signed (changed after signing: 105)', { skip: !can(signer, 'callback') && 'the package does not take callback yet' }, async () => {
          for (const signatureMethod of METHODS) {
            for (const placement of PLACEMENTS) {
              expectStatus(await api().call(EVERY, 'POST', '/lite/users', { signatureMethod, placement, callback, form: { email: email() } }), 201);
            }
          }
          const res = await api().call(EVERY, 'POST', '/lite/users', {
            signatureMethod: 'HMAC-SHA256',
            callback,
            form: { email: email() },
            tamper: (s) => void (s.headers.authorization = s.headers.authorization.replace(/oauth_callback="[^"]*"/, 'oauth_callback="oob"')),
          });
          expectProblem(res, 105, { oauth_problem: 'signature_invalid' });
          assert.ok(res.json.base_string.includes('oauth_callback%3Doob'), res.json.base_string);
        });

        test('oauth_verifier with a token is signed (changed after signing: 105)', { skip: !can(signer, 'verifier') && 'the package does not take verifier yet' }, async () => {
          const created = await api().call(EVERY, 'POST', '/lite/users', { form: { email: email() } });
          expectStatus(created, 201);
          const user = { ...EVERY, token: created.json.access_token, tokenSecret: created.json.access_token_secret };
          for (const signatureMethod of METHODS) {
            expectStatus(await api().call(user, 'GET', `/lite/users/${created.json.id}`, { signatureMethod, verifier: 'pDNg57prOHapMbhv25RNf75lVRd6JDsni1AJJIDYoTY' }), 200);
          }
          const res = await api().call(user, 'GET', `/lite/users/${created.json.id}`, {
            verifier: 'right',
            tamper: (s) => void (s.headers.authorization = s.headers.authorization.replace(/oauth_verifier="right"/, 'oauth_verifier="wrong"')),
          });
          expectProblem(res, 105, { oauth_problem: 'signature_invalid' });
        });
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The config file.

describe('signatureMethods in the config', () => {
  const tmp = tempDir();
  after(async () => {
    await killAllClis();
    tmp.cleanup();
  });

  const ok = { key: 'ok', secret: 'ok-secret-value' };
  const known = '"HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"';
  const BAD = [
    ['HMAC-SHA-256', { signatureMethods: ['HMAC-SHA-256'] }, `consumers[1].signatureMethods[0]: unknown signature method "HMAC-SHA-256" (the methods are ${known}, spelt exactly)`],
    ['hmac-sha256 (names are case-sensitive)', { signatureMethods: ['HMAC-SHA1', 'hmac-sha256'] }, `consumers[1].signatureMethods[1]: unknown signature method "hmac-sha256" (the methods are ${known}, spelt exactly)`],
    ['RSA-SHA1', { signatureMethods: ['RSA-SHA1'] }, `consumers[1].signatureMethods[0]: unknown signature method "RSA-SHA1" (the methods are ${known}, spelt exactly)`],
    ['a name twice', { signatureMethods: ['PLAINTEXT', 'HMAC-SHA1', 'PLAINTEXT'] }, 'consumers[1].signatureMethods[2]: "PLAINTEXT" is listed twice'],
    ['a string', { signatureMethods: 'HMAC-SHA256' }, `consumers[1].signatureMethods must be a non-empty array of signature methods (${known})`],
    ['an empty list', { signatureMethods: [] }, `consumers[1].signatureMethods must be a non-empty array of signature methods (${known})`],
    ['null', { signatureMethods: null }, `consumers[1].signatureMethods must be a non-empty array of signature methods (${known})`],
    ['a number in the list', { signatureMethods: [256] }, `consumers[1].signatureMethods[0] must be a string, one of ${known}`],
    ['signatureMethod (a misspelt field)', { signatureMethod: ['HMAC-SHA256'] }, 'consumers[1] has an unknown field "signatureMethod" (key, secret, threeLegged, oauthProviders, signatureMethods)'],
  ];

  for (const [what, fields, message] of BAD) {
    test(`startServer refuses ${what}, naming the entry`, async () => {
      await assert.rejects(startServer({ consumers: [ok, { key: 'bad', secret: 'bad-secret-value', ...fields }] }), {
        name: 'ConfigError',
        message: `startServer options: ${message}`,
      });
    });
  }

  test('the CLI stops (exit 1) with the message naming the config file and the entry, never a secret', async () => {
    for (const [what, fields, message] of BAD) {
      const config = join(tmp.dir, 'bad-methods.json');
      writeFileSync(config, JSON.stringify({ consumers: [ok, { key: 'bad', secret: 'bad-secret-value', ...fields }] }));
      const res = await runCliToExit(['--port', '0', '--config', config, '--data', join(tmp.dir, 'never.json')]);
      assert.equal(res.code, 1, `${what}: ${res.stderr}`);
      assert.equal(res.stderr, `devserver: config file ${config}: ${message}\n`, what);
      assert.equal(res.stdout, '');
      assert.ok(!res.stderr.includes('secret-value'), 'no secret in the message');
    }
  });

  test('a consumer that accepts PLAINTEXT keeps the server on loopback (its signature is the secrets, in plain HTTP)', async () => {
    const consumers = [ok, { key: 'plain', secret: 'plain-secret-value', signatureMethods: ['HMAC-SHA256', 'PLAINTEXT'] }];
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      await assert.rejects(startServer({ host, consumers }), (e) => {
        assert.equal(e.name, 'ConfigError');
        assert.match(e.message, new RegExp(`^refusing to listen on non-loopback host ${host.replace(/\./g, '\\.')}: startServer options: consumers\\[1\\] \\("plain"\\) accepts PLAINTEXT`));
        assert.ok(!e.message.includes('plain-secret-value'));
        return true;
      });
    }
    const config = join(tmp.dir, 'plaintext.json');
    writeFileSync(config, JSON.stringify({ consumers }));
    const res = await runCliToExit(['--host', '0.0.0.0', '--port', '0', '--config', config, '--data', join(tmp.dir, 'never.json')]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /^devserver: refusing to listen on non-loopback host 0\.0\.0\.0: config file .*plaintext\.json: consumers\[1\] \("plain"\) accepts PLAINTEXT/);
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const local = await startServer({ host, consumers });
      await local.close();
    }
  });

  test('the banner names the methods of a consumer that lists others than HMAC-SHA1', async () => {
    const config = join(tmp.dir, 'banner.json');
    writeFileSync(config, JSON.stringify({ consumers: [ok, { key: 'shop', secret: 'shop-secret-value', threeLegged: false, signatureMethods: ['HMAC-SHA256', 'PLAINTEXT'] }] }));
    const cli = await startCli(['--config', config, '--data', join(tmp.dir, 'banner-data.json')]);
    try {
      assert.match(cli.output(), /^Context\.IO Lite dev server: every request is checked as OAuth 1\.0a \(HMAC-SHA1, or the methods a consumer lists\)/m);
      assert.match(cli.output(), /^ {2}consumer key {4}ok {3}\(3-legged; secret from the config file\)$/m);
      assert.match(cli.output(), /^ {2}consumer key {4}shop {3}\(2-legged; secret from the config file; signature methods HMAC-SHA256, PLAINTEXT\)$/m);
      assert.ok(!cli.output().includes('secret-value'));
    } finally {
      await cli.kill();
    }
  });
});
