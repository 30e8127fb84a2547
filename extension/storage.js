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

import { DEMO_CONSUMER } from '../common/constants.js';
import { ExtensionError } from './errors.js';
import { normalizeApiBase } from './origins.js';

/** A connect flow left unfinished is forgotten after this long (the server's tokens live 1 h). */
export const PENDING_CONNECT_TTL_MS = 60 * 60 * 1000;

const USER_PREFIX = 'user:';
const CONNECT_PREFIX = 'connect:';
const OFFSET_PREFIX = 'clockOffset:';

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
        if (typeof v !== 'string') throw new ExtensionError('INVALID_SETTINGS', `${name} must be a string`);
        if (/[\u0000-\u001f\u007f]/.test(v)) throw new ExtensionError('INVALID_SETTINGS', `${name} must not contain control characters`);
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
