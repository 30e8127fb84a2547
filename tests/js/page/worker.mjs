// The package in a dedicated module worker: `await init()`, then the shared checks; posts them
// back to the page that started it.
import init, * as api from '/pkg/contextio_signer.js';
import { checkApi } from '/support/api-checks.js';

try {
  await init();
  const published = await (await fetch('/vectors.json')).json();
  const methods = await (await fetch('/methods.json')).json();
  postMessage({ checks: checkApi(api, published, { server: false, methods }).checks });
} catch (e) {
  postMessage({ error: String(e && e.stack || e) });
}
