// The real CLI process: first line, persistence across a restart, --reset, refusals,
// --clock-offset, --config.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedMailbox } from '../../devserver/mailbox.mjs';
import { DEMO, expectStatus, killAllClis, makeClient, runCliToExit, startCli, startServer, tempDir } from './helpers/server.mjs';
import { SIGNERS, forEachSigner } from './helpers/signers.mjs';

let tmp;
before(() => {
  tmp = tempDir();
});
after(async () => {
  await killAllClis();
  tmp.cleanup();
});

forEachSigner((signer) => {
  test('state survives a crash and restart of the CLI; --reset wipes it', async () => {
    const data = join(tmp.dir, `restart-${signer.name}.json`);
    const first = await startCli(['--data', data]);
    let api;
    let created;
    let connect;
    try {
      assert.match(first.firstLine, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
      api = makeClient(first.url, signer);
      created = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'erin@example.com' } });
      expectStatus(created, 201);
      connect = await api.call(DEMO, 'POST', '/lite/connect_tokens', { form: { callback_url: 'http://127.0.0.1:1/cb' } });
      expectStatus(connect, 201);
    } finally {
      await first.kill('SIGKILL'); // no chance to flush anything: every mutation must already be on disk
    }
    const creds = { ...DEMO, token: created.json.access_token, tokenSecret: created.json.access_token_secret };

    const second = await startCli(['--data', data]);
    try {
      assert.match(second.output(), /\(1 user\)/);
      api = makeClient(second.url, signer);
      const user = await api.call(creds, 'GET', `/lite/users/${created.json.id}`);
      expectStatus(user, 200);
      assert.deepEqual(user.json.email_addresses, ['erin@example.com']);
      const messages = await api.call(
        creds,
        'GET',
        `/lite/users/${created.json.id}/email_accounts/${encodeURIComponent('erin@example.com::imap')}/folders/INBOX/messages?limit=3`,
      );
      expectStatus(messages, 200);
      assert.equal(messages.json.length, 3);
      const temporary = { ...DEMO, token: connect.json.access_token, tokenSecret: connect.json.access_token_secret };
      expectStatus(await api.call(temporary, 'GET', `/lite/connect_tokens/${connect.json.token}`), 200);
    } finally {
      await second.kill('SIGTERM');
    }

    const third = await startCli(['--data', data, '--reset']);
    try {
      api = makeClient(third.url, signer);
      expectStatus(await api.call(creds, 'GET', `/lite/users/${created.json.id}`), 401, 103);
    } finally {
      await third.kill();
    }
    const onDisk = JSON.parse(readFileSync(data, 'utf8'));
    assert.deepEqual(onDisk.users, {}, '--reset also empties the file');
  });

  test('--clock-offset shifts the Date header, the timestamp window and server_time', async () => {
    const offset = 7200;
    const cli = await startCli(['--data', join(tmp.dir, `clock-${signer.name}.json`), '--clock-offset', String(offset)]);
    try {
      const info = await fetch(`${cli.url}/`);
      const serverNow = Date.parse(info.headers.get('date')) / 1000;
      assert.ok(Math.abs(serverNow - (Date.now() / 1000 + offset)) < 5, `Date header ${info.headers.get('date')}`);

      const api = makeClient(cli.url, signer);
      const skewed = await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'fay@example.com' } });
      expectStatus(skewed, 401, 106);
      assert.ok(Math.abs(skewed.json.server_time - serverNow) < 5);
      assert.ok(Date.parse(skewed.headers.get('date')) / 1000 - skewed.json.server_time < 2);

      // A client that corrects its clock from server_time is accepted.
      const corrected = await api.call(DEMO, 'POST', '/lite/users', {
        form: { email: 'fay@example.com' },
        timestamp: skewed.json.server_time,
      });
      expectStatus(corrected, 201);
    } finally {
      await cli.kill();
    }
  });
});

test('--clock-offset takes a negative value as a separate argument or after =', async () => {
  for (const args of [['--clock-offset', '-3600'], ['--clock-offset=-3600']]) {
    const cli = await startCli(['--data', join(tmp.dir, 'negative-clock.json'), ...args]);
    try {
      const res = await fetch(`${cli.url}/`);
      const skew = Date.parse(res.headers.get('date')) / 1000 - Date.now() / 1000;
      assert.ok(Math.abs(skew + 3600) < 5, `${args.join(' ')}: Date header ${res.headers.get('date')}`);
    } finally {
      await cli.kill();
    }
  }
});

