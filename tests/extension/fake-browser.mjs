// A small fake of the WebExtension API surface the extension uses, for `node --test`:
// runtime (id, getURL, getManifest, onMessage, onMessageExternal, onInstalled, onStartup,
// openOptionsPage), storage.local and storage.sync (structured-clone semantics, like the real
// areas), tabs (create/remove and their events), permissions (host origins: contains, getAll,
// request, remove and their events, with a scripted answer for request), action (the badge)
// and, optionally, identity.

import { patternsCover } from '../../extension/origins.js';

/** A minimal `events.Event`. */
export function fakeEvent() {
  const listeners = [];
  return {
    listeners,
    addListener: (fn) => void listeners.push(fn),
    removeListener: (fn) => {
      const i = listeners.indexOf(fn);
      if (i !== -1) listeners.splice(i, 1);
    },
    hasListener: (fn) => listeners.includes(fn),
    /** Calls every listener; returns their return values. */
    emit: (...args) => listeners.slice().map((fn) => fn(...args)),
  };
}

/** An in-memory `storage.StorageArea`. Records every write for assertions. */
export class FakeStorageArea {
  constructor() {
    /** @type {Map<string, unknown>} */
    this.data = new Map();
    /** @type {Array<{op: string, keys: string[]}>} */
    this.writes = [];
  }

  async get(keys) {
    const out = {};
    if (keys === null || keys === undefined) {
      for (const [k, v] of this.data) out[k] = structuredClone(v);
    } else if (typeof keys === 'string' || Array.isArray(keys)) {
      for (const k of [keys].flat()) if (this.data.has(k)) out[k] = structuredClone(this.data.get(k));
    } else {
      for (const [k, dflt] of Object.entries(keys)) out[k] = this.data.has(k) ? structuredClone(this.data.get(k)) : dflt;
    }
    return out;
  }

  async set(items) {
    this.writes.push({ op: 'set', keys: Object.keys(items) });
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
  }

  async remove(keys) {
    this.writes.push({ op: 'remove', keys: [keys].flat() });
    for (const k of [keys].flat()) this.data.delete(k);
  }

  async clear() {
    this.writes.push({ op: 'clear', keys: [] });
    this.data.clear();
  }

  /** Plain snapshot of the stored items. */
  snapshot() {
    return Object.fromEntries([...this.data].map(([k, v]) => [k, structuredClone(v)]));
  }
}

/**
 * @param {object} [opts]
 * @param {string} [opts.id] Extension id.
 * @param {'chrome-extension' | 'moz-extension'} [opts.scheme]
 * @param {string} [opts.baseUrl] What getURL('') returns (default `<scheme>://<id>/`).
 * @param {object} [opts.manifest] What getManifest() returns.
 * @param {((details: {url: string, interactive?: boolean}) => Promise<string>) | null} [opts.launchWebAuthFlow]
 *   The identity API; null leaves `identity` out (as on Firefox for Android).
 * @param {boolean} [opts.withheld] The required host permissions start withheld (Firefox may).
 * @param {(origins: string[]) => boolean | Promise<boolean>} [opts.onRequest] The person's
 *   answer to `permissions.request` (default: grants).
 * @param {boolean} [opts.removableRequired] Whether required origins may be removed (Firefox:
 *   yes; Chrome throws).
 */
