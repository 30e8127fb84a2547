// OAuth providers (`/lite/oauth_providers`), users and email accounts over OAuth2
// (`provider_consumer_key` + `provider_refresh_token`), and where refresh tokens and provider
// secrets may and may not appear. Every scenario runs with both signers.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectStatus, makeClient, startServer, tempDir } from './helpers/server.mjs';
import { SIGNERS, forEachSigner } from './helpers/signers.mjs';

const enc = encodeURIComponent;

/** 2-legged: the secret stays on a server; may manage providers. */
const BACKEND = { consumerKey: 'backend-2l', consumerSecret: 'backend secret 2l/+=' };
/** Another 2-legged consumer: providers and users are per consumer. */
const OTHER = { consumerKey: 'other-2l', consumerSecret: 'other-secret-2l' };
/** 3-legged: its secret ships in apps; never reaches oauth_providers. */
const APP = { consumerKey: 'app-3l', consumerSecret: 'app-secret-3l' };

const CONFIG_GOOGLE = { type: 'GMAIL_OAUTH2', provider_consumer_key: 'cfg-123.apps.googleusercontent.com', provider_consumer_secret: 'CFG-GOOGLE-SECRET-a1' };
const CONFIG_MS = { type: 'MSLIVECONNECT', provider_consumer_key: 'cfg-ms-0001', provider_consumer_secret: 'CFG-MS-SECRET-b2' };

const consumers = [
  { key: BACKEND.consumerKey, secret: BACKEND.consumerSecret, threeLegged: false, oauthProviders: [CONFIG_GOOGLE] },
  { key: OTHER.consumerKey, secret: OTHER.consumerSecret, threeLegged: false },
  { key: APP.consumerKey, secret: APP.consumerSecret, threeLegged: true, oauthProviders: [{ ...CONFIG_MS, type: 'MsLiveConnect' }] },
];