forEachSigner((signer) => {
  test('a contextio-devserver/1 data file is upgraded: its users, tokens and mailboxes keep working', async () => {
    const data = join(tmp.dir, `v1-${signer.name}.json`);
    const created = Math.floor(Date.now() / 1000) - 86400;
    const email = 'old.timer@example.com';
    const v1 = {
      format: 'contextio-devserver/1',
      users: {
        '0123456789abcdef01234567': {
          id: '0123456789abcdef01234567',
          consumerKey: DEMO.consumerKey,
          email,
          first_name: 'Old',
          last_name: 'Timer',
          created,
          account: { label: `${email}::imap`, email, server: 'imap.example.com', username: email, port: 993, use_ssl: true, type: 'IMAP' },
          access_token: 'a'.repeat(32),
          access_token_secret: 'old-token-secret',
          mailbox: seedMailbox(email, created),
        },
      },
      connectTokens: {},
    };
    writeFileSync(data, JSON.stringify(v1));
    const cli = await startCli(['--data', data]);
    try {
      assert.match(cli.output(), /\(1 user\)/);
      const onDisk = JSON.parse(readFileSync(data, 'utf8'));
      assert.equal(onDisk.format, 'contextio-devserver/2', 'written back in the current format at start');
      assert.equal(onDisk.users['0123456789abcdef01234567'].accounts.length, 1);
      const api = makeClient(cli.url, signer);
      const creds = { ...DEMO, token: 'a'.repeat(32), tokenSecret: 'old-token-secret' };
      const user = await api.call(creds, 'GET', '/lite/users/0123456789abcdef01234567');
      expectStatus(user, 200);
      assert.deepEqual(user.json.email_addresses, [email]);
      assert.equal(user.json.email_accounts[0].authentication_type, 'password');
      const messages = await api.call(creds, 'GET', `/lite/users/0123456789abcdef01234567/email_accounts/${encodeURIComponent(`${email}::imap`)}/folders/INBOX/messages?limit=100`);
      expectStatus(messages, 200);
      const inboxCount = v1.users['0123456789abcdef01234567'].mailbox.messages.filter((m) => m.folders.includes('INBOX')).length;
      assert.equal(messages.json.length, inboxCount, 'the same mailbox');
    } finally {
      await cli.kill();
    }
  });
});

describe('CLI refusals', () => {
  test('an unparseable data file is refused and left untouched', async () => {
    const data = join(tmp.dir, 'broken.json');
    writeFileSync(data, '{"format": "contextio-devserver/1", "users": {');
    const res = await runCliToExit(['--port', '0', '--data', data]);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /not valid JSON/);
    assert.match(res.stderr, /--reset/);
    assert.equal(res.stdout, '');
    assert.equal(readFileSync(data, 'utf8'), '{"format": "contextio-devserver/1", "users": {');
  });

  test('valid JSON of another shape is refused too', async () => {
    const data = join(tmp.dir, 'other.json');
    writeFileSync(data, '[]');
    const res = await runCliToExit(['--port', '0', '--data', data]);
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /is not a contextio-devserver\/2 \(or contextio-devserver\/1\) data file/);
  });

  for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
    test(`the demo consumer refuses non-loopback host ${host}`, async () => {
      const res = await runCliToExit(['--host', host, '--port', '0', '--data', join(tmp.dir, 'never.json')]);
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /refusing to listen on non-loopback host/);
      assert.equal(res.stdout, '');
    });
  }

  test('bad arguments and an unreadable config exit non-zero with a message', async () => {
    const bad = await runCliToExit(['--port', 'eighty']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port/);
    for (const [args, named] of [[['--bogus'], /--bogus/], [['extra'], /extra/], [['--reset=yes'], /--reset/], [['--data'], /--data/]]) {
      const r = await runCliToExit(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, named);
      assert.match(r.stderr, /^usage: node devserver\/server\.mjs/m);
    }
    const config = join(tmp.dir, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ consumers: [{ key: 'k', secret: 'super-secret-value' }, { key: 'k', secret: 'x' }] }));
    const dup = await runCliToExit(['--port', '0', '--config', config, '--data', join(tmp.dir, 'never.json')]);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /listed twice/);
    assert.ok(!dup.stderr.includes('super-secret-value'), 'no secret in error output');
  });
});

