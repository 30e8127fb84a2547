// Starting the server's CLI (`node devserver/server.mjs ...`) as a child process, for the
// scripts (scripts/sample.mjs) and the tests (tests/devserver/helpers/server.mjs): written once.
//
//   const server = await spawnServer(['--port', '0', '--reset']);
//   console.log(server.url);        // from the first line, `listening on http://HOST:PORT`
//   await server.kill('SIGTERM');   // resolves once the process has exited

import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the CLI. */
export const SERVER_CLI = resolve(dirname(fileURLToPath(import.meta.url)), 'server.mjs');

/** Children started here that have not exited yet. */
const running = new Set();

/**
 * @typedef {object} ServerProcess
 * @property {string} url The base URL from the first line.
 * @property {string} firstLine
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => string} output Everything the process printed on stdout so far.
 * @property {() => string} errors Everything it printed on stderr so far.
 * @property {Promise<{code: number | null, signal: NodeJS.Signals | null}>} exited
 * @property {(signal?: NodeJS.Signals) => Promise<void>} kill Sends the signal (default
 *   SIGTERM: a clean stop) unless the process has exited, and waits for the exit.
 */

function start(command, args, { env, cwd } = {}) {
  const child = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env,
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // 'close' comes after 'exit' and after stdout and stderr have ended: nothing printed is missed.
  const exited = new Promise((done) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  return { child, exited, output: () => stdout, errors: () => stderr };
}

/**
 * Starts the CLI and resolves once it printed its first line.
 * @param {string[]} args CLI arguments (e.g. `['--port', '0', '--data', file]`).
 * @param {{env?: Record<string, string>, timeoutMs?: number}} [opts]
 * @returns {Promise<ServerProcess>}
 * @throws when the process exits first, prints another first line, or is silent for
 *   `timeoutMs` (default 10 s); its output is in the message and the process is killed.
 */
export function spawnServer(args, opts = {}) {
  return spawnListening(process.execPath, [SERVER_CLI, ...args], opts);
}

/**
 * Starts any command that runs the server (e.g. `bash -c 'exec node devserver/server.mjs'`, a
 * documented command line as written) and resolves once it printed its first line, as
 * `spawnServer` does.
 * @param {string} command
 * @param {string[]} args
 * @param {{env?: Record<string, string>, cwd?: string, timeoutMs?: number}} [opts]
 * @returns {Promise<ServerProcess>}
 */
export function spawnListening(command, args, { env, cwd, timeoutMs = 10_000 } = {}) {
  const p = start(command, args, { env, cwd });
  const kill = async (signal = 'SIGTERM') => {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
    await p.exited;
  };
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const fail = (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      p.child.stdout.off('data', onData);
      kill('SIGKILL').then(() => reject(new Error(`${why}; stdout: ${p.output()} stderr: ${p.errors()}`)));
    };
    const timer = setTimeout(() => fail(`the server did not print its first line within ${timeoutMs} ms`), timeoutMs);
    p.exited.then(({ code, signal }) => fail(`the server exited (${signal ?? `code ${code}`}) before listening`));
    const onData = () => {
      const nl = p.output().indexOf('\n');
      if (nl === -1 || settled) return;
      const firstLine = p.output().slice(0, nl);
      const m = /^listening on (http:\/\/\S+)$/.exec(firstLine);
      if (!m) return fail(`unexpected first line ${JSON.stringify(firstLine)}`);
      settled = true;
      clearTimeout(timer);
      p.child.stdout.off('data', onData);
      resolvePromise({ url: m[1], firstLine, child: p.child, output: p.output, errors: p.errors, exited: p.exited, kill });
    };
    p.child.stdout.on('data', onData);
  });
}

/**
 * Runs the CLI expecting it to exit by itself (a refused start, `--help`).
 * @param {string[]} args
 * @param {{env?: Record<string, string>, timeoutMs?: number}} [opts]
 * @returns {Promise<{code: number | null, stdout: string, stderr: string}>}
 */
export async function runServerToExit(args, { env, timeoutMs = 10_000 } = {}) {
  const p = start(process.execPath, [SERVER_CLI, ...args], { env });
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await p.exited;
  clearTimeout(timer);
  if (signal === 'SIGKILL') throw new Error(`the server did not exit within ${timeoutMs} ms; stdout: ${p.output()} stderr: ${p.errors()}`);
  return { code, stdout: p.output(), stderr: p.errors() };
}

/** Kills (SIGKILL) every server process started here that is still running. */
export async function killAllServers() {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGKILL');
        }),
    ),
  );
}
