// Headless Firefox for tests: a tiny, dependency-free W3C WebDriver client over fetch, driving
// geckodriver and Debian's /usr/bin/firefox-esr.
//
//   const ff = await launchFirefox({ prefs: { ... } });
//   try {
//     await ff.installAddon('dist/firefox');          // temporary add-on
//     await ff.navigate('https://example.org/');
//     const title = await ff.executeScript('return document.title');
//   } finally {
//     await ff.quit();                                // deletes the session, kills geckodriver
//   }
//
// geckodriver is found in ~/.cargo/bin or on PATH (override with GECKODRIVER). Each session gets
// a fresh profile in a temporary directory of its own. `quit()` kills geckodriver and Firefox
// (their whole process group) and removes that directory; so does this Node process exiting,
// or being interrupted, without `quit()`.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { freePort, waitFor } from './net.mjs';

/** Debian's firefox-esr package; override with FIREFOX_BIN. */
export const FIREFOX_BIN = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';

/** The W3C element reference key. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** Prefs for a quiet browser that never phones home during tests. */
export const QUIET_PREFS = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.proxy.type': 0,
  'toolkit.telemetry.enabled': false,
};

/** @returns {string} Path of the geckodriver binary. */
export function findGeckodriver() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const candidates = [join(homedir(), '.cargo/bin/geckodriver')];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'geckodriver'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('geckodriver not found (cargo install geckodriver, or set GECKODRIVER)');
  return found;
}

/** An error answered by the WebDriver server, with its W3C `error` code. */
export class WebDriverError extends Error {
  /** @param {string} command @param {number} status @param {{error?: string, message?: string}} value */
  constructor(command, status, value) {
    super(`${command}: ${value?.error ?? `HTTP ${status}`}: ${value?.message ?? ''}`.trim());
    this.name = 'WebDriverError';
    this.status = status;
    this.error = value?.error;
  }
}

/** geckodriver processes to kill if Node exits without `quit()` (a crash, a failed assertion, Ctrl-C). */
const live = new Set();
/** Kills geckodriver and the Firefox it started: they share a process group of their own. */
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
function killAll() {
  for (const child of live) {
    killGroup(child, 'SIGKILL');
    rmSync(child.profileRoot, { recursive: true, force: true });
  }
  live.clear();
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    // Then die of the same signal, as without this handler.
    process.kill(process.pid, signal);
  });
}

/**
 * Starts geckodriver on a free port and opens a headless Firefox session.
 * @param {object} [opts]
 * @param {Record<string, string | number | boolean>} [opts.prefs] Extra Firefox prefs.
 * @param {string[]} [opts.args] Extra Firefox arguments (`-headless` is always there unless `headless: false`).
 * @param {boolean} [opts.headless] Default true.
 * @param {{width: number, height: number}} [opts.windowSize] Default 1280x800.
 * @param {boolean} [opts.systemAccess] Allow the privileged 'chrome' context (`setContext('chrome')`,
 *   `openPrivilegedUrl`): geckodriver `--allow-system-access`. Needed to open moz-extension:// pages,
 *   which WebDriver navigation refuses.
 * @param {(line: string) => void} [opts.log] Receives geckodriver and Firefox output.
 * @returns {Promise<FirefoxSession>}
 */
export async function launchFirefox(opts = {}) {
  if (!existsSync(FIREFOX_BIN)) throw new Error(`no Firefox at ${FIREFOX_BIN} (apt-get install firefox-esr)`);
  const port = await freePort();
  // Profiles go to a directory of our own, removed on quit and on exit even if geckodriver
  // was killed before it could clean up.
  const profileRoot = mkdtempSync(join(tmpdir(), 'firefox-profiles-'));
  const driverArgs = ['--port', String(port), '--host', '127.0.0.1', '--log', 'error', '--profile-root', profileRoot];
  if (opts.systemAccess) driverArgs.push('--allow-system-access');
  const driver = spawn(findGeckodriver(), driverArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: quit() kills geckodriver and the Firefox it started
  });
  driver.profileRoot = profileRoot;
  live.add(driver);
  let output = '';
  const onData = (d) => {
    output = (output + d).slice(-20_000);
    opts.log?.(String(d));
  };
  driver.stdout.on('data', onData);
  driver.stderr.on('data', onData);
  const exited = new Promise((r) => driver.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  const session = new FirefoxSession(base, driver, exited, () => output);
  try {
    await waitFor(
      async () => {
        if (driver.exitCode !== null) throw new Error(`geckodriver exited (${driver.exitCode}): ${output}`);
        const r = await fetch(`${base}/status`);
        return r.ok;
      },
      { timeout: 15_000, what: 'geckodriver to listen' },
    );
    const args = [...(opts.headless === false ? [] : ['-headless']), ...(opts.args ?? [])];
    const { width = 1280, height = 800 } = opts.windowSize ?? {};
    args.push(`--width=${width}`, `--height=${height}`);
    const created = await session.command('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'firefox',
          acceptInsecureCerts: true,
          'moz:firefoxOptions': {
            binary: FIREFOX_BIN,
            args,
            prefs: { ...QUIET_PREFS, ...(opts.prefs ?? {}) },
          },
        },
      },
    }, { timeout: 60_000 });
    session.id = created.sessionId;
    return session;
  } catch (e) {
    await session.quit();
    throw e;
  }
}

