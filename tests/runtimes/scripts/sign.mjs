// The signing entry (`contextio-signer`) under this runtime, imported by name from the scratch
// project's node_modules as its users import it (no init). Prints what it signed and threw; the
// expectations (the published signatures, the error codes, Node's answers) are the driver's.
//
// input: { published, methods, apiChecks } (paths of the two vector files and of
// tests/support/api-checks.js)
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Signer, signRequest, isOAuthSignError } from 'contextio-signer';
import { runtime, input, resolved, thrown, print } from './child.mjs';

const paths = input();
const files = {
  published: JSON.parse(readFileSync(paths.published, 'utf8')),
  methods: JSON.parse(readFileSync(paths.methods, 'utf8')),
};
const { checkApi, failures, GROUPS } = await import(pathToFileURL(paths.apiChecks).href);
const { vectorOptions, vectorRequest, vectorNewUser } = await import(new URL('vectors.js', pathToFileURL(paths.apiChecks)).href);

// Every vector, by the one-call signRequest (not for a new user's signer: it has no one-call
// form) and by a Signer of its kind: 2-legged, 3-legged or Signer.forNewUser.
const signed = [];
for (const [file, { vectors }] of Object.entries(files)) {
  for (const v of vectors) {
    const o = vectorOptions(v);
    const r = vectorRequest(v);
    const ways = vectorNewUser(v)
      ? [['Signer.forNewUser', () => { const s = Signer.forNewUser(o); return [s.mode, s.signRequest(r)]; }]]
      : [['signRequest', () => [null, signRequest(o, r)]], ['Signer', () => { const s = new Signer(o); return [s.mode, s.signRequest(r)]; }]];
    for (const [via, sign] of ways) {
      try {
        const [mode, out] = sign();
        signed.push({ file, name: v.name, via, mode, signature: out.signature, baseString: out.baseString,
          signatureMethod: out.oauthParameters.oauth_signature_method, authorization: out.headers.Authorization ?? null });
      } catch (e) {
        signed.push({ file, name: v.name, via, error: `${e?.code} ${e?.message}` });
      }
    }
  }
}

// Typed errors, as data to compare with Node's.
const CK = { consumerKey: 'ck', consumerSecret: 'CONSUMER-SECRET-X' };
const THREE = { ...CK, token: 'tok', tokenSecret: 'TOKEN-SECRET-Y' };
const newUser = Signer.forNewUser(CK);
const errors = Object.fromEntries(Object.entries({
  'OUT_OF_SCOPE: a new user signer on a GET': () => newUser.signRequest({ method: 'GET', url: 'http://h/lite/users/u1/email_accounts', nonce: 'n', timestamp: 1 }),
  'OUT_OF_SCOPE: a new user signer on another POST': () => newUser.signRequest({ method: 'POST', url: 'http://h/lite/users/u1/webhooks', nonce: 'n', timestamp: 1 }),
  'INVALID_OPTIONS: no options': () => new Signer(undefined),
  'INVALID_OPTIONS: an unknown signature method': () => new Signer({ ...THREE, signatureMethod: 'HMAC-SHA-256' }),
  'INVALID_OPTIONS: twoLegged with a token': () => new Signer({ ...THREE, twoLegged: true }),
  'INVALID_OPTIONS: signRequest with a numeric secret': () => signRequest({ ...THREE, consumerSecret: 5 }, { method: 'GET', url: 'http://h/' }),
  'THREE_LEGGED_REQUIRED: no token': () => new Signer(CK),
}).map(([name, fn]) => [name, thrown(fn, isOAuthSignError)]));

// And every check the other tiers run on the API (tests/support/api-checks.js), as a server.
const { checks } = checkApi({ Signer, signRequest, isOAuthSignError }, files.published, { server: true, methods: files.methods });

print({
  runtime: runtime(),
  resolved: resolved(['contextio-signer']),
  signed,
  errors,
  api: { count: checks.length, groups: [...new Set(checks.map((c) => c.group))], all: GROUPS, failed: failures(checks) },
});
