#!/usr/bin/env node
// What a backend does with Context.IO Lite: it keeps its consumer secret on the server, so it
// signs 2-legged (consumer key and secret, no user token) and reaches everything of its own
// users. Here it registers its Google OAuth2 client as an OAuth provider, adds a user whose
// Gmail mailbox it was authorized for (the user's Google refresh token instead of a password),
// lists its users, and removes the provider again.
//
//   CONTEXTIO_CONSUMER_KEY=my-backend CONTEXTIO_CONSUMER_SECRET=... node server-side.mjs
//
// Environment:
//   CONTEXTIO_API              API origin (default http://127.0.0.1:8787, the local server)
//   CONTEXTIO_CONSUMER_KEY     a consumer configured 2-legged ("threeLegged": false)
//   CONTEXTIO_CONSUMER_SECRET
//   GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET   the OAuth2 client registered with Google
//   GOOGLE_REFRESH_TOKEN       the refresh token Google gave for the user's mailbox
//   USER_EMAIL                 that mailbox (default ada@gmail.com)
// The Google values default to placeholders, which the local server accepts: it never calls
// Google. No secret, client secret or refresh token is ever printed.

import { Signer } from 'contextio-signer';

const env = process.env;
const api = `${env.CONTEXTIO_API ?? 'http://127.0.0.1:8787'}/lite`;
if (!env.CONTEXTIO_CONSUMER_KEY || !env.CONTEXTIO_CONSUMER_SECRET) {
  console.error('set CONTEXTIO_CONSUMER_KEY and CONTEXTIO_CONSUMER_SECRET (a consumer configured 2-legged)');
  process.exit(2);
}
const google = {
  clientId: env.GOOGLE_CLIENT_ID ?? 'example-client.apps.googleusercontent.com',
  clientSecret: env.GOOGLE_CLIENT_SECRET ?? 'example-client-secret',
  refreshToken: env.GOOGLE_REFRESH_TOKEN ?? 'example-refresh-token',
};
const email = env.USER_EMAIL ?? 'ada@gmail.com';

// 2-legged: allowed in a server runtime only (in a page or an extension it throws
// TWO_LEGGED_FORBIDDEN, because there the secret would ship to every user).
const signer = new Signer({
  consumerKey: env.CONTEXTIO_CONSUMER_KEY,
  consumerSecret: env.CONTEXTIO_CONSUMER_SECRET,
  twoLegged: true,
});

/** Signs and sends one request; throws with the API's error code and message. */
async function call(method, path, body) {
  const request = { method, url: `${api}${path}` };
  if (body) request.body = body; // an object: sent and signed as a form
  const signed = signer.signRequest(request);
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}, code ${json.code}: ${json.value}`);
  return json;
}

async function main() {
  const provider = await call('POST', '/oauth_providers', {
    type: 'GMAIL_OAUTH2',
    provider_consumer_key: google.clientId,
    provider_consumer_secret: google.clientSecret,
  });
  console.log(`registered OAuth provider GMAIL_OAUTH2 ${provider.provider_consumer_key}`);
  try {
    const user = await call('POST', '/users', {
      email,
      first_name: 'Ada',
      provider_consumer_key: google.clientId,
      provider_refresh_token: google.refreshToken,
    });
    const account = user.email_account;
    console.log(`added user ${user.id}: ${account.email}, ${account.authentication_type} through ${account.provider_type}`);

    const users = await call('GET', '/users');
    console.log(`this consumer has ${users.length} user${users.length === 1 ? '' : 's'}:`);
    for (const u of users) {
      const accounts = u.email_accounts.map((a) => `${a.email} (${a.authentication_type})`).join(', ');
      console.log(`  ${u.id}  ${accounts}`);
    }
  } finally {
    await call('DELETE', `/oauth_providers/${encodeURIComponent(google.clientId)}`);
    console.log(`deleted OAuth provider ${google.clientId}`);
  }
}

main().catch((e) => {
  console.error(`failed: ${e.message}`);
  process.exitCode = 1;
});
