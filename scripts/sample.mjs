#!/usr/bin/env node
// Prints a signed sample Context.IO call (headers and base string) made with the built package.
// With --start-server: starts the local API server on a free port, adds a user with the
// consumer-only signer, reads its newest messages with the user's own token, and stops.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Signer } from '../pkg/node.js';

const DEMO = { consumerKey: 'contextio-demo', consumerSecret: 'demo-secret-loopback-only' };

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
  const data = join(mkdtempSync(join(tmpdir(), 'contextio-sample-')), 'data.json');
  const child = spawn(process.execPath, ['devserver/server.mjs', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const m = /^listening on (http:\/\/\S+)$/.exec(first);
  if (!m) throw new Error(`unexpected first line: ${first}`);
  return { base: m[1], stop: () => child.kill() };
}

const withServer = process.argv.includes('--start-server');
const server = withServer ? await startServer() : null;
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
  server?.stop();
}
