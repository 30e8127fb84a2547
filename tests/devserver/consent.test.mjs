// Connect tokens through a provider: for a Google or Microsoft address the consent page plays
// that provider (which one, the OAuth2 client, the scope, the callback) and the user it creates
// has an OAuth account; other addresses keep the password form.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO, expectStatus, makeClient, startServer } from './helpers/server.mjs';
import { SIGNERS } from './helpers/signers.mjs';

const APP = { consumerKey: 'app-3l', consumerSecret: 'app-secret-3l' };
const BACKEND = { consumerKey: 'backend-2l', consumerSecret: 'backend-secret-2l' };
const APP_GOOGLE = 'app-1234.apps.googleusercontent.com';
const GOOGLE_DEFAULT = 'contextio-devserver-default.apps.googleusercontent.com';
const MICROSOFT_DEFAULT = 'c0de0000-0000-4000-8000-00000000ca11';

const form = (fields) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual',
});

/** The text of the element with this id (tags inside removed). */
function byId(html, id) {
  const m = new RegExp(`<(\\w+) id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  assert.ok(m, `no element #${id} in the page`);
  return m[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('the consent page per provider', () => {
  let server;
  let api;
  const signer = SIGNERS[0];
  before(async () => {
    server = await startServer({
      consumers: [
        { key: DEMO.consumerKey, secret: DEMO.consumerSecret },
        { key: APP.consumerKey, secret: APP.consumerSecret, oauthProviders: [{ type: 'GMAIL_OAUTH2', provider_consumer_key: APP_GOOGLE, provider_consumer_secret: 'app-google-secret' }] },
        { key: BACKEND.consumerKey, secret: BACKEND.consumerSecret, threeLegged: false },
      ],
    });
    api = makeClient(server.url, signer);
  });
  after(() => server.close());

  async function connectToken(creds, fields = {}) {
    const res = await api.call(creds, 'POST', '/lite/connect_tokens', { form: { callback_url: 'https://app.example/cb?s=1', ...fields } });
    expectStatus(res, 201);
    return { ...res.json, temporary: { ...creds, token: res.json.access_token, tokenSecret: res.json.access_token_secret } };
  }

  async function connectedAccount(ct) {
    const res = await api.call(ct.temporary, 'GET', `/lite/connect_tokens/${ct.token}`);
    expectStatus(res, 200);
    assert.equal(res.json.used, 1);
    return res.json.user.email_accounts[0];
  }

  test("Google: names Google, shows the consumer's client id, the scope and the callback; the user has an OAuth account", async () => {
    const ct = await connectToken(APP, { email: 'alice@gmail.com' });
    const page = await fetch(ct.browser_redirect_url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.equal(byId(html, 'provider'), 'Sign in with Google');
    assert.equal(byId(html, 'account'), 'alice@gmail.com');
    assert.equal(byId(html, 'client-id'), `${APP_GOOGLE} The application's GMAIL_OAUTH2 OAuth provider.`);
    assert.match(byId(html, 'scope'), /^https:\/\/mail\.google\.com\/ /);
    assert.equal(byId(html, 'callback'), `${server.url}/connect/oauth2callback`);
    assert.match(html, /<form method="post" action="\/connect\/oauth2callback">/);
    assert.match(html, /<button id="connect" type="submit">Allow<\/button>/);
    assert.doesNotMatch(html, /id="password"/, 'no password on a provider screen');
    assert.doesNotMatch(html, /app-google-secret/, 'never the provider secret');

    const allow = await fetch(`${server.url}/connect/oauth2callback`, form({ state: ct.token, email: 'alice@gmail.com' }));
    assert.equal(allow.status, 302);
    assert.equal(allow.headers.get('location'), `https://app.example/cb?s=1&contextio_token=${ct.token}`);
    const account = await connectedAccount(ct);
    assert.deepEqual(
      [account.email, account.authentication_type, account.provider_type, account.provider_consumer_key, account.server],
      ['alice@gmail.com', 'oauth', 'GMAIL_OAUTH2', APP_GOOGLE, 'imap.gmail.com'],
    );
    // The link is used up, through the callback too.
    assert.equal((await fetch(`${server.url}/connect/oauth2callback`, form({ state: ct.token, email: 'alice@gmail.com' }))).status, 409);
  });

  test("Microsoft, typed into the form: the server's default client, IMAP scope with offline_access, /connect/mslivecallback", async () => {
    const ct = await connectToken(DEMO);
    const first = await fetch(ct.browser_redirect_url);
    const formHtml = await first.text();
    assert.match(formHtml, /<input id="email"[^>]* value=""/);
    assert.match(formHtml, /<input id="password" name="password" type="password"/);

    const typed = await fetch(ct.browser_redirect_url, form({ email: 'Bob.Smith@Hotmail.com' }));
    assert.equal(typed.status, 200, 'a Microsoft address goes on to the Microsoft screen');
    const html = await typed.text();
    assert.equal(byId(html, 'provider'), 'Sign in with Microsoft');
    assert.equal(byId(html, 'account'), 'Bob.Smith@Hotmail.com');
    assert.equal(
      byId(html, 'client-id'),
      `${MICROSOFT_DEFAULT} This application registered no Microsoft OAuth provider (MSLIVECONNECT): the server's default client is used.`,
    );
    const scope = byId(html, 'scope');
    assert.match(scope, /IMAP\.AccessAsUser\.All/);
    assert.match(scope, /\boffline_access\b/);
    assert.equal(byId(html, 'callback'), `${server.url}/connect/mslivecallback`);
    assert.match(html, /action="\/connect\/mslivecallback"/);

    const allow = await fetch(`${server.url}/connect/mslivecallback`, form({ state: ct.token, email: 'Bob.Smith@Hotmail.com' }));
    assert.equal(allow.status, 302);
    const account = await connectedAccount(ct);
    assert.deepEqual(
      [account.authentication_type, account.provider_type, account.provider_consumer_key, account.server],
      ['oauth', 'MSLIVECONNECT', MICROSOFT_DEFAULT, 'outlook.office365.com'],
    );
  });

  test('every Google and Microsoft domain, in any case; subdomains and other domains get the password form', async () => {
    const expected = {
      'a@gmail.com': 'Google',
      'a@GoogleMail.com': 'Google',
      'a@outlook.com': 'Microsoft',
      'a@HOTMAIL.COM': 'Microsoft',
      'a@live.com': 'Microsoft',
      'a@mail.gmail.com': null,
      'a@gmail.co': null,
      'a@example.com': null,
      'a@live.com.example': null,
    };
    for (const [email, provider] of Object.entries(expected)) {
      const ct = await connectToken(DEMO, { email });
      const html = await (await fetch(ct.browser_redirect_url)).text();
      if (provider) {
        assert.equal(byId(html, 'provider'), `Sign in with ${provider}`, email);
        assert.doesNotMatch(html, /id="password"/, email);
      } else {
        assert.doesNotMatch(html, /id="provider"/, email);
        assert.match(html, /<input id="email"[^>]* value="[^"]+"/, email);
        assert.match(html, /id="password"/, email);
      }
    }
  });

  test('other addresses: the password form creates a password account (the password is not kept)', async () => {
    const ct = await connectToken(APP, { email: 'carol@example.com' });
    const submit = await fetch(ct.browser_redirect_url, form({ email: 'carol@example.com', password: 'hunter2-never-kept' }));
    assert.equal(submit.status, 302);
    const account = await connectedAccount(ct);
    assert.equal(account.authentication_type, 'password');
    assert.equal(account.provider_type, undefined);
    assert.doesNotMatch(JSON.stringify(server.store.state), /hunter2-never-kept/);
  });

  test('"Use another address" goes back to the form; the callback refuses another provider\'s address or an unknown link', async () => {
    const ct = await connectToken(APP, { email: 'dave@gmail.com' });
    const html = await (await fetch(ct.browser_redirect_url)).text();
    assert.match(html, new RegExp(`<a id="another" href="/connect/${ct.token}\\?another=1">`));
    const another = await (await fetch(`${ct.browser_redirect_url}?another=1`)).text();
    assert.match(another, /<input id="email"[^>]* value="dave@gmail.com"/);

    const wrong = await fetch(`${server.url}/connect/oauth2callback`, form({ state: ct.token, email: 'dave@outlook.com' }));
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /Google signs in gmail\.com, googlemail\.com addresses only/);
    assert.equal((await fetch(`${server.url}/connect/mslivecallback`, form({ state: ct.token, email: 'not an address' }))).status, 400);
    assert.equal((await fetch(`${server.url}/connect/oauth2callback`, form({ state: '0'.repeat(32), email: 'dave@gmail.com' }))).status, 404);
    assert.equal((await fetch(`${server.url}/connect/oauth2callback`, form({ email: 'dave@gmail.com' }))).status, 404);
    // Still usable after the refusals.
    assert.equal((await fetch(`${server.url}/connect/oauth2callback`, form({ state: ct.token, email: 'dave@gmail.com' }))).status, 302);
  });

  test("the consumer's provider registered (or replaced) last is shown, escaped", async () => {
    const register = async (key) => {
      const res = await api.call(BACKEND, 'POST', '/lite/oauth_providers', { form: { type: 'GMAIL_OAUTH2', provider_consumer_key: key, provider_consumer_secret: 's' } });
      expectStatus(res, 201);
    };
    const shown = async () => {
      const ct = await connectToken(BACKEND, { email: 'erin@gmail.com' });
      return byId(await (await fetch(ct.browser_redirect_url)).text(), 'client-id').split(' ')[0];
    };
    assert.equal(await shown(), GOOGLE_DEFAULT);
    await register('first.apps.googleusercontent.com');
    await register('<b>"second"</b>');
    const ct = await connectToken(BACKEND, { email: 'erin@gmail.com' });
    const html = await (await fetch(ct.browser_redirect_url)).text();
    assert.match(html, /<code>&#60;b&#62;&#34;second&#34;&#60;\/b&#62;<\/code>/);
    await register('first.apps.googleusercontent.com');
    assert.equal(await shown(), 'first.apps.googleusercontent.com');
    expectStatus(await api.call(BACKEND, 'DELETE', '/lite/oauth_providers/first.apps.googleusercontent.com'), 200);
    assert.equal(await shown(), '&#60;b&#62;&#34;second&#34;&#60;/b&#62;', 'the other one again, still escaped');
  });
});
