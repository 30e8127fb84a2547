// Starts the RFC 5849 §2 provider (provider.py: oauthlib's endpoints behind Python's http.server
// on 127.0.0.1) for a Node test, and stops it.
//
//   const provider = await startProvider({ consumerKey, consumerSecret });
//   provider.url      // 'http://127.0.0.1:PORT'
//   await provider.log()   // oauthlib's reasons for the refusals so far
//   await provider.close()

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON } from './oracle.mjs';

const SCRIPT = fileURLToPath(new URL('./provider.py', import.meta.url));

/**
 * @param {{consumerKey: string, consumerSecret: string, verbose?: boolean}} client
 * @returns {Promise<{url: string, log: () => Promise<string>, close: () => Promise<void>}>}
 */
export async function startProvider({ consumerKey, consumerSecret, verbose = false }) {
  // The secret goes by the environment, not the command line (ps shows a command line).
  const args = [SCRIPT, '--consumer-key', consumerKey];
  if (verbose) args.push('--verbose');
  const child = spawn(PYTHON, args, {
    stdio: ['ignore', 'pipe', verbose ? 'inherit' : 'pipe'],
    env: { ...process.env, OAUTH_CONSUMER_SECRET: consumerSecret },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl).trim());
    });
    child.once('error', reject);
    exited.then((code) => reject(new Error(`provider.py exited (${code}) before it was ready:\n${stderr}`)));
  });
  return {
    url,
    async log() {
      return (await fetch(`${url}/log`)).text();
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