export function createFakeBrowser(opts = {}) {
  const id = opts.id ?? 'abcdefghijklmnopabcdefghijklmnop';
  const scheme = opts.scheme ?? 'chrome-extension';
  const base = opts.baseUrl ?? `${scheme}://${id}/`;
  const manifest = opts.manifest ?? {
    manifest_version: 3,
    permissions: ['storage', 'identity'],
    host_permissions: ['http://127.0.0.1:8787/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
  };
  let nextTab = 100;
  const tabs = {
    /** @type {Array<{id: number, url: string}>} */
    created: [],
    /** @type {number[]} */
    removed: [],
    onUpdated: fakeEvent(),
    onRemoved: fakeEvent(),
    async create({ url }) {
      const tab = { id: nextTab++, url };
      tabs.created.push(tab);
      setTimeout(() => opts.onTabCreated?.(tab, fake), 0);
      return tab;
    },
    async remove(tabId) {
      tabs.removed.push(tabId);
      tabs.onRemoved.emit(tabId, { windowId: 1, isWindowClosing: false });
    },
  };
  const required = [...(manifest.host_permissions ?? [])];
  const optional = [...(manifest.optional_host_permissions ?? [])];
  /** Granted host patterns. */
  const granted = new Set(opts.withheld ? [] : required);
  const patternUrl = (p) => p.replace(/\*$/, '');
  const checkPattern = (p) => {
    if (typeof p !== 'string' || !/^(https?|\*):\/\/[^/]+\/\*$/.test(p)) throw new Error(`Invalid url pattern '${p}'`);
  };
  const permissions = {
    granted,
    /** @type {string[][]} */
    requests: [],
    onAdded: fakeEvent(),
    onRemoved: fakeEvent(),
    async contains({ origins = [] }) {
      origins.forEach(checkPattern);
      return origins.every((o) => patternsCover([...granted], patternUrl(o)));
    },
    async getAll() {
      return { origins: [...granted], permissions: [...(manifest.permissions ?? [])] };
    },
    async request({ origins = [] }) {
      origins.forEach(checkPattern);
      permissions.requests.push([...origins]);
      if (!origins.every((o) => patternsCover([...required, ...optional], patternUrl(o)))) {
        throw new Error('Only permissions specified in the manifest may be requested.');
      }
      if (origins.every((o) => patternsCover([...granted], patternUrl(o)))) return true;
      const yes = await (opts.onRequest ?? (() => true))(origins);
      if (!yes) return false;
      const added = origins.filter((o) => !granted.has(o));
      for (const o of added) granted.add(o);
      if (added.length) permissions.onAdded.emit({ origins: added, permissions: [] });
      return true;
    },
    async remove({ origins = [] }) {
      origins.forEach(checkPattern);
      if (!opts.removableRequired && origins.some((o) => required.includes(o))) throw new Error('You cannot remove required permissions.');
      const removed = origins.filter((o) => granted.delete(o));
      if (removed.length) permissions.onRemoved.emit({ origins: removed, permissions: [] });
      return removed.length > 0;
    },
  };
  const action = {
    badge: { text: '', color: null, title: null },
    async setBadgeText({ text }) {
      action.badge.text = text;
    },
    async setBadgeBackgroundColor({ color }) {
      action.badge.color = color;
    },
    async setTitle({ title }) {
      action.badge.title = title;
    },
    async getBadgeText() {
      return action.badge.text;
    },
  };
  const fake = {
    runtime: {
      id,
      getURL: (path) => base + String(path).replace(/^\//, ''),
      getManifest: () => structuredClone(manifest),
      onMessage: fakeEvent(),
      onMessageExternal: fakeEvent(),
      onInstalled: fakeEvent(),
      onStartup: fakeEvent(),
      optionsOpened: 0,
      openOptionsPage: async () => {
        fake.runtime.optionsOpened += 1;
      },
    },
    storage: { local: new FakeStorageArea(), sync: new FakeStorageArea() },
    tabs,
    permissions,
    action,
  };
  if (opts.launchWebAuthFlow !== null) {
    fake.identity = {
      getRedirectURL: (path = '') => `https://${id}.chromiumapp.org/${path}`,
      /** @type {Array<{url: string, interactive?: boolean}>} */
      calls: [],
      async launchWebAuthFlow(details) {
        fake.identity.calls.push(details);
        if (!opts.launchWebAuthFlow) throw new Error('no launchWebAuthFlow behaviour given to the fake');
        return opts.launchWebAuthFlow(details);
      },
    };
  }
  return fake;
}

/** Senders as the browsers report them. */
export function senders(fake) {
  const base = fake.runtime.getURL('');
  const origin = base.slice(0, -1);
  return {
    popup: { id: fake.runtime.id, url: `${base}popup.html`, origin },
    explorerTab: { id: fake.runtime.id, url: `${base}explorer.html`, origin, tab: { id: 7, url: `${base}explorer.html` }, frameId: 0 },
    firefoxPage: { id: fake.runtime.id, url: `${base}options.html`, envType: 'addon_child' },
  };
}
