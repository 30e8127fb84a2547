#!/usr/bin/env node
// The extension end to end, in headless Chromium and headless Firefox:
//
//   node scripts/build-extension.mjs && node tests/extension/e2e.mjs [--browser chromium|firefox]
//
// Runs tests/extension/e2e/<browser>.test.mjs under the node test runner (TAP on stdout, so CI
// reads the usual `# tests` / `# pass` / `# fail` lines), one browser after the other, then
// prints a summary. Exits non-zero when a check fails, when no check ran, or when a screenshot
// was not written (target/screenshots/<browser>-<shot>.png for each of SHOTS).

import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const ALL = ['chromium', 'firefox'];
const DIST = { chromium: 'dist/chrome', firefox: 'dist/firefox' };
/** Screenshots every run must write, per browser. */
const SHOTS = [
  'popup', 'explorer', 'permission', 'message-plain', 'message-html', 'message-hostile',
  'explorer-wrong-secret', 'explorer-clock-healed', 'explorer-replay-healed', 'explorer-difference',
];

const args = process.argv.slice(2);
const browsers = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--browser' && ALL.includes(args[i + 1])) browsers.push(args[++i]);
  else {
    process.stderr.write(`usage: node tests/extension/e2e.mjs [--browser ${ALL.join('|')}]...\n`);
    process.exit(2);
  }
}
if (!browsers.length) browsers.push(...ALL);

for (const b of browsers) {
  if (!existsSync(join(ROOT, DIST[b], 'manifest.json'))) {
    process.stderr.write(`e2e: ${DIST[b]} is not built; run: node scripts/build-extension.mjs\n`);
    process.exit(1);
  }
}

const started = Date.now();
const files = browsers.map((b) => join(ROOT, 'tests/extension/e2e', `${b}.test.mjs`));
const child = spawn(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let tap = '';
child.stdout.on('data', (d) => {
  tap += d;
  process.stdout.write(d);
});
const code = await new Promise((r) => child.once('exit', (c, signal) => r(c ?? (signal ? 1 : 0))));

const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const [tests, pass, fail, cancelled, skipped] = ['tests', 'pass', 'fail', 'cancelled', 'skipped'].map(count);
const perBrowser = browsers.map((b) => {
  const suite = new RegExp(`^(not )?ok \\d+ - ${b}: `, 'm').exec(tap);
  return `${b} ${suite ? (suite[1] ? 'FAILED' : 'ok') : 'did not run'}`;
});
const missing = browsers.flatMap((b) =>
  SHOTS
    .map((s) => join(ROOT, 'target/screenshots', `${b}-${s}.png`))
    .filter((f) => !existsSync(f) || statSync(f).mtimeMs < started),
);

const problems = [];
if (code !== 0) problems.push(`the test runner exited with ${code}`);
if (tests === 0 || pass === 0) problems.push('no check ran');
if (fail || cancelled) problems.push(`${fail} failed, ${cancelled} cancelled`);
if (skipped) problems.push(`${skipped} skipped (a browser check must not be skipped)`);
if (missing.length) problems.push(`screenshots not written: ${missing.map((f) => relative(ROOT, f)).join(', ')}`);

process.stdout.write(
  `\nextension e2e: ${tests} checks, ${pass} passed, ${fail} failed (${perBrowser.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
    `screenshots: ${relative(process.cwd(), join(ROOT, 'target/screenshots')) || '.'}/\n`,
);
if (problems.length) {
  process.stdout.write(`FAILED: ${problems.join('; ')}\n`);
  process.exit(1);
}
