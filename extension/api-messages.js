// The background's `api.*` messages (the explorer's): a request about a user, signed with that
// user's own token, sent (`api.request`) or only signed (`api.preview`).

import { METHODS, apiErrorAnswer, redactSecrets, userIdInPath } from './api.js';
import { invalid, params, requireUser } from './checks.js';
import { ExtensionError } from './errors.js';

/**
 * @param {object} deps
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {ReturnType<typeof import('./api.js').createApiClient>} deps.api
 */
export function createApiHandlers({ storage, api }) {
  /** Validates an `api.request` / `api.preview` message and loads its user. */
  async function apiRequest(msg) {
    const user = await requireUser(storage, msg.userId);
    if (msg.method !== undefined && typeof msg.method !== 'string') throw invalid('method must be a string');
    const method = typeof msg.method === 'string' ? msg.method.toUpperCase() : 'GET';
    if (!METHODS.includes(method)) throw invalid(`method must be one of ${METHODS.join(', ')}`);
    if (typeof msg.path !== 'string') throw invalid('path is required');
    const pathUser = userIdInPath(msg.path);
    if (pathUser !== null && pathUser !== user.id) {
      throw new ExtensionError('USER_PATH_MISMATCH', `the path names user "${pathUser.slice(0, 64)}" but the request is signed for user "${user.id}": a user's token is only used for that user's own resources`);
    }
    const query = params(msg.query, 'query');
    const body = params(msg.body, 'body');
    if (body !== undefined && (method === 'GET' || method === 'DELETE')) throw invalid(`${method} takes no body; use query`);
    return { user, method, path: msg.path, query, body };
  }

  return {
    async 'api.preview'(msg) {
      const req = await apiRequest(msg);
      return { ok: true, signing: await api.preview(req) };
    },

    async 'api.request'(msg) {
      const r = await api.call(await apiRequest(msg));
      if (!r.ok) return apiErrorAnswer(r);
      const { status, headers, data, signing, clockCorrection, retried } = r;
      return { ok: true, status, headers, data: redactSecrets(data), signing, clockCorrection, retried };
    },
  };
}
