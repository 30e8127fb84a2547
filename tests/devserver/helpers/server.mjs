// Starting the dev server for tests (in-process or as the real CLI), and a small signed client.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONSUMER } from '../../../common/constants.js';
import { killAllServers, runServerToExit, spawnServer } from '../../../devserver/spawn.mjs';

export { startServer } from '../../../devserver/app.mjs';

/** Demo consumer credentials in the shape the signers take. */
export const DEMO = DEMO_CONSUMER;

/**
 * A fresh temporary directory, removed by the returned `cleanup`.
 * @returns {{dir: string, cleanup: () => void}}
 */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'devserver-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Kills every CLI process still running (call from an `after` hook: a failed test may skip its own kill). */
export const killAllClis = killAllServers;

/**
 * Starts the real CLI (`node devserver/server.mjs --port 0 --quiet ...args`) and waits for its
 * first line; later arguments win (`--port 1234` in `args` replaces the free port).
 * @param {string[]} args
 * @param {{quiet?: boolean, env?: Record<string, string>}} [opts] `quiet: false` keeps the request log.
 * @returns {Promise<import('../../../devserver/spawn.mjs').ServerProcess>}
 */
export function startCli(args, { quiet = true, env } = {}) {
  return spawnServer(['--port', '0', ...(quiet ? ['--quiet'] : []), ...args], { env });
}

/**
 * Runs the CLI expecting it to exit (e.g. refusing to start).
 * @param {string[]} args
 * @returns {Promise<{code: number | null, stdout: string, stderr: string}>}
 */
export function runCliToExit(args) {
  return runServerToExit(['--quiet', ...args]);
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
 * Parses a `WWW-Authenticate: OAuth realm="...", name="value", ...` challenge (RFC 7235
 * auth-params; the values other than the realm percent-decoded, RFC 5849 §3.5.1).
 * @param {string | null} header
 * @returns {{scheme: string, realm: string | undefined, params: Record<string, string>}}
 */
export function parseChallenge(header) {
  assert.ok(header, 'no WWW-Authenticate header');
  const [, scheme, rest] = /^(\S+)\s+(.*)$/s.exec(header) ?? assert.fail(`not a challenge: ${header}`);
  const params = {};
  let realm;
  for (const [, name, value] of rest.matchAll(/\s*([^\s=,]+)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/gy)) {
    if (name === 'realm') realm = value.replace(/\\(.)/g, '$1');
    else params[name] = decodeURIComponent(value);
  }
  return { scheme, realm, params };
}

/**
 * What this test suite expects in the challenge of each 401/403 code (OAuth Problem Reporting),
 * written here independently of the server's own table: 101 has several precise problems.
 */
const PROBLEMS_OF_CODE = {
  101: ['parameter_absent', 'parameter_rejected', 'version_rejected', 'signature_method_rejected'],
  102: ['consumer_key_unknown'],
  103: ['token_rejected'],
  105: ['signature_invalid'],
  106: ['timestamp_refused'],
  107: ['nonce_used'],
  108: ['permission_denied'],
};

/**
 * Asserts an HTTP status (and Context.IO error code) with useful context. A 401 or 403 must also
 * carry its challenge (`WWW-Authenticate: OAuth realm="ORIGIN", oauth_problem=...`) with a problem
 * that matches the code.
 * @param {{status: number, json?: any, headers?: Headers, request: {url: string}}} res
 * @param {number} status
 * @param {number} [code]
 */
export function expectStatus(res, status, code) {
  assert.equal(res.status, status, `expected HTTP ${status}\n${describeResponse(res)}`);
  if (code !== undefined) {
    assert.equal(res.json?.type, 'error', `expected an error body\n${describeResponse(res)}`);
    assert.equal(res.json?.code, code, `expected error code ${code}\n${describeResponse(res)}`);
  }
  if ((status === 401 || status === 403) && res.headers) {
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    assert.equal(challenge.scheme, 'OAuth', describeResponse(res));
    assert.equal(challenge.realm, new URL(res.request.url).origin, describeResponse(res));
    if (code !== undefined) {
      assert.ok(PROBLEMS_OF_CODE[code]?.includes(challenge.params.oauth_problem), `code ${code} with oauth_problem ${challenge.params.oauth_problem}\n${describeResponse(res)}`);
    }
  }
}

/** The fields of `obj` among `names` that are set. */
const pick = (obj, names) => Object.fromEntries(names.filter((n) => obj[n] !== undefined).map((n) => [n, obj[n]]));

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
   * @param {{form?: Record<string, string> | string, body?: string, contentType?: string, placement?: 'header' | 'query' | 'body', realm?: string, nonce?: string, timestamp?: string | number, signatureMethod?: string, bodyHash?: boolean, callback?: string, verifier?: string, oauthOverrides?: Record<string, string>, tamper?: (signed: any) => void}} [opts]
   *   `form` is a form body (its Content-Type set unless given); `body` any other body, sent as is
   *   with `contentType`. `signatureMethod`, `bodyHash`, `callback`, `verifier` and
   *   `oauthOverrides` are handed to the signer (see signers.mjs).
   */
  async function call(creds, method, path, opts = {}) {
    const form = opts.form === undefined ? undefined : typeof opts.form === 'string' ? opts.form : new URLSearchParams(opts.form).toString();
    const contentType = opts.contentType ?? (form !== undefined ? 'application/x-www-form-urlencoded; charset=UTF-8' : undefined);
    const signed = await signer.sign({
      ...creds,
      method,
      url: `${baseUrl}${path}`,
      body: form ?? opts.body,
      contentType,
      placement: opts.placement,
      realm: opts.realm,
      nonce: opts.nonce,
      timestamp: opts.timestamp,
      ...pick(opts, ['signatureMethod', 'bodyHash', 'callback', 'verifier', 'oauthOverrides']),
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
