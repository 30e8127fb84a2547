// The background's `settings.*` messages: the settings a page may see (never the secret),
// saving them (only to an API base whose origin the browser has granted), resetting them, and
// testing consumer credentials without creating anything.

import { DEMO_CONSUMER } from '../common/constants.js';
import { apiErrorAnswer } from './api.js';
import { invalid } from './checks.js';
import { ExtensionError } from './errors.js';
import { defaultApiBase, normalizeApiBase } from './origins.js';

/**
 * @param {object} deps
 * @param {any} deps.ext The WebExtension namespace.
 * @param {ReturnType<typeof import('./storage.js').createStore>} deps.storage
 * @param {ReturnType<typeof import('./api.js').createApiClient>} deps.api
 * @param {ReturnType<typeof import('./permissions.js').createAccess>} deps.access
 */
export function createSettingsHandlers({ ext, storage, api, access }) {
  async function settingsView() {
    const s = await storage.settings();
    const m = ext.runtime.getManifest();
    return {
      apiBase: s.apiBase,
      consumerKey: s.consumerKey,
      consumerSecretSet: !s.isDefault.consumer,
      usingDemoConsumer: s.isDefault.consumer,
      defaults: { apiBase: defaultApiBase(m), consumerKey: DEMO_CONSUMER.consumerKey },
      hostPermissions: [...(m.host_permissions ?? [])],
      access: await access.state(s.apiBase),
    };
  }

  /** After a change of the API base: give up what it no longer needs, update the toolbar button. */
  async function settle() {
    const { apiBase } = await storage.settings();
    const released = await access.releaseUnneeded(apiBase);
    await access.showOnButton(apiBase);
    return released;
  }

  return {
    async 'settings.get'() {
      return { ok: true, settings: await settingsView() };
    },

    /**
     * Saves settings. A new API base is saved only when the browser has granted its origin
     * (the options page asks for it from the Save click): else NO_HOST_ACCESS and nothing
     * changes. Afterwards, optional origins the new base does not need are given up.
     */
    async 'settings.set'(msg) {
      const change = {};
      for (const k of ['apiBase', 'consumerKey', 'consumerSecret']) if (msg[k] !== undefined) change[k] = msg[k];
      if (change.apiBase !== undefined) {
        const state = await access.state(normalizeApiBase(change.apiBase));
        if (!state.granted) {
          throw new ExtensionError(
            'NO_HOST_ACCESS',
            `no access to ${state.origin}: the browser has not granted it, so the settings were not changed`,
            { origin: state.origin, pattern: state.pattern },
          );
        }
      }
      await storage.saveSettings(change);
      const released = await settle();
      return { ok: true, settings: await settingsView(), released };
    },

    async 'settings.reset'() {
      await storage.resetSettings();
      const released = await settle();
      return { ok: true, settings: await settingsView(), released };
    },

    /**
     * Proves the API base and consumer credentials (stored, or given unsaved in the message):
     * a consumer-only `POST /users` without an email is rejected with 401 when the signature is
     * wrong and with 400 ("email is required") when it is right. Nothing is created.
     */
    async 'settings.test'(msg) {
      const stored = await storage.settings();
      let { consumerKey, consumerSecret } = stored;
      if (msg.consumerKey !== undefined && typeof msg.consumerKey !== 'string') throw invalid('consumerKey must be a string');
      if (msg.consumerSecret !== undefined && typeof msg.consumerSecret !== 'string') throw invalid('consumerSecret must be a string');
      if (typeof msg.consumerKey === 'string') {
        if (msg.consumerKey.trim() === '') ({ consumerKey, consumerSecret } = DEMO_CONSUMER);
        else if (msg.consumerKey.trim() !== stored.consumerKey) [consumerKey, consumerSecret] = [msg.consumerKey.trim(), ''];
      }
      if (typeof msg.consumerSecret === 'string' && msg.consumerSecret !== '') consumerSecret = msg.consumerSecret;
      if (!consumerSecret) throw new ExtensionError('INVALID_SETTINGS', 'enter the consumer secret that goes with this consumer key');
      const settings = {
        apiBase: msg.apiBase !== undefined ? normalizeApiBase(msg.apiBase) : stored.apiBase,
        consumerKey,
        consumerSecret,
      };
      const r = await api.call({ settings, user: null, method: 'POST', path: '/users', body: {} });
      if (r.status === 400 || r.ok) {
        return { ok: true, status: r.status, clockCorrection: r.clockCorrection, retried: r.retried, clockOffset: r.signing.clockOffset, server: r.headers.server ?? null };
      }
      return apiErrorAnswer(r);
    },
  };
}
