// Headless Chromium for tests: playwright-core driving Debian's /usr/bin/chromium.
//
// Never downloads a browser. Each launch gets a fresh temporary profile (unless one is given)
// that is removed on close, and `close()` is safe to call twice.
//
//   const browser = await launchChromium({ extensionPath: 'dist/chrome' });
//   const page = await browser.context.newPage();
//   await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
//   await browser.close();

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's chromium package; override with CHROMIUM_BIN. */
export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

/** Flags for a quiet, reproducible browser that also runs as root in a container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium with a persistent context (needed for extensions).
 * @param {object} [opts]
 * @param {string | string[]} [opts.extensionPath] Unpacked extension directories to load; the
 *   first one's id is returned as `extensionId`.
 * @param {string} [opts.userDataDir] Profile directory; default: a fresh temporary one, removed on close.
 * @param {boolean} [opts.headless] Default true (new headless mode, which runs extensions).
 * @param {string[]} [opts.args] Extra command-line flags.
 * @param {{width: number, height: number}} [opts.viewport]
 * @returns {Promise<{context: import('playwright-core').BrowserContext, extensionId: string | null,
 *   serviceWorker: import('playwright-core').Worker | null, userDataDir: string, close: () => Promise<void>}>}
 */
export async function launchChromium(opts = {}) {
  if (!existsSync(CHROMIUM_BIN)) throw new Error(`no Chromium at ${CHROMIUM_BIN} (apt-get install chromium)`);
  const extensions = [opts.extensionPath ?? []].flat().map((p) => resolve(p));
  for (const p of extensions) {
    if (!existsSync(join(p, 'manifest.json'))) throw new Error(`no manifest.json in ${p}`);
  }
  const ownDir = !opts.userDataDir;
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const args = [...CHROMIUM_ARGS, ...(opts.args ?? [])];
  if (extensions.length) {
    args.push(`--disable-extensions-except=${extensions.join(',')}`, `--load-extension=${extensions.join(',')}`);
  }
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_BIN,
      headless: opts.headless ?? true,
      args,
      // Playwright adds --disable-extensions by default; extensions are the point here.
      ignoreDefaultArgs: ['--disable-extensions'],
      viewport: opts.viewport ?? { width: 1280, height: 800 },
      timeout: 60_000,
    });
  } catch (e) {
    if (ownDir) rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
    if (ownDir) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    let serviceWorker = null;
    let extensionId = null;
    if (extensions.length) {
      serviceWorker = await extensionServiceWorker(context);
      extensionId = serviceWorker ? new URL(serviceWorker.url()).host : null;
    }
    return { context, extensionId, serviceWorker, userDataDir, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * The first extension's service worker (its URL gives the extension id). Waits for it when the
 * browser has not started it yet. With several extensions, the one loaded first is not
 * necessarily the first to start, so callers that load several should match on the URL.
 * @param {import('playwright-core').BrowserContext} context
 * @returns {Promise<import('playwright-core').Worker | null>}
 */
async function extensionServiceWorker(context) {
  const isExt = (w) => w.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExt);
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: isExt, timeout: 20_000 });
}

/**
 * All loaded extensions' service workers, by extension id.
 * @param {import('playwright-core').BrowserContext} context
 * @returns {Map<string, import('playwright-core').Worker>}
 */
export function extensionWorkers(context) {
  const out = new Map();
  for (const w of context.serviceWorkers()) {
    const u = new URL(w.url());
    if (u.protocol === 'chrome-extension:') out.set(u.host, w);
  }
  return out;
}

/**
 * The id Chromium gives an unpacked extension without a `key`: the SHA-256 of its absolute
 * path, first 32 hex digits, written with the letters a-p.
 * @param {string} path
 * @returns {string}
 */
export function unpackedExtensionId(path) {
  const hex = createHash('sha256').update(resolve(path)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}
