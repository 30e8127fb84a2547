// The neutral home of what the local API server, the scripts, the tests and the extension share:
// each constant is written here once and imported everywhere else. A plain ES module with no
// import and no browser or Node API in it, so that the server and the scripts (Node), the tests
// and the extension (source and its built copy) can all load it as it is.

/**
 * The local server's published demo consumer (its secret is public, so the server uses it on
 * loopback only). One shape everywhere: the package's option names.
 */
export const DEMO_CONSUMER = Object.freeze({
  consumerKey: 'contextio-demo',
  consumerSecret: 'demo-secret-loopback-only',
});

/** What counts as an e-mail address, in the extension and in the server. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The extension's add-on id in Firefox (`browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'contextio-signer@example.org';
