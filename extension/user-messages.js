// The background's `users.*` messages: the stored users (never a token), adding one with the
// consumer-only signer (`POST /users`), connecting one through the connect-token flow
// (connect.js), and forgetting one.

import { EMAIL_PATTERN } from '../common/constants.js';
import { apiErrorAnswer } from './api.js';
import { invalid, publicUser, requireString } from './checks.js';
import { createConnectFlow } from './connect.js';
import { ExtensionError } from './errors.js';
import { USER_FIELDS } from './schema.js';

/**
 * @param {object} deps
 * @param {any} deps.ext The WebExtension namespace.
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {ReturnType<typeof import('./api.js').createApiClient>} deps.api
 * @param {() => number} deps.now Milliseconds.
 */
export function createUserHandlers({ ext, storage, api, now }) {
  /** Stores a user from an API answer holding `id` and a token pair. */
  async function storeUser({ id, email, accessToken, accessTokenSecret }) {
    if (![id, accessToken, accessTokenSecret].every((v) => typeof v === 'string' && v !== '')) {
      throw new ExtensionError('UNEXPECTED_ANSWER', 'the server answered without a user id and token pair');
    }
    const record = { id, email, accessToken, accessTokenSecret, addedAt: now() };
    await storage.putUser(record);
    return publicUser(record);
  }

  const connectFlow = createConnectFlow({ ext, storage, api, storeUser, now });

  return {
    async 'users.list'() {
      return { ok: true, users: (await storage.users()).map(publicUser) };
    },

    async 'users.add'(msg) {
      const email = requireString(msg.email, 'email');
      if (!EMAIL_PATTERN.test(email)) throw invalid(`"${email.slice(0, 100)}" is not an email address`);
      const body = {};
      for (const k of USER_FIELDS) {
        if (!Object.hasOwn(msg, k) || msg[k] === undefined) continue;
        const v = msg[k];
        if (!['string', 'number', 'boolean'].includes(typeof v)) throw invalid(`${k} must be a string, a number or a boolean`);
        body[k === 'accountType' ? 'type' : k] = k === 'email' ? email : v;
      }
      const r = await api.call({ user: null, method: 'POST', path: '/users', body });
      if (!r.ok) return apiErrorAnswer(r);
      const user = await storeUser({
        id: r.data?.id,
        email,
        accessToken: r.data?.access_token,
        accessTokenSecret: r.data?.access_token_secret,
      });
      return { ok: true, user, clockCorrection: r.clockCorrection, retried: r.retried };
    },

    async 'users.connect'(msg) {
      const email = msg.email === undefined || msg.email === '' ? '' : requireString(msg.email, 'email');
      return connectFlow.connect(email);
    },

    async 'users.remove'(msg) {
      const removed = await storage.removeUser(requireString(msg.userId, 'userId'));
      return { ok: true, removed };
    },
  };
}
