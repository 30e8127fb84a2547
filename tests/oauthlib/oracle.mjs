// The Node side of the oauthlib referee (oracle.py): one long-lived /usr/bin/python3 process,
// fed one JSON line per request, answering one JSON line each, in order; a promise per request.
//
//   const oracle = await startOauthlib();
//   const a = await oracle.ask({ method, url, authorization, contentType, body, bodyIsForm, consumerSecret, tokenSecret });
//   oracle.close();
//
// `body` is a Uint8Array (the bytes as sent) or undefined. Answers are described in oracle.py.
// Requests may be in flight together: the process reads and answers them in order. The lines
// asked for within one turn of the event loop go in one write (setImmediate), and oracle.py
// answers what it read in one write too: with 64 cases in flight, a write per request cost
// the differential test more CPU than oauthlib itself (wake-ups and system calls).

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.OAUTHLIB_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./oracle.py', import.meta.url));

/** Why oauthlib cannot be used here (for a skip message), or null when it can. */
export function oauthlibMissing() {
  const r = spawnSync(PYTHON, ['-c', 'import oauthlib, sys; sys.stdout.write(oauthlib.__version__)'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (${r.error.code})`;
  if (r.status !== 0) return `${PYTHON} has no oauthlib (run scripts/setup.sh: it installs Debian's python3-oauthlib)`;
  return null;
}

/** Starts oracle.py; resolves once it has said it is ready (with oauthlib's version). */
export async function startOauthlib() {
  const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  /** @type {Array<{resolve: (v: any) => void, reject: (e: Error) => void}>} */
  const waiting = [];
  let stderr = '';
  let buffered = '';
  let nextId = 1;
  let dead = null;
  let ready;
  const readyPromise = new Promise((resolve, reject) => {
    ready = { resolve, reject };
  });
  const fail = (e) => {
    dead = e;
    ready.reject(e);
    for (const w of waiting.splice(0)) w.reject(e);
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.on('error', fail);
  child.on('exit', (code, sig) => {
    if (!dead) fail(new Error(`oauthlib oracle exited (${sig ?? code})${stderr ? `:\n${stderr}` : ''}`));
  });
  child.stdout.setEncoding('utf8');
  let version = null;
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const msg = JSON.parse(line);
      if (msg.ready) {
        version = msg.oauthlib;
        ready.resolve();
        continue;
      }
      const w = waiting.shift();
      if (w) w.resolve(msg);
    }
  });
  child.stdin.on('error', () => {});
  await readyPromise;
  let lines = [];
  const flush = () => {
    const data = lines.join('');
    lines = [];
    if (!dead) child.stdin.write(data);
  };

  return {
    /** oauthlib's version, as the process reports it. */
    version,
    /**
     * What oauthlib's server side computes for a request as it arrived.
     * @param {{method: string, url: string, authorization?: string, contentType?: string, body?: Uint8Array, bodyIsForm?: boolean, consumerSecret: string, tokenSecret: string}} q
     */
    ask(q) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      const line = JSON.stringify({
        id,
        method: q.method,
        url: q.url,
        authorization: q.authorization ?? null,
        contentType: q.contentType ?? null,
        body: q.body === undefined ? null : Buffer.from(q.body).toString('base64'),
        bodyIsForm: q.bodyIsForm === true,
        consumerSecret: q.consumerSecret,
        tokenSecret: q.tokenSecret,
      });
      return new Promise((resolve, reject) => {
        waiting.push({
          resolve: (a) => (a.id === id ? resolve(a) : reject(new Error(`oauthlib oracle answered ${a.id} for ${id}`))),
          reject,
        });
        if (lines.push(`${line}\n`) === 1) setImmediate(flush);
      });
    },
    /** Ends the process (its stdin closes, it exits). */
    close() {
      dead ??= new Error('oauthlib oracle closed');
      child.stdin.end();
    },
  };
}
