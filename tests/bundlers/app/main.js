// The one app entry that Vite, webpack and esbuild each bundle (tests/bundlers/bundlers.test.mjs
// copies it into a scratch project that has the packed package installed). It uses the package
// only as a page author would: by name, `await init()` with no argument, so the bundler must
// have made the .wasm reachable. Cases come from the test server as /vectors.json (the published
// vectors, turned into options and requests by tests/js/vectors.mjs). Reports to
// `window.__result`.
import init, { Signer, signRequest, isOAuthSignError } from 'contextio-signer';

const codeOf = (fn) => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return isOAuthSignError(e) ? e.code : `not an OAuthSignError: ${e && e.name}: ${e && e.message}`;
  }
};

async function run() {
  await init();
  const cases = await (await fetch('/vectors.json')).json();
  const checks = [];
  const check = (name, ok, detail = '') => checks.push({ name, ok: Boolean(ok), detail: String(detail) });

  for (const { label, options, request, twoLegged, expected } of cases) {
    if (twoLegged) {
      // A page is not a server runtime: 2-legged is refused, by both entry points.
      const viaSigner = codeOf(() => new Signer(options));
      check(`${label}: new Signer refuses 2-legged`, viaSigner === 'TWO_LEGGED_FORBIDDEN', viaSigner);
      const viaCall = codeOf(() => signRequest(options, request));
      check(`${label}: signRequest refuses 2-legged`, viaCall === 'TWO_LEGGED_FORBIDDEN', viaCall);
      continue;
    }
    const a = new Signer(options).signRequest(request);
    check(
      `${label}: Signer#signRequest`,
      a.signature === expected.signature &&
        a.baseString === expected.baseString &&
        a.headers.Authorization.includes(`oauth_signature="${encodeURIComponent(expected.signature)}"`),
      `${a.signature} ${a.baseString}`,
    );
    const b = signRequest(options, request);
    check(
      `${label}: signRequest(options, request)`,
      b.signature === expected.signature && b.baseString === expected.baseString,
      `${b.signature} ${b.baseString}`,
    );
  }

  // The consumer-only signer signs adding a user, and nothing else.
  const forNewUser = Signer.forNewUser({ consumerKey: 'ck', consumerSecret: 'cs' });
  const created = forNewUser.signRequest({ method: 'POST', url: `${location.origin}/lite/users`, body: { email: 'a@example.com' } });
  check('forNewUser signs POST /lite/users', created.body === 'email=a%40example.com' && created.signature.length === 28, created.body);
  let thrown;
  try {
    forNewUser.signRequest({ method: 'GET', url: `${location.origin}/lite/users/USER1/email_accounts` });
  } catch (e) {
    thrown = e;
  }
  check(
    'forNewUser out of scope throws OUT_OF_SCOPE',
    thrown instanceof Error && thrown.name === 'OAuthSignError' && thrown.code === 'OUT_OF_SCOPE',
    thrown ? `${thrown.name} ${thrown.code}` : 'nothing thrown',
  );
  check('isOAuthSignError(the thrown error)', isOAuthSignError(thrown) === true);
  check('isOAuthSignError(new Error())', isOAuthSignError(new Error('OUT_OF_SCOPE')) === false);
  check('isOAuthSignError(look-alike object)', isOAuthSignError({ name: 'OAuthSignError', code: 'OUT_OF_SCOPE', message: '' }) === false);
  check('isOAuthSignError(null)', isOAuthSignError(null) === false);
  return checks;
}

window.__result = run().then(
  (checks) => ({ checks }),
  (e) => ({ error: String((e && e.stack) || e) }),
);
