// The OAuth2 providers of Context.IO Lite (the `oauth_providers` resource) and what the local
// server knows about them: which addresses each one serves, the scope Context.IO asked for,
// the callback registered with the provider, and the server's own default client.
//
// Context.IO's authentication documentation: to connect Gmail or Microsoft mailboxes over
// OAuth2, register an OAuth2 client with Google or Microsoft (full IMAP scope, Context.IO's
// redirect URL), then add it to Context.IO as an OAuth provider (type, client id as
// provider_consumer_key, client secret as provider_consumer_secret). Without one, Context.IO
// used its own client.

/**
 * @typedef {object} ProviderInfo
 * @property {'GMAIL_OAUTH2' | 'MSLIVECONNECT'} type
 * @property {string} name Who the user signs in with.
 * @property {string[]} domains Address domains this provider serves (lower case, exact).
 * @property {string} scope The OAuth2 scope requested (space-separated).
 * @property {string} scopeText What the scope lets the application do, in words.
 * @property {string} callbackPath The redirect URI registered with the provider, on this server.
 * @property {string} imapServer The IMAP server of its mailboxes.
 * @property {string} defaultClientId The server's own OAuth2 client, used for a consumer that
 *   registered no provider of this type.
 */

/** @type {Readonly<Record<'GMAIL_OAUTH2' | 'MSLIVECONNECT', Readonly<ProviderInfo>>>} */
export const PROVIDERS = Object.freeze({
  GMAIL_OAUTH2: Object.freeze({
    type: 'GMAIL_OAUTH2',
    name: 'Google',
    domains: ['gmail.com', 'googlemail.com'],
    scope: 'https://mail.google.com/',
    scopeText: 'Read, compose, send and permanently delete all your email from Gmail (full IMAP access)',
    callbackPath: '/connect/oauth2callback',
    imapServer: 'imap.gmail.com',
    defaultClientId: 'contextio-devserver-default.apps.googleusercontent.com',
  }),
  MSLIVECONNECT: Object.freeze({
    type: 'MSLIVECONNECT',
    name: 'Microsoft',
    domains: ['outlook.com', 'hotmail.com', 'live.com'],
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
    scopeText: 'Read and write your mail over IMAP, and keep that access while you are away (offline_access)',
    callbackPath: '/connect/mslivecallback',
    imapServer: 'outlook.office365.com',
    defaultClientId: 'c0de0000-0000-4000-8000-00000000ca11',
  }),
});

/** The provider types, as the API spells them. */
export const PROVIDER_TYPES = Object.freeze(Object.keys(PROVIDERS));

/**
 * The provider that serves an address, by its domain (case-insensitive, exact: no subdomains).
 * @param {string} email
 * @returns {Readonly<ProviderInfo> | undefined}
 */
export function providerForEmail(email) {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return Object.values(PROVIDERS).find((p) => p.domains.includes(domain));
}

/**
 * The provider whose callback path this is.
 * @param {string} path e.g. `/connect/oauth2callback`
 * @returns {Readonly<ProviderInfo> | undefined}
 */
export function providerForCallback(path) {
  return Object.values(PROVIDERS).find((p) => p.callbackPath === path);
}
