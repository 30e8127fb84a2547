// The server's state as the routes and the tests see it: one object over the data file
// (datafile.mjs, persistence only) and the domain modules, each holding one part's rules:
// users and their email accounts (users.mjs), connect tokens (connect-tokens.mjs), each
// consumer's OAuth providers (provider-registry.mjs), and the index of access tokens they keep
// (tokens.mjs). Every mutation is saved by the module that makes it.

import { ConnectTokens } from './connect-tokens.mjs';
import { DataFile } from './datafile.mjs';
import { ProviderRegistry } from './provider-registry.mjs';
import { TokenIndex } from './tokens.mjs';
import { Users } from './users.mjs';

/** @typedef {import('./users.mjs').UserRecord} UserRecord */
/** @typedef {import('./users.mjs').AccountAuth} AccountAuth */
/** @typedef {import('./connect-tokens.mjs').ConnectTokenRecord} ConnectTokenRecord */
/** @typedef {import('./provider-registry.mjs').OAuthProviderRecord} OAuthProviderRecord */

export class Store {
  /**
   * Opens (or creates) the data file, or keeps the state in memory when `file` is null.
   * @param {{file: string | null, reset?: boolean}} opts
   * @returns {Store}
   * @throws {import('./datafile.mjs').DataFileError} when the file exists but cannot be used.
   */
  static open(opts) {
    return new Store(DataFile.open(opts));
  }

  /** @param {DataFile} data */
  constructor(data) {
    this.data = data;
    this.tokens = new TokenIndex();
    this.users = new Users(data, this.tokens);
    this.connectTokens = new ConnectTokens(data, this.tokens, this.users);
    this.providers = new ProviderRegistry(data);
  }

  /** The whole state, as kept in the data file. */
  get state() {
    return this.data.state;
  }

  /** The data file, or null in memory. */
  get file() {
    return this.data.file;
  }

  /** Writes the state to the data file (no-op in memory mode). */
  save() {
    this.data.save();
  }

  /**
   * Looks up an access token of a consumer: a user's permanent pair or a live connect token's
   * temporary pair.
   * @param {string} consumerKey
   * @param {string} token
   * @param {number} now Unix seconds.
   * @returns {import('./oauth.mjs').TokenRecord | undefined}
   */
  findToken(consumerKey, token, now) {
    const t = this.tokens.get(token);
    if (!t || t.consumerKey !== consumerKey) return undefined;
    if (t.kind === 'connect' && !this.connectTokens.get(consumerKey, t.connectToken, now)) return undefined;
    return t;
  }

  // Users (users.mjs).

  /** @param {Parameters<Users['create']>[0]} input */
  createUser(input) {
    return this.users.create(input);
  }

  /** @param {Parameters<Users['addAccount']>} args */
  addAccount(...args) {
    return this.users.addAccount(...args);
  }

  /** @param {string} consumerKey @param {string} id */
  getUser(consumerKey, id) {
    return this.users.get(consumerKey, id);
  }

  /** @param {string} consumerKey */
  listUsers(consumerKey) {
    return this.users.list(consumerKey);
  }

  /** @param {string} consumerKey @param {string} id */
  deleteUser(consumerKey, id) {
    return this.users.delete(consumerKey, id);
  }

  // OAuth providers (provider-registry.mjs).

  /** @param {string} consumerKey */
  listProviders(consumerKey) {
    return this.providers.list(consumerKey);
  }

  /** @param {string} consumerKey @param {string} key */
  getProvider(consumerKey, key) {
    return this.providers.get(consumerKey, key);
  }

  /** @param {string} consumerKey @param {string} type */
  latestProvider(consumerKey, type) {
    return this.providers.latest(consumerKey, type);
  }

  /** @param {Parameters<ProviderRegistry['put']>} args */
  putProvider(...args) {
    return this.providers.put(...args);
  }

  /** @param {string} consumerKey @param {string} key */
  deleteProvider(consumerKey, key) {
    return this.providers.delete(consumerKey, key);
  }

  /** @param {Parameters<ProviderRegistry['applyConfig']>} args */
  applyConfigProviders(...args) {
    this.providers.applyConfig(...args);
  }

  // Connect tokens (connect-tokens.mjs).

  /** @param {Parameters<ConnectTokens['create']>[0]} input */
  createConnectToken(input) {
    return this.connectTokens.create(input);
  }

  /** @param {string | null} consumerKey @param {string} token @param {number} now */
  getConnectToken(consumerKey, token, now) {
    return this.connectTokens.get(consumerKey, token, now);
  }

  /** @param {Parameters<ConnectTokens['complete']>} args */
  completeConnectToken(...args) {
    return this.connectTokens.complete(...args);
  }
}
