// Persistent state: users (with their access token pairs, their email accounts and each
// account's seeded mailbox), connect tokens and each consumer's OAuth providers, kept in one JSON
// file written atomically after every mutation.
//
// Atomic write: the new content goes to a temporary file in the same directory, is fsynced,
// then renamed over the data file (rename is atomic within a filesystem), then the directory is
// fsynced. A crash leaves either the old or the new file, never a torn one.

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { seedMailbox } from './mailbox.mjs';
import { PROVIDERS } from './providers.mjs';

/** Value of the `format` field of the data file. */
export const DATA_FORMAT = 'contextio-devserver/2';

/**
 * The previous format (one email account per user, its mailbox beside it, no OAuth providers),
 * still read: it is upgraded in memory and written back in the current format at once.
 */
export const DATA_FORMAT_V1 = 'contextio-devserver/1';

/** Lifetime of a connect token, in seconds. */
export const CONNECT_TOKEN_TTL_SECONDS = 3600;

/** Raised when the data file exists but cannot be used; the server must not start. */
export class DataFileError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'DataFileError';
  }
}

/**
 * Writes a file so that readers (and a crash) see either the old or the new content.
 * @param {string} file
 * @param {string} text
 */
export function writeFileAtomic(file, text) {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // 0600: the file holds token secrets.
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename already happened.
  }
}