forEachSigner((signer) => {
  let server;
  let tmp;
  let api;
  /** Every response body of this suite, and every log line: no refresh token may be in any. */
  const responses = [];
  const logLines = [];
  /** Refresh tokens sent by this suite (distinct, recognizable values). */
  const refreshTokens = [];
  const refreshToken = () => {
    const t = `RT-${signer.name}-${refreshTokens.length}-1//0gQx${'9'.repeat(20)}`;
    refreshTokens.push(t);
    return t;
  };

  async function call(creds, method, path, opts) {
    const res = await api.call(creds, method, path, opts);
    responses.push(`${method} ${path} -> ${res.status} ${res.text}`);
    return res;
  }

  const ownUser = async (creds, email) => {
    const res = await call(creds, 'POST', '/lite/users', { form: { email } });
    expectStatus(res, 201);
    return { id: res.json.id, creds: { ...creds, token: res.json.access_token, tokenSecret: res.json.access_token_secret } };
  };

  before(async () => {
    tmp = tempDir();
    server = await startServer({ dataFile: join(tmp.dir, 'data.json'), consumers, log: (line) => logLines.push(line) });
    api = makeClient(server.url, signer);
  });
  after(async () => {
    await server?.close();
    tmp?.cleanup();
  });

  describe('oauth_providers', () => {
    test('GET lists the consumer\'s providers, the config file\'s included, with their secrets', async () => {
      const res = await call(BACKEND, 'GET', '/lite/oauth_providers');
      expectStatus(res, 200);
      assert.deepEqual(res.json, [{ ...CONFIG_GOOGLE, resource_url: `${server.url}/lite/oauth_providers/${enc(CONFIG_GOOGLE.provider_consumer_key)}` }]);
      const other = await call(OTHER, 'GET', '/lite/oauth_providers');
      expectStatus(other, 200);
      assert.deepEqual(other.json, [], 'providers belong to a consumer');
    });

    test('POST registers (201), GET by key reads it, the same key again replaces it', async () => {
      const key = `${signer.name}-client/1 é@x.apps.googleusercontent.com`;
      const created = await call(BACKEND, 'POST', '/lite/oauth_providers', {
        form: { type: 'GMAIL_OAUTH2', provider_consumer_key: key, provider_consumer_secret: 'first-secret' },
      });
      expectStatus(created, 201);
      const resourceUrl = `${server.url}/lite/oauth_providers/${enc(key)}`;
      assert.deepEqual(created.json, { success: true, provider_consumer_key: key, resource_url: resourceUrl });

      const one = await call(BACKEND, 'GET', `/lite/oauth_providers/${enc(key)}`);
      expectStatus(one, 200);
      assert.deepEqual(one.json, { type: 'GMAIL_OAUTH2', provider_consumer_key: key, provider_consumer_secret: 'first-secret', resource_url: resourceUrl });

      const again = await call(BACKEND, 'POST', '/lite/oauth_providers', {
        form: { type: 'mslIveconnect', provider_consumer_key: key, provider_consumer_secret: 'second-secret' },
      });
      expectStatus(again, 201);
      const replaced = await call(BACKEND, 'GET', `/lite/oauth_providers/${enc(key)}`);
      assert.equal(replaced.json.provider_consumer_secret, 'second-secret');
      assert.equal(replaced.json.type, 'MSLIVECONNECT', 'the type is read case-insensitively');
      const list = await call(BACKEND, 'GET', '/lite/oauth_providers');
      assert.equal(list.json.filter((p) => p.provider_consumer_key === key).length, 1, 'replaced, not added');
      // Other consumers do not see it.
      expectStatus(await call(OTHER, 'GET', `/lite/oauth_providers/${enc(key)}`), 404, 404);
    });

    test('DELETE removes it ({success: true}); an unknown key is 404 for GET and DELETE', async () => {
      const key = `${signer.name}-to-delete`;
      expectStatus(await call(BACKEND, 'POST', '/lite/oauth_providers', { form: { type: 'MSLIVECONNECT', provider_consumer_key: key, provider_consumer_secret: 's' } }), 201);
      const del = await call(BACKEND, 'DELETE', `/lite/oauth_providers/${key}`);
      expectStatus(del, 200);
      assert.deepEqual(del.json, { success: true });
      const gone = await call(BACKEND, 'GET', `/lite/oauth_providers/${key}`);
      expectStatus(gone, 404, 404);
      assert.match(gone.json.value, new RegExp(key));
      expectStatus(await call(BACKEND, 'DELETE', `/lite/oauth_providers/${key}`), 404, 404);
      expectStatus(await call(BACKEND, 'GET', '/lite/oauth_providers/never-registered'), 404, 404);
    });

    test('a missing field or an unknown type is 400, and the message names it (never the secret)', async () => {
      const full = { type: 'GMAIL_OAUTH2', provider_consumer_key: 'k-400', provider_consumer_secret: 'SECRET-400-never-echoed' };
      for (const missing of Object.keys(full)) {
        const form = { ...full };
        delete form[missing];
        const res = await call(BACKEND, 'POST', '/lite/oauth_providers', { form });
        expectStatus(res, 400, 400);
        assert.match(res.json.value, new RegExp(`^${missing} is required`), res.json.value);
      }
      const none = await call(BACKEND, 'POST', '/lite/oauth_providers', { form: { provider_consumer_key: '' } });
      expectStatus(none, 400, 400);
      assert.match(none.json.value, /^type, provider_consumer_key, provider_consumer_secret are required/);

      const yahoo = await call(BACKEND, 'POST', '/lite/oauth_providers', { form: { ...full, type: 'YAHOO_OAUTH2' } });
      expectStatus(yahoo, 400, 400);
      assert.match(yahoo.json.value, /^type "YAHOO_OAUTH2" is not an OAuth provider type \(GMAIL_OAUTH2 or MSLIVECONNECT\)/);

      const control = await call(BACKEND, 'POST', '/lite/oauth_providers', { form: { ...full, provider_consumer_secret: 'SECRET-400-never-echoed\u0007' } });
      expectStatus(control, 400, 400);
      assert.match(control.json.value, /^provider_consumer_secret must not contain control characters/);
      const long = await call(BACKEND, 'POST', '/lite/oauth_providers', { form: { ...full, provider_consumer_key: 'k'.repeat(513) } });
      expectStatus(long, 400, 400);
      assert.match(long.json.value, /^provider_consumer_key must be at most 512 characters/);
      for (const r of [yahoo, control, long]) assert.ok(!r.text.includes('SECRET-400'), r.text);
      expectStatus(await call(BACKEND, 'GET', '/lite/oauth_providers/k-400'), 404, 404);
    });

    test('a 3-legged consumer is refused with 403 code 108, whatever it signs with', async () => {
      const user = await ownUser(APP, `three-${signer.name}@example.com`);
      for (const creds of [APP, user.creds]) {
        for (const [method, path, form] of [
          ['GET', '/lite/oauth_providers'],
          ['POST', '/lite/oauth_providers', { type: 'GMAIL_OAUTH2', provider_consumer_key: 'x', provider_consumer_secret: 'y' }],
          ['GET', `/lite/oauth_providers/${CONFIG_MS.provider_consumer_key}`],
          ['DELETE', `/lite/oauth_providers/${CONFIG_MS.provider_consumer_key}`],
          ['GET', '/lite/oauth_providers/unknown-key'],
        ]) {
          const res = await call(creds, method, path, form ? { form } : {});
          expectStatus(res, 403, 108);
          assert.match(res.json.value, /only a 2-legged consumer/);
          assert.ok(!res.text.includes(CONFIG_MS.provider_consumer_secret));
        }
      }
    });

    test('a 2-legged consumer signing with a user token is refused with 403 code 108', async () => {
      const user = await ownUser(BACKEND, `two-${signer.name}@example.com`);
      const res = await call(user.creds, 'GET', '/lite/oauth_providers');
      expectStatus(res, 403, 108);
      assert.match(res.json.value, /consumer-only signature/);
      expectStatus(
        await call(user.creds, 'POST', '/lite/oauth_providers', { form: { type: 'GMAIL_OAUTH2', provider_consumer_key: 'x', provider_consumer_secret: 'y' } }),
        403,
        108,
      );
    });
  });

  describe('users and email accounts over OAuth2', () => {
    test('POST /lite/users with a provider of the consumer and a refresh token: an OAuth account', async () => {
      const email = `oauth-${signer.name}@gmail.com`;
      const res = await call(BACKEND, 'POST', '/lite/users', {
        form: { email, provider_consumer_key: CONFIG_GOOGLE.provider_consumer_key, provider_refresh_token: refreshToken() },
      });
      expectStatus(res, 201);
      const account = res.json.email_account;
      assert.equal(account.authentication_type, 'oauth');
      assert.equal(account.provider_type, 'GMAIL_OAUTH2');
      assert.equal(account.provider_consumer_key, CONFIG_GOOGLE.provider_consumer_key);
      assert.equal(account.server, 'imap.gmail.com');
      assert.equal(account.label, `${email}::imap`);

      const got = await call(BACKEND, 'GET', `/lite/users/${res.json.id}`);
      expectStatus(got, 200);
      assert.deepEqual(got.json.email_accounts, [account]);
      // The mailbox is there as for any user.
      const inbox = await call(BACKEND, 'GET', `/lite/users/${res.json.id}/email_accounts/${enc(account.label)}/folders/INBOX/messages?limit=2`);
      expectStatus(inbox, 200);
      assert.equal(inbox.json.length, 2);
    });

    test('a 3-legged consumer adds users with its own provider (from the config file)', async () => {
      const res = await call(APP, 'POST', '/lite/users', {
        form: { email: `ms-${signer.name}@outlook.com`, provider_consumer_key: CONFIG_MS.provider_consumer_key, provider_refresh_token: refreshToken() },
      });
      expectStatus(res, 201);
      assert.equal(res.json.email_account.provider_type, 'MSLIVECONNECT');
      assert.equal(res.json.email_account.server, 'outlook.office365.com');
    });

    test('the provider key must name a provider of the calling consumer: 400 naming the key', async () => {
      for (const [creds, key] of [[BACKEND, 'no-such-client'], [BACKEND, CONFIG_MS.provider_consumer_key], [OTHER, CONFIG_GOOGLE.provider_consumer_key]]) {
        const res = await call(creds, 'POST', '/lite/users', {
          form: { email: 'nope@gmail.com', provider_consumer_key: key, provider_refresh_token: refreshToken() },
        });
        expectStatus(res, 400, 400);
        assert.equal(res.json.value.startsWith(`provider_consumer_key "${key}" is not an OAuth provider of this consumer`), true, res.json.value);
      }
      const listed = await call(OTHER, 'GET', '/lite/users');
      assert.deepEqual(listed.json, [], 'no user was created by a refused request');
    });

    test('half of the pair, or a password too, is 400 naming what is wrong', async () => {
      const key = CONFIG_GOOGLE.provider_consumer_key;
      const cases = [
        [{ provider_refresh_token: refreshToken() }, /^provider_consumer_key is required with provider_refresh_token/],
        [{ provider_consumer_key: key }, /^provider_refresh_token is required with provider_consumer_key/],
        [{ provider_consumer_key: key, provider_refresh_token: refreshToken(), password: 'pw' }, /^give either password or provider_consumer_key with provider_refresh_token, not both/],
      ];
      for (const [extra, message] of cases) {
        const res = await call(BACKEND, 'POST', '/lite/users', { form: { email: 'half@gmail.com', ...extra } });
        expectStatus(res, 400, 400);
        assert.match(res.json.value, message);
      }
    });

    test('POST /lite/users/:id/email_accounts adds an account (password or OAuth) with its own mailbox', async () => {
      const user = await ownUser(BACKEND, `multi-${signer.name}@example.com`);
      const second = `second-${signer.name}@example.org`;
      const added = await call(user.creds, 'POST', `/lite/users/${user.id}/email_accounts`, { form: { email: second, password: 'pw-not-stored', server: 'mail.example.org', port: '143', use_ssl: '0' } });
      expectStatus(added, 201);
      const label = `${second}::imap`;
      assert.deepEqual(added.json, { success: true, label, resource_url: `${server.url}/lite/users/${user.id}/email_accounts/${enc(label)}` });

      // Consumer-only, as a 2-legged consumer may: an OAuth account.
      const third = `third-${signer.name}@googlemail.com`;
      const oauth = await call(BACKEND, 'POST', `/lite/users/${user.id}/email_accounts`, {
        form: { email: third, provider_consumer_key: CONFIG_GOOGLE.provider_consumer_key, provider_refresh_token: refreshToken() },
      });
      expectStatus(oauth, 201);

      const accounts = await call(user.creds, 'GET', `/lite/users/${user.id}/email_accounts`);
      expectStatus(accounts, 200);
      assert.deepEqual(accounts.json.map((a) => [a.email, a.authentication_type, a.provider_type]), [
        [`multi-${signer.name}@example.com`, 'password', undefined],
        [second, 'password', undefined],
        [third, 'oauth', 'GMAIL_OAUTH2'],
      ]);
      assert.deepEqual([accounts.json[1].server, accounts.json[1].port, accounts.json[1].use_ssl], ['mail.example.org', 143, false]);
      const one = await call(user.creds, 'GET', `/lite/users/${user.id}/email_accounts/${enc(label)}`);
      expectStatus(one, 200);
      assert.equal(one.json.email, second);
      const folders = await call(user.creds, 'GET', `/lite/users/${user.id}/email_accounts/${enc(label)}/folders`);
      expectStatus(folders, 200);
      assert.equal(folders.json[0].resource_url, `${server.url}/lite/users/${user.id}/email_accounts/${enc(label)}/folders/INBOX`);
      const messages = await call(user.creds, 'GET', `/lite/users/${user.id}/email_accounts/${enc(label)}/folders/INBOX/messages?limit=1`);
      expectStatus(messages, 200);
      assert.ok(messages.json[0].resource_url.includes(enc(label)));
      const profile = await call(user.creds, 'GET', `/lite/users/${user.id}`);
      assert.deepEqual(profile.json.email_addresses, [`multi-${signer.name}@example.com`, second, third]);
      const found = await call(BACKEND, 'GET', `/lite/users?email=${enc(second.toUpperCase())}`);
      assert.deepEqual(found.json.map((u) => u.id), [user.id], 'the email filter looks at every account');

      const duplicate = await call(user.creds, 'POST', `/lite/users/${user.id}/email_accounts`, { form: { email: second } });
      expectStatus(duplicate, 400, 400);
      assert.match(duplicate.json.value, /already has an email account for/);
      expectStatus(await call(user.creds, 'POST', `/lite/users/${user.id}/email_accounts`, { form: {} }), 400, 400);
      const unknownProvider = await call(user.creds, 'POST', `/lite/users/${user.id}/email_accounts`, {
        form: { email: 'x@gmail.com', provider_consumer_key: 'nobody', provider_refresh_token: refreshToken() },
      });
      expectStatus(unknownProvider, 400, 400);
      assert.match(unknownProvider.json.value, /^provider_consumer_key "nobody"/);
    });

    test('email_accounts POST follows the user access rule: 403 for another user, 404 for an unknown one', async () => {
      const a = await ownUser(APP, `a-${signer.name}@example.com`);
      const b = await ownUser(APP, `b-${signer.name}@example.com`);
      expectStatus(await call(b.creds, 'POST', `/lite/users/${a.id}/email_accounts`, { form: { email: 'x@example.com' } }), 403, 108);
      expectStatus(await call(APP, 'POST', `/lite/users/${a.id}/email_accounts`, { form: { email: 'x@example.com' } }), 403, 108);
      expectStatus(await call(BACKEND, 'POST', '/lite/users/000000000000000000000000/email_accounts', { form: { email: 'x@example.com' } }), 404, 404);
    });

    test('a bad signature (105) shows secret fields as <hidden> in the base string it returns', async () => {
      const token = refreshToken();
      const res = await call(BACKEND, 'POST', '/lite/users', {
        form: { email: 'tampered@gmail.com', provider_consumer_key: CONFIG_GOOGLE.provider_consumer_key, provider_refresh_token: token, password: 'pw-secret-x' },
        tamper(signed) {
          for (const k of Object.keys(signed.headers)) {
            if (k.toLowerCase() === 'authorization') signed.headers[k] = signed.headers[k].replace(/oauth_nonce="([^"]+)"/, 'oauth_nonce="$1x"');
          }
        },
      });
      expectStatus(res, 401, 105);
      assert.ok(!res.text.includes(token) && !res.text.includes('pw-secret-x'), res.text);
      assert.match(res.json.base_string, /provider_refresh_token%3D%253Chidden%253E/);
      assert.match(res.json.base_string, /password%3D%253Chidden%253E/);
      assert.match(res.json.base_string, /email%3Dtampered%2540gmail.com/, 'other fields are shown as signed');
    });
  });

  test('no refresh token in any response, log line or the data file', async () => {
    assert.ok(refreshTokens.length >= 10 && responses.length > 30 && logLines.length > 30, 'the suite did send them');
    const data = readFileSync(join(tmp.dir, 'data.json'), 'utf8');
    for (const token of refreshTokens) {
      for (const r of responses) assert.ok(!r.includes(token), `refresh token in a response: ${r.slice(0, 300)}`);
      for (const line of logLines) assert.ok(!line.includes(token), `refresh token in a log line: ${line}`);
      assert.ok(!data.includes(token), 'refresh token in the data file');
    }
    assert.match(data, /"provider_refresh_token_sha256":"[0-9a-f]{64}"/, 'only a digest is kept');
    for (const secret of [CONFIG_GOOGLE.provider_consumer_secret, CONFIG_MS.provider_consumer_secret, 'SECRET-400', BACKEND.consumerSecret]) {
      for (const line of logLines) assert.ok(!line.includes(secret), `a secret in a log line: ${line}`);
    }
  });
});