/** One WebDriver session (one Firefox). */
export class FirefoxSession {
  /**
   * @param {string} base geckodriver URL.
   * @param {import('node:child_process').ChildProcess} driver
   * @param {Promise<unknown>} exited
   * @param {() => string} output
   */
  constructor(base, driver, exited, output) {
    this.base = base;
    this.driver = driver;
    this.exited = exited;
    this.output = output;
    /** @type {string | null} */
    this.id = null;
  }

  /**
   * Sends one WebDriver command and returns its `value`.
   * @param {'GET' | 'POST' | 'DELETE'} method
   * @param {string} path Relative to the server, e.g. `/session`.
   * @param {unknown} [body]
   * @param {{timeout?: number}} [opts]
   */
  async command(method, path, body, { timeout = 30_000 } = {}) {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeout),
    });
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WebDriverError(`${method} ${path}`, r.status, { message: text.slice(0, 300) });
    }
    if (!r.ok) throw new WebDriverError(`${method} ${path}`, r.status, json.value);
    return json.value;
  }

  /** `command` under `/session/:id`. */
  cmd(method, path, body, opts) {
    if (!this.id) throw new Error('no WebDriver session');
    return this.command(method, `/session/${this.id}${path}`, body, opts);
  }

  /** @param {string} url */
  navigate(url) {
    return this.cmd('POST', '/url', { url });
  }

  /** @returns {Promise<string>} */
  currentUrl() {
    return this.cmd('GET', '/url');
  }

  /**
   * Runs a function body in the current page; `arguments[i]` are `args`.
   * @param {string} body
   * @param {unknown[]} [args]
   */
  executeScript(body, args = []) {
    return this.cmd('POST', '/execute/sync', { script: body, args });
  }

  /**
   * Runs an async function body; it finishes by calling `arguments[arguments.length - 1](value)`.
   * @param {string} body
   * @param {unknown[]} [args]
   */
  executeAsyncScript(body, args = []) {
    return this.cmd('POST', '/execute/async', { script: body, args });
  }

  /**
   * Evaluates an async expression (`await` allowed) and returns its value. Errors thrown inside
   * come back as `{__error}` and are rethrown here with their message.
   * @param {string} expression Body of an async function; use `return`.
   * @param {unknown[]} [args] Available as `args`.
   */
  async evaluate(expression, args = []) {
    const out = await this.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       const args = Array.from(arguments).slice(0, -1);
       (async () => { ${expression} })().then(
         (value) => done({ value }),
         (e) => done({ __error: String(e && e.stack || e) }));`,
      args,
    );
    if (out && '__error' in out) throw new Error(`in page: ${out.__error}`);
    return out?.value;
  }

  /** @param {number} ms Script timeout for executeAsyncScript. */
  setScriptTimeout(ms) {
    return this.cmd('POST', '/timeouts', { script: ms });
  }

  /**
   * @param {string} selector CSS selector.
   * @returns {Promise<string>} The element id.
   */
  async findElement(selector) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: selector });
    return v[ELEMENT];
  }

  /**
   * Waits until a selector matches, then returns the element id.
   * @param {string} selector
   * @param {number} [timeout]
   */
  waitForElement(selector, timeout = 10_000) {
    return waitFor(() => this.findElement(selector), { timeout, what: `element ${selector}` });
  }

  /** @param {string} selector */
  async click(selector) {
    const el = await this.findElement(selector);
    await this.cmd('POST', `/element/${el}/click`, {});
  }

  /**
   * Types text into an element (appends; call `clear` first to replace).
   * @param {string} selector
   * @param {string} text
   */
  async sendKeys(selector, text) {
    const el = await this.findElement(selector);
    await this.cmd('POST', `/element/${el}/value`, { text });
  }

  /** @param {string} selector */
  async clear(selector) {
    const el = await this.findElement(selector);
    await this.cmd('POST', `/element/${el}/clear`, {});
  }

  /** @param {string} selector @returns {Promise<string>} */
  async text(selector) {
    const el = await this.findElement(selector);
    return this.cmd('GET', `/element/${el}/text`);
  }

  /** @returns {Promise<string>} Base64 PNG of the viewport. */
  screenshot() {
    return this.cmd('GET', '/screenshot');
  }

  /** @returns {Promise<string>} Base64 PNG of the whole document (geckodriver extension). */
  fullPageScreenshot() {
    return this.cmd('GET', '/moz/screenshot/full');
  }

  /**
   * @param {string} selector
   * @returns {Promise<string>} Base64 PNG of one element.
   */
  async elementScreenshot(selector) {
    const el = await this.findElement(selector);
    return this.cmd('GET', `/element/${el}/screenshot`);
  }

  /** @param {{width?: number, height?: number}} rect */
  setWindowRect(rect) {
    return this.cmd('POST', '/window/rect', rect);
  }

  /** @returns {Promise<string[]>} */
  windowHandles() {
    return this.cmd('GET', '/window/handles');
  }

  /** @returns {Promise<string>} */
  windowHandle() {
    return this.cmd('GET', '/window');
  }

  /** @param {string} handle */
  switchToWindow(handle) {
    return this.cmd('POST', '/window', { handle });
  }

  /**
   * Opens a new tab and switches to it.
   * @returns {Promise<string>} Its handle.
   */
  async newTab() {
    const { handle } = await this.cmd('POST', '/window/new', { type: 'tab' });
    await this.switchToWindow(handle);
    return handle;
  }

  /** Closes the current window. */
  closeWindow() {
    return this.cmd('DELETE', '/window');
  }

  /**
   * Installs an add-on (a directory or an .xpi/.zip) for this session.
   * @param {string} path
   * @param {{temporary?: boolean}} [opts] Default temporary (unsigned add-ons need it).
   * @returns {Promise<string>} The add-on id.
   */
  installAddon(path, { temporary = true } = {}) {
    return this.cmd('POST', '/moz/addon/install', { path: resolve(path), temporary });
  }

  /** @param {string} id */
  uninstallAddon(id) {
    return this.cmd('POST', '/moz/addon/uninstall', { id });
  }

  /** Switches command context between 'content' and 'chrome' (needs -remote-allow-system-access). */
  setContext(context) {
    return this.cmd('POST', '/moz/context', { context });
  }

  /**
   * Loads a URL that WebDriver navigation refuses (moz-extension://, about:) in the current tab,
   * from the privileged context, then waits for it. Needs `systemAccess: true`.
   * @param {string} url
   * @param {{timeout?: number}} [opts]
   */
  async openPrivilegedUrl(url, { timeout = 10_000 } = {}) {
    await this.setContext('chrome');
    try {
      await this.executeScript(
        `const win = Services.wm.getMostRecentWindow('navigator:browser');
         win.gBrowser.selectedBrowser.loadURI(Services.io.newURI(arguments[0]), {
           triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
         });`,
        [url],
      );
    } finally {
      await this.setContext('content');
    }
    await waitFor(
      async () => (await this.currentUrl()) === url && (await this.executeScript('return document.readyState')) === 'complete',
      { timeout, what: `${url} to load` },
    );
  }

  /** Ends the session and kills geckodriver and its Firefox. Safe to call twice. */
  async quit() {
    if (this.id) {
      const id = this.id;
      this.id = null;
      await this.command('DELETE', `/session/${id}`, undefined, { timeout: 15_000 }).catch(() => {});
    }
    if (this.driver.exitCode === null && this.driver.signalCode === null) {
      killGroup(this.driver, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.driver, 'SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    // Firefox may outlive geckodriver for a moment: make sure the whole group is gone.
    killGroup(this.driver, 'SIGKILL');
    rmSync(this.driver.profileRoot, { recursive: true, force: true, maxRetries: 3 });
    live.delete(this.driver);
  }
}