const emptyState = () => ({ format: DATA_FORMAT, users: {}, connectTokens: {}, oauthProviders: {}, providerSeeds: {} });
const newId = (bytes) => randomBytes(bytes).toString('hex');
const newSecret = () => randomBytes(24).toString('base64url');
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Own property of a record-like object, or undefined (names such as `__proto__` are data). */
const own = (obj, key) => (obj && Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Sets an own property, also for a name such as `__proto__` (which `obj[key] = v` would not). */
function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/** The table under `key`, created empty when missing. */
const tableOf = (obj, key) => own(obj, key) ?? setOwn(obj, key, {});

/**
 * @typedef {object} AccountAuth How an email account logs in to its mailbox.
 * @property {'password' | 'oauth'} authentication_type
 * @property {string} [provider_type] For 'oauth': GMAIL_OAUTH2 or MSLIVECONNECT.
 * @property {string} [provider_consumer_key] For 'oauth': the OAuth2 client id it was authorized for.
 * @property {string} [provider_refresh_token_sha256] For 'oauth': proof that a refresh token was
 *   given. The token itself is never stored, returned or logged (a dev server has no mailbox to
 *   use it on); passwords are not stored at all.
 */

/**
 * @typedef {object} EmailAccountInput
 * @property {string} email
 * @property {string} [server]
 * @property {string} [username]
 * @property {number} [port]
 * @property {boolean} [use_ssl]
 * @property {string} [type]
 * @property {AccountAuth} [auth] Default: password.
 */

/**
 * @typedef {object} EmailAccount
 * @property {string} label `email::imap`, unique within a user.
 * @property {string} email
 * @property {string} server
 * @property {string} username
 * @property {number} port
 * @property {boolean} use_ssl
 * @property {string} type
 * @property {number} created Unix seconds.
 * @property {{folders: Array<{name: string, attributes: Record<string, boolean>, delimiter: string}>, messages: import('./mailbox.mjs').StoredMessage[]}} mailbox
 */

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

/**
 * Upgrades a contextio-devserver/1 state: the one account of each user gets its mailbox and
 * `authentication_type: "password"` (OAuth accounts did not exist), and the provider tables are added.
 * @param {any} state
 * @returns {any}
 */
function upgradeFromV1(state) {
  for (const u of Object.values(state.users)) {
    if (isObject(u) && isObject(u.account)) {
      u.accounts = [{ ...u.account, authentication_type: 'password', created: u.created, mailbox: u.mailbox }];
      delete u.account;
      delete u.mailbox;
    }
  }
  return { ...state, format: DATA_FORMAT, oauthProviders: {}, providerSeeds: {} };
}

/**
 * @typedef {object} UserRecord
 * @property {string} id
 * @property {string} consumerKey Users are visible only to the consumer that created them.
 * @property {string} email The address the user was created with (its first account's).
 * @property {string} first_name
 * @property {string} last_name
 * @property {number} created Unix seconds.
 * @property {Array<EmailAccount & AccountAuth>} accounts At least one, oldest first.
 * @property {EmailAccount & AccountAuth} account Read-only alias of `accounts[0]` (not stored).
 * @property {EmailAccount['mailbox']} mailbox Read-only alias of `accounts[0].mailbox` (not stored).
 * @property {string} access_token
 * @property {string} access_token_secret
 */

/**
 * @typedef {object} ConnectTokenRecord
 * @property {string} token
 * @property {string} consumerKey
 * @property {string} email
 * @property {string} first_name
 * @property {string} last_name
 * @property {string} callback_url
 * @property {number} created
 * @property {number} expires
 * @property {0 | 1} used
 * @property {string | null} userId
 * @property {string} access_token Temporary pair bound to this connect token.
 * @property {string} access_token_secret
 */

/** In-memory state mirrored to a JSON file (or memory only when `file` is null). */
export class Store {
  /**
   * Opens (or creates) the data file.
   * @param {{file: string | null, reset?: boolean}} opts
   * @returns {Store}
   * @throws {DataFileError} when the file exists but is unreadable, unparseable or of another
   *   format. A contextio-devserver/1 file is upgraded and written back at once.
   */
  static open({ file, reset = false }) {
    const store = new Store(file);
    let upgraded = false;
    if (file && !reset && existsSync(file)) {
      ({ state: store.state, upgraded } = Store.#load(file));
    }
    store.#reindex();
    if (file && (reset || upgraded || !existsSync(file))) store.save();
    return store;
  }

  static #load(file) {
    const refuse = (why) =>
      new DataFileError(
        `data file ${file} ${why}; refusing to start so that its content is not lost. ` +
          'Fix or move it, point --data elsewhere, or start with --reset to discard it.',
      );
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw refuse(`cannot be read (${e.code ?? e.message})`);
    }
    let state;
    try {
      state = JSON.parse(text);
    } catch (e) {
      throw refuse(`is not valid JSON (${e.message})`);
    }
    if (isObject(state) && state.format === DATA_FORMAT_V1 && isObject(state.users) && isObject(state.connectTokens)) {
      return { state: upgradeFromV1(state), upgraded: true };
    }
    if (
      !isObject(state) ||
      state.format !== DATA_FORMAT ||
      !isObject(state.users) ||
      !isObject(state.connectTokens) ||
      !isObject(state.oauthProviders) ||
      !isObject(state.providerSeeds)
    ) {
      throw refuse(`is not a ${DATA_FORMAT} (or ${DATA_FORMAT_V1}) data file`);
    }
    return { state, upgraded: false };
  }

  /** @param {string | null} file */
  constructor(file) {
    this.file = file;
    /**
     * @type {{format: string, users: Record<string, UserRecord>, connectTokens: Record<string, ConnectTokenRecord>,
     *   oauthProviders: Record<string, Record<string, OAuthProviderRecord>>,
     *   providerSeeds: Record<string, Record<string, string>>}}
     * `oauthProviders[consumerKey][providerKey]`; `providerSeeds[consumerKey][providerKey]` is the
     * digest of the config entry last applied (see `applyConfigProviders`).
     */
    this.state = emptyState();
    /** @type {Map<string, import('./oauth.mjs').TokenRecord & {consumerKey: string}>} */
    this.tokens = new Map();
  }

  #reindex() {
    this.tokens.clear();
    for (const u of Object.values(this.state.users)) this.#indexUser(u);
    for (const c of Object.values(this.state.connectTokens)) this.#indexConnectToken(c);
  }

  #indexUser(u) {
    this.tokens.set(u.access_token, {
      kind: 'user',
      token: u.access_token,
      secret: u.access_token_secret,
      userId: u.id,
      consumerKey: u.consumerKey,
    });
    // Compatibility with the one-account record of contextio-devserver/1, for code that reads
    // `user.account` or `user.mailbox` (the extension's tests do): the first account and its
    // mailbox. Not enumerable, so never written to the data file nor spread into a view.
    for (const [name, get] of [
      ['account', () => u.accounts[0]],
      ['mailbox', () => u.accounts[0]?.mailbox],
    ]) {
      Object.defineProperty(u, name, { get, enumerable: false, configurable: true });
    }
  }

  #indexConnectToken(c) {
    this.tokens.set(c.access_token, {
      kind: 'connect',
      token: c.access_token,
      secret: c.access_token_secret,
      connectToken: c.token,
      consumerKey: c.consumerKey,
    });
  }

  /** Writes the state to the data file (no-op in memory mode). */
  save() {
    if (this.file) writeFileAtomic(this.file, `${JSON.stringify(this.state)}\n`);
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
    if (t.kind === 'connect' && !this.getConnectToken(consumerKey, t.connectToken, now)) return undefined;
    return t;
  }

  /**
   * A new email account record with its seeded mailbox.
   * @param {EmailAccountInput} input
   * @param {number} now
   * @returns {EmailAccount & AccountAuth}
   */
  static #newAccount({ email, server, username, port, use_ssl: useSsl, type, auth = { authentication_type: 'password' } }, now) {
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    const providerServer = auth.authentication_type === 'oauth' ? PROVIDERS[auth.provider_type]?.imapServer : undefined;
    return {
      label: `${email}::imap`,
      email,
      server: server || providerServer || (domain === 'gmail.com' ? 'imap.gmail.com' : `imap.${domain}`),
      username: username || email,
      port: port ?? 993,
      use_ssl: useSsl ?? true,
      type: type || 'IMAP',
      ...auth,
      created: now,
      mailbox: seedMailbox(email, now),
    };
  }

  /**
   * Creates a user with one email account (and its seeded mailbox) and a fresh permanent token pair.
   * @param {{consumerKey: string, email: string, firstName?: string, lastName?: string, account?: Omit<EmailAccountInput, 'email'>, now: number}} input
   * @returns {UserRecord}
   */
  createUser({ consumerKey, email, firstName = '', lastName = '', account = {}, now }) {
    let id;
    do id = newId(12);
    while (this.state.users[id]);
    /** @type {UserRecord} */
    const user = {
      id,
      consumerKey,
      email,
      first_name: firstName,
      last_name: lastName,
      created: now,
      accounts: [Store.#newAccount({ ...account, email }, now)],
      access_token: newId(16),
      access_token_secret: newSecret(),
    };
    this.state.users[id] = user;
    this.#indexUser(user);
    this.save();
    return user;
  }

  /**
   * Adds an email account (with its seeded mailbox) to a user.
   * @param {UserRecord} user
   * @param {EmailAccountInput} input
   * @param {number} now
   * @returns {(EmailAccount & AccountAuth) | null} null when the user already has an account with that label.
   */
  addAccount(user, input, now) {
    const account = Store.#newAccount(input, now);
    if (user.accounts.some((a) => a.label === account.label)) return null;
    user.accounts.push(account);
    this.save();
    return account;
  }

  /**
   * @param {string} consumerKey
   * @param {string} id
   * @returns {UserRecord | undefined}
   */
  getUser(consumerKey, id) {
    const u = own(this.state.users, id);
    return u && u.consumerKey === consumerKey ? u : undefined;
  }

  /** @param {string} consumerKey @returns {UserRecord[]} oldest first. */
  listUsers(consumerKey) {
    return Object.values(this.state.users)
      .filter((u) => u.consumerKey === consumerKey)
      .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  /**
   * Deletes a user, its accounts and mailboxes, and its token pair.
   * @param {string} consumerKey
   * @param {string} id
   * @returns {boolean} false when there was no such user.
   */
  deleteUser(consumerKey, id) {
    const u = this.getUser(consumerKey, id);
    if (!u) return false;
    delete this.state.users[id];
    this.tokens.delete(u.access_token);
    this.save();
    return true;
  }

  // ------------------------------------------------------------------------- OAuth providers

  /** @param {string} consumerKey @returns {OAuthProviderRecord[]} oldest registration first. */
  listProviders(consumerKey) {
    return Object.values(own(this.state.oauthProviders, consumerKey) ?? {}).sort(
      (a, b) => a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  }

  /**
   * @param {string} consumerKey
   * @param {string} key provider_consumer_key
   * @returns {OAuthProviderRecord | undefined}
   */
  getProvider(consumerKey, key) {
    return own(own(this.state.oauthProviders, consumerKey), key);
  }

  /**
   * The provider of a type that a consumer registered (or replaced) last, if any.
   * @param {string} consumerKey
   * @param {string} type
   * @returns {OAuthProviderRecord | undefined}
   */
  latestProvider(consumerKey, type) {
    return this.listProviders(consumerKey)
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
  putProvider(consumerKey, { type, key, secret }, now, { save = true } = {}) {
    const table = tableOf(this.state.oauthProviders, consumerKey);
    const before = own(table, key);
    const seq = Math.max(0, ...Object.values(table).map((p) => p.seq)) + 1;
    const provider = setOwn(table, key, { type, key, secret, created: before?.created ?? now, updated: now, seq });
    if (save) this.save();
    return { provider, replaced: Boolean(before) };
  }

  /**
   * @param {string} consumerKey
   * @param {string} key
   * @returns {boolean} false when there was no such provider.
   */
  deleteProvider(consumerKey, key) {
    const table = own(this.state.oauthProviders, consumerKey);
    if (!own(table, key)) return false;
    delete table[key];
    this.save();
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
  applyConfigProviders(consumers, now) {
    let changed = false;
    const digestOf = (p) => sha256(JSON.stringify([p.type, p.key, p.secret]));
    for (const consumer of consumers) {
      const seeds = tableOf(this.state.providerSeeds, consumer.key);
      const inConfig = new Set();
      for (const p of consumer.oauthProviders) {
        inConfig.add(p.key);
        const digest = digestOf(p);
        if (own(seeds, p.key) === digest) continue;
        this.putProvider(consumer.key, p, now, { save: false });
        setOwn(seeds, p.key, digest);
        changed = true;
      }
      for (const key of Object.keys(seeds)) {
        if (inConfig.has(key)) continue;
        const stored = this.getProvider(consumer.key, key);
        if (stored && digestOf(stored) === seeds[key]) delete own(this.state.oauthProviders, consumer.key)[key];
        delete seeds[key];
        changed = true;
      }
    }
    if (changed) this.save();
  }

  /**
   * Creates a connect token with its temporary access pair.
   * @param {{consumerKey: string, callbackUrl: string, email?: string, firstName?: string, lastName?: string, now: number}} input
   * @returns {ConnectTokenRecord}
   */
  createConnectToken({ consumerKey, callbackUrl, email = '', firstName = '', lastName = '', now }) {
    this.#pruneConnectTokens(now);
    let token;
    do token = newId(16);
    while (this.state.connectTokens[token]);
    /** @type {ConnectTokenRecord} */
    const record = {
      token,
      consumerKey,
      email,
      first_name: firstName,
      last_name: lastName,
      callback_url: callbackUrl,
      created: now,
      expires: now + CONNECT_TOKEN_TTL_SECONDS,
      used: 0,
      userId: null,
      access_token: newId(16),
      access_token_secret: newSecret(),
    };
    this.state.connectTokens[token] = record;
    this.#indexConnectToken(record);
    this.save();
    return record;
  }

  /**
   * A connect token that has not expired.
   * @param {string | null} consumerKey null to look it up for any consumer (consent page).
   * @param {string} token
   * @param {number} now
   * @returns {ConnectTokenRecord | undefined}
   */
  getConnectToken(consumerKey, token, now) {
    const c = own(this.state.connectTokens, token);
    if (!c || c.expires <= now) return undefined;
    if (consumerKey !== null && c.consumerKey !== consumerKey) return undefined;
    return c;
  }

  /**
   * Completes the consent step: creates the user and marks the token used.
   * @param {ConnectTokenRecord} record
   * @param {{email: string, auth?: AccountAuth, now: number}} input
   * @returns {UserRecord}
   */
  completeConnectToken(record, { email, auth, now }) {
    const user = this.createUser({
      consumerKey: record.consumerKey,
      email,
      firstName: record.first_name,
      lastName: record.last_name,
      account: { auth },
      now,
    });
    record.used = 1;
    record.email = email;
    record.userId = user.id;
    this.save();
    return user;
  }

  #pruneConnectTokens(now) {
    for (const [token, c] of Object.entries(this.state.connectTokens)) {
      if (c.expires <= now) {
        delete this.state.connectTokens[token];
        this.tokens.delete(c.access_token);
      }
    }
  }
}