describe('the config file\'s oauthProviders across restarts', () => {
  const signer = SIGNERS[0];
  let tmp;
  before(() => {
    tmp = tempDir();
  });
  after(() => tmp.cleanup());

  const withProviders = (oauthProviders) => [{ key: BACKEND.consumerKey, secret: BACKEND.consumerSecret, threeLegged: false, oauthProviders }];
  async function keysAfterStart(dataFile, oauthProviders, change) {
    const server = await startServer({ dataFile, consumers: withProviders(oauthProviders) });
    try {
      const api = makeClient(server.url, signer);
      await change?.(api);
      const res = await api.call(BACKEND, 'GET', '/lite/oauth_providers');
      expectStatus(res, 200);
      return res.json.map((p) => `${p.provider_consumer_key}:${p.provider_consumer_secret}`).sort();
    } finally {
      await server.close();
    }
  }

  test('applied once per version of an entry; what the API did to an unchanged entry stands', async () => {
    const dataFile = join(tmp.dir, 'restarts.json');
    const a = { type: 'GMAIL_OAUTH2', provider_consumer_key: 'a', provider_consumer_secret: 'a1' };
    const b = { type: 'MSLIVECONNECT', provider_consumer_key: 'b', provider_consumer_secret: 'b1' };
    const viaApi = { type: 'GMAIL_OAUTH2', provider_consumer_key: 'api', provider_consumer_secret: 'api1' };

    assert.deepEqual(await keysAfterStart(dataFile, [a, b], async (api) => {
      expectStatus(await api.call(BACKEND, 'DELETE', '/lite/oauth_providers/a'), 200);
      expectStatus(await api.call(BACKEND, 'POST', '/lite/oauth_providers', { form: viaApi }), 201);
    }), ['api:api1', 'b:b1']);
    // Same config: the deleted entry stays deleted, the one added through the API persists.
    assert.deepEqual(await keysAfterStart(dataFile, [a, b]), ['api:api1', 'b:b1']);
    // A changed entry is applied again; an entry removed from the config is removed...
    assert.deepEqual(await keysAfterStart(dataFile, [{ ...a, provider_consumer_secret: 'a2' }]), ['a:a2', 'api:api1']);
    // ...unless the API replaced it since: then it is the API's.
    assert.deepEqual(await keysAfterStart(dataFile, [{ ...a, provider_consumer_secret: 'a2' }], async (api) => {
      expectStatus(await api.call(BACKEND, 'POST', '/lite/oauth_providers', { form: { ...a, provider_consumer_secret: 'a3' } }), 201);
    }), ['a:a3', 'api:api1']);
    assert.deepEqual(await keysAfterStart(dataFile, []), ['a:a3', 'api:api1']);
  });

  test('invalid oauthProviders are refused at start, naming the entry and never a secret', async () => {
    const good = { type: 'GMAIL_OAUTH2', provider_consumer_key: 'k', provider_consumer_secret: 'TOP-SECRET-VALUE' };
    const cases = [
      [{}, /oauthProviders must be an array/],
      [[{ ...good, type: 'YAHOO' }], /oauthProviders\[0\]\.type must be GMAIL_OAUTH2 or MSLIVECONNECT/],
      [[{ ...good, provider_consumer_key: '' }], /oauthProviders\[0\]\.provider_consumer_key must be a non-empty string/],
      [[good, { ...good }], /oauthProviders\[1\]\.provider_consumer_key "k" is listed twice/],
      [[{ ...good, provider_consumer_secret: 7 }], /oauthProviders\[0\]\.provider_consumer_secret must be a non-empty string/],
      [[{ ...good, secret: 'x' }], /oauthProviders\[0\] has an unknown field "secret"/],
    ];
    for (const [oauthProviders, message] of cases) {
      await assert.rejects(
        startServer({ consumers: [{ key: 'c', secret: 'CONSUMER-SECRET', threeLegged: false, oauthProviders }] }),
        (e) => e.name === 'ConfigError' && message.test(e.message) && !/TOP-SECRET|CONSUMER-SECRET/.test(e.message),
        String(message),
      );
    }
  });
});
