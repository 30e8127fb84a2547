// Starting the dev server for tests (in-process or as the real CLI), and a small signed client.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CONSUMER } from '../../../devserver/config.mjs';

export { startServer } from '../../../devserver/app.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = resolve(ROOT, 'devserver/server.mjs');

/** Demo consumer credentials in the shape the signers take. */
export const DEMO = { consumerKey: DEMO_CONSUMER.key, consumerSecret: DEMO_CONSUMER.secret };

/**
 * A fresh temporary directory, removed by the returned `cleanup`.
 * @returns {{dir: string, cleanup: () => void}}
 */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'devserver-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** CLI processes started by this test file and not yet known to have exited. */
const running = new Set();

/** Kills every CLI process still running (call from an `after` hook: a failed test may skip its own kill). */
export async function killAllClis() {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', done);
          child.kill('SIGKILL');
        }),
    ),
  );
}

/**
 * Starts the real CLI (`node devserver/server.mjs --port 0 ...`) and waits for its first line.
 * @param {string[]} args
 * @returns {Promise<{url: string, child: import('node:child_process').ChildProcess, firstLine: string, output: () => string, kill: (signal?: NodeJS.Signals) => Promise<void>}>}
 */
export function startCli(args) {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise((r) => child.once('exit', r));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not print its first line within 10 s; stdout: ${out} stderr: ${err}`));
    }, 10_000);
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited with code ${code} before listening; stderr: ${err}`));
    });
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      const firstLine = out.slice(0, nl);
      const m = /^listening on (http:\/\/\S+)$/.exec(firstLine);
      if (!m) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line: ${JSON.stringify(firstLine)}`));
        return;
      }
      resolvePromise({
        url: m[1],
        child,
        firstLine,
        output: () => out,
        kill: async (signal = 'SIGKILL') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
  });
}

/**
 * Runs the CLI expecting it to exit (e.g. refusing to start).
 * @param {string[]} args
 * @returns {Promise<{code: number | null, stdout: string, stderr: string}>}
 */
export function runCliToExit(args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within 10 s; stdout: ${stdout} stderr: ${stderr}`));
    }, 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

const SECRET_KEYS = new Set(['access_token_secret', 'consumerSecret', 'tokenSecret', 'secret']);

/** JSON text with secrets replaced, for assertion messages. */
function redact(value) {
  return JSON.stringify(value, (k, v) => (SECRET_KEYS.has(k) ? '<hidden>' : v));
}

/**
 * Assertion context for a response: request line, status and (redacted) body.
 * @param {{status: number, json?: unknown, text: string, request: {method: string, url: string, headers: Record<string, string>}}} res
 */
export function describeResponse(res) {
  const body = res.json !== undefined ? redact(res.json) : res.text.slice(0, 500);
  const auth = res.request.headers.authorization ? ` Authorization: ${res.request.headers.authorization}` : '';
  return `${res.request.method} ${res.request.url}${auth}\n  -> ${res.status} ${body}`;
}

/**
 * Asserts an HTTP status (and Context.IO error code) with useful context.
 * @param {{status: number, json?: any}} res
 * @param {number} status
 * @param {number} [code]
 */
export function expectStatus(res, status, code) {
  assert.equal(res.status, status, `expected HTTP ${status}\n${describeResponse(res)}`);
  if (code !== undefined) {
    assert.equal(res.json?.type, 'error', `expected an error body\n${describeResponse(res)}`);
    assert.equal(res.json?.code, code, `expected error code ${code}\n${describeResponse(res)}`);
  }
}

/**
 * A client that signs each request with the given test signer.
 * @param {string} baseUrl
 * @param {import('./signers.mjs').TestSigner} signer
 */
export function makeClient(baseUrl, signer) {
  /**
   * @param {{consumerKey: string, consumerSecret: string, token?: string, tokenSecret?: string}} creds
   * @param {string} method
   * @param {string} path Path with an optional query string (already encoded).
   * @param {{form?: Record<string, string> | string, contentType?: string, placement?: 'header' | 'query' | 'body', realm?: string, nonce?: string, timestamp?: string | number, tamper?: (signed: any) => void}} [opts]
   */
  async function call(creds, method, path, opts = {}) {
    const form = opts.form === undefined ? undefined : typeof opts.form === 'string' ? opts.form : new URLSearchParams(opts.form).toString();
    const contentType = opts.contentType ?? (form !== undefined ? 'application/x-www-form-urlencoded; charset=UTF-8' : undefined);
    const signed = await signer.sign({
      ...creds,
      method,
      url: `${baseUrl}${path}`,
      body: form,
      contentType,
      placement: opts.placement,
      realm: opts.realm,
      nonce: opts.nonce,
      timestamp: opts.timestamp,
    });
    opts.tamper?.(signed);
    return send(signed);
  }
  return { call };
}

/**
 * Sends a signed request and reads the response.
 * @param {{method: string, url: string, headers: Record<string, string>, body?: string}} request
 */
export async function send(request) {
  const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, request };
}
