// The background's message handlers: who may ask, what each message does, and the shape of
// every answer. `background.js` wires them to the browser; the unit tests call them with a fake
// `browser` object.
//
// Answers are `{ ok: true, ... }` or `{ ok: false, error: { code, message, status?,
// serverBaseString? } }`. No answer ever holds a consumer secret or a token secret, and nothing
// here logs a stored record.

import {
  ExtensionError,
  METHODS,
  createApiClient,
  redactSecrets,
  userIdInPath,
} from './api.js';
import { DEMO_CONSUMER, createStore, defaultApiBase, hostPermissionCovers, normalizeApiBase } from './storage.js';

/** Fields of `users.add` sent to `POST /users` (`accountType` is sent as `type`, which names the message). */
export const USER_FIELDS = Object.freeze([
  'email', 'first_name', 'last_name', 'server', 'username', 'port', 'use_ssl', 'accountType',
  'password', 'provider_refresh_token', 'provider_consumer_key', 'migrate_account_id',
]);

/** How long a connect flow may wait for the person to finish (ms). */
export const CONNECT_TIMEOUT_MS = 10 * 60 * 1000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Whether a message comes from one of this extension's own pages: same extension id, a URL
 * under the extension's base URL (a content script's URL is the web page's), the extension's
 * origin where the browser reports one (Chrome), and not an extension frame inside a web page.
 * @param {any} sender `runtime.MessageSender`
 * @param {{id: string, getURL: (path: string) => string}} runtime
 * @returns {boolean}
 */
export function isOwnSender(sender, runtime) {
  if (!sender || typeof sender !== 'object' || sender.id !== runtime.id) return false;
  const base = runtime.getURL('');
  if (typeof sender.url !== 'string' || !sender.url.startsWith(base)) return false;
  if (typeof sender.origin === 'string' && `${sender.origin}/` !== base) return false;
  if (sender.tab && typeof sender.tab.url === 'string' && !sender.tab.url.startsWith(base)) return false;
  return true;
}

/** The answer to a sender that is not one of this extension's pages. */
export const FORBIDDEN_SENDER = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'FORBIDDEN_SENDER', message: "only this extension's own pages may use it" }),
});

/**
 * Maps anything thrown to the answered error (an OAuthSignError's code passes through).
 * @param {any} e
 */
export function errorAnswer(e) {
  if (e instanceof ExtensionError) return { ok: false, error: { code: e.code, message: e.message, ...e.extra } };
  if (e?.name === 'OAuthSignError' && typeof e.code === 'string') return { ok: false, error: { code: e.code, message: e.message } };
  if (e?.name === 'SettingsError') return { ok: false, error: { code: e.code, message: e.message } };
  return { ok: false, error: { code: 'INTERNAL', message: `unexpected error: ${e?.name ?? 'Error'}: ${e?.message ?? e}` } };
}

const invalid = (message) => new ExtensionError('INVALID_MESSAGE', message);

/** Checks a query or body: a plain object of strings, numbers, booleans, or arrays of them. */
function params(value, name) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${name} must be an object of name/value pairs`);
  for (const [k, v] of Object.entries(value)) {
    const ok = (x) => ['string', 'number', 'boolean'].includes(typeof x);
    if (!(ok(v) || (Array.isArray(v) && v.every(ok)))) throw invalid(`${name}.${k} must be a string, a number, a boolean or an array of them`);
  }
  return value;
}

function requireString(value, name) {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${name} is required`);
  return value.trim();
}

/** The non-secret view of a user record. */
const publicUser = ({ id, email, addedAt }) => ({ id, email, addedAt });

/** An API answer that is not 2xx, as an error answer (keeping status, headers and data for pages). */
function apiErrorAnswer(result) {
  return {
    ok: false,
    status: result.status,
    headers: result.headers,
    data: redactSecrets(result.data),
    signing: result.signing,
    clockCorrection: result.clockCorrection,
    error: result.error,
  };
}

/**
 * Builds the background.
 * @param {object} deps
 * @param {any} deps.ext The WebExtension namespace (`browser` / `chrome`, or a fake).
 * @param {{init: (opts: {module_or_path: string}) => Promise<unknown>, Signer: any}} deps.wasm
 * @param {typeof fetch} deps.fetch
 * @param {() => number} [deps.now] Milliseconds.
 */
