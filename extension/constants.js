// Constants shared by the extension, the local API server, the scripts and the tests: each is
// written here once and imported everywhere else. A plain ES module with no browser or Node
// API in it, so that the extension (source and dist), the server and Node tests can all load it.

/** The local dev server's published demo consumer (its secret is public; loopback only). */
export const DEMO_CONSUMER = Object.freeze({
  consumerKey: 'contextio-demo',
  consumerSecret: 'demo-secret-loopback-only',
});

/** What counts as an e-mail address, in the extension and in the server. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The extension's add-on id in Firefox (`browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'contextio-signer@example.org';
