// Each consumer's OAuth providers (the OAuth2 clients it registered with Google or Microsoft),
// from the config file and from the oauth_providers API. The records live in
// `state.oauthProviders` of the data file (datafile.mjs), with `state.providerSeeds` recording
// which config entries were applied; every change is saved.

import { createHash } from 'node:crypto';
import { own, setOwn, tableOf } from './records.mjs';

/**
 * @typedef {object} OAuthProviderRecord
 * @property {string} type One of PROVIDER_TYPES (providers.mjs).
 * @property {string} key provider_consumer_key (the OAuth2 client id).
 * @property {string} secret provider_consumer_secret.
 * @property {number} created Unix seconds of the first registration.
 * @property {number} updated Unix seconds of the last registration (a POST with the same key
 *   replaces the provider).
 * @property {number} seq Order of the last registration among the consumer's providers.
 */

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

export class ProviderRegistry {
  /** @param {import('./datafile.mjs').DataFile} data */
  constructor(data) {
    this.data = data;
  }

  /** @param {string} consumerKey @returns {OAuthProviderRecord[]} oldest registration first. */
  list(consumerKey) {
    return Object.values(own(this.data.state.oauthProviders, consumerKey) ?? {}).sort(
      (a, b) => a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  }

  /**
   * @param {string} consumerKey
   * @param {string} key provider_consumer_key
   * @returns {OAuthProviderRecord | undefined}
   */
  get(consumerKey, key) {
    return own(own(this.data.state.oauthProviders, consumerKey), key);
  }

  /**
   * The provider of a type that a consumer registered (or replaced) last, if any.
   * @param {string} consumerKey
   * @param {string} type
   * @returns {OAuthProviderRecord | undefined}
   */
  latest(consumerKey, type) {
    return this.list(consumerKey)
      .filter((p) => p.type === type)
      .sort((a, b) => b.seq - a.seq)[0];
  }

  /**
   * Registers a provider, replacing one with the same key.
   * @param {string} consumerKey
   * @param {{type: string, key: string, secret: string}} provider
   * @param {number} now
   * @param {{save?: boolean}} [opts]
   * @returns {{provider: OAuthProviderRecord, replaced: boolean}}
   */
  put(consumerKey, { type, key, secret }, now, { save = true } = {}) {
    const table = tableOf(this.data.state.oauthProviders, consumerKey);
    const before = own(table, key);
    const seq = Math.max(0, ...Object.values(table).map((p) => p.seq)) + 1;
    const provider = setOwn(table, key, { type, key, secret, created: before?.created ?? now, updated: now, seq });
    if (save) this.data.save();
    return { provider, replaced: Boolean(before) };
  }

  /**
   * @param {string} consumerKey
   * @param {string} key
   * @returns {boolean} false when there was no such provider.
   */
  delete(consumerKey, key) {
    const table = own(this.data.state.oauthProviders, consumerKey);
    if (!own(table, key)) return false;
    delete table[key];
    this.data.save();
    return true;
  }

  /**
   * Applies the providers of the config file (the stand-in for the developer console), once per
   * version of each entry: an entry that is new or changed since it was last applied is
   * (re)registered; an entry removed from the config is removed from the state unless it was
   * replaced through the API since. What the API did to an unchanged entry (a DELETE, a
   * replacement) stands across restarts.
   * @param {Array<{key: string, oauthProviders: Array<{type: string, key: string, secret: string}>}>} consumers
   * @param {number} now
   */
  applyConfig(consumers, now) {
    const { state } = this.data;
    let changed = false;
    const digestOf = (p) => sha256(JSON.stringify([p.type, p.key, p.secret]));
    for (const consumer of consumers) {
      const seeds = tableOf(state.providerSeeds, consumer.key);
      const inConfig = new Set();
      for (const p of consumer.oauthProviders) {
        inConfig.add(p.key);
        const digest = digestOf(p);
        if (own(seeds, p.key) === digest) continue;
        this.put(consumer.key, p, now, { save: false });
        setOwn(seeds, p.key, digest);
        changed = true;
      }
      for (const key of Object.keys(seeds)) {
        if (inConfig.has(key)) continue;
        const stored = this.get(consumer.key, key);
        if (stored && digestOf(stored) === seeds[key]) delete own(state.oauthProviders, consumer.key)[key];
        delete seeds[key];
        changed = true;
      }
    }
    if (changed) this.data.save();
  }
}
