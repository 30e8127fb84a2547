// Tier 3: the package in a plain browser page (`<script type="module">` + `await init()`) and in a
// dedicated module worker started from it, in headless Chromium (playwright-core driving
// Debian's chromium) and headless Firefox (geckodriver driving Debian's firefox-esr): the checks
// every tier shares (tests/support/api-checks.js), in a runtime where 2-legged is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static-server.mjs';
import { METHODS_PATH, VECTORS_PATH } from './vectors.mjs';
import { GROUPS } from '../support/api-checks.js';
import { chromium } from 'playwright-core';
import { launchFirefox } from '../support/firefox.mjs';
import { waitFor } from '../support/net.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server;

before(async () => {
  server = await serveStatic({
    '/pkg/': `${root}/pkg/`,
    '/support/': `${root}/tests/support/`,
    '/vectors.json': VECTORS_PATH,
    '/methods.json': METHODS_PATH,
    '/': `${root}/tests/js/page/`,
  });
});
after(() => server?.close());

function assertChecks(result, browserName) {
  assert.ok(!result.error, `${browserName}: ${result.error}`);
  for (const where of ['page', 'worker']) {
    const here = result.checks.filter((c) => c.where === where);
    assert.deepEqual([...new Set(here.map((c) => c.group))], GROUPS, `${browserName} ${where}: every group ran`);
    assert.ok(here.length >= 150, `${browserName} ${where}: only ${here.length} checks ran`);
  }
  const failed = result.checks.filter((c) => !c.ok);
  assert.deepEqual(failed, [], `${browserName}: failed checks`);
}

test('Chromium page and worker: init(), every check, 2-legged refused', async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/index.html`);
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(errors, []);
    assertChecks(result, 'chromium');
  } finally {
    await browser.close();
  }
});

test('Firefox page and worker: init(), every check, 2-legged refused', async () => {
  const firefox = await launchFirefox();
  try {
    await firefox.navigate(`${server.url}/index.html`);
    let result;
    await waitFor(async () => {
      result = await firefox.evaluate('return window.__result ? await window.__result : null');
      return result !== null;
    }, { timeout: 20_000, what: 'the page to report' });
    assertChecks(result, 'firefox');
  } finally {
    await firefox.quit();
  }
});
