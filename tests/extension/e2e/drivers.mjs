// One small interface over the two browsers, so that the end-to-end scenario is written once:
//
//   open(path)              load an extension page (path relative to the extension root) in the main
//                           tab and wait until it has loaded its first state (no aria-busy)
//   evaluate(body, args)    run an async function body in the current page (`args` in scope)
//   fill / click / text     form and DOM helpers on the current page
//   screenshot(file, sel)   PNG of an element (or the viewport)
//   consent(email, start)   run `start()` (which makes the extension open the connect page), then
//                           act as the person on that page: type the address, press Connect
//   visitWebPage(url)       load an ordinary web page in the main tab
//   openIntruder()          load the page of the second, foreign extension
//   close()                 end the browser and everything it started

import { writeFileSync } from 'node:fs';
import { launchChromium, unpackedExtensionId } from '../../support/chromium.mjs';
import { launchFirefox } from '../../support/firefox.mjs';
import { waitFor } from '../../support/net.mjs';

/** Gecko ids of the extension under test and of the foreign one. */
export const GECKO_IDS = { signer: 'contextio-signer@example.org', intruder: 'intruder@example.org' };
/** Fixed moz-extension UUIDs (pref extensions.webextensions.uuids), so page URLs are known. */
const FIREFOX_UUIDS = {
  [GECKO_IDS.signer]: '6f2b8c51-3d7e-4f0a-9a41-1c2d3e4f5a6b',
  [GECKO_IDS.intruder]: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
};

/**
 * @param {{extensionDir: string, intruderDir: string}} opts
 */
export async function startChromium({ extensionDir, intruderDir }) {
  const browser = await launchChromium({ extensionPath: [extensionDir, intruderDir] });
  try {
    const id = browser.extensionId;
    if (id !== unpackedExtensionId(extensionDir)) throw new Error(`unexpected extension id ${id}`);
    const intruderId = unpackedExtensionId(intruderDir);
    const page = await browser.context.newPage();
    for (const p of browser.context.pages()) if (p !== page) await p.close();
    page.setDefaultTimeout(15_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const evaluate = (body, args = []) => page.evaluate(`(async (args) => { ${body} })(${JSON.stringify(args)})`);
    return {
      name: 'chromium',
      id,
      baseUrl: `chrome-extension://${id}/`,
      pageErrors: errors,
      async open(path) {
        await page.goto(`chrome-extension://${id}/${path}`);
        await page.waitForSelector('body:not([aria-busy])');
      },
      evaluate,
      async fill(selector, text) {
        await page.fill(selector, text);
      },
      async click(selector) {
        await page.click(selector);
      },
      async press(selector, key) {
        await page.press(selector, key);
      },
      async setViewport(width, height) {
        await page.setViewportSize({ width, height });
      },
      async colorScheme(scheme) {
        await page.emulateMedia({ colorScheme: scheme });
      },
      async screenshot(file, selector) {
        const png = selector ? await page.locator(selector).screenshot() : await page.screenshot({ fullPage: true });
        writeFileSync(file, png);
      },
      async consent(email, start) {
        const opened = browser.context.waitForEvent('page', { predicate: (p) => /\/connect\//.test(p.url()), timeout: 20_000 });
        await start();
        const auth = await opened;
        await auth.waitForSelector('#email');
        await auth.fill('#email', email);
        await auth.click('#connect');
        await waitFor(() => auth.isClosed(), { timeout: 15_000, what: 'the connect window to close' });
      },
      async visitWebPage(url) {
        await page.goto(url);
      },
      async openIntruder() {
        await page.goto(`chrome-extension://${intruderId}/probe.html`);
      },
      async close() {
        await browser.close();
      },
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/**
 * @param {{extensionDir: string, intruderDir: string}} opts
 */
export async function startFirefox({ extensionDir, intruderDir }) {
  const ff = await launchFirefox({
    systemAccess: true, // WebDriver refuses to navigate to moz-extension:// pages
    prefs: { 'extensions.webextensions.uuids': JSON.stringify(FIREFOX_UUIDS) },
  });
  try {
    await ff.setScriptTimeout(30_000);
    const installed = await ff.installAddon(extensionDir);
    if (installed !== GECKO_IDS.signer) throw new Error(`installed ${installed}, expected ${GECKO_IDS.signer}`);
    await ff.installAddon(intruderDir);
    const uuid = FIREFOX_UUIDS[GECKO_IDS.signer];
    const main = await ff.windowHandle();
    const evaluate = (body, args = []) => ff.evaluate(body, args);
    const setValue = async (selector, text) => {
      await ff.waitForElement(selector);
      await ff.clear(selector);
      if (text) await ff.sendKeys(selector, text);
    };
    return {
      name: 'firefox',
      id: GECKO_IDS.signer,
      baseUrl: `moz-extension://${uuid}/`,
      pageErrors: [],
      async open(path) {
        await ff.switchToWindow(main);
        await ff.openPrivilegedUrl(`moz-extension://${uuid}/${path}`);
        await waitFor(() => ff.executeScript('return !document.body.hasAttribute("aria-busy")'), { what: `${path} to load` });
      },
      evaluate,
      fill: setValue,
      async click(selector) {
        await ff.waitForElement(selector);
        await ff.click(selector);
      },
      async press(selector, key) {
        const keys = { Enter: '\uE007' };
        await ff.sendKeys(selector, keys[key] ?? key);
      },
      async setViewport(width, height) {
        await ff.setWindowRect({ width, height });
      },
      async colorScheme(scheme) {
        // layout.css.prefers-color-scheme.content-override: 0 dark, 1 light, 2 system.
        await ff.setContext('chrome');
        try {
          await ff.executeScript('Services.prefs.setIntPref("layout.css.prefers-color-scheme.content-override", arguments[0]);', [scheme === 'dark' ? 0 : 1]);
        } finally {
          await ff.setContext('content');
        }
      },
      async screenshot(file, selector) {
        const png = selector ? await ff.elementScreenshot(selector) : await ff.fullPageScreenshot();
        writeFileSync(file, Buffer.from(png, 'base64'));
      },
      async consent(email, start) {
        const before = new Set(await ff.windowHandles());
        await start();
        const handle = await waitFor(async () => (await ff.windowHandles()).find((h) => !before.has(h)), {
          timeout: 20_000,
          what: 'the connect window',
        });
        await ff.switchToWindow(handle);
        try {
          await waitFor(async () => /\/connect\//.test(await ff.currentUrl()), { what: 'the consent page' });
          await setValue('#email', email);
          await ff.click('#connect');
        } finally {
          await ff.switchToWindow(main);
        }
        await waitFor(async () => !(await ff.windowHandles()).includes(handle), { timeout: 15_000, what: 'the connect window to close' });
      },
      async visitWebPage(url) {
        await ff.switchToWindow(main);
        await ff.navigate(url);
      },
      async openIntruder() {
        await ff.switchToWindow(main);
        await ff.openPrivilegedUrl(`moz-extension://${FIREFOX_UUIDS[GECKO_IDS.intruder]}/probe.html`);
      },
      async close() {
        await ff.quit();
      },
    };
  } catch (e) {
    await ff.quit();
    throw e;
  }
}
