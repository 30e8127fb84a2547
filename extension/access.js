// Host access in the pages: asking the browser for an origin (which must happen while the page
// handles the person's click), and the "No access to ORIGIN" notice that the popup, the
// explorer and the options page show instead of failing requests.

import { ext } from './ext.js';
import { NO_ACCESS_EVENT, h, say } from './ui.js';

/**
 * Asks the browser for access to an origin. Call it synchronously from a click handler (both
 * browsers require a user gesture), before any `await`.
 * @param {string} pattern e.g. `http://127.0.0.1:8787/*`
 * @returns {Promise<boolean>} Whether it is granted (false when refused, or when the browser
 *   could not ask).
 */
export function requestOrigin(pattern) {
  let asked;
  try {
    asked = ext.permissions.request({ origins: [pattern] });
  } catch {
    return Promise.resolve(false);
  }
  return Promise.resolve(asked).then(Boolean, () => false);
}

/**
 * The notice shown while the API origin is not granted, with a button that asks again.
 * @param {HTMLElement} box An empty element, hidden until needed.
 * @param {{onGranted?: () => void}} [opts] Called once access is granted (by the button, or by
 *   the person in the browser's own extension settings).
 * @returns {{show: (state: {origin: string, pattern: string, granted: boolean} | null) => void, blocked: () => boolean}}
 */
export function createAccessNotice(box, { onGranted } = {}) {
  /** @type {{origin: string, pattern: string, granted: boolean} | null} */
  let state = null;
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });

  function render() {
    box.hidden = !state || state.granted;
    if (box.hidden) {
      box.replaceChildren();
      return;
    }
    const { origin, pattern } = state;
    status.textContent = '';
    box.replaceChildren(
      h('p', { class: 'access-title' }, h('strong', { text: `No access to ${origin}` })),
      h('p', {
        class: 'access-why',
        text: 'The browser has not granted this extension access to the API server, so nothing is sent to it. ' +
          'Grant it once and it is remembered (you can take it back in the browser’s extension settings).',
      }),
      h('div', { class: 'row' },
        h('button', {
          type: 'button',
          class: 'primary',
          id: 'grant-access',
          text: `Grant access to ${origin}`,
          onclick: () => {
            const asked = requestOrigin(pattern);
            say(status, 'Waiting for your answer in the browser’s prompt…');
            void asked.then((granted) => {
              if (state?.pattern !== pattern) return;
              if (granted) accept();
              else say(status, `Access to ${origin} was not granted. Nothing is sent to it until it is.`, 'error');
            });
          },
        })),
      status,
    );
  }

  function accept() {
    if (!state || state.granted) return;
    state = { ...state, granted: true };
    render();
    onGranted?.();
  }

  async function recheck() {
    if (!state) return;
    let granted = false;
    try {
      granted = Boolean(await ext.permissions.contains({ origins: [state.pattern] }));
    } catch {
      granted = false;
    }
    if (granted) accept();
    else if (state.granted) {
      state = { ...state, granted: false };
      render();
    }
  }

  document.addEventListener(NO_ACCESS_EVENT, (e) => {
    const { origin, pattern } = /** @type {CustomEvent} */ (e).detail ?? {};
    if (typeof origin === 'string' && typeof pattern === 'string') {
      state = { origin, pattern, granted: false };
      render();
    }
  });
  // The person may grant or revoke access elsewhere (the browser's extension settings).
  ext.permissions?.onAdded?.addListener(() => void recheck());
  ext.permissions?.onRemoved?.addListener(() => void recheck());

  return {
    show(next) {
      state = next ? { origin: next.origin, pattern: next.pattern, granted: Boolean(next.granted) } : null;
      render();
    },
    /** Whether the API origin is known not to be granted (unknown counts as not blocked). */
    blocked: () => Boolean(state && !state.granted),
  };
}
