// The Context.IO Lite subset: route table, access rules and JSON views.
//
// Each API route declares who may call it (`access`):
//   'consumer'      consumer-only signature (no oauth_token): creating users and connect tokens.
//   'connect-token' consumer-only, or the temporary pair of that very connect token.
//   'user-list'     a user's own token (sees that one user); consumer-only with a 2-legged consumer.
//   'user'          the token of the user named in the path; consumer-only with a 2-legged consumer.

import { EMAIL_PATTERN } from '../extension/constants.js';
import { badRequest, forbidden, notFound } from './errors.mjs';
import { folderView, messageView, messagesInFolder } from './mailbox.mjs';

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
const accountUrl = (origin, u) => `${userUrl(origin, u)}/email_accounts/${enc(u.account.label)}`;
const folderUrl = (origin, u, name) => `${accountUrl(origin, u)}/folders/${enc(name)}`;

/** Context.IO Lite email_account object. */
function accountView(origin, u) {
  return { ...u.account, status: 'OK', resource_url: accountUrl(origin, u) };
}

/** Context.IO Lite user object (never includes the token pair). */
function userView(origin, u) {
  return {
    id: u.id,
    email_addresses: [u.email],
    created: u.created,
    first_name: u.first_name,
    last_name: u.last_name,
    resource_url: userUrl(origin, u),
    email_accounts: [accountView(origin, u)],
  };
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

function accountOr404(ctx) {
  const user = userOr404(ctx);
  if (user.account.label !== ctx.params.label) {
    throw notFound(`user ${user.id} has no email account labelled "${ctx.params.label.slice(0, 200)}"`);
  }
  return user;
}

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
  // password, provider_refresh_token and provider_consumer_key are accepted and dropped: a dev
  // server has no mailbox to log in to and must not keep credentials around.
  const user = ctx.store.createUser({
    consumerKey: ctx.consumer.key,
    email,
    firstName: field(f, 'first_name'),
    lastName: field(f, 'last_name'),
    account: {
      server: field(f, 'server'),
      username: field(f, 'username'),
      port: optionalInteger(field(f, 'port'), 'port', { min: 1, max: 65535 }),
      use_ssl: optionalBoolean(field(f, 'use_ssl'), 'use_ssl'),
      type: field(f, 'type').toUpperCase(),
    },
    now: ctx.now,
  });
  return {
    status: 201,
    body: {
      success: true,
      id: user.id,
      email_account: accountView(ctx.url.origin, user),
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
  if (email) users = users.filter((u) => u.email.toLowerCase() === email);
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
const listAccounts = (ctx) => ({ body: [accountView(ctx.url.origin, userOr404(ctx))] });

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

// ---------------------------------------------------------------------------------- table

const USER = '/lite/users/:id';
const ACCOUNT = `${USER}/email_accounts/:label`;
const FOLDER = `${ACCOUNT}/folders/:folder`;

/**
 * The API routes. Paths are matched segment by segment after percent-decoding each segment.
 * @type {Array<{method: string, path: string, access: 'consumer' | 'connect-token' | 'user-list' | 'user', handler: (ctx: ApiContext) => {status?: number, body: unknown}}>}
 */
export const API_ROUTES = [
  { method: 'POST', path: '/lite/users', access: 'consumer', handler: createUser },
  { method: 'GET', path: '/lite/users', access: 'user-list', handler: listUsers },
  { method: 'GET', path: USER, access: 'user', handler: getUser },
  { method: 'DELETE', path: USER, access: 'user', handler: deleteUser },
  { method: 'GET', path: `${USER}/email_accounts`, access: 'user', handler: listAccounts },
  { method: 'GET', path: ACCOUNT, access: 'user', handler: getAccount },
  { method: 'GET', path: `${ACCOUNT}/folders`, access: 'user', handler: listFolders },
  { method: 'GET', path: FOLDER, access: 'user', handler: getFolder },
  { method: 'GET', path: `${FOLDER}/messages`, access: 'user', handler: listMessages },
  { method: 'GET', path: `${FOLDER}/messages/:message_id`, access: 'user', handler: getMessage },
  { method: 'POST', path: '/lite/connect_tokens', access: 'consumer', handler: createConnectToken },
  { method: 'GET', path: '/lite/connect_tokens/:token', access: 'connect-token', handler: getConnectToken },
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
    default:
      throw new Error(`unknown access rule ${access}`);
  }
}
