// Runs in a plain browser page (`<script type="module">`, `await init()`) and, started from it,
// in a dedicated module worker: the checks every tier shares (tests/support/api-checks.js)
// through the built package. Reports to `window.__result` (read by the test driver).
import init, * as api from '/pkg/contextio_signer.js';
import { checkApi } from '/support/api-checks.js';

async function inPage(published, methods) {
  await init();
  return checkApi(api, published, { server: false, methods }).checks;
}

function inWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker('/worker.mjs', { type: 'module' });
    worker.onmessage = (e) => (e.data.error ? reject(new Error(`worker: ${e.data.error}`)) : resolve(e.data.checks));
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
  });
}

async function run() {
  const published = await (await fetch('/vectors.json')).json();
  const methods = await (await fetch('/methods.json')).json();
  const page = (await inPage(published, methods)).map((c) => ({ ...c, where: 'page' }));
  const worker = (await inWorker()).map((c) => ({ ...c, where: 'worker' }));
  return [...page, ...worker];
}

window.__result = run().then(
  (checks) => ({ checks }),
  (e) => ({ error: String(e && e.stack || e) }),
);
