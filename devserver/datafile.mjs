// Persistence of the server's state: one JSON document (`"format": "contextio-devserver/2"`),
// read at start (a contextio-devserver/1 file is upgraded) and written atomically after every
// mutation. What the state means is the domain modules' business (users.mjs, connect-tokens.mjs,
// provider-registry.mjs); this module only keeps it.
//
// Atomic write: the new content goes to a temporary file in the same directory, is fsynced,
// then renamed over the data file (rename is atomic within a filesystem), then the directory is
// fsynced. A crash leaves either the old or the new file, never a torn one.

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isObject } from './records.mjs';

/** Value of the `format` field of the data file. */
export const DATA_FORMAT = 'contextio-devserver/2';

/**
 * The previous format (one email account per user, its mailbox beside it, no OAuth providers),
 * still read: it is upgraded in memory and written back in the current format at once.
 */
export const DATA_FORMAT_V1 = 'contextio-devserver/1';

/** Raised when the data file exists but cannot be used; the server must not start. */
export class DataFileError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'DataFileError';
  }
}

/**
 * @typedef {object} State The whole state, as written to the data file.
 * @property {string} format
 * @property {Record<string, import('./users.mjs').UserRecord>} users
 * @property {Record<string, import('./connect-tokens.mjs').ConnectTokenRecord>} connectTokens
 * @property {Record<string, Record<string, import('./provider-registry.mjs').OAuthProviderRecord>>} oauthProviders
 *   `oauthProviders[consumerKey][providerKey]`.
 * @property {Record<string, Record<string, string>>} providerSeeds `providerSeeds[consumerKey][providerKey]`
 *   is the digest of the config entry last applied (see ProviderRegistry#applyConfig).
 */

/** @returns {State} */
const emptyState = () => ({ format: DATA_FORMAT, users: {}, connectTokens: {}, oauthProviders: {}, providerSeeds: {} });

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

/**
 * Upgrades a contextio-devserver/1 state: the one account of each user gets its mailbox and
 * `authentication_type: "password"` (OAuth accounts did not exist), and the provider tables are added.
 * @param {any} state
 * @returns {State}
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
 * Reads a data file.
 * @param {string} file
 * @returns {{state: State, upgraded: boolean}}
 * @throws {DataFileError}
 */
function load(file) {
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

/** The state and the file it is kept in (or memory only, when `file` is null). */
export class DataFile {
  /**
   * Opens (or creates) the data file.
   * @param {{file: string | null, reset?: boolean}} opts
   * @returns {DataFile}
   * @throws {DataFileError} when the file exists but is unreadable, unparseable or of another
   *   format. A contextio-devserver/1 file is upgraded and written back at once.
   */
  static open({ file, reset = false }) {
    const existed = Boolean(file) && existsSync(file);
    const { state, upgraded } = file && !reset && existed ? load(file) : { state: emptyState(), upgraded: false };
    const data = new DataFile(file, state);
    if (reset || upgraded || !existed) data.save();
    return data;
  }

  /**
   * @param {string | null} file
   * @param {State} state
   */
  constructor(file, state) {
    this.file = file;
    this.state = state;
  }

  /** Writes the state to the data file (no-op in memory mode). */
  save() {
    if (this.file) writeFileAtomic(this.file, `${JSON.stringify(this.state)}\n`);
  }
}
