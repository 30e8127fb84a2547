// Where the extension keeps its state: `storage.local` only, never `storage.sync` (synced data
// leaves the machine, and these are credentials).
//
//   settings              { apiBase, consumerKey, consumerSecret }   absent: the defaults
//   user:<id>             { id, email, accessToken, accessTokenSecret, addedAt }
//   clockOffset:<origin>  whole seconds to add to the local clock for that API origin
//   connect:<token>       a connect flow in progress: the temporary token pair, until it completes
//
// Every read goes to storage: a service worker can be evicted at any moment, so nothing is
// cached in memory. Only the background imports this module; pages ask the background.

/** The local dev server's published demo consumer (its secret is public; loopback only). */
export const DEMO_CONSUMER = Object.freeze({ consumerKey: 'contextio-demo', consumerSecret: 'demo-secret-loopback-only' });

/** API base when the manifest names no usable origin. */
export const FALLBACK_API_BASE = 'http://127.0.0.1:8787/lite';

/** A connect flow left unfinished is forgotten after this long (the server's tokens live 1 h). */
export const PENDING_CONNECT_TTL_MS = 60 * 60 * 1000;

const USER_PREFIX = 'user:';
const CONNECT_PREFIX = 'connect:';
const OFFSET_PREFIX = 'clockOffset:';

/** A settings value the extension cannot use. */
export class SettingsError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'SettingsError';
    this.code = 'INVALID_SETTINGS';
  }
}

/**
 * The default API base: the first host permission of the manifest (one source of truth, set by
 * `scripts/build-extension.mjs --api-origin`) plus the API version path `/lite`.
 * @param {{host_permissions?: string[]}} manifest
 * @returns {string}
 */
