// The access tokens the server knows, by token: each user's permanent pair and each live connect
// token's temporary pair. Not stored: rebuilt from the state at start (Store.open) and kept up to
// date by the domain modules that create and remove pairs.

/** @typedef {import('./oauth.mjs').TokenRecord & {consumerKey: string}} IndexedToken */

export class TokenIndex {
  /** @type {Map<string, IndexedToken>} */
  #byToken = new Map();

  /** @param {import('./users.mjs').UserRecord} u */
  addUser(u) {
    this.#byToken.set(u.access_token, { kind: 'user', token: u.access_token, secret: u.access_token_secret, userId: u.id, consumerKey: u.consumerKey });
  }

  /** @param {import('./connect-tokens.mjs').ConnectTokenRecord} c */
  addConnectToken(c) {
    this.#byToken.set(c.access_token, {
      kind: 'connect',
      token: c.access_token,
      secret: c.access_token_secret,
      connectToken: c.token,
      consumerKey: c.consumerKey,
    });
  }

  /** @param {string} token */
  delete(token) {
    this.#byToken.delete(token);
  }

  /** @param {string} token @returns {IndexedToken | undefined} */
  get(token) {
    return this.#byToken.get(token);
  }
}
