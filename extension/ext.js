// The one namespace shim. Firefox exposes `browser`, Chrome `chrome`; in Manifest V3 both return
// promises, so no webextension-polyfill is needed.

/** The WebExtension API namespace of this browser (undefined outside an extension). */
export const ext = globalThis.browser ?? globalThis.chrome;

/**
 * Sends a message to the background and returns its answer, always in the
 * `{ ok, ... } | { ok: false, error: { code, message } }` shape.
 * @param {{type: string} & Record<string, unknown>} message
 * @returns {Promise<any>}
 */
export async function ask(message) {
  try {
    const answer = await ext.runtime.sendMessage(message);
    if (answer && typeof answer === 'object') return answer;
    return { ok: false, error: { code: 'NO_ANSWER', message: 'the background did not answer' } };
  } catch (e) {
    return { ok: false, error: { code: 'NO_ANSWER', message: `cannot reach the background: ${e?.message ?? e}` } };
  }
}
