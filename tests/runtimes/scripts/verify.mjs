// The verify entry (`contextio-signer/verify`) under this runtime, imported by name: requests
// signed by the signing entry (the current clock, fresh nonces), verified as a server would
// (lookups awaited), and the same requests with one query value changed on the way, refused;
// the refusal, with its base string, read back by `contextio-signer/diagnose`. Prints it all.
//
// input: {} (nothing is read from disk)
import { Signer } from 'contextio-signer';
import { verifyRequest } from 'contextio-signer/verify';
import { diagnoseRefusal } from 'contextio-signer/diagnose';
import { runtime, resolved, print } from './child.mjs';

const SECRETS = { consumerSecret: 'CONSUMER-SECRET-X', tokenSecret: 'TOKEN-SECRET-Y' };
const user = { consumerKey: 'ck', consumerSecret: SECRETS.consumerSecret, token: 'tok', tokenSecret: SECRETS.tokenSecret };
const lookups = [];
/** A server's options; each verification has a nonce store of its own (a replay is not tested here). */
const options = (extra = {}, seen = new Set()) => ({
  consumer: async (key) => {
    lookups.push(['consumer', key]);
    return key === 'ck' ? { secret: SECRETS.consumerSecret } : null;
  },
  token: async (consumerKey, token) => {
    lookups.push(['token', consumerKey, token]);
    return consumerKey === 'ck' && token === 'tok' ? { secret: SECRETS.tokenSecret } : null;
  },
  nonce: async ({ consumerKey, token, timestamp, nonce }) => {
    lookups.push(['nonce', consumerKey, token, typeof timestamp, typeof nonce]);
    const key = `${consumerKey}\n${token}\n${timestamp}\n${nonce}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  },
  realm: 'Photos',
  ...extra,
});
const received = (s, url = s.url) => ({ method: s.method, url, headers: s.headers, body: s.body });
/** `url` with the query parameter `name` given another value. */
const changed = (url, name, value) => {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.href;
};

const signer = new Signer(user);
const requests = {
  'GET, header': signer.signRequest({ method: 'GET', url: 'https://api.example.com/lite/users/u1/messages', query: { limit: 10, q: 'a b' } }),
  'POST, form body, header': signer.signRequest({ method: 'POST', url: 'https://api.example.com/lite/users/u1/webhooks?limit=10', body: { callback_url: 'https://h/cb' } }),
  'GET, query placement': signer.signRequest({ method: 'GET', url: 'https://api.example.com/lite/users/u1/messages?limit=10', placement: 'query' }),
};

const results = {};
for (const [name, s] of Object.entries(requests)) {
  const accepted = await verifyRequest(received(s), options());
  const mutated = received(s, changed(s.url, 'limit', '11'));
  const refused = await verifyRequest(mutated, options());
  const refusedWithBaseString = await verifyRequest(mutated, options({ debugBaseString: true }));
  const { status, headers, body } = refusedWithBaseString;
  const diagnosis = refusedWithBaseString.ok ? null : diagnoseRefusal(s, { status, headers, body });
  results[name] = { accepted, refused, refusedWithBaseString, diagnosis };
}

print({
  runtime: runtime(),
  resolved: resolved(['contextio-signer/verify']),
  results,
  lookups,
  secrets: Object.values(SECRETS),
});
