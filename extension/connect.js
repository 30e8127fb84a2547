// The connect-token flow (`users.connect`): a consent page in its own window, then the
// permanent token pair of the new user.
//
//   1. POST /connect_tokens (consumer-only) with a callback URL -> token, browser_redirect_url and
//      a temporary token pair, kept in storage.local as `connect:<token>` while the flow runs;
//   2. the consent page, through identity.launchWebAuthFlow (or a watched tab where that API is
//      missing), until the browser is sent back to the callback with `contextio_token`;
//   3. GET /connect_tokens/<token>, signed with the temporary pair -> the user and its permanent
//      pair, stored like any user; the temporary pair is forgotten whatever happens.

import { EMAIL_PATTERN } from '../common/constants.js';
import { apiErrorAnswer } from './api.js';
import { ExtensionError } from './errors.js';

/** How long a connect flow may wait for the person to finish (ms). */
export const CONNECT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * @param {object} deps
 * @param {any} deps.ext The WebExtension namespace.
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {ReturnType<typeof import('./api.js').createApiClient>} deps.api
 * @param {(pair: {id: unknown, email: string, accessToken: unknown, accessTokenSecret: unknown}) => Promise<{id: string, email: string, addedAt: number}>} deps.storeUser
 * @param {() => number} deps.now Milliseconds.
 */
export function createConnectFlow({ ext, storage, api, storeUser, now }) {
  /** Where the consent page sends the browser back to. */
  function callbackUrl(settings) {
    if (ext.identity?.launchWebAuthFlow && ext.identity.getRedirectURL) return ext.identity.getRedirectURL('connected');
    // Without the identity API the callback must be a URL whose tab the extension may read:
    // one on the API origin, which its host permission covers.
    return new URL('/contextio-extension/connected', settings.apiBase).href;
  }

  /**
   * Opens the consent page and resolves with the URL the browser was sent back to.
   *
   * `identity.launchWebAuthFlow` where it exists (Chrome, Firefox desktop), which is why the
   * manifest asks for `identity` (no install warning in either browser): the flow gets its own
   * window, the browser stops at the callback URL without loading it (the connect token is
   * never sent to any server as a request or a Referer), and a closed window is reported as
   * such. Both browsers run it headless, so the end-to-end tests cover it.
   *
   * Where it is missing (Firefox for Android), a tab is opened and watched until it reaches the
   * callback URL, then closed. Reading a tab's URL without the `tabs` permission works only on
   * origins the extension has host access to, so that callback lives on the API origin (which
   * then briefly loads it).
   */
  async function authFlow(url, callback) {
    if (ext.identity?.launchWebAuthFlow) {
      try {
        return await ext.identity.launchWebAuthFlow({ url, interactive: true });
      } catch (e) {
        throw new ExtensionError('CONNECT_CANCELLED', `the connect window was closed or failed: ${e?.message ?? e}`);
      }
    }
    return watchTab(url, callback);
  }

  function watchTab(url, callback) {
    return new Promise((resolve, reject) => {
      let tabId = null;
      let timer = null;
      const finish = (fn, value) => {
        ext.tabs.onUpdated.removeListener(onUpdated);
        ext.tabs.onRemoved.removeListener(onRemoved);
        clearTimeout(timer);
        fn(value);
      };
      const onUpdated = (id, change, tab) => {
        const u = change?.url ?? tab?.url;
        if (id !== tabId || typeof u !== 'string' || !u.startsWith(callback)) return;
        finish(resolve, u);
        Promise.resolve(ext.tabs.remove(id)).catch(() => {});
      };
      const onRemoved = (id) => {
        if (id === tabId) finish(reject, new ExtensionError('CONNECT_CANCELLED', 'the connect tab was closed before the mailbox was connected'));
      };
      ext.tabs.onUpdated.addListener(onUpdated);
      ext.tabs.onRemoved.addListener(onRemoved);
      timer = setTimeout(() => finish(reject, new ExtensionError('CONNECT_TIMEOUT', 'the mailbox was not connected in time')), CONNECT_TIMEOUT_MS);
      Promise.resolve(ext.tabs.create({ url, active: true })).then(
        (tab) => {
          tabId = tab.id;
        },
        (e) => finish(reject, new ExtensionError('CONNECT_FAILED', `cannot open the connect page: ${e?.message ?? e}`)),
      );
    });
  }

  /**
   * Runs the whole flow.
   * @param {string} email Prefills the consent page ('' for none); already checked.
   * @returns {Promise<{ok: true, user: {id: string, email: string, addedAt: number}} | ReturnType<typeof apiErrorAnswer>>}
   */
  async function connect(email) {
    if (email && !EMAIL_PATTERN.test(email)) throw new ExtensionError('INVALID_MESSAGE', `"${email.slice(0, 100)}" is not an email address`);
    await storage.prunePendingConnects(now());
    const settings = await storage.settings();
    const callback = callbackUrl(settings);
    const created = await api.call({
      settings,
      user: null,
      method: 'POST',
      path: '/connect_tokens',
      body: email ? { callback_url: callback, email } : { callback_url: callback },
    });
    if (!created.ok) return apiErrorAnswer(created);
    const { token, browser_redirect_url: redirect, access_token: accessToken, access_token_secret: accessTokenSecret } = created.data ?? {};
    if (![token, redirect, accessToken, accessTokenSecret].every((v) => typeof v === 'string' && v !== '')) {
      throw new ExtensionError('UNEXPECTED_ANSWER', 'the server answered without a connect token and its temporary pair');
    }
    const redirectUrl = new URL(redirect);
    if (redirectUrl.protocol !== 'https:' && redirectUrl.protocol !== 'http:') {
      throw new ExtensionError('UNEXPECTED_ANSWER', 'browser_redirect_url is not an http(s) URL');
    }
    await storage.putPendingConnect({ token, accessToken, accessTokenSecret, callbackUrl: callback, createdAt: now() });
    try {
      const returned = new URL(await authFlow(redirectUrl.href, callback));
      if (returned.searchParams.get('contextio_token') !== token) {
        throw new ExtensionError('CONNECT_FAILED', 'the consent page came back without this connect token');
      }
      const temporary = await storage.pendingConnect(token);
      if (!temporary) throw new ExtensionError('CONNECT_FAILED', 'this connect flow is no longer pending');
      const r = await api.call({ settings, user: temporary, method: 'GET', path: `/connect_tokens/${encodeURIComponent(token)}` });
      if (!r.ok) return apiErrorAnswer(r);
      const u = r.data?.user;
      if (!u) throw new ExtensionError('CONNECT_INCOMPLETE', 'the mailbox was not connected');
      const user = await storeUser({
        id: u.id,
        email: Array.isArray(u.email_addresses) && typeof u.email_addresses[0] === 'string' ? u.email_addresses[0] : email,
        accessToken: u.access_token,
        accessTokenSecret: u.access_token_secret,
      });
      return { ok: true, user };
    } finally {
      await storage.removePendingConnect(token);
    }
  }

  return { connect, callbackUrl };
}
