// The Context.IO Lite subset: route table, access rules and JSON views.
//
// Each API route declares who may call it (`access`):
//   'consumer'      consumer-only signature (no oauth_token): creating users and connect tokens.
//   'connect-token' consumer-only, or the temporary pair of that very connect token.
//   'user-list'     a user's own token (sees that one user); consumer-only with a 2-legged consumer.
//   'user'          the token of the user named in the path; consumer-only with a 2-legged consumer.
//   'providers'     only a 2-legged consumer, consumer-only: these routes return provider secrets,
//                   so a 3-legged consumer (whose secret is distributed) never reaches them.

import { createHash } from 'node:crypto';
import { EMAIL_PATTERN } from '../common/constants.js';
import { providerFieldProblem } from './config.mjs';
import { badRequest, forbidden, notFound } from './errors.mjs';
import { folderView, messageView, messagesInFolder } from './mailbox.mjs';
import { PROVIDER_TYPES } from './providers.mjs';

const enc = encodeURIComponent;

/**
 * @typedef {object} ApiContext
 * @property {URL} url
 * @property {Record<string, string>} params Decoded path parameters.
 * @property {URLSearchParams} fields Non-oauth parameters of the query and the form body.
 * @property {import('./store.mjs').Store} store
 * @property {import('./oauth.mjs').Consumer} consumer
 * @property {import('./oauth.mjs').TokenRecord | null} token
 * @property {number} now Server clock, unix seconds.
 */

// ---------------------------------------------------------------------------------- views

const userUrl = (origin, u) => `${origin}/lite/users/${enc(u.id)}`;
// `u` here is a user seen through one of its accounts (see `viaAccount`): `u.account` is that account.
const accountUrl = (origin, u) => `${userUrl(origin, u)}/email_accounts/${enc(u.account.label)}`;
const folderUrl = (origin, u, name) => `${accountUrl(origin, u)}/folders/${enc(name)}`;
const providerUrl = (origin, p) => `${origin}/lite/oauth_providers/${enc(p.key)}`;

/**
 * A user seen through one of its email accounts: the user record with `account` (that account)
 * and `mailbox` (that account's mailbox), which the folder and message handlers read.
 * @param {import('./users.mjs').UserRecord} user
 * @param {import('./users.mjs').UserRecord['accounts'][number]} account
 */
const viaAccount = (user, account) => ({ ...user, account, mailbox: account.mailbox });

/**
 * Context.IO Lite email_account object. The fields are listed one by one: the stored account
 * also holds its mailbox and the digest of a refresh token, which never leave the server.
 */
function accountView(origin, u) {
  const a = u.account;
  const view = {
    label: a.label,
    email: a.email,
    server: a.server,
    username: a.username,
    port: a.port,
    use_ssl: a.use_ssl,
    type: a.type,
    authentication_type: a.authentication_type,
  };
  if (a.authentication_type === 'oauth') {
    view.provider_type = a.provider_type;
    view.provider_consumer_key = a.provider_consumer_key;
  }
  return { ...view, status: 'OK', resource_url: accountUrl(origin, u) };
}

/** Context.IO Lite user object (never includes the token pair). */
function userView(origin, u) {
  return {
    id: u.id,
    email_addresses: [...new Set(u.accounts.map((a) => a.email))],
    created: u.created,
    first_name: u.first_name,
    last_name: u.last_name,
    resource_url: userUrl(origin, u),
    email_accounts: u.accounts.map((a) => accountView(origin, viaAccount(u, a))),
  };
}

/** Context.IO Lite oauth_provider object (with its secret: only 2-legged consumers see these). */
function providerView(origin, p) {
  return { type: p.type, provider_consumer_key: p.key, provider_consumer_secret: p.secret, resource_url: providerUrl(origin, p) };
}

/** Context.IO Lite connect_token object; once used, `user` carries the permanent pair. */
function connectTokenView(origin, store, c) {
  const view = {
    token: c.token,
    email: c.email,
    created: c.created,
    used: c.used,
    expires: c.expires,
    callback_url: c.callback_url,
    first_name: c.first_name,
    last_name: c.last_name,
    resource_url: `${origin}/lite/connect_tokens/${enc(c.token)}`,
  };
  const user = c.userId ? store.getUser(c.consumerKey, c.userId) : undefined;
  if (user) {
    view.user = { ...userView(origin, user), access_token: user.access_token, access_token_secret: user.access_token_secret };
  }
  return view;
}

