// One referee: the server reads requests with devserver/request.mjs, the module the differential
// test's oracle reads every signed request with. These are requests the package sends that the
// server refused before the two shared their parsing.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { Signer } from '../../pkg/node.js';
import { DEMO, expectStatus, send, startServer } from './helpers/server.mjs';

let server;
let user;
before(async () => {
  server = await startServer();
  const add = Signer.forNewUser(DEMO).signRequest({ method: 'POST', url: `${server.url}/lite/users`, body: { email: 'ref@example.com' } });
  const res = await send(add);
  expectStatus(res, 201);
  user = new Signer({ ...DEMO, token: res.json.access_token, tokenSecret: res.json.access_token_secret });
  user.id = res.json.id;
});
after(() => server.close());

test('a realm with a quote and a backslash (a quoted-string with escapes) is accepted', async () => {
  const signed = user.signRequest({ method: 'GET', url: `${server.url}/lite/users/${user.id}`, realm: 'say "hi" \\o/' });
  assert.match(signed.headers.Authorization, /^OAuth realm="say \\"hi\\" \\\\o\/", /);
  const res = await send(signed);
  expectStatus(res, 200);
  assert.equal(res.json.id, user.id);
});

test('a Host name with an underscore is accepted and signed as sent', async () => {
  // fetch cannot set Host: node:http sends the request to the loopback port with that Host.
  const host = `dev_box.localhost:${server.port}`;
  const signed = user.signRequest({ method: 'GET', url: `http://${host}/lite/users/${user.id}/email_accounts` });
  const { status, body } = await new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: new URL(signed.url).pathname, headers: { ...signed.headers, host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body[0].email, 'ref@example.com');
  assert.equal(body[0].resource_url.startsWith(`http://${host}/lite/users/`), true, 'resource URLs use the Host the request came to');
});
