// The connect-token flow end to end, with both signers.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appendQueryParameter } from '../../devserver/pages.mjs';
import { DEMO, expectStatus, makeClient, startServer } from './helpers/server.mjs';
import { forEachSigner } from './helpers/signers.mjs';

forEachSigner((signer) => {
  let server;
  let api;
  before(async () => {
    server = await startServer();
    api = makeClient(server.url, signer);
  });
  after(() => server?.close());

  test('connect token -> consent page -> callback -> permanent pair -> mailbox', async () => {
    const callback = 'https://abcdefghijklmnop.chromiumapp.org/connected?state=s%201';
    const created = await api.call(DEMO, 'POST', '/lite/connect_tokens', {
      form: { callback_url: callback, email: 'dana@example.com', first_name: 'Dana', last_name: 'Scully' },
    });
    expectStatus(created, 201);
    const { token, browser_redirect_url: redirect, access_token, access_token_secret, resource_url } = created.json;
    assert.equal(created.json.success, true);
    assert.match(token, /^[0-9a-f]{32}$/);
    assert.equal(resource_url, `${server.url}/lite/connect_tokens/${token}`);
    assert.equal(redirect, `${server.url}/connect/${token}`);
    const temporary = { ...DEMO, token: access_token, tokenSecret: access_token_secret };

    // Before consent: readable with the temporary pair, not used, no user; no user resources.
    const pending = await api.call(temporary, 'GET', `/lite/connect_tokens/${token}`);
    expectStatus(pending, 200);
    assert.equal(pending.json.used, 0);
    assert.equal(pending.json.user, undefined);
    assert.equal(pending.json.email, 'dana@example.com');
    assert.equal(pending.json.callback_url, callback);
    assert.equal(pending.json.expires - pending.json.created, 3600);
    expectStatus(await api.call(temporary, 'GET', '/lite/users'), 403, 108);

    // The consent page: plain HTML, address prefilled, a Connect button.
    const page = await fetch(redirect);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    const html = await page.text();
    assert.match(html, /<input id="email"[^>]* value="dana@example.com"/);
    assert.match(html, /<button id="connect"/);
    assert.match(html, /prefers-color-scheme: dark/);

    // Submitting the form creates the user and redirects to the callback.
    const submit = await fetch(redirect, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'dana.scully@example.com' }),
      redirect: 'manual',
    });
    assert.equal(submit.status, 302);
    const location = submit.headers.get('location');
    assert.equal(location, `${callback}&contextio_token=${token}`);
    assert.equal(new URL(location).searchParams.get('contextio_token'), token);

    // The temporary pair now reveals the user and its permanent pair.
    const done = await api.call(temporary, 'GET', `/lite/connect_tokens/${token}`);
    expectStatus(done, 200);
    assert.equal(done.json.used, 1);
    const { user } = done.json;
    assert.ok(user, 'user is present once connected');
    assert.deepEqual(user.email_addresses, ['dana.scully@example.com']);
    assert.equal(user.first_name, 'Dana');
    assert.ok(user.access_token && user.access_token_secret);
    assert.notEqual(user.access_token, access_token);

    // Consumer-only signature also reads the token.
    expectStatus(await api.call(DEMO, 'GET', `/lite/connect_tokens/${token}`), 200);

    // The permanent pair works on the user's resources.
    const permanent = { ...DEMO, token: user.access_token, tokenSecret: user.access_token_secret };
    const folders = await api.call(
      permanent,
      'GET',
      `/lite/users/${user.id}/email_accounts/${encodeURIComponent('dana.scully@example.com::imap')}/folders`,
    );
    expectStatus(folders, 200);
    assert.equal(folders.json.length, 3);
    // ...while the temporary pair still may not.
    expectStatus(await api.call(temporary, 'GET', `/lite/users/${user.id}`), 403, 108);

    // The link is single-use.
    const again = await fetch(redirect, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=other%40example.com',
      redirect: 'manual',
    });
    assert.equal(again.status, 409);
  });

  test("one connect token's pair cannot read another connect token", async () => {
    const a = await api.call(DEMO, 'POST', '/lite/connect_tokens', { form: { callback_url: 'http://localhost:9/cb' } });
    const b = await api.call(DEMO, 'POST', '/lite/connect_tokens', { form: { callback_url: 'http://localhost:9/cb' } });
    expectStatus(a, 201);
    expectStatus(b, 201);
    const pairA = { ...DEMO, token: a.json.access_token, tokenSecret: a.json.access_token_secret };
    expectStatus(await api.call(pairA, 'GET', `/lite/connect_tokens/${b.json.token}`), 403, 108);
    expectStatus(await api.call(DEMO, 'GET', '/lite/connect_tokens/0123456789abcdef0123456789abcdef'), 404, 404);
  });
});

describe('consent page', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('unknown token: 404 page; invalid address: 400 with the form again', async () => {
    const unknown = await fetch(`${server.url}/connect/nope`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /unknown or has expired/);

    const record = server.store.createConnectToken({
      consumerKey: DEMO.consumerKey,
      callbackUrl: 'http://127.0.0.1:1/cb',
      now: Math.floor(Date.now() / 1000),
    });
    const page = await (await fetch(`${server.url}/connect/${record.token}`)).text();
    assert.match(page, /<input id="email"[^>]* value=""/, 'no address given: empty, editable');
    const bad = await fetch(`${server.url}/connect/${record.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=%3Cscript%3E',
      redirect: 'manual',
    });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /role="alert"/);
    assert.ok(!html.includes('<script>'), 'the submitted value is escaped');
  });

  test('expired token: the page says so', async () => {
    const record = server.store.createConnectToken({
      consumerKey: DEMO.consumerKey,
      callbackUrl: 'http://127.0.0.1:1/cb',
      now: Math.floor(Date.now() / 1000) - 3601,
    });
    const res = await fetch(`${server.url}/connect/${record.token}`);
    assert.equal(res.status, 404);
  });

  test('callback query joining', () => {
    assert.equal(appendQueryParameter('https://x.example/cb', 'contextio_token', 't'), 'https://x.example/cb?contextio_token=t');
    assert.equal(appendQueryParameter('https://x.example/cb?a=1', 'contextio_token', 't'), 'https://x.example/cb?a=1&contextio_token=t');
    assert.equal(appendQueryParameter('https://x.example/cb?', 'contextio_token', 't'), 'https://x.example/cb?contextio_token=t');
    assert.equal(appendQueryParameter('https://x.example/cb#f', 'contextio_token', 't'), 'https://x.example/cb?contextio_token=t#f');
  });
});
