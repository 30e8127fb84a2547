// Regression: a form body's first byte is part of its first parameter name. URLSearchParams'
// constructor drops a leading '?', so the server once computed a different base string than
// every correct signer for a body such as "?x=1&email=..." (found by the differential test).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Signer } from '../../pkg/node.js';
import { startServer, DEMO } from './helpers/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test("a form body starting with '?' is verified with its first byte", async () => {
  const signed = Signer.forNewUser(DEMO).signRequest({
    method: 'POST',
    url: `${server.url}/lite/users`,
    body: '?x=1&email=question%40example.com',
    contentType: 'application/x-www-form-urlencoded',
  });
  assert.match(signed.normalizedParameters, /^%3Fx=1&email=question%40example\.com&oauth_/);
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  const json = await res.json();
  assert.equal(res.status, 201, JSON.stringify(json));
  assert.equal(json.email_account.email, 'question@example.com');
});