// ---------------------------------------------------------------------------------- input

/**
 * @param {URLSearchParams} fields
 * @param {string} name
 * @returns {string} trimmed, '' when absent.
 */
const field = (fields, name) => (fields.get(name) ?? '').trim();

function requireEmail(value, name = 'email') {
  if (value === '') throw badRequest(`${name} is required`);
  if (!EMAIL_PATTERN.test(value)) throw badRequest(`${name} "${value.slice(0, 100)}" is not a valid email address`);
  return value;
}

function optionalEmail(value, name = 'email') {
  return value === '' ? '' : requireEmail(value, name);
}

function optionalInteger(value, name, { min, max }) {
  if (value === '') return undefined;
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw badRequest(`${name} must be a whole number between ${min} and ${max}`);
  }
  return Number(value);
}

function optionalBoolean(value, name) {
  if (value === '') return undefined;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw badRequest(`${name} must be 0 or 1`);
}

/**
 * Refuses a request that lacks required fields, naming every missing one.
 * @param {URLSearchParams} fields
 * @param {string[]} names
 * @param {string} [hint] Appended to the message.
 */
function requireFields(fields, names, hint = '') {
  const missing = names.filter((n) => field(fields, n) === '');
  if (missing.length) throw badRequest(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required${hint}`);
}

/**
 * How a new email account logs in, from the request fields: a password (accepted and dropped:
 * this server has no mailbox to log in to), or an OAuth provider of the calling consumer with a
 * refresh token (kept only as a SHA-256 digest, to record that one was given).
 * @param {ApiContext} ctx
 * @returns {import('./users.mjs').AccountAuth}
 */
function accountAuth(ctx) {
  const f = ctx.fields;
  const key = field(f, 'provider_consumer_key');
  const refresh = field(f, 'provider_refresh_token');
  if (key === '' && refresh === '') return { authentication_type: 'password' };
  if (field(f, 'password') !== '') {
    throw badRequest('give either password or provider_consumer_key with provider_refresh_token, not both');
  }
  if (key === '') throw badRequest('provider_consumer_key is required with provider_refresh_token');
  if (refresh === '') throw badRequest('provider_refresh_token is required with provider_consumer_key');
  const provider = ctx.store.getProvider(ctx.consumer.key, key);
  if (!provider) {
    throw badRequest(
      `provider_consumer_key "${key.slice(0, 200)}" is not an OAuth provider of this consumer ` +
        '(register it with POST /lite/oauth_providers or in the config file)',
    );
  }
  return {
    authentication_type: 'oauth',
    provider_type: provider.type,
    provider_consumer_key: provider.key,
    provider_refresh_token_sha256: createHash('sha256').update(refresh).digest('hex'),
  };
}

/**
 * The settings of a new email account (everything but how it logs in).
 * @param {URLSearchParams} f
 */
function accountSettings(f) {
  return {
    server: field(f, 'server'),
    username: field(f, 'username'),
    port: optionalInteger(field(f, 'port'), 'port', { min: 1, max: 65535 }),
    use_ssl: optionalBoolean(field(f, 'use_ssl'), 'use_ssl'),
    type: field(f, 'type').toUpperCase(),
  };
}

/**
 * Validates a callback URL: absolute, and not a scheme that runs code in the browser.
 * @param {string} value
 * @returns {string}
 */
function requireCallbackUrl(value) {
  if (value === '') throw badRequest('callback_url is required');
  let u;
  try {
    u = new URL(value);
  } catch {
    throw badRequest('callback_url must be an absolute URL');
  }
  if (['javascript:', 'data:', 'vbscript:', 'file:', 'blob:'].includes(u.protocol)) {
    throw badRequest(`callback_url may not use the ${u.protocol} scheme`);
  }
  return value;
}

// ---------------------------------------------------------------------------------- lookups

function userOr404(ctx) {
  const user = ctx.store.getUser(ctx.consumer.key, ctx.params.id);
  if (!user) throw notFound(`no user with id "${ctx.params.id.slice(0, 64)}"`);
  return user;
}

/** @returns The user seen through the account named in the path (see `viaAccount`). */
function accountOr404(ctx) {
  const user = userOr404(ctx);
  const account = user.accounts.find((a) => a.label === ctx.params.label);
  if (!account) {
    throw notFound(`user ${user.id} has no email account labelled "${ctx.params.label.slice(0, 200)}"`);
  }
  return viaAccount(user, account);
}

/** @returns {{user: ReturnType<typeof accountOr404>, folder: object}} The user seen through the account, and the folder. */
function folderOr404(ctx) {
  const user = accountOr404(ctx);
  const folder = user.mailbox.folders.find((f) => f.name === ctx.params.folder);
  if (!folder) {
    const names = user.mailbox.folders.map((f) => f.name).join(', ');
    throw notFound(`no folder "${ctx.params.folder.slice(0, 200)}" in ${user.account.label} (folders: ${names})`);
  }
  return { user, folder };
}

// ---------------------------------------------------------------------------------- handlers

/** @param {ApiContext} ctx */
function createUser(ctx) {
  const f = ctx.fields;
  const email = requireEmail(field(f, 'email'));
  const settings = accountSettings(f);
  const user = ctx.store.createUser({
    consumerKey: ctx.consumer.key,
    email,
    firstName: field(f, 'first_name'),
    lastName: field(f, 'last_name'),
    account: { ...settings, auth: accountAuth(ctx) },
    now: ctx.now,
  });
  return {
    status: 201,
    body: {
      success: true,
      id: user.id,
      email_account: accountView(ctx.url.origin, viaAccount(user, user.accounts[0])),
      resource_url: userUrl(ctx.url.origin, user),
      access_token: user.access_token,
      access_token_secret: user.access_token_secret,
    },
  };
}

/** @param {ApiContext} ctx */
function listUsers(ctx) {
  let users =
    ctx.token?.kind === 'user'
      ? [ctx.store.getUser(ctx.consumer.key, ctx.token.userId)].filter(Boolean)
      : ctx.store.listUsers(ctx.consumer.key);
  const email = field(ctx.url.searchParams, 'email').toLowerCase();
  if (email) users = users.filter((u) => u.accounts.some((a) => a.email.toLowerCase() === email));
  return { body: users.map((u) => userView(ctx.url.origin, u)) };
}

/** @param {ApiContext} ctx */
const getUser = (ctx) => ({ body: userView(ctx.url.origin, userOr404(ctx)) });

/** @param {ApiContext} ctx */
function deleteUser(ctx) {
  const user = userOr404(ctx);
  ctx.store.deleteUser(ctx.consumer.key, user.id);
  return { body: { success: true } };
}

/** @param {ApiContext} ctx */
function listAccounts(ctx) {
  const user = userOr404(ctx);
  return { body: user.accounts.map((a) => accountView(ctx.url.origin, viaAccount(user, a))) };
}

/** @param {ApiContext} ctx */
function addAccount(ctx) {
  const user = userOr404(ctx);
  const f = ctx.fields;
  const email = requireEmail(field(f, 'email'));
  const settings = accountSettings(f);
  const account = ctx.store.addAccount(user, { ...settings, email, auth: accountAuth(ctx) }, ctx.now);
  if (!account) throw badRequest(`user ${user.id} already has an email account for ${email}`);
  const url = accountUrl(ctx.url.origin, viaAccount(user, account));
  return { status: 201, body: { success: true, label: account.label, resource_url: url } };
}

/** @param {ApiContext} ctx */
const getAccount = (ctx) => ({ body: accountView(ctx.url.origin, accountOr404(ctx)) });

/** @param {ApiContext} ctx */
function listFolders(ctx) {
  const user = accountOr404(ctx);
  return {
    body: user.mailbox.folders.map((f) => folderView(user.mailbox, f, folderUrl(ctx.url.origin, user, f.name))),
  };
}

/** @param {ApiContext} ctx */
function getFolder(ctx) {
  const { user, folder } = folderOr404(ctx);
  return { body: folderView(user.mailbox, folder, folderUrl(ctx.url.origin, user, folder.name)) };
}

/** @param {ApiContext} ctx */
function listMessages(ctx) {
  const { user, folder } = folderOr404(ctx);
  const q = ctx.url.searchParams;
  const limit = Math.min(optionalInteger(field(q, 'limit'), 'limit', { min: 1, max: 1e9 }) ?? 25, 100);
  const offset = optionalInteger(field(q, 'offset'), 'offset', { min: 0, max: 1e9 }) ?? 0;
  const includeBody = optionalBoolean(field(q, 'include_body'), 'include_body') ?? false;
  const base = folderUrl(ctx.url.origin, user, folder.name);
  const page = messagesInFolder(user.mailbox, folder.name).slice(offset, offset + limit);
  return {
    body: page.map((m) => messageView(m, { includeBody, resourceUrl: `${base}/messages/${enc(m.message_id)}` })),
  };
}

/** @param {ApiContext} ctx */
function getMessage(ctx) {
  const { user, folder } = folderOr404(ctx);
  const id = ctx.params.message_id;
  // Either the server's message_id or the Message-ID header (email_message_id) works, as on Context.IO.
  const m = messagesInFolder(user.mailbox, folder.name).find((x) => x.message_id === id || x.email_message_id === id);
  if (!m) throw notFound(`no message "${id.slice(0, 200)}" in folder "${folder.name}"`);
  const includeBody = optionalBoolean(field(ctx.url.searchParams, 'include_body'), 'include_body') ?? false;
  const base = folderUrl(ctx.url.origin, user, folder.name);
  return { body: messageView(m, { includeBody, resourceUrl: `${base}/messages/${enc(m.message_id)}` }) };
}

/** @param {ApiContext} ctx */
function createConnectToken(ctx) {
  const f = ctx.fields;
  const record = ctx.store.createConnectToken({
    consumerKey: ctx.consumer.key,
    callbackUrl: requireCallbackUrl(field(f, 'callback_url')),
    email: optionalEmail(field(f, 'email')),
    firstName: field(f, 'first_name'),
    lastName: field(f, 'last_name'),
    now: ctx.now,
  });
  return {
    status: 201,
    body: {
      success: true,
      token: record.token,
      resource_url: `${ctx.url.origin}/lite/connect_tokens/${enc(record.token)}`,
      browser_redirect_url: `${ctx.url.origin}/connect/${enc(record.token)}`,
      access_token: record.access_token,
      access_token_secret: record.access_token_secret,
    },
  };
}

/** @param {ApiContext} ctx */
function getConnectToken(ctx) {
  const c = ctx.store.getConnectToken(ctx.consumer.key, ctx.params.token, ctx.now);
  if (!c) throw notFound(`no connect token "${ctx.params.token.slice(0, 64)}" (unknown or expired)`);
  return { body: connectTokenView(ctx.url.origin, ctx.store, c) };
}

/** @param {ApiContext} ctx */
function listProviders(ctx) {
  return { body: ctx.store.listProviders(ctx.consumer.key).map((p) => providerView(ctx.url.origin, p)) };
}

/** @param {ApiContext} ctx */
function createProvider(ctx) {
  const f = ctx.fields;
  requireFields(f, ['type', 'provider_consumer_key', 'provider_consumer_secret'], ` (type: ${PROVIDER_TYPES.join(' or ')})`);
  const type = field(f, 'type').toUpperCase();
  if (!PROVIDER_TYPES.includes(type)) {
    throw badRequest(`type "${field(f, 'type').slice(0, 40)}" is not an OAuth provider type (${PROVIDER_TYPES.join(' or ')})`);
  }
  for (const name of ['provider_consumer_key', 'provider_consumer_secret']) {
    const problem = providerFieldProblem(field(f, name));
    if (problem) throw badRequest(`${name} ${problem}`);
  }
  const { provider } = ctx.store.putProvider(
    ctx.consumer.key,
    { type, key: field(f, 'provider_consumer_key'), secret: field(f, 'provider_consumer_secret') },
    ctx.now,
  );
  return {
    status: 201,
    body: { success: true, provider_consumer_key: provider.key, resource_url: providerUrl(ctx.url.origin, provider) },
  };
}

function providerOr404(ctx) {
  const p = ctx.store.getProvider(ctx.consumer.key, ctx.params.key);
  if (!p) throw notFound(`no OAuth provider with provider_consumer_key "${ctx.params.key.slice(0, 200)}"`);
  return p;
}

/** @param {ApiContext} ctx */
const getProvider = (ctx) => ({ body: providerView(ctx.url.origin, providerOr404(ctx)) });

/** @param {ApiContext} ctx */
function deleteProvider(ctx) {
  ctx.store.deleteProvider(ctx.consumer.key, providerOr404(ctx).key);
  return { body: { success: true } };
}

// ---------------------------------------------------------------------------------- table

const USER = '/lite/users/:id';
const ACCOUNT = `${USER}/email_accounts/:label`;
const FOLDER = `${ACCOUNT}/folders/:folder`;

/**
 * The API routes. Paths are matched segment by segment after percent-decoding each segment.
 * @type {Array<{method: string, path: string, access: 'consumer' | 'connect-token' | 'user-list' | 'user' | 'providers', handler: (ctx: ApiContext) => {status?: number, body: unknown}}>}
 */
export const API_ROUTES = [
  { method: 'POST', path: '/lite/users', access: 'consumer', handler: createUser },
  { method: 'GET', path: '/lite/users', access: 'user-list', handler: listUsers },
  { method: 'GET', path: USER, access: 'user', handler: getUser },
  { method: 'DELETE', path: USER, access: 'user', handler: deleteUser },
  { method: 'GET', path: `${USER}/email_accounts`, access: 'user', handler: listAccounts },
  { method: 'POST', path: `${USER}/email_accounts`, access: 'user', handler: addAccount },
  { method: 'GET', path: ACCOUNT, access: 'user', handler: getAccount },
  { method: 'GET', path: `${ACCOUNT}/folders`, access: 'user', handler: listFolders },
  { method: 'GET', path: FOLDER, access: 'user', handler: getFolder },
  { method: 'GET', path: `${FOLDER}/messages`, access: 'user', handler: listMessages },
  { method: 'GET', path: `${FOLDER}/messages/:message_id`, access: 'user', handler: getMessage },
  { method: 'POST', path: '/lite/connect_tokens', access: 'consumer', handler: createConnectToken },
  { method: 'GET', path: '/lite/connect_tokens/:token', access: 'connect-token', handler: getConnectToken },
  { method: 'GET', path: '/lite/oauth_providers', access: 'providers', handler: listProviders },
  { method: 'POST', path: '/lite/oauth_providers', access: 'providers', handler: createProvider },
  { method: 'GET', path: '/lite/oauth_providers/:key', access: 'providers', handler: getProvider },
  { method: 'DELETE', path: '/lite/oauth_providers/:key', access: 'providers', handler: deleteProvider },
];

/**
 * Applies a route's access rule to verified credentials.
 * @param {string} access
 * @param {{consumer: import('./oauth.mjs').Consumer, token: import('./oauth.mjs').TokenRecord | null}} auth
 * @param {Record<string, string>} params
 * @throws {import('./errors.mjs').ApiError} 403 code 108.
 */
export function authorize(access, { consumer, token }, params) {
  const consumerOnlyRoutes = 'POST /lite/users, POST /lite/connect_tokens and GET /lite/connect_tokens/:token';
  switch (access) {
    case 'consumer':
      if (token) {
        throw forbidden('this endpoint takes a consumer-only signature: sign with the consumer key and secret, without oauth_token');
      }
      return;
    case 'connect-token':
      if (!token || (token.kind === 'connect' && token.connectToken === params.token)) return;
      throw forbidden('this access token may not read that connect token; use its own temporary pair or a consumer-only signature');
    case 'user-list':
    case 'user':
      if (token?.kind === 'user') {
        if (access === 'user-list' || token.userId === params.id) return;
        throw forbidden("this access token belongs to another user; sign with the requested user's own access token");
      }
      if (token?.kind === 'connect') {
        throw forbidden("a connect token's temporary pair only reads that connect token; use the user's access token");
      }
      if (!consumer.threeLegged) return;
      throw forbidden(
        `a consumer-only signature may only be used on ${consumerOnlyRoutes}; ` +
          "sign user resources with that user's access token (3-legged consumer)",
      );
    case 'providers':
      if (consumer.threeLegged) {
        throw forbidden(
          'oauth_providers hold the provider secrets: only a 2-legged consumer (configured "threeLegged": false, ' +
            'its secret kept on a server) may use them, with a consumer-only signature',
        );
      }
      if (token) {
        throw forbidden('oauth_providers take a consumer-only signature: sign with the consumer key and secret, without oauth_token');
      }
      return;
    default:
      throw new Error(`unknown access rule ${access}`);
  }
}
