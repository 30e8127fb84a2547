#!/usr/bin/env node
// Prints a signed sample Context.IO call (headers and base string) made with the built package.
// With --start-server: starts the local API server on a free port, adds a user with the
// consumer-only signer, reads its newest messages with the user's own token, and stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServer } from '../devserver/spawn.mjs';
import { DEMO_CONSUMER as DEMO } from '../common/constants.js';
import { Signer } from '../pkg/node.js';

const USAGE = `usage: node scripts/sample.mjs [--start-server]

  --start-server  start the local API server on a free port (fresh data), send the sample
                  requests to it, print the answers, and stop it
  --help          show this help`;

let options;
try {
  options = parseArgs({ options: { 'start-server': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } }).values;
} catch (e) {
  console.error(`sample: ${e.message.split('\n')[0]}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

function show(title, signed) {
  console.log(`\n${title}\n  ${signed.method} ${signed.url}`);
  for (const [name, value] of Object.entries(signed.headers)) console.log(`  ${name}: ${value}`);
  if (signed.body) console.log(`  body: ${signed.body}`);
  console.log(`  base string: ${signed.baseString}`);
}

async function send(signed) {
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  const data = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(data)}`);
  return data;
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'contextio-sample-'));
  const server = await spawnServer(['--port', '0', '--quiet', '--data', join(dir, 'data.json')]);
  return {
    base: server.url,
    stop: async () => {
      await server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const server = options['start-server'] ? await startServer() : null;
const api = `${server?.base ?? 'http://127.0.0.1:8787'}/lite`;
try {
  const create = Signer.forNewUser(DEMO).signRequest({
    method: 'POST',
    url: `${api}/users`,
    body: { email: 'alice@example.com', first_name: 'Alice' },
  });
  show('Add a user (consumer-only signer, Signer.forNewUser):', create);
  if (server) {
    const user = await send(create);
    const signer = new Signer({ ...DEMO, token: user.access_token, tokenSecret: user.access_token_secret });
    const accounts = await send(signer.signRequest({ method: 'GET', url: `${api}/users/${user.id}/email_accounts` }));
    const label = encodeURIComponent(accounts[0].label);
    const list = signer.signRequest({
      method: 'GET',
      url: `${api}/users/${user.id}/email_accounts/${label}/folders/INBOX/messages`,
      query: { limit: 5, include_body: 0 },
    });
    show("Read the user's newest messages (3-legged, the user's own token):", list);
    const messages = await send(list);
    console.log(`\n${messages.length} messages, newest first:`);
    for (const m of messages) console.log(`  ${new Date(m.date * 1000).toISOString().slice(0, 10)}  ${m.addresses?.from?.email ?? '?'}  ${m.subject}`);
    if (messages.length === 0) throw new Error('the seeded mailbox is empty');
  }
} finally {
  await server?.stop();
}
