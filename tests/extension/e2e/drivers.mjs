// One small interface over the two browsers, so that the end-to-end scenario is written once:
//
//   open(path)              load an extension page (path relative to the extension root) in the main
//                           tab and wait until it has loaded its first state (no aria-busy)
//   evaluate(body, args)    run an async function body in the current page (`args` in scope)
//   fill / click / press    form helpers on the current page (CSS selectors)
//   fillLabeled(label, v)   type into the control whose visible <label> reads `label`
//   clickButton(name)       click the button whose visible text is `name`
//   screenshot(file, sel)   PNG of an element (or the viewport)
//   frame*(frame, css)      inside a (sandboxed) frame of the page, through the browser's own
//                           automation (no script of the page, which a sandboxed frame has not):
//                           frameCount, frameText, frameClickAll, frameHover, frameFocus
//   url() / pageCount()     the current page's URL; how many tabs and windows are open
//   consent(email, start)   run `start()` (which makes the extension open the connect page), then
//                           act as the person on that page: type the address, press Connect
//   visitWebPage(url)       load an ordinary web page in the main tab
//   openIntruder()          load the page of the second, foreign extension
//   close()                 end the browser and everything it started
//
// Browser-specific powers, used where only one browser can do a thing:
//   Chromium: requests (every request of every page and frame, from the DevTools protocol),
//             siteAccess(mode) / grantSite(pattern) (the person's "Site access" settings, through
//             chrome://extensions).
//   Firefox:  setPref(name, value), answerPermissionPrompt(allow) (the doorhanger).
//
// Both browsers send every non-loopback request to `proxyPort` (the tracker, tracker.mjs).

import { writeFileSync } from 'node:fs';
import { GECKO_ID } from '../../../common/constants.js';
import { launchChromium, unpackedExtensionId } from '../../support/chromium.mjs';
import { launchFirefox } from '../../support/firefox.mjs';
import { waitFor } from '../../support/net.mjs';

/** Gecko ids of the extension under test and of the foreign one. */
export const GECKO_IDS = { signer: GECKO_ID, intruder: 'intruder@example.org' };
/** Fixed moz-extension UUIDs (pref extensions.webextensions.uuids), so page URLs are known. */
const FIREFOX_UUIDS = {
  [GECKO_IDS.signer]: '6f2b8c51-3d7e-4f0a-9a41-1c2d3e4f5a6b',
  [GECKO_IDS.intruder]: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
};
/** The W3C WebDriver element reference key. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** In-page lookup of a control by its label text or a button by its text; returns a selector. */
const FIND_LABELED = `
  const [kind, name] = args;
  const norm = (s) => (s ?? '').replace(/\\s+/g, ' ').trim();
  let el = null;
  if (kind === 'label') {
    const label = [...document.querySelectorAll('label')].find((l) => norm(l.textContent) === name);
    el = label?.control ?? null;
  } else {
    el = [...document.querySelectorAll('button')].find((b) => norm(b.textContent) === name && b.offsetParent !== null) ?? null;
  }
  if (!el) return null;
  if (!el.id) el.id = 'e2e-' + Math.random().toString(36).slice(2);
  return '#' + CSS.escape(el.id);`;

/**
 * @param {{extensionDir: string, intruderDir: string, proxyPort: number}} opts
 */
