// The background's `messages.*` message: one mail message with its headers and bodies, signed
// with its user's token, as data for the pages (mail.js `shapeMessage`).

import { apiErrorAnswer } from './api.js';
import { invalid, requireName, requireUser } from './checks.js';
import { shapeMessage } from './mail.js';

/**
 * @param {object} deps
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {ReturnType<typeof import('./api.js').createApiClient>} deps.api
 */
export function createMailHandlers({ storage, api }) {
  return {
    /**
     * One message with its headers and bodies (GET …/messages/:id?include_body=1), signed with
     * its user's token. Bodies over BODY_PREVIEW_CHARS are cut unless `full` (mail.js).
     */
    async 'messages.get'(msg) {
      const user = await requireUser(storage, msg.userId);
      const label = requireName(msg.label, 'label');
      const folder = requireName(msg.folder, 'folder');
      const messageId = requireName(msg.messageId, 'messageId');
      if (msg.full !== undefined && typeof msg.full !== 'boolean') throw invalid('full must be a boolean');
      const enc = encodeURIComponent;
      const path = `/users/${enc(user.id)}/email_accounts/${enc(label)}/folders/${enc(folder)}/messages/${enc(messageId)}`;
      const r = await api.call({ user, method: 'GET', path, query: { include_body: 1 } });
      if (!r.ok) return apiErrorAnswer(r);
      return { ok: true, message: shapeMessage(r.data, { full: msg.full === true }), clockCorrection: r.clockCorrection, retried: r.retried };
    },
  };
}
