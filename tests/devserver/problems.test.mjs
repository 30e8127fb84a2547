// OAuth Problem Reporting: every 401 and 403 carries `WWW-Authenticate: OAuth realm="ORIGIN",
// oauth_problem="..."` with the problem's own parameters, next to the Context.IO JSON body it
// always had. Each problem is produced by a real request, with both signers; a 105's base string
// hides the names the shared rule (common/constants.js) marks as secret.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO, expectStatus, makeClient, parseChallenge, startServer } from './helpers/server.mjs';
import { forEachSigner } from './helpers/signers.mjs';
import { isSecretParameter } from '../../common/constants.js';

forEachSigner((signer) => {
  let server;
  let api;
  let user;

  before(async () => {
    server = await startServer();
    api = makeClient(server.url, signer);
    const created = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'problems@example.com' } });
    expectStatus(created, 201);
    user = { id: created.json.id, creds: { ...DEMO, token: created.json.access_token, tokenSecret: created.json.access_token_secret } };
  });
  after(() => server?.close());

  /**
   * Asserts the status, the code, the challenge's exact parameters and the body's exact fields.
   * @returns {ReturnType<typeof parseChallenge>}
   */
  function expectProblem(res, { status = 401, code, params, bodyFields = [] }) {
    expectStatus(res, status, code);
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(challenge.scheme, 'OAuth');
    assert.equal(challenge.realm, server.url);
    assert.deepEqual(challenge.params, params);
    assert.deepEqual(Object.keys(res.json).sort(), ['code', 'type', 'value', ...bodyFields].sort(), 'the JSON body is the Context.IO one');
    return challenge;
  }

  const userPath = () => `/lite/users/${user.id}`;
  /** Rewrites the signed Authorization header (the checks before the signature's come first). */
  const editHeader = (change) => ({
    tamper(signed) {
      const name = Object.keys(signed.headers).find((n) => n.toLowerCase() === 'authorization');
      signed.headers[name] = change(signed.headers[name]);
    },
  });

  test('a bad signature: signature_invalid (105, base_string kept in the body)', async () => {
    const res = await api.call(user.creds, 'GET', userPath(), editHeader((h) => h.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"')));
    expectProblem(res, { code: 105, params: { oauth_problem: 'signature_invalid' }, bodyFields: ['base_string'] });
    assert.match(res.json.value, /^Invalid signature AAAA\. Signature base string should be GET&/);
  });

  test("a bad signature's base string hides the value of exactly the parameters the shared rule names secret (isSecretParameter)", async () => {
    const names = ['password', 'Client_Secret', 'refresh_token', 'new_passwd', 'private_key', 'secretary', 'email', 'token', 'access_token',
      'refreshtoken', 'private-key', 'pass', 'private_\u212Aey'];
    const value = (i) => `v${i}-never-shown`;
    const query = names.map((n, i) => `${encodeURIComponent(n)}=${value(i)}`).join('&');
    const res = await api.call(user.creds, 'GET', `${userPath()}?${query}`, editHeader((h) => h.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"')));
    expectProblem(res, { code: 105, params: { oauth_problem: 'signature_invalid' }, bodyFields: ['base_string'] });
    const params = new Map(decodeURIComponent(res.json.base_string.split('&')[2]).split('&').map((p) => p.split('=').map(decodeURIComponent)));
    const hidden = names.filter((n, i) => {
      assert.equal(params.get(n), isSecretParameter(n) ? '<hidden>' : value(i), n);
      return params.get(n) === '<hidden>';
    });
    assert.deepEqual(hidden, ['password', 'Client_Secret', 'refresh_token', 'new_passwd', 'private_key', 'secretary']);
    for (const n of hidden) assert.ok(!res.text.includes(value(names.indexOf(n))), `${n}: its value is nowhere in the answer`);
  });

  test('a stale timestamp: timestamp_refused with oauth_acceptable_timestamps around server_time (106)', async () => {
    const stale = Math.floor(Date.now() / 1000) - 3600;
    const res = await api.call(user.creds, 'GET', userPath(), { timestamp: stale });
    const { params } = expectProblem(res, {
      code: 106,
      params: { oauth_problem: 'timestamp_refused', oauth_acceptable_timestamps: `${res.json.server_time - 300}-${res.json.server_time + 300}` },
      bodyFields: ['server_time'],
    });
    const [from, to] = params.oauth_acceptable_timestamps.split('-').map(Number);
    assert.ok(from <= Date.now() / 1000 && Date.now() / 1000 <= to + 1, 'the range holds the real time');
    // The range is what the server accepts: its two ends pass, one second outside does not.
    for (const [timestamp, status] of [[from, 200], [to, 200], [from - 1, 401]]) {
      expectStatus(await api.call(user.creds, 'GET', userPath(), { timestamp }), status);
    }
  });

  test('a replayed nonce: nonce_used (107)', async () => {
    const once = { nonce: `replayed-${Date.now()}`, timestamp: Math.floor(Date.now() / 1000) };
    expectStatus(await api.call(user.creds, 'GET', userPath(), once), 200);
    expectProblem(await api.call(user.creds, 'GET', userPath(), once), { code: 107, params: { oauth_problem: 'nonce_used' } });
  });

  test('missing parameters: parameter_absent with oauth_parameters_absent (101)', async () => {
    const drop = (h, name) => h.replace(new RegExp(`,?\\s*${name}="[^"]*"`), '');
    const one = await api.call(user.creds, 'GET', userPath(), editHeader((h) => drop(h, 'oauth_nonce')));
    expectProblem(one, { code: 101, params: { oauth_problem: 'parameter_absent', oauth_parameters_absent: 'oauth_nonce' } });
    const two = await api.call(user.creds, 'GET', userPath(), editHeader((h) => drop(drop(h, 'oauth_nonce'), 'oauth_signature')));
    expectProblem(two, { code: 101, params: { oauth_problem: 'parameter_absent', oauth_parameters_absent: 'oauth_nonce&oauth_signature' } });
    // The list is percent-encoded inside the header, as every OAuth header value is.
    assert.match(two.headers.get('www-authenticate'), /oauth_parameters_absent="oauth_nonce%26oauth_signature"/);
  });

  test('a parameter given twice: parameter_rejected with oauth_parameters_rejected (101)', async () => {
    const res = await api.call(user.creds, 'GET', userPath(), { tamper: (signed) => (signed.url += '?oauth_nonce=again') });
    expectProblem(res, { code: 101, params: { oauth_problem: 'parameter_rejected', oauth_parameters_rejected: 'oauth_nonce' } });
  });

  test('a timestamp that is not a number: parameter_rejected naming oauth_timestamp (101)', async () => {
    const res = await api.call(user.creds, 'GET', userPath(), editHeader((h) => h.replace(/oauth_timestamp="[^"]*"/, 'oauth_timestamp="12a"')));
    expectProblem(res, { code: 101, params: { oauth_problem: 'parameter_rejected', oauth_parameters_rejected: 'oauth_timestamp' } });
  });

  test('another oauth_version: version_rejected with oauth_acceptable_versions (101)', async () => {
    const res = await api.call(user.creds, 'GET', userPath(), editHeader((h) => h.replace('oauth_version="1.0"', 'oauth_version="2.0"')));
    expectProblem(res, { code: 101, params: { oauth_problem: 'version_rejected', oauth_acceptable_versions: '1.0-1.0' } });
  });

  test('another signature method: signature_method_rejected (101)', async () => {
    const res = await api.call(user.creds, 'GET', userPath(), editHeader((h) => h.replace('HMAC-SHA1', 'PLAINTEXT')));
    expectProblem(res, { code: 101, params: { oauth_problem: 'signature_method_rejected' } });
  });

  test('an unknown consumer key: consumer_key_unknown (102)', async () => {
    const res = await api.call({ consumerKey: 'nobody', consumerSecret: 'x' }, 'POST', '/lite/users', { form: { email: 'a@example.com' } });
    expectProblem(res, { code: 102, params: { oauth_problem: 'consumer_key_unknown' } });
  });

  test('an unknown token: token_rejected (103)', async () => {
    const res = await api.call({ ...DEMO, token: 'no-such-token', tokenSecret: 'x' }, 'GET', userPath());
    expectProblem(res, { code: 103, params: { oauth_problem: 'token_rejected' } });
  });

  test('valid credentials on a resource they may not reach: 403 permission_denied (108)', async () => {
    const res = await api.call(DEMO, 'GET', userPath());
    expectProblem(res, { status: 403, code: 108, params: { oauth_problem: 'permission_denied' } });
  });

  test('other answers carry no challenge; CORS lets a page read it', async () => {
    const ok = await api.call(user.creds, 'GET', userPath());
    expectStatus(ok, 200);
    const missing = await api.call(user.creds, 'GET', `${userPath()}/email_accounts/nobody%40example.com%3A%3Aimap`);
    expectStatus(missing, 404, 404);
    const bad = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'not-an-address' } });
    expectStatus(bad, 400, 400);
    for (const res of [ok, missing, bad]) assert.equal(res.headers.get('www-authenticate'), null, `${res.status}`);

    const fromPage = await fetch(`${server.url}${userPath()}`, { headers: { Origin: 'http://localhost:5173' } });
    assert.equal(fromPage.status, 401);
    assert.match(fromPage.headers.get('www-authenticate'), /^OAuth realm="[^"]+", oauth_problem="parameter_absent"/);
    assert.equal(fromPage.headers.get('access-control-expose-headers'), 'Date, WWW-Authenticate');
  });
});
