// Malformed input never crashes the server: raw requests with broken encodings, headers and
// bodies get a clear 4xx, and the server keeps answering.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DEMO, expectStatus, makeClient, send, startServer } from './helpers/server.mjs';
import { SIGNERS } from './helpers/signers.mjs';

/** Decodes a `Transfer-Encoding: chunked` body. */
function dechunk(buf) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol === -1) break;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Sends bytes exactly as given (fetch would normalize them) and parses the reply. */
function raw(port, head, body = '') {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const headers = all.subarray(0, split === -1 ? all.length : split).toString('latin1');
      let payload = split === -1 ? Buffer.alloc(0) : all.subarray(split + 4);
      if (/^transfer-encoding:\s*chunked/im.test(headers)) payload = dechunk(payload);
      const text = payload.toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]);
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const fields = new Headers();
      for (const line of headers.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.append(line.slice(0, colon), line.slice(colon + 1).trim());
      }
      const host = /^Host: (.*)$/m.exec(head)?.[1] ?? `127.0.0.1:${port}`;
      const request = { method: head.split(' ')[0], url: `http://${host}${head.split(' ')[1]}`, headers: {} };
      resolve({ status, headers: fields, text, json, request });
    });
    socket.on('error', reject);
    socket.end(`${head}\r\nConnection: close\r\n\r\n${body}`);
  });
}

describe('malformed input', () => {
  let server;
  let port;
  const signer = SIGNERS[0];
  before(async () => {
    server = await startServer();
    port = server.port;
  });
  after(() => server.close());

  const hostLine = () => `Host: 127.0.0.1:${port}`;

  test('bad percent-encoding in the query: 400 code 400', async () => {
    const res = await raw(port, `GET /lite/users?x=%zz&y=%E9 HTTP/1.1\r\n${hostLine()}`);
    expectStatus(res, 400, 400);
    assert.match(res.json.value, /malformed percent-encoding in the query string/);
  });

  test('bad percent-encoding in a form body: 400 code 400', async () => {
    const body = 'email=a%40example.com&bad=%G1';
    const res = await raw(
      port,
      `POST /lite/users HTTP/1.1\r\n${hostLine()}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}`,
      body,
    );
    expectStatus(res, 400, 400);
    assert.match(res.json.value, /form body/);
  });

  test('bad percent-encoding in the path: 400 code 400', async () => {
    const res = await raw(port, `GET /lite/users/%E0%A4/email_accounts HTTP/1.1\r\n${hostLine()}`);
    expectStatus(res, 400, 400);
  });

  test('bad percent-encoding in the Authorization header: 401 code 101', async () => {
    const res = await raw(
      port,
      `GET /lite/users HTTP/1.1\r\n${hostLine()}\r\nAuthorization: OAuth oauth_consumer_key="contextio-demo", oauth_nonce="%E9"`,
    );
    expectStatus(res, 401, 101);
  });

  test('a raw (unencoded) base64 signature in the header: 401 code 101 naming the problem', async () => {
    const res = await raw(
      port,
      `GET /lite/users HTTP/1.1\r\n${hostLine()}\r\nAuthorization: OAuth oauth_consumer_key="contextio-demo", oauth_signature="ab+/="`,
    );
    expectStatus(res, 401, 101);
    assert.match(res.json.value, /oauth_signature in the Authorization header is not percent-encoded/);
  });

  test('missing parameters, wrong method, wrong version, bad timestamp: 401 code 101', async () => {
    const signed = await signer.sign({ ...DEMO, method: 'POST', url: `${server.url}/lite/users`, body: 'email=a%40example.com', contentType: 'application/x-www-form-urlencoded' });
    const variants = {
      'no nonce': (h) => h.replace(/oauth_nonce="[^"]*",?\s*/, ''),
      'PLAINTEXT': (h) => h.replace('HMAC-SHA1', 'PLAINTEXT'),
      'version 2.0': (h) => h.replace('oauth_version="1.0"', 'oauth_version="2.0"'),
      'timestamp not a number': (h) => h.replace(/oauth_timestamp="[^"]*"/, 'oauth_timestamp="12a"'),
      'empty signature': (h) => h.replace(/oauth_signature="[^"]*"/, 'oauth_signature=""'),
    };
    for (const [what, change] of Object.entries(variants)) {
      const res = await send({ ...signed, headers: { ...signed.headers, authorization: change(signed.headers.authorization) } });
      expectStatus(res, 401, 101);
      assert.ok(res.json.value.length > 10, what);
    }
  });

  test('the same oauth parameter in the header and the query: 401 code 101', async () => {
    const signed = await signer.sign({ ...DEMO, method: 'POST', url: `${server.url}/lite/users`, body: 'email=a%40example.com', contentType: 'application/x-www-form-urlencoded' });
    const res = await send({ ...signed, url: `${signed.url}?oauth_nonce=again` });
    expectStatus(res, 401, 101);
    assert.match(res.json.value, /oauth_nonce is given more than once/);
  });

  test('a body only enters the signature when it is form-encoded', async () => {
    // Signed as a JSON body (not a parameter source): the server ignores the body's content.
    const signed = await signer.sign({ ...DEMO, method: 'POST', url: `${server.url}/lite/users?email=json%40example.com`, body: '{"a":"b"}', contentType: 'application/json' });
    expectStatus(await send(signed), 201);
  });

  test('a body over 1 MB: 413 code 413', async () => {
    const big = `email=a%40example.com&pad=${'x'.repeat(1024 * 1024 + 10)}`;
    const res = await fetch(`${server.url}/lite/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).code, 413);
  });

  test('garbage request line and headers do not crash the server', async () => {
    const res1 = await raw(port, 'GARBAGE');
    assert.ok(res1.status === 400 || Number.isNaN(res1.status));
    const res2 = await raw(port, `GET /lite/users HTTP/1.1\r\nHost: evil@host/x`);
    expectStatus(res2, 400, 400);
    const res3 = await raw(port, `GET /lite/users HTTP/1.1\r\n${hostLine()}\r\nAuthorization: OAuth ,,,`);
    expectStatus(res3, 401, 101);
    const res4 = await raw(port, `GET //lite/users HTTP/1.1\r\n${hostLine()}`);
    expectStatus(res4, 404, 404);
    // Still alive and verifying.
    const api = makeClient(server.url, signer);
    const ok = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'alive@example.com' } });
    expectStatus(ok, 201);
  });

  test('an aborted upload does not crash the server', async () => {
    await new Promise((resolve) => {
      const req = request({ port, method: 'POST', path: '/lite/users', headers: { 'content-length': '1000', 'content-type': 'application/x-www-form-urlencoded' } });
      req.on('error', () => resolve());
      req.write('email=');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
  });
});
