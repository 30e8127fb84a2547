// Lite API scenarios over HTTP, each run with both signers (see helpers/signers.mjs).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAuthorizationHeader } from '../../devserver/request.mjs';
import { DEMO, describeResponse, expectStatus, makeClient, send, startServer, tempDir } from './helpers/server.mjs';
import { forEachSigner } from './helpers/signers.mjs';

const ALL_MAIL = '[Gmail]/All Mail';
const enc = encodeURIComponent;

forEachSigner((signer) => {
  let server;
  let tmp;
  let api;
  /** Users created by the scenarios: {id, email, creds}. */
  let alice;
  let bob;

  const userCreds = (created) => ({ ...DEMO, token: created.access_token, tokenSecret: created.access_token_secret });
  const folderPath = (user, folder) =>
    `/lite/users/${user.id}/email_accounts/${enc(`${user.email}::imap`)}/folders/${enc(folder)}`;

  async function createUser(email, extra = {}) {
    const res = await api.call(DEMO, 'POST', '/lite/users', { form: { email, ...extra } });
    expectStatus(res, 201);
    return { id: res.json.id, email, creds: userCreds(res.json), res };
  }

  before(async () => {
    tmp = tempDir();
    server = await startServer({ dataFile: join(tmp.dir, 'data.json') });
    api = makeClient(server.url, signer);
    alice = await createUser('alice.liddell@example.com', {
      first_name: 'Alice',
      last_name: 'Liddell',
      password: 'hunter2-not-stored',
    });
    bob = await createUser('bob@example.org');
  });
  after(async () => {
    await server?.close();
    tmp?.cleanup();
  });

  test('POST /lite/users with a consumer-only signature (form body, charset parameter)', () => {
    const { json, request } = alice.res;
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded; charset=UTF-8');
    assert.equal(json.success, true);
    assert.match(json.id, /^[0-9a-f]{24}$/);
    assert.equal(json.resource_url, `${server.url}/lite/users/${json.id}`);
    assert.ok(json.access_token && json.access_token_secret, 'a permanent token pair is returned');
    assert.deepEqual(
      { ...json.email_account, resource_url: undefined },
      {
        label: 'alice.liddell@example.com::imap',
        email: 'alice.liddell@example.com',
        server: 'imap.example.com',
        username: 'alice.liddell@example.com',
        port: 993,
        use_ssl: true,
        type: 'IMAP',
        authentication_type: 'password',
        status: 'OK',
        resource_url: undefined,
      },
    );
    assert.ok(!alice.res.text.includes('not-stored'), 'the password is not echoed');
  });

  test('passwords are neither returned later nor stored', async () => {
    const res = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`);
    expectStatus(res, 200);
    assert.ok(!res.text.includes('not-stored'));
    assert.ok(!readFileSync(join(tmp.dir, 'data.json'), 'utf8').includes('not-stored'));
  });

  test('GET /lite/users/:id and GET /lite/users with the user token', async () => {
    const one = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`);
    expectStatus(one, 200);
    assert.equal(one.json.id, alice.id);
    assert.deepEqual(one.json.email_addresses, ['alice.liddell@example.com']);
    assert.equal(one.json.first_name, 'Alice');
    assert.equal(one.json.last_name, 'Liddell');
    assert.equal(typeof one.json.created, 'number');
    assert.equal(one.json.email_accounts[0].label, 'alice.liddell@example.com::imap');
    assert.equal(one.json.access_token_secret, undefined);

    const list = await api.call(alice.creds, 'GET', '/lite/users');
    expectStatus(list, 200);
    assert.deepEqual(list.json.map((u) => u.id), [alice.id], 'a user token sees only its own user');
  });

  test('email_accounts and folders (3 seeded folders)', async () => {
    const accounts = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}/email_accounts`);
    expectStatus(accounts, 200);
    assert.equal(accounts.json.length, 1);
    assert.equal(accounts.json[0].status, 'OK');
    const label = accounts.json[0].label;

    const folders = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}/email_accounts/${enc(label)}/folders`);
    expectStatus(folders, 200);
    assert.deepEqual(folders.json.map((f) => f.name), ['INBOX', 'Sent', ALL_MAIL]);
    const all = folders.json.find((f) => f.name === ALL_MAIL);
    assert.equal(all.delimiter, '/');
    assert.ok(all.nb_messages >= 20 && all.nb_messages <= 40, `${all.nb_messages} messages in All Mail`);
    const inbox = folders.json.find((f) => f.name === 'INBOX');
    assert.ok(inbox.nb_unseen_messages > 0 && inbox.nb_unseen_messages < inbox.nb_messages);
    assert.equal(all.resource_url, `${server.url}${folderPath(alice, ALL_MAIL)}`);
    assert.match(all.resource_url, /%5BGmail%5D%2FAll%20Mail$/);
  });

  test('messages of "[Gmail]/All Mail" (percent-encoded /, [ ] and space): limit, offset, include_body', async () => {
    const path = `${folderPath(alice, ALL_MAIL)}/messages`;
    const first = await api.call(alice.creds, 'GET', `${path}?limit=5`);
    expectStatus(first, 200);
    assert.equal(first.json.length, 5);
    const dates = first.json.map((m) => m.date);
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a), 'newest first');
    for (const m of first.json) {
      assert.equal(m.bodies, undefined, 'no bodies without include_body');
      assert.ok(m.message_id && m.email_message_id && m.subject, describeResponse(first));
      assert.equal(typeof m.addresses.from.email, 'string');
      assert.ok(Array.isArray(m.addresses.to) && Array.isArray(m.addresses.cc));
      assert.ok(m.folders.includes(ALL_MAIL));
      assert.equal(m.sent_at, m.date);
      assert.equal(m.resource_url, `${server.url}${path}/${m.message_id}`);
    }

    const next = await api.call(alice.creds, 'GET', `${path}?limit=5&offset=5&include_body=1`);
    expectStatus(next, 200);
    assert.equal(next.json.length, 5);
    assert.ok(next.json[0].date <= first.json[4].date, 'offset continues where the first page ended');
    assert.ok(!first.json.some((m) => next.json.some((n) => n.message_id === m.message_id)), 'pages do not overlap');
    for (const m of next.json) {
      assert.equal(m.bodies.length, 1);
      assert.equal(m.bodies[0].type, 'text/plain');
      assert.ok(m.bodies[0].content.length > 10);
    }

    const everything = await api.call(alice.creds, 'GET', `${path}?limit=100`);
    expectStatus(everything, 200);
    const threaded = everything.json.filter((m) => m.in_reply_to);
    assert.ok(threaded.length >= 3, 'seeded threads have replies');
    for (const reply of threaded) {
      assert.ok(everything.json.some((m) => m.email_message_id === reply.in_reply_to), 'in_reply_to points into the mailbox');
      assert.equal(reply.references.at(-1), reply.in_reply_to);
    }
    const defaultLimit = await api.call(alice.creds, 'GET', path);
    expectStatus(defaultLimit, 200);
    assert.equal(defaultLimit.json.length, Math.min(25, everything.json.length));
  });

  test('one message, with its body, by message_id', async () => {
    const path = `${folderPath(alice, 'INBOX')}/messages`;
    const list = await api.call(alice.creds, 'GET', `${path}?limit=1`);
    expectStatus(list, 200);
    const id = list.json[0].message_id;
    const one = await api.call(alice.creds, 'GET', `${path}/${id}?include_body=1`);
    expectStatus(one, 200);
    assert.equal(one.json.message_id, id);
    assert.equal(one.json.subject, list.json[0].subject);
    assert.ok(one.json.bodies[0].content.includes('\n'));
    const missing = await api.call(alice.creds, 'GET', `${path}/000000000000000000000000`);
    expectStatus(missing, 404, 404);
  });

  test("another user's token is refused with 403 code 108", async () => {
    const res = await api.call(bob.creds, 'GET', `/lite/users/${alice.id}/email_accounts`);
    expectStatus(res, 403, 108);
    const del = await api.call(bob.creds, 'DELETE', `/lite/users/${alice.id}`);
    expectStatus(del, 403, 108);
  });

  test('a consumer-only signature on a user route is refused with 403 code 108', async () => {
    for (const path of [`/lite/users/${alice.id}`, `/lite/users/${alice.id}/email_accounts`, '/lite/users']) {
      const res = await api.call(DEMO, 'GET', path);
      expectStatus(res, 403, 108);
    }
  });

  test('a user token on POST /lite/users is refused with 403 code 108', async () => {
    const res = await api.call(alice.creds, 'POST', '/lite/users', { form: { email: 'x@example.com' } });
    expectStatus(res, 403, 108);
  });

  test('a tampered signature: 401 code 105 with the base string the client signed', async () => {
    const res = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}/email_accounts?status=OK`, {
      tamper(signed) {
        signed.headers.authorization = signed.headers.authorization.replace(
          /oauth_signature="([^"]+)"/,
          (_, s) => `oauth_signature="${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}"`,
        );
      },
    });
    expectStatus(res, 401, 105);
    const header = Object.fromEntries(parseAuthorizationHeader(res.request.headers.authorization).params);
    const sent = header.oauth_signature;
    assert.equal(res.json.value, `Invalid signature ${sent}. Signature base string should be ${res.json.base_string}`);
    // The signer's own base string for this exact request: the server must agree byte for byte.
    const signed = await signer.sign({
      ...alice.creds,
      method: 'GET',
      url: res.request.url,
      nonce: header.oauth_nonce,
      timestamp: header.oauth_timestamp,
    });
    assert.equal(res.json.base_string, signed.baseString);
    assert.ok(res.json.base_string.startsWith(`GET&${enc(`${server.url}/lite/users/${alice.id}/email_accounts`)}&`));
  });

  test('a request changed after signing: 401 code 105, base string of what arrived', async () => {
    const nonce = `tamper-${Date.now()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const path = `${folderPath(alice, 'INBOX')}/messages`;
    const res = await api.call(alice.creds, 'GET', `${path}?limit=2`, {
      nonce,
      timestamp,
      tamper(signed) {
        signed.url = signed.url.replace('limit=2', 'limit=20');
      },
    });
    expectStatus(res, 401, 105);
    const independent = await signer.sign({ ...alice.creds, method: 'GET', url: `${server.url}${path}?limit=20`, nonce, timestamp });
    assert.equal(res.json.base_string, independent.baseString);
  });

  test('a stale timestamp: 401 code 106 with server_time', async () => {
    const stale = Math.floor(Date.now() / 1000) - 3600;
    const res = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`, { timestamp: stale });
    expectStatus(res, 401, 106);
    const now = Math.floor(Date.now() / 1000);
    assert.ok(Math.abs(res.json.server_time - now) <= 5, describeResponse(res));
    assert.equal(
      res.json.value,
      `Timestamp ${stale} is outside the allowed window of 300 s (server time ${res.json.server_time})`,
    );
    const future = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`, { timestamp: now + 600 });
    expectStatus(future, 401, 106);
    const edge = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`, { timestamp: now - 250 });
    expectStatus(edge, 200);
  });

  test('a replayed nonce: 401 code 107', async () => {
    const signed = await signer.sign({ ...alice.creds, method: 'GET', url: `${server.url}/lite/users/${alice.id}` });
    expectStatus(await send(signed), 200);
    const replay = await send(signed);
    expectStatus(replay, 401, 107);
  });

  test('placements: query-signed GET, body-signed POST, header with a realm', async () => {
    const q = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}/email_accounts`, { placement: 'query' });
    assert.equal(q.request.headers.authorization, undefined);
    assert.match(q.request.url, /[?&]oauth_signature=/);
    expectStatus(q, 200);

    const b = await api.call(DEMO, 'POST', '/lite/users', {
      form: { email: 'body.placement@example.com' },
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
      placement: 'body',
    });
    assert.match(b.request.body, /(^|&)oauth_signature=/);
    expectStatus(b, 201);

    const r = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}`, { realm: 'https://api.context.io/' });
    assert.match(r.request.headers.authorization, /^OAuth realm="https:\/\/api.context.io\/"/);
    expectStatus(r, 200);
  });

  test('reserved and non-ASCII characters in the form body and the query', async () => {
    const created = await api.call(DEMO, 'POST', '/lite/users', {
      form: { email: 'zoe+test@example.com', first_name: "Zoë (O'Brien) *!~", last_name: 'Ænes Ørsted 東京 & co=1+1' },
    });
    expectStatus(created, 201);
    const user = { id: created.json.id, email: 'zoe+test@example.com', creds: userCreds(created.json) };
    const got = await api.call(user.creds, 'GET', `/lite/users/${user.id}`);
    expectStatus(got, 200);
    assert.equal(got.json.first_name, "Zoë (O'Brien) *!~");
    assert.equal(got.json.last_name, 'Ænes Ørsted 東京 & co=1+1');

    // Duplicate names, sorted by encoded value; '+' and %20 both mean space in a query.
    const q = await api.call(user.creds, 'GET', `${folderPath(user, 'INBOX')}/messages?k=a.b&k=a%2Fb&k=%C3%A9&k=z&sp=a+b&sp2=a%20b&empty=&limit=3`);
    expectStatus(q, 200);
    assert.equal(q.json.length, 3);
  });

  test('missing or invalid fields: 400 code 400', async () => {
    expectStatus(await api.call(DEMO, 'POST', '/lite/users', { form: { first_name: 'No Email' } }), 400, 400);
    expectStatus(await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'not-an-address' } }), 400, 400);
    expectStatus(await api.call(DEMO, 'POST', '/lite/connect_tokens', { form: { email: 'a@example.com' } }), 400, 400);
    const bad = await api.call(alice.creds, 'GET', `${folderPath(alice, 'INBOX')}/messages?limit=ten`);
    expectStatus(bad, 400, 400);
  });

  test('unknown routes and resources: 404 code 404', async () => {
    expectStatus(await api.call(alice.creds, 'GET', '/lite/nothing-here'), 404, 404);
    expectStatus(await api.call(alice.creds, 'GET', `${folderPath(alice, 'Trash')}/messages`), 404, 404);
    const wrongLabel = await api.call(alice.creds, 'GET', `/lite/users/${alice.id}/email_accounts/${enc('x@example.com::imap')}/folders`);
    expectStatus(wrongLabel, 404, 404);
  });

  test('unknown consumer key: 401 code 102; unknown token: 401 code 103', async () => {
    const c = await api.call({ consumerKey: 'nobody', consumerSecret: 'whatever' }, 'POST', '/lite/users', { form: { email: 'a@example.com' } });
    expectStatus(c, 401, 102);
    const t = await api.call({ ...DEMO, token: 'no-such-token', tokenSecret: 'x' }, 'GET', `/lite/users/${alice.id}`);
    expectStatus(t, 401, 103);
  });

  test('DELETE a user, then its token is 401 code 103', async () => {
    const carol = await createUser('carol@example.net');
    const del = await api.call(carol.creds, 'DELETE', `/lite/users/${carol.id}`);
    expectStatus(del, 200);
    assert.deepEqual(del.json, { success: true });
    const after = await api.call(carol.creds, 'GET', `/lite/users/${carol.id}`);
    expectStatus(after, 401, 103);
  });

  test('every response carries a Date header and CORS headers for an Origin', async () => {
    const signed = await signer.sign({ ...alice.creds, method: 'GET', url: `${server.url}/lite/users/${alice.id}` });
    signed.headers.origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const res = await send(signed);
    expectStatus(res, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    assert.match(res.headers.get('access-control-expose-headers'), /Date/);
    assert.ok(Math.abs(Date.parse(res.headers.get('date')) - Date.now()) < 5000);
  });
});

describe('CORS preflight', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  for (const origin of ['chrome-extension://abcdefghijklmnop', 'moz-extension://0a1b2c3d-4e5f', 'http://localhost:5173']) {
    test(`OPTIONS from ${origin}`, async () => {
      const res = await fetch(`${server.url}/lite/users/abc/email_accounts`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.equal(res.headers.get('access-control-allow-headers'), 'Authorization, Content-Type');
      assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST, PUT, DELETE, OPTIONS');
      assert.equal(res.headers.get('access-control-expose-headers'), 'Date, WWW-Authenticate');
      assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
      assert.ok(res.headers.get('date'));
    });
  }
});

describe('project package: values typed ParamValue (string | number | boolean)', () => {
  const pkgEntry = new URL('../../pkg/node.js', import.meta.url);
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  // Regression: numbers and booleans in `query`/`body` records once threw an untyped
  // "called `Option::unwrap_throw()` on a `None` value" instead of being signed as String(value).
  test(
    'numbers and booleans are sent and signed as String(value)',
    {
      skip: process.env.DEVSERVER_TESTS_WITHOUT_PKG === '1' && !existsSync(new URL('../../pkg/node.js', import.meta.url)),
    },
    async () => {
      const { Signer } = await import(pkgEntry.href);
      const add = Signer.forNewUser(DEMO).signRequest({
        method: 'POST',
        url: `${server.url}/lite/users`,
        body: { email: 'numbers@example.com', port: 993, use_ssl: true },
      });
      assert.match(add.body, /(^|&)port=993(&|$)/);
      assert.match(add.body, /(^|&)use_ssl=true(&|$)/);
      const res = await send(add);
      expectStatus(res, 201);
      const signer = new Signer({ ...DEMO, token: res.json.access_token, tokenSecret: res.json.access_token_secret });
      const list = signer.signRequest({
        method: 'GET',
        url: `${server.url}/lite/users/${res.json.id}/email_accounts/${enc('numbers@example.com::imap')}/folders/INBOX/messages`,
        query: { limit: 2, include_body: true },
      });
      const messages = await send(list);
      expectStatus(messages, 200);
      assert.equal(messages.json.length, 2);
      assert.ok(messages.json[0].bodies);
    },
  );
});