export function createBackground({ ext, wasm, fetch, now = () => Date.now() }) {
  const manifest = () => ext.runtime.getManifest();
  const storage = createStore(ext.storage.local, { defaultApiBase: () => defaultApiBase(manifest()) });
  const api = createApiClient({ Signer: wasm.Signer, storage, fetch, now });

  let ready = null;
  /** Instantiates the wasm module once (lazily: module service workers forbid top-level await). */
  const ensureWasm = () =>
    (ready ??= Promise.resolve(wasm.init({ module_or_path: ext.runtime.getURL('pkg/contextio_signer_bg.wasm') })).catch((e) => {
      ready = null;
      throw new ExtensionError('WASM_UNAVAILABLE', `cannot load the signer: ${e?.message ?? e}`);
    }));

  async function userOrThrow(userId) {
    const id = requireString(userId, 'userId');
    const user = await storage.user(id);
    if (!user) throw new ExtensionError('USER_NOT_FOUND', `no stored user with id "${id.slice(0, 64)}"`);
    return user;
  }

  async function settingsView() {
    const s = await storage.settings();
    const m = manifest();
    return {
      apiBase: s.apiBase,
      consumerKey: s.consumerKey,
      consumerSecretSet: !s.isDefault.consumer,
      usingDemoConsumer: s.isDefault.consumer,
      defaults: { apiBase: defaultApiBase(m), consumerKey: DEMO_CONSUMER.consumerKey },
      hostPermissions: [...(m.host_permissions ?? [])],
      covered: hostPermissionCovers(m, s.apiBase),
    };
  }

  /** Stores a user from an API answer holding `id` and a token pair. */
  async function storeUser({ id, email, accessToken, accessTokenSecret }) {
    if (![id, accessToken, accessTokenSecret].every((v) => typeof v === 'string' && v !== '')) {
      throw new ExtensionError('UNEXPECTED_ANSWER', 'the server answered without a user id and token pair');
    }
    const record = { id, email, accessToken, accessTokenSecret, addedAt: now() };
    await storage.putUser(record);
    return publicUser(record);
  }

  // ------------------------------------------------------------------------- connect flow

  /** Where the consent page sends the browser back to. */
  function callbackUrl(settings) {
    if (ext.identity?.launchWebAuthFlow && ext.identity.getRedirectURL) return ext.identity.getRedirectURL('connected');
    // Without the identity API the callback must be a URL whose tab the extension may read:
    // one on the API origin, which the host permission covers.
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
   * origins the extension has host permission for, so that callback lives on the API origin
   * (which then briefly loads it).
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

  // ------------------------------------------------------------------------- handlers

  const handlers = {
    async 'settings.get'() {
      return { ok: true, settings: await settingsView() };
    },

    async 'settings.set'(msg) {
      const change = {};
      for (const k of ['apiBase', 'consumerKey', 'consumerSecret']) if (msg[k] !== undefined) change[k] = msg[k];
      await storage.saveSettings(change);
      return { ok: true, settings: await settingsView() };
    },

    async 'settings.reset'() {
      await storage.resetSettings();
      return { ok: true, settings: await settingsView() };
    },

    /**
     * Proves the API base and consumer credentials (stored, or given unsaved in the message):
     * a consumer-only `POST /users` without an email is rejected with 401 when the signature is
     * wrong and with 400 ("email is required") when it is right. Nothing is created.
     */
    async 'settings.test'(msg) {
      const stored = await storage.settings();
      let { consumerKey, consumerSecret } = stored;
      if (typeof msg.consumerKey === 'string') {
        if (msg.consumerKey.trim() === '') ({ consumerKey, consumerSecret } = DEMO_CONSUMER);
        else if (msg.consumerKey.trim() !== stored.consumerKey) [consumerKey, consumerSecret] = [msg.consumerKey.trim(), ''];
      }
      if (typeof msg.consumerSecret === 'string' && msg.consumerSecret !== '') consumerSecret = msg.consumerSecret;
      if (!consumerSecret) throw new ExtensionError('INVALID_SETTINGS', 'enter the consumer secret that goes with this consumer key');
      const settings = {
        apiBase: msg.apiBase !== undefined ? normalizeApiBase(msg.apiBase) : stored.apiBase,
        consumerKey,
        consumerSecret,
      };
      const r = await api.call({ settings, user: null, method: 'POST', path: '/users', body: {} });
      if (r.status === 400 || r.ok) {
        return { ok: true, status: r.status, clockCorrection: r.clockCorrection, clockOffset: r.signing.clockOffset, server: r.headers.server ?? null };
      }
      return apiErrorAnswer(r);
    },

    async 'users.list'() {
      return { ok: true, users: (await storage.users()).map(publicUser) };
    },

    async 'users.add'(msg) {
      const email = requireString(msg.email, 'email');
      if (!EMAIL.test(email)) throw invalid(`"${email.slice(0, 100)}" is not an email address`);
      const body = {};
      for (const k of Object.keys(msg)) {
        if (k === 'type') continue;
        if (!USER_FIELDS.includes(k)) throw invalid(`users.add does not take "${k}" (fields: ${USER_FIELDS.join(', ')})`);
        const v = msg[k];
        if (!['string', 'number', 'boolean'].includes(typeof v)) throw invalid(`${k} must be a string, a number or a boolean`);
        body[k === 'accountType' ? 'type' : k] = k === 'email' ? email : v;
      }
      const r = await api.call({ user: null, method: 'POST', path: '/users', body });
      if (!r.ok) return apiErrorAnswer(r);
      const user = await storeUser({
        id: r.data?.id,
        email,
        accessToken: r.data?.access_token,
        accessTokenSecret: r.data?.access_token_secret,
      });
      return { ok: true, user, clockCorrection: r.clockCorrection };
    },

    async 'users.connect'(msg) {
      const email = msg.email === undefined || msg.email === '' ? '' : requireString(msg.email, 'email');
      if (email && !EMAIL.test(email)) throw invalid(`"${email.slice(0, 100)}" is not an email address`);
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
        const r = await api.call({
          settings,
          user: temporary,
          method: 'GET',
          path: `/connect_tokens/${encodeURIComponent(token)}`,
        });
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
    },

    async 'users.remove'(msg) {
      const removed = await storage.removeUser(requireString(msg.userId, 'userId'));
      return { ok: true, removed };
    },

    async 'api.preview'(msg) {
      const req = await apiRequest(msg);
      return { ok: true, signing: await api.preview(req) };
    },

    async 'api.request'(msg) {
      const r = await api.call(await apiRequest(msg));
      if (!r.ok) return apiErrorAnswer(r);
      const { status, headers, data, signing, clockCorrection } = r;
      return { ok: true, status, headers, data: redactSecrets(data), signing, clockCorrection };
    },
  };

  /** Validates an `api.request` / `api.preview` message and loads its user. */
  async function apiRequest(msg) {
    const user = await userOrThrow(msg.userId);
    const method = typeof msg.method === 'string' ? msg.method.toUpperCase() : 'GET';
    if (!METHODS.includes(method)) throw invalid(`method must be one of ${METHODS.join(', ')}`);
    if (typeof msg.path !== 'string') throw invalid('path is required');
    const pathUser = userIdInPath(msg.path);
    if (pathUser !== null && pathUser !== user.id) {
      throw new ExtensionError('USER_PATH_MISMATCH', `the path names user "${pathUser.slice(0, 64)}" but the request is signed for user "${user.id}": a user's token is only used for that user's own resources`);
    }
    const query = params(msg.query, 'query');
    const body = params(msg.body, 'body');
    if (body !== undefined && (method === 'GET' || method === 'DELETE')) throw invalid(`${method} takes no body; use query`);
    return { user, method, path: msg.path, query, body };
  }

  return {
    storage,

    /**
     * Answers one message. Never throws.
     * @param {unknown} message
     * @param {any} sender
     */
    async handleMessage(message, sender) {
      if (!isOwnSender(sender, ext.runtime)) return FORBIDDEN_SENDER;
      if (!message || typeof message !== 'object' || typeof message.type !== 'string') {
        return errorAnswer(invalid('a message is an object with a string "type"'));
      }
      if (!Object.hasOwn(handlers, message.type)) {
        return errorAnswer(new ExtensionError('UNKNOWN_MESSAGE', `unknown message type "${message.type.slice(0, 40)}"`));
      }
      try {
        await ensureWasm();
        return await handlers[message.type](message);
      } catch (e) {
        return errorAnswer(e);
      }
    },

    /** Messages from other extensions or web pages: always refused. */
    handleExternalMessage() {
      return FORBIDDEN_SENDER;
    },
  };
}
