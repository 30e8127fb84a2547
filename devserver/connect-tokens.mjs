// Connect tokens: the link a consumer hands a person to add a mailbox, with a temporary access
// pair bound to it, alive for an hour; completing it creates the user. The records live in
// `state.connectTokens` of the data file (datafile.mjs); every change is saved.

import { newTokenPair, own, unusedId } from './records.mjs';

/** Lifetime of a connect token, in seconds. */
export const CONNECT_TOKEN_TTL_SECONDS = 3600;

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

export class ConnectTokens {
  /**
   * @param {import('./datafile.mjs').DataFile} data
   * @param {import('./tokens.mjs').TokenIndex} tokens Kept up to date with the temporary pairs.
   * @param {import('./users.mjs').Users} users Where a completed connect token creates its user.
   */
  constructor(data, tokens, users) {
    this.data = data;
    this.tokens = tokens;
    this.users = users;
    for (const c of Object.values(data.state.connectTokens)) tokens.addConnectToken(c);
  }

  /**
   * Creates a connect token with its temporary access pair.
   * @param {{consumerKey: string, callbackUrl: string, email?: string, firstName?: string, lastName?: string, now: number}} input
   * @returns {ConnectTokenRecord}
   */
  create({ consumerKey, callbackUrl, email = '', firstName = '', lastName = '', now }) {
    this.#prune(now);
    const all = this.data.state.connectTokens;
    /** @type {ConnectTokenRecord} */
    const record = {
      token: unusedId(all, 16),
      consumerKey,
      callback_url: callbackUrl,
      email,
      first_name: firstName,
      last_name: lastName,
      created: now,
      expires: now + CONNECT_TOKEN_TTL_SECONDS,
      used: 0,
      userId: null,
      // The temporary pair, bound to this connect token.
      ...newTokenPair(),
    };
    all[record.token] = record;
    this.tokens.addConnectToken(record);
    this.data.save();
    return record;
  }

  /**
   * A connect token that has not expired.
   * @param {string | null} consumerKey null to look it up for any consumer (consent page).
   * @param {string} token
   * @param {number} now
   * @returns {ConnectTokenRecord | undefined}
   */
  get(consumerKey, token, now) {
    const c = own(this.data.state.connectTokens, token);
    if (!c || c.expires <= now) return undefined;
    if (consumerKey !== null && c.consumerKey !== consumerKey) return undefined;
    return c;
  }

  /**
   * Completes the consent step: creates the user and marks the token used.
   * @param {ConnectTokenRecord} record
   * @param {{email: string, auth?: import('./users.mjs').AccountAuth, now: number}} input
   * @returns {import('./users.mjs').UserRecord}
   */
  complete(record, { email, auth, now }) {
    const user = this.users.create({
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
    this.data.save();
    return user;
  }

  #prune(now) {
    const all = this.data.state.connectTokens;
    for (const [token, c] of Object.entries(all)) {
      if (c.expires <= now) {
        delete all[token];
        this.tokens.delete(c.access_token);
      }
    }
  }
}
