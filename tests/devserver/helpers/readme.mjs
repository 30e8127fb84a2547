// Running a README's examples as written: its fenced blocks found by a nearby heading or
// phrase, and a sandbox (a scratch copy of the parts of the repository the server's commands
// use) where its shell lines run unchanged, each as a person types it at the repository root.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnListening } from '../../../devserver/spawn.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * @typedef {{lang: string, code: string}} FencedBlock
 */

/**
 * A README's text with helpers to find its fenced blocks.
 * @param {string} path Relative to the repository root.
 */
export function readme(path) {
  const text = readFileSync(resolve(ROOT, path), 'utf8');
  return {
    text,
    /**
     * The text of the section under a heading (any level), up to the next heading of the same
     * or a higher level.
     * @param {string} heading The heading's text, without the `#`s.
     */
    section(heading) {
      const m = new RegExp(`^(#+) ${escapeRegExp(heading)}\\n`, 'm').exec(text);
      assert.ok(m, `${path} has no heading "${heading}"`);
      const rest = text.slice(m.index + m[0].length);
      const next = new RegExp(`^#{1,${m[1].length}} `, 'm').exec(rest);
      return next ? rest.slice(0, next.index) : rest;
    },
    /**
     * The fenced blocks of a language that follow a marker (a heading or any phrase of the
     * README, the first occurrence), up to the next heading.
     * @param {string} marker
     * @param {string} lang
     * @returns {string[]}
     */
    blocksAfter(marker, lang) {
      const at = text.indexOf(marker);
      assert.notEqual(at, -1, `${path} no longer says "${marker}"`);
      let rest = text.slice(at + marker.length);
      const next = /^#+ /m.exec(rest);
      if (next) rest = rest.slice(0, next.index);
      return fencedBlocks(rest)
        .filter((b) => b.lang === lang)
        .map((b) => b.code);
    },
    /** The first fenced block of a language after a marker (see `blocksAfter`). */
    blockAfter(marker, lang) {
      const [code] = this.blocksAfter(marker, lang);
      assert.ok(code !== undefined, `${path}: no \`\`\`${lang} block after "${marker}"`);
      return code;
    },
  };
}

/**
 * Every fenced block of a Markdown text, in order.
 * @param {string} text
 * @returns {FencedBlock[]}
 */
export function fencedBlocks(text) {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** The command lines of a shell block (comment-only and empty lines dropped). */
export const shellLines = (code) => code.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

export const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A scratch copy of what the server's documented commands use: `devserver/`, `common/`,
 * `examples/` (without its installed modules), `scripts/sample.mjs` and the workspace's
 * `package.json`, with `node_modules/` and the built `pkg/` linked in. A command that writes a
 * file next to it (`> my-backend.json`, the default data file under `target/`) writes it here,
 * never into the repository.
 *
 * `scripts/build-pkg.mjs` is not copied: building the package takes minutes, and the test
 * command has built it just before (the build step of `scripts/test.sh`). In the sandbox it is a
 * stand-in that fails unless that build is there.
 * @returns {{dir: string, cleanup: () => void}}
 */
export function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'readme-sandbox-'));
  for (const part of ['devserver', 'common', 'scripts/sample.mjs', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true, filter: (src) => !/[\\/](node_modules|package-lock\.json)$/.test(src) });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'pkg'), join(dir, 'pkg'));
  writeFileSync(
    join(dir, 'scripts/build-pkg.mjs'),
    "// Stand-in: the test command built the package before the README tests ran.\n" +
      "import { existsSync } from 'node:fs';\n" +
      "if (!existsSync(new URL('../pkg/node.js', import.meta.url))) { console.error('pkg/ is not built'); process.exit(1); }\n",
  );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs one documented shell line as written, with bash, in `cwd`.
 * @param {string} line
 * @param {{cwd: string, env?: Record<string, string>}} opts
 * @returns {Promise<{stdout: string, stderr: string}>} rejects (with the output) on a non-zero exit.
 */
export function runLine(line, { cwd, env = {} }) {
  return new Promise((done, fail) =>
    execFile('bash', ['-c', line], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? fail(new Error(`\`${line}\` failed (${error.code ?? error.signal}): ${stdout}${stderr}`)) : done({ stdout, stderr }),
    ),
  );
}

/**
 * Starts a documented server command line as written (as in a terminal of its own) and waits
 * until it listens.
 * @param {string} line e.g. `node devserver/server.mjs --config my-config.json`
 * @param {{cwd: string, env?: Record<string, string>}} opts
 */
export function startLine(line, { cwd, env }) {
  assert.match(line, /^node devserver\/server\.mjs( |$)/, `not a server command: ${line}`);
  return spawnListening('bash', ['-c', `exec ${line}`], { cwd, env });
}

/**
 * Fails clearly unless a TCP port is free on 127.0.0.1: the documented commands use the default
 * port 8787, which a server started by hand (`bash scripts/main.sh`) would hold.
 * @param {number} port
 */
export async function assertPortFree(port) {
  const probe = createServer();
  const error = await new Promise((done) => {
    probe.once('error', done);
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(null)));
  });
  assert.equal(error, null, `port ${port} is in use (a server started by hand?); the README's commands use it: stop that server and run the tests again`);
}

/** Whether the built package is there (see `sandbox`). */
export const pkgBuilt = () => existsSync(join(ROOT, 'pkg/node.js'));
