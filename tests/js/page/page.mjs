// Runs in a plain browser page: `<script type="module">`, `await init()`, then every published
// vector through the package. Reports to `window.__result` (read by the test driver).
import init, { Signer, signRequest, isOAuthSignError } from '/pkg/contextio_signer.js';

async function run() {
  await init();
  const { vectors } = await (await fetch('/vectors.json')).json();
  const checks = [];
  const check = (name, ok, detail = '') => checks.push({ name, ok: Boolean(ok), detail });
  for (const v of vectors) {
    const options = { consumerKey: v.consumerKey, consumerSecret: v.consumerSecret };
    if (v.token) Object.assign(options, { token: v.token, tokenSecret: v.tokenSecret });
    else options.twoLegged = true;
    if (v.realm) options.realm = v.realm;
    const request = { method: v.method, url: v.url, nonce: v.nonce, timestamp: Number(v.timestamp) };
    if (v.body !== undefined) request.body = v.body;
    if (v.contentType !== undefined) request.contentType = v.contentType;
    if (v.version === false) request.includeVersion = false;
    const label = `vector ${v.name}: ${v.method} ${v.url}`;
    if (!v.token) {
      try {
        new Signer(options);
        check(label, false, 'twoLegged accepted in a page');
      } catch (e) {
        check(label, isOAuthSignError(e) && e.code === 'TWO_LEGGED_FORBIDDEN', `${e.name} ${e.code}`);
      }
      continue;
    }
    const signed = new Signer(options).signRequest(request);
    check(label, signed.signature === v.signature && signed.baseString === v.baseString, signed.baseString);
    check(`${label} (signRequest)`, signRequest(options, request).signature === v.signature);
  }
  const s = new Signer({ consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 's' });
  const a = s.signRequest({ method: 'GET', url: location.origin + '/x' });
  const b = s.signRequest({ method: 'GET', url: location.origin + '/x' });
  check('default nonces differ', a.oauthParameters.oauth_nonce !== b.oauthParameters.oauth_nonce);
  check('default timestamp is now', Math.abs(Number(a.oauthParameters.oauth_timestamp) - Date.now() / 1000) < 5);
  try {
    Signer.forNewUser({ consumerKey: 'ck', consumerSecret: 'cs' }).signRequest({ method: 'GET', url: location.origin + '/lite/users/u1' });
    check('forNewUser out of scope', false);
  } catch (e) {
    check('forNewUser out of scope', e.code === 'OUT_OF_SCOPE' && e.name === 'OAuthSignError' && e instanceof Error);
  }
  return checks;
}

window.__result = run().then(
  (checks) => ({ checks }),
  (e) => ({ error: String(e && e.stack || e) }),
);
