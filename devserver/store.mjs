// Persistent state: users (with their access token pairs and seeded mailboxes) and connect
// tokens, kept in one JSON file written atomically after every mutation.
//
// Atomic write: the new content goes to a temporary file in the same directory, is fsynced,
// then renamed over the data file (rename is atomic within a filesystem), then the directory is
// fsynced. A crash leaves either the old or the new file, never a torn one.

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { seedMailbox } from './mailbox.mjs';

/** Value of the `format` field of the data file. */
export const DATA_FORMAT = 'contextio-devserver/1';

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

const emptyState = () => ({ format: DATA_FORMAT, users: {}, connectTokens: {} });
const newId = (bytes) => randomBytes(bytes).toString('hex');
const newSecret = () => randomBytes(24).toString('base64url');

/**
 * @typedef {object} EmailAccount
 * @property {string} label
 * @property {string} email
 * @property {string} server
 * @property {string} username
 * @property {number} port
 * @property {boolean} use_ssl
 * @property {string} type
 */

/**
 * @typedef {object} UserRecord
 * @property {string} id
 * @property {string} consumerKey Users are visible only to the consumer that created them.
 * @property {string} email
 * @property {string} first_name
 * @property {string} last_name
 * @property {number} created Unix seconds.
 * @property {EmailAccount} account
 * @property {string} access_token
 * @property {string} access_token_secret
 * @property {{folders: Array<{name: string, attributes: Record<string, boolean>, delimiter: string}>, messages: import('./mailbox.mjs').StoredMessage[]}} mailbox
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
   * @throws {DataFileError} when the file exists but is unreadable, unparseable or of another format.
   */
  static open({ file, reset = false }) {
    const store = new Store(file);
    if (file && !reset && existsSync(file)) {
      store.state = Store.#load(file);
    }
    store.#reindex();
    if (file && (reset || !existsSync(file))) store.save();
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
    const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(state) || state.format !== DATA_FORMAT || !isObject(state.users) || !isObject(state.connectTokens)) {
      throw refuse(`is not a ${DATA_FORMAT} data file`);
    }
    return state;
  }

  /** @param {string | null} file */
  constructor(file) {
    this.file = file;
    /** @type {{format: string, users: Record<string, UserRecord>, connectTokens: Record<string, ConnectTokenRecord>}} */
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
   * Creates a user with a seeded mailbox and a fresh permanent token pair.
   * Passwords and refresh tokens are deliberately not parameters: they are never stored.
   * @param {{consumerKey: string, email: string, firstName?: string, lastName?: string, account?: Partial<EmailAccount>, now: number}} input
   * @returns {UserRecord}
   */
  createUser({ consumerKey, email, firstName = '', lastName = '', account = {}, now }) {
    let id;
    do id = newId(12);
    while (this.state.users[id]);
    const domain = email.split('@')[1]?.toLowerCase() ?? '';
    /** @type {UserRecord} */
    const user = {
      id,
      consumerKey,
      email,
      first_name: firstName,
      last_name: lastName,
      created: now,
      account: {
        label: `${email}::imap`,
        email,
        server: account.server || (domain === 'gmail.com' ? 'imap.gmail.com' : `imap.${domain}`),
        username: account.username || email,
        port: account.port ?? 993,
        use_ssl: account.use_ssl ?? true,
        type: account.type || 'IMAP',
      },
      access_token: newId(16),
      access_token_secret: newSecret(),
      mailbox: seedMailbox(email, now),
    };
    this.state.users[id] = user;
    this.#indexUser(user);
    this.save();
    return user;
  }

  /**
   * @param {string} consumerKey
   * @param {string} id
   * @returns {UserRecord | undefined}
   */
  getUser(consumerKey, id) {
    const u = Object.hasOwn(this.state.users, id) ? this.state.users[id] : undefined;
    return u && u.consumerKey === consumerKey ? u : undefined;
  }

  /** @param {string} consumerKey @returns {UserRecord[]} oldest first. */
  listUsers(consumerKey) {
    return Object.values(this.state.users)
      .filter((u) => u.consumerKey === consumerKey)
      .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  /**
   * Deletes a user, its mailbox and its token pair.
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
    const c = Object.hasOwn(this.state.connectTokens, token) ? this.state.connectTokens[token] : undefined;
    if (!c || c.expires <= now) return undefined;
    if (consumerKey !== null && c.consumerKey !== consumerKey) return undefined;
    return c;
  }

  /**
   * Completes the consent step: creates the user and marks the token used.
   * @param {ConnectTokenRecord} record
   * @param {{email: string, now: number}} input
   * @returns {UserRecord}
   */
  completeConnectToken(record, { email, now }) {
    const user = this.createUser({
      consumerKey: record.consumerKey,
      email,
      firstName: record.first_name,
      lastName: record.last_name,
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