forEachSigner((signer) => {
  test('--config: own consumers; a 2-legged consumer reaches user routes with a consumer-only signature', async () => {
    const config = join(tmp.dir, `config-${signer.name}.json`);
    const three = { consumerKey: 'app-3l', consumerSecret: 'three legged secret/+=' };
    const two = { consumerKey: 'app-2l', consumerSecret: 'two-legged-secret' };
    writeFileSync(
      config,
      JSON.stringify({
        consumers: [
          { key: three.consumerKey, secret: three.consumerSecret, threeLegged: true },
          { key: two.consumerKey, secret: two.consumerSecret, threeLegged: false },
        ],
      }),
    );
    const cli = await startCli(['--config', config, '--data', join(tmp.dir, `config-${signer.name}-data.json`)]);
    try {
      assert.ok(!cli.output().includes(three.consumerSecret) && !cli.output().includes(two.consumerSecret), 'secrets are not printed');
      assert.match(cli.output(), /app-2l/);
      const api = makeClient(cli.url, signer);
      expectStatus(await api.call(DEMO, 'POST', '/lite/users', { form: { email: 'g@example.com' } }), 401, 102);

      const u3 = await api.call(three, 'POST', '/lite/users', { form: { email: 'three@example.com' } });
      expectStatus(u3, 201);
      expectStatus(await api.call(three, 'GET', `/lite/users/${u3.json.id}`), 403, 108);

      const u2 = await api.call(two, 'POST', '/lite/users', { form: { email: 'two@example.com' } });
      expectStatus(u2, 201);
      expectStatus(await api.call(two, 'GET', `/lite/users/${u2.json.id}/email_accounts`), 200);
      const list = await api.call(two, 'GET', '/lite/users');
      expectStatus(list, 200);
      assert.deepEqual(list.json.map((u) => u.id), [u2.json.id], "a consumer sees only its own users, not app-3l's");
      // Users of another consumer do not exist for this one.
      expectStatus(await api.call(two, 'GET', `/lite/users/${u3.json.id}`), 404, 404);
      // A user token of app-3l signed with app-2l's consumer: unknown token for that consumer.
      const crossed = { ...two, token: u3.json.access_token, tokenSecret: u3.json.access_token_secret };
      expectStatus(await api.call(crossed, 'GET', `/lite/users/${u3.json.id}`), 401, 103);
    } finally {
      await cli.kill();
    }
  });
});

test('user records keep the one-account aliases (account, mailbox) without storing them twice', async () => {
  const data = join(tmp.dir, 'aliases.json');
  const server = await startServer({ dataFile: data });
  try {
    const user = server.store.createUser({ consumerKey: DEMO.consumerKey, email: 'alias@example.com', now: 1_700_000_000 });
    assert.equal(user.account, user.accounts[0]);
    assert.equal(user.mailbox, user.accounts[0].mailbox);
    const stored = JSON.parse(readFileSync(data, 'utf8')).users[user.id];
    assert.deepEqual(Object.keys(stored).sort(), ['access_token', 'access_token_secret', 'accounts', 'consumerKey', 'created', 'email', 'first_name', 'id', 'last_name']);
  } finally {
    await server.close();
  }
  const again = await startServer({ dataFile: data });
  try {
    const [user] = again.store.listUsers(DEMO.consumerKey);
    assert.equal(user.account.email, 'alias@example.com', 'also after a reload');
  } finally {
    await again.close();
  }
});

test('--config with oauthProviders starts (the file is checked once), and its provider is usable', async () => {
  // Regression: the providers of a config file were converted, then checked again as if they
  // were the file, and the start was refused.
  const config = join(tmp.dir, 'providers-config.json');
  const app = { consumerKey: 'providers-app', consumerSecret: 'providers-app-secret' };
  const clientId = 'cli-test.apps.googleusercontent.com';
  writeFileSync(
    config,
    JSON.stringify({
      consumers: [{ key: app.consumerKey, secret: app.consumerSecret, oauthProviders: [{ type: 'gmail_oauth2', provider_consumer_key: clientId, provider_consumer_secret: 'provider-secret' }] }],
    }),
  );
  const cli = await startCli(['--config', config, '--data', join(tmp.dir, 'providers-data.json')]);
  try {
    assert.match(cli.output(), /providers-app {3}\(3-legged; secret from the config file; 1 OAuth provider in the config file\)/);
    assert.ok(!cli.output().includes('provider-secret'), 'the provider secret is not printed');
    const api = makeClient(cli.url, SIGNERS[0]);
    const user = await api.call(app, 'POST', '/lite/users', { form: { email: 'ada@gmail.com', provider_consumer_key: clientId, provider_refresh_token: 'refresh' } });
    expectStatus(user, 201);
    assert.deepEqual([user.json.email_account.provider_type, user.json.email_account.provider_consumer_key], ['GMAIL_OAUTH2', clientId]);
  } finally {
    await cli.kill();
  }
});

test('startServer takes consumers or a config file, not both', async () => {
  await assert.rejects(startServer({ consumers: [{ key: 'k', secret: 's' }], configFile: join(tmp.dir, 'any.json') }), {
    name: 'ConfigError',
    message: 'startServer options: give consumers or configFile, not both',
  });
});
