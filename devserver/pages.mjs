// The pages of the dev server, which take no OAuth signature: the index (`GET /`) and the
// connect-token flow's consent pages (the mailbox form, and the consent screen the server plays
// for Google and Microsoft addresses, with its callback).

import { createHash, randomBytes } from 'node:crypto';
import { EMAIL_PATTERN } from '../common/constants.js';
import { renderConsentPage, renderNoticePage, renderProviderConsentPage } from './consent.mjs';
import { PROVIDERS, providerForEmail } from './providers.mjs';
import { API_ROUTES } from './routes.mjs';

/**
 * Appends `name=value` to a URL's query, keeping any existing query and fragment verbatim.
 * @param {string} url
 * @param {string} name
 * @param {string} value
 * @returns {string}
 */
export function appendQueryParameter(url, name, value) {
  const hash = url.indexOf('#');
  const [base, fragment] = hash === -1 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${encodeURIComponent(name)}=${encodeURIComponent(value)}${fragment}`;
}

/**
 * @typedef {{status?: number, html?: string, json?: unknown, redirect?: string, record?: import('./connect-tokens.mjs').ConnectTokenRecord}} PageResult
 */

/**
 * @typedef {object} PageContext
 * @property {URL} url
 * @property {Record<string, string>} params Decoded path parameters.
 * @property {number} now Server clock, unix seconds.
 * @property {URLSearchParams} form The form body (empty unless form-encoded).
 */

/**
 * The page routes, over the server's state.
 * @param {import('./store.mjs').Store} store
 * @returns {Array<{method: string, path: string, handler: (ctx: PageContext) => PageResult}>}
 */
export function pageRoutes(store) {
  /** @returns {PageResult} */
  function info(ctx) {
    return {
      json: {
        name: 'Context.IO Lite dev server',
        docs: 'devserver/README.md',
        server_time: ctx.now,
        endpoints: API_ROUTES.map((r) => `${r.method} ${r.path}`),
      },
    };
  }

  /** @returns {PageResult} */
  function liveConnectToken(token, now) {
    const c = store.getConnectToken(null, token, now);
    if (!c) {
      return { status: 404, html: renderNoticePage({ title: 'Link expired', message: 'This connect link is unknown or has expired. Start again from the application.' }) };
    }
    if (c.used) {
      return { status: 409, html: renderNoticePage({ title: 'Already connected', message: 'This connect link was already used. You can close this tab.' }) };
    }
    return { record: c };
  }

  /**
   * The provider's consent screen for an address it serves, with the consumer's OAuth2 client
   * of that type (the one registered last) or the server's default client.
   * @returns {PageResult}
   */
  function providerPage(ctx, record, email, provider) {
    const registered = store.latestProvider(record.consumerKey, provider.type);
    return {
      status: 200,
      html: renderProviderConsentPage({
        token: record.token,
        email,
        callbackUrl: record.callback_url,
        provider,
        clientId: registered?.key ?? provider.defaultClientId,
        defaultClient: !registered,
        origin: ctx.url.origin,
      }),
    };
  }

  /** @returns {PageResult} */
  function consentPage(ctx) {
    const { record, ...notice } = liveConnectToken(ctx.params.token, ctx.now);
    if (!record) return notice;
    const provider = record.email ? providerForEmail(record.email) : undefined;
    if (provider && !ctx.url.searchParams.has('another')) return providerPage(ctx, record, record.email, provider);
    return { status: 200, html: renderConsentPage({ token: record.token, email: record.email, callbackUrl: record.callback_url }) };
  }

  /** The mailbox form: a Google or Microsoft address goes on to its provider, others connect. @returns {PageResult} */
  function consentSubmit(ctx) {
    const { record, ...notice } = liveConnectToken(ctx.params.token, ctx.now);
    if (!record) return notice;
    const email = (ctx.form.get('email') ?? '').trim();
    if (!EMAIL_PATTERN.test(email)) {
      const error = email === '' ? 'Enter an email address.' : 'This does not look like an email address.';
      return { status: 400, html: renderConsentPage({ token: record.token, email, callbackUrl: record.callback_url, error }) };
    }
    const provider = providerForEmail(email);
    if (provider) return providerPage(ctx, record, email, provider);
    // The password, if any, is dropped: this server has no IMAP server to log in to.
    store.completeConnectToken(record, { email, now: ctx.now });
    return { redirect: appendQueryParameter(record.callback_url, 'contextio_token', record.token) };
  }

  /**
   * The provider's redirect URI: Allow on its consent screen lands here with the connect token
   * (`state`) and the address; the user is created with an OAuth account, authorized for the
   * consumer's client (or the default one) with a refresh token the "provider" issued.
   * @returns {PageResult}
   */
  function providerCallback(ctx, provider) {
    const { record, ...notice } = liveConnectToken(ctx.form.get('state') ?? '', ctx.now);
    if (!record) return notice;
    const email = (ctx.form.get('email') ?? '').trim();
    if (!EMAIL_PATTERN.test(email) || providerForEmail(email)?.type !== provider.type) {
      return {
        status: 400,
        html: renderNoticePage({
          title: `Not a ${provider.name} address`,
          message: `${provider.name} signs in ${provider.domains.join(', ')} addresses only. Start again from the application.`,
        }),
      };
    }
    const registered = store.latestProvider(record.consumerKey, provider.type);
    store.completeConnectToken(record, {
      email,
      now: ctx.now,
      auth: {
        authentication_type: 'oauth',
        provider_type: provider.type,
        provider_consumer_key: registered?.key ?? provider.defaultClientId,
        provider_refresh_token_sha256: createHash('sha256').update(randomBytes(32)).digest('hex'),
      },
    });
    return { redirect: appendQueryParameter(record.callback_url, 'contextio_token', record.token) };
  }

  return [
    { method: 'GET', path: '/', handler: info },
    // Before /connect/:token, which would otherwise take the callback's name for a token.
    ...Object.values(PROVIDERS).map((provider) => ({
      method: 'POST',
      path: provider.callbackPath,
      handler: (/** @type {PageContext} */ ctx) => providerCallback(ctx, provider),
    })),
    { method: 'GET', path: '/connect/:token', handler: consentPage },
    { method: 'POST', path: '/connect/:token', handler: consentSubmit },
  ];
}
