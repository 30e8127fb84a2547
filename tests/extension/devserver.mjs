// The local API server for the extension tests, and a stand-in for the person on its consent
// page.

export { startServer } from '../../devserver/app.mjs';

/**
 * Does what a person does on the connect page: loads it, submits the form with an email
 * address, and returns where the server sends the browser back (the callback URL with
 * `contextio_token`).
 * @param {string} url browser_redirect_url
 * @param {string} email
 * @returns {Promise<string>}
 */
export async function completeConsent(url, email) {
  const page = await fetch(url);
  const html = await page.text();
  if (!page.ok || !html.includes('id="connect"')) throw new Error(`no consent form at ${url} (HTTP ${page.status})`);
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
    redirect: 'manual',
  });
  const location = r.headers.get('location');
  if (r.status !== 302 || !location) throw new Error(`the consent form answered HTTP ${r.status} without a redirect`);
  return location;
}
