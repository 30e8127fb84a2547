// Users and their email accounts: each user belongs to the consumer that created it, holds one
// permanent access token pair and at least one email account, each with its seeded mailbox.
// The records live in `state.users` of the data file (datafile.mjs); every change is saved.

import { seedMailbox } from './mailbox.mjs';
import { PROVIDERS } from './providers.mjs';
import { newTokenPair, own, unusedId } from './records.mjs';

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
 * A new email account record with its seeded mailbox.
 * @param {EmailAccountInput} input
 * @param {number} now
 * @returns {EmailAccount & AccountAuth}
 */
function newAccount({ email, server, username, port, use_ssl: useSsl, type, auth = { authentication_type: 'password' } }, now) {
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
 * Compatibility with the one-account record of contextio-devserver/1, for code that reads
 * `user.account` or `user.mailbox` (the extension's tests do): the first account and its
 * mailbox. Not enumerable, so never written to the data file nor spread into a view.
 * @param {UserRecord} u
 */
function defineAliases(u) {
  for (const [name, get] of [
    ['account', () => u.accounts[0]],
    ['mailbox', () => u.accounts[0]?.mailbox],
  ]) {
    Object.defineProperty(u, name, { get, enumerable: false, configurable: true });
  }
}

export class Users {
  /**
   * @param {import('./datafile.mjs').DataFile} data
   * @param {import('./tokens.mjs').TokenIndex} tokens Kept up to date with the users' pairs.
   */
  constructor(data, tokens) {
    this.data = data;
    this.tokens = tokens;
    for (const u of Object.values(data.state.users)) this.#index(u);
  }

  /** @param {UserRecord} u */
  #index(u) {
    this.tokens.addUser(u);
    defineAliases(u);
  }

  /**
   * Creates a user with one email account (and its seeded mailbox) and a fresh permanent token pair.
   * @param {{consumerKey: string, email: string, firstName?: string, lastName?: string, account?: Omit<EmailAccountInput, 'email'>, now: number}} input
   * @returns {UserRecord}
   */
  create({ consumerKey, email, firstName = '', lastName = '', account = {}, now }) {
    const users = this.data.state.users;
    /** @type {UserRecord} */
    const user = {
      id: unusedId(users, 12),
      consumerKey,
      email,
      first_name: firstName,
      last_name: lastName,
      created: now,
      accounts: [newAccount({ ...account, email }, now)],
      ...newTokenPair(),
    };
    users[user.id] = user;
    this.#index(user);
    this.data.save();
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
    const account = newAccount(input, now);
    if (user.accounts.some((a) => a.label === account.label)) return null;
    user.accounts.push(account);
    this.data.save();
    return account;
  }

  /**
   * @param {string} consumerKey
   * @param {string} id
   * @returns {UserRecord | undefined}
   */
  get(consumerKey, id) {
    const u = own(this.data.state.users, id);
    return u && u.consumerKey === consumerKey ? u : undefined;
  }

  /** @param {string} consumerKey @returns {UserRecord[]} oldest first. */
  list(consumerKey) {
    return Object.values(this.data.state.users)
      .filter((u) => u.consumerKey === consumerKey)
      .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  /**
   * Deletes a user, its accounts and mailboxes, and its token pair.
   * @param {string} consumerKey
   * @param {string} id
   * @returns {boolean} false when there was no such user.
   */
  delete(consumerKey, id) {
    const u = this.get(consumerKey, id);
    if (!u) return false;
    delete this.data.state.users[id];
    this.tokens.delete(u.access_token);
    this.data.save();
    return true;
  }
}
