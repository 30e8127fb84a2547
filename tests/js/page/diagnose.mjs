// Runs in a plain browser page: the diagnose entry (`await init()`, then diagnoseRefusal) on
// every recorded refusal. Reports the diagnoses to `window.__result` (read by the test driver,
// which compares them with the Rust core's).
import init, { diagnoseRefusal } from '/pkg/diagnose.js';

async function run() {
  await init();
  const { cases } = await (await fetch('/support/refusals.json')).json();
  return cases.map((c) => diagnoseRefusal(
    { baseString: c.sent.baseString, oauthParameters: c.sent.timestamp === undefined ? {} : { oauth_timestamp: String(c.sent.timestamp) } },
    c.answer,
  ));
}

window.__result = run().then((diagnoses) => ({ diagnoses }), (e) => ({ error: String(e && e.stack || e) }));
