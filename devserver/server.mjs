#!/usr/bin/env node
// CLI of the Context.IO Lite dev server. See devserver/README.md.
//
//   node devserver/server.mjs [--host 127.0.0.1] [--port 8787] [--data FILE] [--config FILE]
//                             [--reset] [--clock-offset SECONDS] [--quiet]
//
// The first line on stdout is exactly `listening on http://HOST:PORT`; usage notes follow.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './app.mjs';
import { DEMO_CONSUMER } from '../common/constants.js';
import { ConfigError } from './config.mjs';
import { DataFileError } from './datafile.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Default data file, relative to the repository root (not the working directory). */
const DEFAULT_DATA_FILE = resolve(ROOT, 'target/devserver/data.json');

const USAGE = `usage: node devserver/server.mjs [options]

  --host HOST             listen address (default 127.0.0.1; loopback only with the demo consumer)
  --port PORT             TCP port, 0 for a free one (default 8787)
  --data FILE             JSON state file (default target/devserver/data.json)
  --config FILE           consumers: {"consumers":[{"key":"...","secret":"...","threeLegged":true,
                          "oauthProviders":[{"type":"GMAIL_OAUTH2","provider_consumer_key":"...",
                          "provider_consumer_secret":"..."}],
                          "signatureMethods":["HMAC-SHA1","HMAC-SHA256","HMAC-SHA512","PLAINTEXT"]}]}
  --reset                 discard the state in the data file and start clean
  --clock-offset SECONDS  shift the server clock (timestamp window, Date header, server_time)
  --quiet                 do not log requests
  --help                  show this help`;

class UsageError extends Error {}

const OPTIONS = /** @type {const} */ ({
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8787' },
  data: { type: 'string' },
  config: { type: 'string' },
  'clock-offset': { type: 'string', default: '0' },
  reset: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
});

/**
 * Parses argv with `node:util` `parseArgs` (strict: unknown options and positionals are
 * errors; a repeated option keeps its last value). `parseArgs` takes a value starting with '-'
 * only as `--name=-30`, so `--clock-offset -30` is joined into that form first.
 * @param {string[]} argv
 */
function parseCli(argv) {
  const joined = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i])?.[1];
    if (name && OPTIONS[name]?.type === 'string' && /^-[0-9.]/.test(argv[i + 1] ?? '')) joined.push(`${argv[i]}=${argv[++i]}`);
    else joined.push(argv[i]);
  }
  let values;
  try {
    ({ values } = parseArgs({ args: joined, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(e.message.split('\n')[0]);
  }
  if (!/^[0-9]{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new UsageError('--port must be 0..65535');
  if (!/^[+-]?[0-9]+(\.[0-9]+)?$/.test(values['clock-offset'])) throw new UsageError('--clock-offset must be a number of seconds');
  return values;
}

/** Whether a consumer accepts exactly Context.IO's HMAC-SHA1. */
const hmacSha1Only = (c) => c.signatureMethods.length === 1 && c.signatureMethods[0] === 'HMAC-SHA1';

function banner({ url }, { consumers, demo, dataFile, clockOffset, userCount }) {
  const methods = consumers.every(hmacSha1Only) ? 'HMAC-SHA1' : '(HMAC-SHA1, or the methods a consumer lists)';
  const lines = [
    `listening on ${url}`,
    `Context.IO Lite dev server: every request is checked as OAuth 1.0a ${methods} (docs: devserver/README.md)`,
    `  data file     ${dataFile} (${userCount} user${userCount === 1 ? '' : 's'})`,
    `  clock         real time ${clockOffset >= 0 ? '+' : ''}${clockOffset} s; timestamps accepted within ±300 s`,
  ];
  if (demo) {
    lines.push(
      `  consumer key    ${DEMO_CONSUMER.consumerKey}`,
      `  consumer secret ${DEMO_CONSUMER.consumerSecret}   (public demo consumer, 3-legged, loopback only)`,
    );
  } else {
    for (const c of consumers) {
      const n = c.oauthProviders.length;
      const providers = n ? `; ${n} OAuth provider${n === 1 ? '' : 's'} in the config file` : '';
      const methods = hmacSha1Only(c) ? '' : `; signature methods ${c.signatureMethods.join(', ')}`;
      lines.push(`  consumer key    ${c.key}   (${c.threeLegged ? '3-legged' : '2-legged'}; secret from the config file${providers}${methods})`);
    }
  }
  lines.push(
    '  endpoints (consumer-only signature, no oauth_token):',
    `    POST ${url}/lite/users                 form: email=..., first_name, last_name -> user + access token pair`,
    `    POST ${url}/lite/connect_tokens        form: callback_url=..., email -> token + browser_redirect_url`,
    `    GET  ${url}/lite/connect_tokens/TOKEN  (also with the connect token's temporary pair)`,
    "  endpoints (the user's own access token):",
    `    GET  ${url}/lite/users/ID[/email_accounts[/LABEL/folders[/FOLDER/messages[/MESSAGE_ID]]]]`,
    `    POST ${url}/lite/users/ID/email_accounts   form: email=..., password or provider_consumer_key + provider_refresh_token`,
    `    DELETE ${url}/lite/users/ID`,
    '  endpoints (2-legged consumers only, consumer-only signature):',
    `    GET|POST ${url}/lite/oauth_providers   GET|DELETE ${url}/lite/oauth_providers/KEY`,
    `  consent page: ${url}/connect/TOKEN (no signature; redirects to callback_url?contextio_token=TOKEN)`,
  );
  return lines.join('\n');
}

async function main() {
  let args;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`devserver: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dataFile = args.data ? resolve(args.data) : DEFAULT_DATA_FILE;
  const clockOffset = Number(args['clock-offset']);
  let server;
  try {
    server = await startServer({
      host: args.host,
      port: Number(args.port),
      dataFile,
      reset: args.reset,
      configFile: args.config === undefined ? undefined : resolve(args.config),
      clockOffset,
      log: args.quiet ? null : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DataFileError) {
      process.stderr.write(`devserver: ${e.message}\n`);
      return 1;
    }
    if (e?.code === 'EADDRINUSE') {
      process.stderr.write(`devserver: port ${args.port} is already in use on ${args.host}; choose another with --port (0 = any free port)\n`);
      return 1;
    }
    if (e?.code === 'EADDRNOTAVAIL' || e?.code === 'ENOTFOUND') {
      process.stderr.write(`devserver: cannot listen on host ${args.host} (${e.code})\n`);
      return 1;
    }
    throw e;
  }
  const userCount = Object.keys(server.store.state.users).length;
  process.stdout.write(
    `${banner(server, { consumers: server.consumers, demo: !args.config, dataFile, clockOffset, userCount })}\n`,
  );
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return null;
}

const code = await main();
if (code !== null) process.exitCode = code;
