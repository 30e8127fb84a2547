// The background's message handlers: who may ask, what each message does, and the shape of
// every answer. `background.js` wires them to the browser; the unit tests call them with a fake
// `browser` object.
//
// Answers are `{ ok: true, ... }` or `{ ok: false, error: { code, message, status?,
// serverBaseString?, origin?, pattern? } }`. No answer ever holds a consumer secret or a token
// secret, and nothing here logs a stored record. Every message is checked against its type's
// fields first (schema.js): an unknown type or field is an error, never ignored.

import { DEMO_CONSUMER, EMAIL_PATTERN } from '../common/constants.js';
import { METHODS, apiErrorAnswer, createApiClient, redactSecrets, userIdInPath } from './api.js';
import { createConnectFlow } from './connect.js';
import { ExtensionError, errorAnswer } from './errors.js';
import { shapeMessage } from './mail.js';
import { defaultApiBase, normalizeApiBase } from './origins.js';
import { createAccess } from './permissions.js';
import { USER_FIELDS, checkMessage } from './schema.js';
import { createStore } from './storage.js';

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

/** A name from a message used as a path segment (label, folder, message id): non-empty, kept as it is. */
function requireName(value, name) {
  if (typeof value !== 'string' || value === '' || value.length > 1000) throw invalid(`${name} is required (a non-empty string)`);
  return value;
}

/** The non-secret view of a user record. */
const publicUser = ({ id, email, addedAt }) => ({ id, email, addedAt });

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
  const access = createAccess(ext);
  const storage = createStore(ext.storage.local, { defaultApiBase: () => defaultApiBase(manifest()) });
  const api = createApiClient({ Signer: wasm.Signer, storage, fetch, now, canReach: access.granted });

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
      access: await access.state(s.apiBase),
    };
  }

  /** After a change of the API base: give up what it no longer needs, update the toolbar button. */
  async function settle() {
    const { apiBase } = await storage.settings();
    const released = await access.releaseUnneeded(apiBase);
    await access.showOnButton(apiBase);
    return released;
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

  const connectFlow = createConnectFlow({ ext, storage, api, storeUser, now });

  // ------------------------------------------------------------------------- handlers

  const handlers = {
    async 'settings.get'() {
      return { ok: true, settings: await settingsView() };
    },

    /**
     * Saves settings. A new API base is saved only when the browser has granted its origin
     * (the options page asks for it from the Save click): else NO_HOST_ACCESS and nothing
     * changes. Afterwards, optional origins the new base does not need are given up.
     */
    async 'settings.set'(msg) {
      const change = {};
      for (const k of ['apiBase', 'consumerKey', 'consumerSecret']) if (msg[k] !== undefined) change[k] = msg[k];
      if (change.apiBase !== undefined) {
        const state = await access.state(normalizeApiBase(change.apiBase));
        if (!state.granted) {
          throw new ExtensionError(
            'NO_HOST_ACCESS',
            `no access to ${state.origin}: the browser has not granted it, so the settings were not changed`,
            { origin: state.origin, pattern: state.pattern },
          );
        }
      }
      await storage.saveSettings(change);
      const released = await settle();
      return { ok: true, settings: await settingsView(), released };
    },

    async 'settings.reset'() {
      await storage.resetSettings();
      const released = await settle();
      return { ok: true, settings: await settingsView(), released };
    },

    /**
     * Proves the API base and consumer credentials (stored, or given unsaved in the message):
     * a consumer-only `POST /users` without an email is rejected with 401 when the signature is
     * wrong and with 400 ("email is required") when it is right. Nothing is created.
     */
    async 'settings.test'(msg) {
      const stored = await storage.settings();
      let { consumerKey, consumerSecret } = stored;
      if (msg.consumerKey !== undefined && typeof msg.consumerKey !== 'string') throw invalid('consumerKey must be a string');
      if (msg.consumerSecret !== undefined && typeof msg.consumerSecret !== 'string') throw invalid('consumerSecret must be a string');
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
      if (!EMAIL_PATTERN.test(email)) throw invalid(`"${email.slice(0, 100)}" is not an email address`);
      const body = {};
      for (const k of USER_FIELDS) {
        if (!Object.hasOwn(msg, k) || msg[k] === undefined) continue;
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
      return connectFlow.connect(email);
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

    /**
     * One message with its headers and bodies (GET …/messages/:id?include_body=1), signed with
     * its user's token. Bodies over BODY_PREVIEW_CHARS are cut unless `full` (mail.js).
     */
    async 'messages.get'(msg) {
      const user = await userOrThrow(msg.userId);
      const label = requireName(msg.label, 'label');
      const folder = requireName(msg.folder, 'folder');
      const messageId = requireName(msg.messageId, 'messageId');
      if (msg.full !== undefined && typeof msg.full !== 'boolean') throw invalid('full must be a boolean');
      const enc = encodeURIComponent;
      const path = `/users/${enc(user.id)}/email_accounts/${enc(label)}/folders/${enc(folder)}/messages/${enc(messageId)}`;
      const r = await api.call({ user, method: 'GET', path, query: { include_body: 1 } });
      if (!r.ok) return apiErrorAnswer(r);
      return { ok: true, message: shapeMessage(r.data, { full: msg.full === true }), clockCorrection: r.clockCorrection };
    },
  };

  /** Validates an `api.request` / `api.preview` message and loads its user. */
  async function apiRequest(msg) {
    const user = await userOrThrow(msg.userId);
    if (msg.method !== undefined && typeof msg.method !== 'string') throw invalid('method must be a string');
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

  /** Shows on the toolbar button whether the API origin in use is granted. Never throws. */
  async function refreshAccess() {
    try {
      return await access.showOnButton((await storage.settings()).apiBase);
    } catch {
      return false;
    }
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
      try {
        const type = checkMessage(message);
        await ensureWasm();
        return await handlers[type](message);
      } catch (e) {
        return errorAnswer(e);
      }
    },

    /** Messages from other extensions or web pages: always refused. */
    handleExternalMessage() {
      return FORBIDDEN_SENDER;
    },

    /**
     * The browser started the extension (`runtime.onStartup`) or changed its permissions
     * (`permissions.onAdded` / `onRemoved`): check with `permissions.contains` that the API
     * origin in use is granted (Firefox may withhold even the required one) and show it on the
     * toolbar button. Resolves to whether it is granted.
     */
    checkAccess: refreshAccess,

    /**
     * `runtime.onInstalled`: the same check; on a fresh install without access, the options
     * page opens, where one click grants it.
     * @param {{reason?: string}} [details]
     */
    async onInstalled(details) {
      const granted = await refreshAccess();
      if (!granted && details?.reason === 'install') await Promise.resolve(ext.runtime.openOptionsPage()).catch(() => {});
      return granted;
    },
  };
}