export async function startChromium({ extensionDir, intruderDir, proxyPort }) {
  const browser = await launchChromium({
    extensionPath: [extensionDir, intruderDir],
    // Loopback (the API servers) is never proxied; everything else goes to the tracker.
    args: [`--proxy-server=http://127.0.0.1:${proxyPort}`],
  });
  try {
    const id = browser.extensionId;
    if (id !== unpackedExtensionId(extensionDir)) throw new Error(`unexpected extension id ${id}`);
    const intruderId = unpackedExtensionId(intruderDir);
    const page = await browser.context.newPage();
    for (const p of browser.context.pages()) if (p !== page) await p.close();
    page.setDefaultTimeout(15_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    /** Every request any page or frame of the browser made, as the DevTools protocol saw it. */
    const requests = [];
    browser.context.on('request', (r) => {
      let frameUrl = '';
      try {
        frameUrl = r.frame().url();
      } catch {
        // a service worker's request has no frame
      }
      requests.push({ url: r.url(), frameUrl });
    });
    const evaluate = (body, args = []) => page.evaluate(`(async (args) => { ${body} })(${JSON.stringify(args)})`);
    const find = async (kind, name) => {
      const selector = await evaluate(FIND_LABELED, [kind, name]);
      if (!selector) throw new Error(`no ${kind === 'label' ? 'control labelled' : 'button named'} "${name}" on ${page.url()}`);
      return selector;
    };
    const frame = (sel) => page.frameLocator(sel);
    /** chrome://extensions in a tab of its own: the developerPrivate API behind its "Site access" menu. */
    const extensionsPage = async (body, args) => {
      const p = await browser.context.newPage();
      try {
        await p.goto('chrome://extensions');
        return await p.evaluate(`(async (args) => { ${body} })(${JSON.stringify(args)})`);
      } finally {
        await p.close();
      }
    };
    /**
     * page.goto(url), through Chromium restarting the navigation itself when it moves the tab to
     * another process (a web page to the extension or back) under a new document: Playwright
     * reports that as an interruption by a navigation to the same URL (CI met it twice in a
     * row), while the tab is on its way there; then wait for it to load.
     */
    const go = async (url) => {
      try {
        await page.goto(url);
      } catch (e) {
        if (!e.message.includes(`interrupted by another navigation to "${url}"`)) throw e;
        await page.waitForURL(url, { waitUntil: 'load' });
      }
    };
    return {
      name: 'chromium',
      id,
      baseUrl: `chrome-extension://${id}/`,
      pageErrors: errors,
      requests,
      async open(path) {
        const url = `chrome-extension://${id}/${path}`;
        // A web page left behind (the control's meta refresh) may navigate as this one starts:
        // go again, from wherever it led.
        for (let attempt = 1; ; attempt++) {
          try {
            await go(url);
            break;
          } catch (e) {
            if (!/interrupted by another navigation/.test(e.message) || attempt === 5) throw e;
            await page.waitForLoadState('load').catch(() => {});
          }
        }
        if (page.url() !== url) throw new Error(`open(${path}): the tab is on ${page.url()}, not on ${url}`);
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
      async fillLabeled(label, text) {
        await page.fill(await find('label', label), text);
      },
      async clickButton(name) {
        await page.click(await find('button', name));
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
      frameCount: (sel, css) => frame(sel).locator(css).count(),
      frameText: (sel) => frame(sel).locator('body').innerText(),
      async frameClickAll(sel, css) {
        const items = frame(sel).locator(css);
        const n = await items.count();
        for (let i = 0; i < n; i++) await items.nth(i).click({ force: true, timeout: 5_000 });
        return n;
      },
      async frameHover(sel, css) {
        await frame(sel).locator(css).first().hover({ force: true, timeout: 5_000 });
      },
      async frameFocus(sel, css) {
        await frame(sel).locator(css).first().click({ force: true, timeout: 5_000 });
      },
      url: () => page.url(),
      pageCount: async () => browser.context.pages().length,
      async siteAccess(mode) {
        return extensionsPage(
          'await chrome.developerPrivate.updateExtensionConfiguration({ extensionId: args[0], hostAccess: args[1] }); return true;',
          [id, mode],
        );
      },
      async grantSite(pattern) {
        return extensionsPage('await chrome.developerPrivate.addHostPermission(args[0], args[1]); return true;', [id, pattern]);
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
        await go(url);
      },
      async openIntruder() {
        await go(`chrome-extension://${intruderId}/probe.html`);
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
 * @param {{extensionDir: string, intruderDir: string, proxyPort: number}} opts
 */
export async function startFirefox({ extensionDir, intruderDir, proxyPort }) {
  const ff = await launchFirefox({
    systemAccess: true, // WebDriver refuses to navigate to moz-extension:// pages
    prefs: {
      'extensions.webextensions.uuids': JSON.stringify(FIREFOX_UUIDS),
      // permissions.request grants without the doorhanger (turned back on to test a refusal).
      'extensions.webextOptionalPermissionPrompts': false,
      // Every non-loopback request goes to the tracker (loopback is never proxied).
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxyPort,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.no_proxies_on': '',
      // Firefox's own background traffic, which would otherwise reach the tracker.
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'browser.safebrowsing.downloads.enabled': false,
      'browser.safebrowsing.blockedURIs.enabled': false,
      'browser.safebrowsing.provider.mozilla.updateURL': '',
      'extensions.blocklist.enabled': false,
      'dom.push.enabled': false,
      'dom.push.connection.enabled': false,
      'services.settings.server': 'http://127.0.0.1:1/v1',
      'browser.region.network.url': '',
      'browser.region.update.enabled': false,
      'network.dns.disablePrefetch': true,
      'network.prefetch-next': false,
      'network.http.speculative-parallel-limit': 0,
      'browser.newtabpage.activity-stream.feeds.system.topsites': false,
      'browser.newtabpage.activity-stream.feeds.topsites': false,
      'browser.newtabpage.enabled': false,
      'browser.startup.page': 0,
    },
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
    const find = async (kind, name) => {
      const selector = await evaluate(FIND_LABELED, [kind, name]);
      if (!selector) throw new Error(`no ${kind === 'label' ? 'control labelled' : 'button named'} "${name}" on ${await ff.currentUrl()}`);
      return selector;
    };
    const inChrome = async (body, args = []) => {
      await ff.setContext('chrome');
      try {
        return await ff.executeScript(body, args);
      } finally {
        await ff.setContext('content');
      }
    };
    /** Runs `fn` with WebDriver switched into the frame matched by `sel`. */
    const inFrame = async (sel, fn) => {
      const el = await ff.waitForElement(sel);
      await ff.cmd('POST', '/frame', { id: { [ELEMENT]: el } });
      try {
        return await fn();
      } finally {
        await ff.cmd('POST', '/frame/parent', {});
      }
    };
    const elements = async (css) => (await ff.cmd('POST', '/elements', { using: 'css selector', value: css })).map((e) => e[ELEMENT]);
    return {
      name: 'firefox',
      id: GECKO_IDS.signer,
      baseUrl: `moz-extension://${uuid}/`,
      pageErrors: [],
      requests: null,
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
      async fillLabeled(label, text) {
        await setValue(await find('label', label), text);
      },
      async clickButton(name) {
        await ff.click(await find('button', name));
      },
      async setViewport(width, height) {
        await ff.setWindowRect({ width, height });
      },
      async colorScheme(scheme) {
        // layout.css.prefers-color-scheme.content-override: 0 dark, 1 light, 2 system.
        await inChrome('Services.prefs.setIntPref("layout.css.prefers-color-scheme.content-override", arguments[0]);', [scheme === 'dark' ? 0 : 1]);
      },
      async screenshot(file, selector) {
        const png = selector ? await ff.elementScreenshot(selector) : await ff.fullPageScreenshot();
        writeFileSync(file, Buffer.from(png, 'base64'));
      },
      frameCount: (sel, css) => inFrame(sel, async () => (await elements(css)).length),
      frameText: (sel) => inFrame(sel, () => ff.text('body')),
      frameClickAll: (sel, css) =>
        inFrame(sel, async () => {
          const found = await elements(css);
          for (const el of found) {
            await ff.cmd('POST', `/element/${el}/click`, {}).catch((e) => {
              // An element that cannot be clicked (hidden, covered) is not a failure of the page.
              if (!/not interactable|intercepted|stale/i.test(e.message)) throw e;
            });
          }
          return found.length;
        }),
      frameHover: (sel, css) =>
        inFrame(sel, async () => {
          const [el] = await elements(css);
          await ff.cmd('POST', '/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', origin: { [ELEMENT]: el }, x: 0, y: 0 }] }] });
          await ff.cmd('DELETE', '/actions');
        }),
      frameFocus: (sel, css) =>
        inFrame(sel, async () => {
          const [el] = await elements(css);
          await ff.cmd('POST', `/element/${el}/click`, {});
        }),
      url: () => ff.currentUrl(),
      pageCount: async () => (await ff.windowHandles()).length,
      async setPref(name, value) {
        await inChrome(
          `const [name, value] = arguments;
           if (typeof value === 'boolean') Services.prefs.setBoolPref(name, value);
           else if (typeof value === 'number') Services.prefs.setIntPref(name, value);
           else Services.prefs.setStringPref(name, value);`,
          [name, value],
        );
      },
      /**
       * Waits for the permission doorhanger and presses Allow or Deny; returns its message. Up
       * to 30 s: on a loaded machine Firefox has taken more than 10 s to show it.
       */
      async answerPermissionPrompt(allow) {
        return waitFor(
          () =>
            inChrome(
              `const win = Services.wm.getMostRecentWindow('navigator:browser');
               const n = win.PopupNotifications.panel.querySelector('popupnotification#addon-webext-permissions-notification');
               if (!n) return null;
               const text = n.textContent;
               (arguments[0] ? n.button : n.secondaryButton).click();
               return text;`,
              [allow],
            ),
          { timeout: 30_000, what: 'the permission prompt' },
        );
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
