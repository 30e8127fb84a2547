// The background: a module service worker in Chrome, an event page in Firefox. It owns all
// signing and fetching; pages talk to it with `runtime.sendMessage`.
//
// The wasm package's two entries are imported statically (service workers cannot import()
// dynamically) and instantiated lazily inside a handler (module service workers forbid
// top-level await): the signer at the first message, the diagnosis (`contextio-signer/diagnose`,
// its own module and wasm) at the first refusal.
// Listeners are registered synchronously at the top level, so that an event wakes an evicted
// worker and reaches them.

import init, { Signer } from './pkg/contextio_signer.js';
import initDiagnose, { diagnoseRefusal } from './pkg/diagnose.js';
import { ext } from './ext.js';
import { createBackground } from './handlers.js';

const background = createBackground({ ext, wasm: { init, Signer, initDiagnose, diagnoseRefusal }, fetch: (...args) => fetch(...args) });

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // sendResponse + `return true` is the asynchronous answer both browsers support.
  background.handleMessage(message, sender).then(sendResponse);
  return true;
});

// No `externally_connectable` is declared, so web pages cannot reach this listener at all;
// other extensions can, and are refused.
ext.runtime.onMessageExternal?.addListener((message, sender, sendResponse) => {
  sendResponse(background.handleExternalMessage(message, sender));
});

// Host access: checked when the extension is installed or the browser starts (Firefox may
// withhold even the required origin), and whenever the person grants or revokes an origin.
ext.runtime.onInstalled?.addListener((details) => void background.onInstalled(details));
ext.runtime.onStartup?.addListener(() => void background.checkAccess());
ext.permissions?.onAdded?.addListener(() => void background.checkAccess());
ext.permissions?.onRemoved?.addListener(() => void background.checkAccess());
