// Host access, as the background sees it.
//
// The manifest's `host_permissions` hold one origin, the build's (`--api-origin`); any other
// http(s) API server is an `optional_host_permissions` origin that the options page requests
// from the person's click (a user gesture) when it saves that API base. This module answers
// whether the origin of an API base is granted (`permissions.contains`: Firefox may withhold even
// the required origin), gives up optional origins that are no longer needed, and shows on the
// toolbar button when the origin in use is not granted.

import { originPattern, patternsCover } from './origins.js';

/** The toolbar badge while the API origin is not granted. */
export const NO_ACCESS_BADGE = Object.freeze({ text: '!', color: '#c0261d' });

/**
 * @param {any} ext The WebExtension namespace.
 */
export function createAccess(ext) {
  const manifest = () => ext.runtime.getManifest();
  const required = () => [...(manifest().host_permissions ?? [])];

  /** @param {string} url An API base or any URL on the origin. */
  async function granted(url) {
    try {
      return Boolean(await ext.permissions.contains({ origins: [originPattern(url)] }));
    } catch {
      return false;
    }
  }

  return {
    required,
    granted,

    /**
     * The access view pages show: the origin of the API base, its pattern, whether it is
     * granted, and whether it is the build's required origin (which cannot be given up).
     * @param {string} apiBase
     */
    async state(apiBase) {
      const origin = new URL(apiBase).origin;
      return { origin, pattern: originPattern(origin), granted: await granted(origin), required: patternsCover(required(), origin) };
    },

    /**
     * Gives up every granted optional origin that the API base in use does not need (the
     * required ones stay: they cannot be removed, and Firefox would take them away).
     * @param {string} apiBase The API base now in use.
     * @returns {Promise<string[]>} The patterns given up.
     */
    async releaseUnneeded(apiBase) {
      const keep = new Set([...required(), originPattern(apiBase)]);
      const all = await ext.permissions.getAll();
      const optional = (all?.origins ?? []).filter((p) => !keep.has(p) && /^https?:\/\//.test(p));
      if (!optional.length) return [];
      await ext.permissions.remove({ origins: optional });
      return optional;
    },

    /**
     * Shows on the toolbar button whether the API origin in use is granted: a red "!" and a
     * title that says what to do, or the default look.
     * @param {string} apiBase
     * @returns {Promise<boolean>} Whether it is granted.
     */
    async showOnButton(apiBase) {
      const origin = new URL(apiBase).origin;
      const ok = await granted(origin);
      const action = ext.action;
      if (!action) return ok;
      const name = manifest().action?.default_title ?? manifest().name ?? '';
      await Promise.all([
        action.setBadgeText({ text: ok ? '' : NO_ACCESS_BADGE.text }),
        ok ? null : action.setBadgeBackgroundColor({ color: NO_ACCESS_BADGE.color }),
        action.setTitle({ title: ok ? name : `${name}: no access to ${origin} (click to grant it)` }),
      ]);
      return ok;
    },
  };
}
