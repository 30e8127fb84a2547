// "Copy as curl" and "Copy as fetch" of the explorer: a request signed at the moment of the click,
// written out to be run elsewhere (a terminal, Node 18+, a page the server allows with CORS).
// Pure functions: the explorer asks the background for a fresh signature and formats it here.
//
// A copied request carries its Authorization header, so it holds the user's access token (as
// every request on the wire does) but never a secret: the consumer secret and the token secret
// only ever enter the HMAC key, inside the background.

/** Why a copied request works once, shown next to it and written into it. */
export const SINGLE_USE_NOTE =
  'The nonce is single-use and the timestamp ages: the server accepts this exact request once, ' +
  'and only while its timestamp is within 5 minutes of the server clock. Copy again for a fresh signature.';

/**
 * One POSIX shell word, single-quoted (a `'` inside becomes `'\''`).
 * @param {string} s
 */
export function shellQuote(s) {
  return `'${String(s).replace(/'/g, "'\\''")}'`;
}

/** Text made safe for one comment line (no line break can end the comment early). */
const oneLine = (s) => String(s).replace(/[\r\n\u2028\u2029]+/g, ' ');

/**
 * The comment lines that head a copied request.
 * @param {{baseString: string, oauthParameters?: Record<string, string>}} signing
 * @param {Date} signedAt
 * @param {string} marker `#` or `//`
 */
function header(signing, signedAt, marker) {
  const ts = signing.oauthParameters?.oauth_timestamp;
  return [
    `${marker} Signed by the Context.IO Signer extension at ${signedAt.toISOString()}${ts ? ` (oauth_timestamp ${oneLine(ts)})` : ''}.`,
    `${marker} ${SINGLE_USE_NOTE}`,
    `${marker} Signature base string: ${oneLine(signing.baseString)}`,
  ];
}

/**
 * A curl command for a signed request.
 * @param {{method: string, url: string, authorization: string, contentType?: string, body?: string, baseString: string, oauthParameters?: Record<string, string>}} signing
 * @param {{signedAt?: Date}} [opts]
 * @returns {string}
 */
export function curlCommand(signing, { signedAt = new Date() } = {}) {
  const args = [
    `--request ${shellQuote(signing.method)}`,
    `--url ${shellQuote(signing.url)}`,
    `--header ${shellQuote(`Authorization: ${signing.authorization}`)}`,
  ];
  if (signing.contentType) args.push(`--header ${shellQuote(`Content-Type: ${signing.contentType}`)}`);
  if (typeof signing.body === 'string') args.push(`--data-raw ${shellQuote(signing.body)}`);
  return [...header(signing, signedAt, '#'), `curl ${args.join(' \\\n  ')}`].join('\n') + '\n';
}

/**
 * A fetch call (an ES module snippet: top-level await) for a signed request; it prints the
 * status and the body.
 * @param {Parameters<typeof curlCommand>[0]} signing
 * @param {{signedAt?: Date}} [opts]
 * @returns {string}
 */
export function fetchSnippet(signing, { signedAt = new Date() } = {}) {
  const q = (s) => JSON.stringify(String(s));
  const headers = [`    "Authorization": ${q(signing.authorization)},`];
  if (signing.contentType) headers.push(`    "Content-Type": ${q(signing.contentType)},`);
  const init = [`  method: ${q(signing.method)},`, '  headers: {', ...headers, '  },'];
  if (typeof signing.body === 'string') init.push(`  body: ${q(signing.body)},`);
  return [
    ...header(signing, signedAt, '//'),
    `const response = await fetch(${q(signing.url)}, {`,
    ...init,
    '});',
    'console.log(response.status, await response.text());',
  ].join('\n') + '\n';
}
