// The pages of the connect-token flow: the mailbox form (an address, and a password for an IMAP
// account), and, for a Google or Microsoft address, the provider's OAuth2 consent screen played
// by the server (which provider, the OAuth2 client, the scope, the callback).
// Plain server-rendered HTML, inline CSS, no script; light and dark mode.

/**
 * Escapes text for HTML element content and double-quoted attributes.
 * @param {string} s
 * @returns {string}
 */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f4f5f7; --card: #fff; --fg: #1d2330; --muted: #5d6677;
  --border: #d7dbe2; --accent: #2f6fed; --accent-fg: #fff; --error: #b3261e; }
@media (prefers-color-scheme: dark) { :root { --bg: #14171c; --card: #1d2129; --fg: #e6e9ef;
  --muted: #9aa3b2; --border: #343a46; --accent: #6d9bff; --accent-fg: #0b1020; --error: #ff8a80; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg);
  color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { width: min(26rem, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--border);
  border-radius: 12px; padding: 2rem; box-shadow: 0 8px 24px rgb(0 0 0 / 0.08); }
.brand { margin: 0 0 1rem; font-weight: 600; letter-spacing: 0.02em; }
.brand span { color: var(--muted); font-weight: 400; }
h1 { font-size: 1.35rem; margin: 0 0 0.5rem; }
p { margin: 0 0 1rem; color: var(--muted); }
label { display: block; font-weight: 600; margin-bottom: 0.35rem; }
input { width: 100%; padding: 0.6rem 0.75rem; font: inherit; color: inherit; background: transparent;
  border: 1px solid var(--border); border-radius: 8px; }
input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
button { width: 100%; margin-top: 1rem; padding: 0.65rem; font: inherit; font-weight: 600; border: 0;
  border-radius: 8px; background: var(--accent); color: var(--accent-fg); cursor: pointer; }
button:hover { filter: brightness(1.08); }
.error { color: var(--error); margin: 0.5rem 0 0; }
.optional { color: var(--muted); font-weight: 400; }
input + label { margin-top: 0.75rem; }
dl { margin: 0 0 1rem; display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 0.75rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
dd small { display: block; color: var(--muted); }
a { color: var(--accent); }
.fine { font-size: 0.85rem; margin: 1.25rem 0 0; }
code { font-size: 0.85em; overflow-wrap: anywhere; }
`;

function page(title, inner) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · Context.IO dev server</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Context.IO <span>local dev server</span></p>
${inner}
</main>
</body>
</html>
`;
}

/** Where the browser goes back to, shown for transparency (scheme and host only). */
function callbackDisplay(callbackUrl) {
  try {
    const u = new URL(callbackUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return callbackUrl;
  }
}

/**
 * The mailbox form: an editable address (`#email`), an optional password (`#password`, never
 * stored) and a Connect button (`#connect`) posting to `/connect/:token`. A Google or Microsoft
 * address is answered with that provider's consent screen instead.
 * @param {{token: string, email: string, callbackUrl: string, error?: string}} input
 * @returns {string} HTML.
 */
export function renderConsentPage({ token, email, callbackUrl, error }) {
  return page(
    'Connect a mailbox',
    `<h1>Connect a mailbox</h1>
<p>Gmail and Outlook.com addresses (gmail.com, googlemail.com, outlook.com, hotmail.com, live.com)
continue with Google or Microsoft (OAuth2); other addresses connect over IMAP with a password.
Connecting creates a user with a seeded demo mailbox; no real mail is read and no password is kept.</p>
<form method="post" action="/connect/${encodeURIComponent(token)}">
<label for="email">Email address</label>
<input id="email" name="email" type="email" required autocomplete="email" value="${escapeHtml(email)}"${error ? ' aria-invalid="true" aria-describedby="error"' : ''}>
${error ? `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<label for="password">Password <span class="optional">(IMAP accounts; not checked, not stored)</span></label>
<input id="password" name="password" type="password" autocomplete="off">
<button id="connect" type="submit">Connect</button>
</form>
<p class="fine">You will be sent back to <code>${escapeHtml(callbackDisplay(callbackUrl))}</code>.</p>`,
  );
}

/**
 * The provider's consent screen, played by the server: which provider, the account, the OAuth2
 * client id the application registered for it (or the server's default client), the scope and
 * the callback. Allow (`#connect`) posts the connect token (`state`) and the address to the
 * callback, which creates the user with an OAuth account.
 * @param {object} input
 * @param {string} input.token The connect token.
 * @param {string} input.email
 * @param {string} input.callbackUrl The application's callback (where the browser ends up).
 * @param {import('./providers.mjs').ProviderInfo} input.provider
 * @param {string} input.clientId
 * @param {boolean} input.defaultClient True when the application registered no provider of this type.
 * @param {string} input.origin This server's origin, for the absolute callback URL.
 * @returns {string} HTML.
 */
export function renderProviderConsentPage({ token, email, callbackUrl, provider, clientId, defaultClient, origin }) {
  const client = defaultClient
    ? `<code>${escapeHtml(clientId)}</code><small>This application registered no ${escapeHtml(provider.name)} OAuth provider (${provider.type}): the server's default client is used.</small>`
    : `<code>${escapeHtml(clientId)}</code><small>The application's ${provider.type} OAuth provider.</small>`;
  return page(
    `Sign in with ${provider.name}`,
    `<h1 id="provider">Sign in with ${escapeHtml(provider.name)}</h1>
<p>This page plays ${escapeHtml(provider.name)}'s consent screen: the application asks to reach this mailbox over IMAP with OAuth2.</p>
<dl>
<dt>Account</dt><dd id="account">${escapeHtml(email)}</dd>
<dt>OAuth2 client</dt><dd id="client-id">${client}</dd>
<dt>Scope</dt><dd id="scope"><code>${escapeHtml(provider.scope)}</code><small>${escapeHtml(provider.scopeText)}</small></dd>
<dt>Callback</dt><dd id="callback"><code>${escapeHtml(`${origin}${provider.callbackPath}`)}</code></dd>
</dl>
<form method="post" action="${provider.callbackPath}">
<input type="hidden" name="state" value="${escapeHtml(token)}">
<input type="hidden" name="email" value="${escapeHtml(email)}">
<button id="connect" type="submit">Allow</button>
</form>
<p class="fine"><a id="another" href="/connect/${encodeURIComponent(token)}?another=1">Use another address</a>.
You will be sent back to <code>${escapeHtml(callbackDisplay(callbackUrl))}</code>.</p>`,
  );
}

/**
 * A short page for unknown, expired or already used connect tokens.
 * @param {{title: string, message: string}} input
 * @returns {string} HTML.
 */
export function renderNoticePage({ title, message }) {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
