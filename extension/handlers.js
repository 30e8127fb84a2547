// The background: who may ask, which handler answers each message, and the browser's events.
// `background.js` wires it to the browser; the unit tests call it with a fake `browser` object.
// The handlers live in one module per message family: settings-messages.js (`settings.*`),
// user-messages.js (`users.*`), api-messages.js (`api.*`), mail-messages.js (`messages.*`).
//
// Answers are `{ ok: true, ... }` or `{ ok: false, error: { code, message, status?, problem?,
// cause?, advice?, serverBaseString?, origin?, pattern? } }` (an API refusal also carries its
// `diagnosis`). No answer ever holds a consumer secret or a token
// secret, and nothing here logs a stored record. Every message is checked against its type's
// fields first (schema.js): an unknown type or field is an error, never ignored.

import { createApiHandlers } from './api-messages.js';
import { createApiClient } from './api.js';
import { ExtensionError, errorAnswer } from './errors.js';
import { createMailHandlers } from './mail-messages.js';
import { defaultApiBase } from './origins.js';
import { createAccess } from './permissions.js';
import { MESSAGE_FIELDS, checkMessage } from './schema.js';
import { createSettingsHandlers } from './settings-messages.js';
import { createStore } from './storage.js';
import { createUserHandlers } from './user-messages.js';

/**
 * Whether a message comes from one of this extension's own pages: same extension id, a URL
 * under the extension's base URL (a content script's URL is the web page's), the extension's
 * origin where the browser reports one (Chrome), and not an extension frame inside a web page.
 * @param {any} sender `runtime.MessageSender`
 * @param {{id: string, getURL: (path: string) => string}} runtime
 * @returns {boolean}
 */
export function isOwnSender(sender, runtime) {
  if (!sender || typeof sender !== 'object' || sender.id !== runtime.id) return false;
  const base = runtime.getURL('');
  if (typeof sender.url !== 'string' || !sender.url.startsWith(base)) return false;
  if (typeof sender.origin === 'string' && `${sender.origin}/` !== base) return false;
  if (sender.tab && typeof sender.tab.url === 'string' && !sender.tab.url.startsWith(base)) return false;
  return true;
}

/** The answer to a sender that is not one of this extension's pages. */
export const FORBIDDEN_SENDER = Object.freeze({
  ok: false,
  error: Object.freeze({ code: 'FORBIDDEN_SENDER', message: "only this extension's own pages may use it" }),
});

/**
 * Builds the background.
 * @param {object} deps
 * @param {any} deps.ext The WebExtension namespace (`browser` / `chrome`, or a fake).
 * @param {object} deps.wasm The package's two entries: the signer (`init`, `Signer`) and the
 *   diagnosis (`contextio-signer/diagnose`: `initDiagnose`, its default export, and `diagnoseRefusal`).
 * @param {(opts: {module_or_path: string}) => Promise<unknown>} deps.wasm.init
 * @param {any} deps.wasm.Signer
 * @param {(opts: {module_or_path: string}) => Promise<unknown>} deps.wasm.initDiagnose
 * @param {(signed: any, response: any) => any} deps.wasm.diagnoseRefusal
 * @param {typeof fetch} deps.fetch
 * @param {() => number} [deps.now] Milliseconds.
 */
export function createBackground({ ext, wasm, fetch, now = () => Date.now() }) {
  const access = createAccess(ext);
  const storage = createStore(ext.storage.local, { defaultApiBase: () => defaultApiBase(ext.runtime.getManifest()) });

  /**
   * Instantiates a wasm module once, inside a handler (module service workers forbid top-level
   * await); a failure is forgotten, so the next message tries again.
   */
  const lazily = (what, init, file) => {
    let ready = null;
    return () =>
      (ready ??= Promise.resolve(init({ module_or_path: ext.runtime.getURL(file) })).catch((e) => {
        ready = null;
        throw new ExtensionError('WASM_UNAVAILABLE', `cannot load the ${what}: ${e?.message ?? e}`);
      }));
  };
  const ensureWasm = lazily('signer', wasm.init, 'pkg/contextio_signer_bg.wasm');
  // The diagnosis has its own module, loaded at the first refusal: answers that succeed need none of it.
  const ensureDiagnose = lazily('diagnosis', wasm.initDiagnose, 'pkg/contextio_signer_diagnose_bg.wasm');
  const diagnose = async (signed, response) => {
    await ensureDiagnose();
    return wasm.diagnoseRefusal(signed, response);
  };
  const api = createApiClient({ Signer: wasm.Signer, diagnose, storage, fetch, canReach: access.granted });
  const handlers = {
    ...createSettingsHandlers({ ext, storage, api, access }),
    ...createUserHandlers({ ext, storage, api, now }),
    ...createApiHandlers({ storage, api }),
    ...createMailHandlers({ storage, api }),
  };
  const unanswered = Object.keys(MESSAGE_FIELDS).filter((type) => typeof handlers[type] !== 'function');
  if (unanswered.length) throw new Error(`no handler for ${unanswered.join(', ')}`);

  /** Shows on the toolbar button whether the API origin in use is granted. Never throws. */
  async function refreshAccess() {
    try {
      return await access.showOnButton((await storage.settings()).apiBase);
    } catch {
      return false;
    }
  }

  return {
    storage,

    /**
     * Answers one message. Never throws.
     * @param {unknown} message
     * @param {any} sender
     */
    async handleMessage(message, sender) {
      if (!isOwnSender(sender, ext.runtime)) return FORBIDDEN_SENDER;
      try {
        const type = checkMessage(message);
        await ensureWasm();
        return await handlers[type](message);
      } catch (e) {
        return errorAnswer(e);
      }
    },

    /** Messages from other extensions or web pages: always refused. */
    handleExternalMessage() {
      return FORBIDDEN_SENDER;
    },

    /**
     * The browser started the extension (`runtime.onStartup`) or changed its permissions
     * (`permissions.onAdded` / `onRemoved`): check with `permissions.contains` that the API
     * origin in use is granted (Firefox may withhold even the required one) and show it on the
     * toolbar button. Resolves to whether it is granted.
     */
    checkAccess: refreshAccess,

    /**
     * `runtime.onInstalled`: the same check; on a fresh install without access, the options
     * page opens, where one click grants it.
     * @param {{reason?: string}} [details]
     */
    async onInstalled(details) {
      const granted = await refreshAccess();
      if (!granted && details?.reason === 'install') await Promise.resolve(ext.runtime.openOptionsPage()).catch(() => {});
      return granted;
    },
  };
}