export function defaultApiBase(manifest) {
  const m = /^(https?):\/\/([^/*]+)\/\*?$/.exec(manifest?.host_permissions?.[0] ?? '');
  return m ? `${m[1]}://${m[2]}/lite` : FALLBACK_API_BASE;
}

/**
 * Checks and normalizes an API base URL: http(s), no credentials, query or fragment, no
 * trailing slash. `https://api.context.io/lite/` becomes `https://api.context.io/lite`.
 * @param {unknown} text
 * @returns {string}
 * @throws {SettingsError}
 */
export function normalizeApiBase(text) {
  if (typeof text !== 'string' || text.trim() === '') throw new SettingsError('the API base URL is required');
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    throw new SettingsError(`"${text.trim().slice(0, 100)}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SettingsError('the API base URL must use http or https');
  if (url.username || url.password) throw new SettingsError('the API base URL must not contain credentials');
  if (url.search || url.hash) throw new SettingsError('the API base URL must not have a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Whether one of the manifest's host permissions covers `url` (so the background may fetch it
 * without CORS and see its tab URL). Understands `scheme://host[:port]/*` and `*.` subdomains.
 * @param {{host_permissions?: string[]}} manifest
 * @param {string} url
 * @returns {boolean}
 */
export function hostPermissionCovers(manifest, url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (manifest?.host_permissions ?? []).some((pattern) => {
    if (pattern === '<all_urls>') return true;
    const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:*]+)(?::(\d+|\*))?\/.*$/.exec(pattern);
    if (!m) return false;
    const [, scheme, host, port] = m;
    if (scheme === '*' ? !['http:', 'https:'].includes(u.protocol) : `${scheme}:` !== u.protocol) return false;
    if (host !== '*') {
      if (host.startsWith('*.')) {
        const root = host.slice(2);
        if (u.hostname !== root && !u.hostname.endsWith(`.${root}`)) return false;
      } else if (u.hostname !== host) return false;
    }
    // A pattern without a port matches every port (as in both browsers).
    return port === undefined || port === '*' || (u.port || (u.protocol === 'https:' ? '443' : '80')) === port;
  });
}

/**
 * @typedef {object} Settings
 * @property {string} apiBase
 * @property {string} consumerKey
 * @property {string} consumerSecret
 */

/**
 * @typedef {object} UserRecord
 * @property {string} id
 * @property {string} email
 * @property {string} accessToken
 * @property {string} accessTokenSecret
 * @property {number} addedAt Milliseconds since the epoch.
 */

/**
 * The storage module over one `StorageArea` (`storage.local`).
 * @param {{get: Function, set: Function, remove: Function}} area
 * @param {{defaultApiBase: () => string}} defaults
 */
export function createStore(area, { defaultApiBase: apiBaseDefault }) {
  const getOne = async (key) => (await area.get(key))[key];

  return {
    /** @returns {Promise<Settings & {isDefault: {apiBase: boolean, consumer: boolean}}>} */
    async settings() {
      const s = (await getOne('settings')) ?? {};
      const consumerIsDefault = !s.consumerKey || !s.consumerSecret;
      return {
        apiBase: s.apiBase || apiBaseDefault(),
        consumerKey: consumerIsDefault ? DEMO_CONSUMER.consumerKey : s.consumerKey,
        consumerSecret: consumerIsDefault ? DEMO_CONSUMER.consumerSecret : s.consumerSecret,
        isDefault: { apiBase: !s.apiBase, consumer: consumerIsDefault },
      };
    },

    /**
     * Saves settings; a field left undefined keeps its stored value. An empty consumer key
     * or secret goes back to the demo consumer.
     * @param {{apiBase?: string, consumerKey?: string, consumerSecret?: string}} change
     */
    async saveSettings(change) {
      const s = { ...((await getOne('settings')) ?? {}) };
      if (change.apiBase !== undefined) s.apiBase = normalizeApiBase(change.apiBase);
      for (const name of ['consumerKey', 'consumerSecret']) {
        const v = change[name];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new SettingsError(`${name} must be a string`);
        if (/[\u0000-\u001f\u007f]/.test(v)) throw new SettingsError(`${name} must not contain control characters`);
        s[name] = v.trim();
      }
      await area.set({ settings: s });
    },

    async resetSettings() {
      await area.remove('settings');
    },

    /** @returns {Promise<UserRecord[]>} Oldest first. */
    async users() {
      const all = await area.get(null);
      return Object.keys(all)
        .filter((k) => k.startsWith(USER_PREFIX))
        .map((k) => all[k])
        .sort((a, b) => a.addedAt - b.addedAt || a.email.localeCompare(b.email));
    },

    /** @param {string} id @returns {Promise<UserRecord | null>} */
    async user(id) {
      return (await getOne(USER_PREFIX + id)) ?? null;
    },

    /** @param {UserRecord} record */
    async putUser(record) {
      const { id, email, accessToken, accessTokenSecret, addedAt } = record;
      for (const [name, v] of Object.entries({ id, accessToken, accessTokenSecret })) {
        if (typeof v !== 'string' || v === '') throw new TypeError(`user record: ${name} must be a non-empty string`);
      }
      if (typeof email !== 'string') throw new TypeError('user record: email must be a string');
      if (!Number.isFinite(addedAt)) throw new TypeError('user record: addedAt must be a number');
      await area.set({ [USER_PREFIX + id]: { id, email, accessToken, accessTokenSecret, addedAt } });
    },

    /** @param {string} id @returns {Promise<boolean>} Whether there was such a user. */
    async removeUser(id) {
      const existed = (await getOne(USER_PREFIX + id)) !== undefined;
      await area.remove(USER_PREFIX + id);
      return existed;
    },

    /** @param {string} origin @returns {Promise<number>} */
    async clockOffset(origin) {
      const v = await getOne(OFFSET_PREFIX + origin);
      return Number.isInteger(v) ? v : 0;
    },

    /** @param {string} origin @param {number} seconds */
    async setClockOffset(origin, seconds) {
      await area.set({ [OFFSET_PREFIX + origin]: Math.round(seconds) });
    },

    /**
     * @param {{token: string, accessToken: string, accessTokenSecret: string, callbackUrl: string, createdAt: number}} pending
     */
    async putPendingConnect(pending) {
      await area.set({ [CONNECT_PREFIX + pending.token]: pending });
    },

    /** @param {string} token */
    async pendingConnect(token) {
      return (await getOne(CONNECT_PREFIX + token)) ?? null;
    },

    /** @param {string} token */
    async removePendingConnect(token) {
      await area.remove(CONNECT_PREFIX + token);
    },

    /** Forgets connect flows older than the TTL. @param {number} nowMs */
    async prunePendingConnects(nowMs) {
      const all = await area.get(null);
      const stale = Object.keys(all).filter(
        (k) => k.startsWith(CONNECT_PREFIX) && !(nowMs - all[k]?.createdAt < PENDING_CONNECT_TTL_MS),
      );
      if (stale.length) await area.remove(stale);
    },
  };
}
