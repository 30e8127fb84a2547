// HTTP plumbing of the dev server: clock, CORS, body limits, routing, OAuth verification,
// error mapping, and `startServer` for tests and tooling.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { EMAIL_PATTERN } from '../common/constants.js';
import { DEMO_CONFIG, ConfigError, assertSafeHost, loadConsumersFile, validateConsumers } from './config.mjs';
import { renderConsentPage, renderNoticePage, renderProviderConsentPage } from './consent.mjs';
import { ApiError, ErrorCode, badRequest, notFound } from './errors.mjs';
import { NonceCache, verifyRequest } from './oauth.mjs';
import { PROVIDERS, providerForEmail } from './providers.mjs';
import { formBodyText, isFormContentType, parseFormBody, parseRequest, requestUrl } from './request.mjs';
import { API_ROUTES, authorize } from './routes.mjs';
import { Store } from './store.mjs';

/** Largest accepted request body, in bytes (larger: 413, code 413). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Past this many bytes the connection is cut instead of drained. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The server's notion of "now": real time plus a fixed offset.
 * @param {number} offsetSeconds
 * @returns {{nowMs: () => number, now: () => number}} `now` in whole unix seconds.
 */
export function makeClock(offsetSeconds = 0) {
  const nowMs = () => Date.now() + offsetSeconds * 1000;
  return { nowMs, now: () => Math.floor(nowMs() / 1000) };
}

/**
 * Compiles path patterns like `/lite/users/:id` into a matcher over decoded segments.
 * @template R
 * @param {Array<R & {method: string, path: string}>} routes
 */
function makeRouter(routes) {
  const compiled = routes.map((r) => ({ route: r, parts: r.path.split('/').slice(1) }));
  return {
    /**
     * @param {string} method
     * @param {string[]} segments Decoded path segments.
     * @returns {{route: R, params: Record<string, string>} | {allowed: string[]} | null}
     */
    match(method, segments) {
      const allowed = [];
      for (const { route, parts } of compiled) {
        if (parts.length !== segments.length) continue;
        /** @type {Record<string, string>} */
        const params = {};
        let ok = true;
        for (let i = 0; ok && i < parts.length; i++) {
          if (parts[i].startsWith(':')) {
            params[parts[i].slice(1)] = segments[i];
            ok = segments[i] !== '';
          } else {
            ok = parts[i] === segments[i];
          }
        }
        if (!ok) continue;
        if (route.method === method) return { route, params };
        allowed.push(route.method);
      }
      return allowed.length ? { allowed } : null;
    },
  };
}

/**
 * Splits a pathname on `/`, then percent-decodes each segment (so `%2F` inside a folder name
 * stays inside its segment). A single trailing slash is ignored.
 * @param {string} pathname
 * @returns {string[]}
 */
function pathSegments(pathname) {
  const raw = pathname.split('/').slice(1);
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  return raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`malformed percent-encoding in the path segment "${s.slice(0, 60)}"`);
    }
  });
}

/**
 * Reads the whole body. Past the limit, keeps draining (so the client can read the 413) and
 * cuts the connection only past a much larger bound.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) req.destroy();
    });
    req.on('end', () => {
      if (size > BODY_LIMIT_BYTES) {
        reject(new ApiError(413, ErrorCode.PAYLOAD_TOO_LARGE, `request body is larger than ${BODY_LIMIT_BYTES} bytes`));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
    req.on('close', () => reject(new Error('request closed before its body was read')));
  });
}

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

function setCors(req, res, preflight) {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Date, WWW-Authenticate');
  }
  if (preflight) {
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('Access-Control-Max-Age', '600');
    // Chrome's Private Network Access: a public page calling this loopback server asks first.
    if (req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
  }
}

function sendJson(res, status, body) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // The connect token is in the URL: do not leak it through Referer.
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(html);
}

/**
 * Builds the request handler.
 * @param {object} deps
 * @param {Store} deps.store
 * @param {Array<import('./oauth.mjs').Consumer>} deps.consumers
 * @param {{nowMs: () => number, now: () => number}} deps.clock
 * @param {((line: string) => void) | null} [deps.log] One line per request; never secrets.
 * @param {NonceCache} [deps.nonces] Seen nonces; by default in memory only.
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>}
 */
export function createApp({ store, consumers, clock, log = null, nonces = new NonceCache() }) {
  const byKey = new Map(consumers.map((c) => [c.key, c]));
  const api = makeRouter(API_ROUTES);
  const pages = makeRouter([
    { method: 'GET', path: '/', handler: info },
    // Before /connect/:token, which would otherwise take the callback's name for a token.
    ...Object.values(PROVIDERS).map((provider) => ({
      method: 'POST',
      path: provider.callbackPath,
      handler: (/** @type {any} */ ctx) => providerCallback(ctx, provider),
    })),
    { method: 'GET', path: '/connect/:token', handler: consentPage },
    { method: 'POST', path: '/connect/:token', handler: consentSubmit },
  ]);

  /**
   * @typedef {{status?: number, html?: string, json?: unknown, redirect?: string, record?: import('./store.mjs').ConnectTokenRecord}} PageResult
   */

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

  async function dispatch(req, res) {
    const now = clock.now();
    const url = requestUrl({ host: req.headers.host, target: req.url ?? '/' });
    const segments = pathSegments(url.pathname);
    const method = req.method ?? 'GET';
    const found = api.match(method, segments) ?? pages.match(method, segments);
    if (!found || !('route' in found)) {
      const allowed = found && 'allowed' in found ? ` (this path accepts ${found.allowed.join(', ')})` : '';
      throw notFound(`no route for ${method} ${url.pathname}${allowed}`);
    }
    const body = await readBody(req);
    const contentType = req.headers['content-type'];
    const { route, params } = found;

    if (!('access' in route)) {
      const form = isFormContentType(contentType) ? parseFormBody(formBodyText(body)) : new URLSearchParams();
      const out = route.handler({ url, params, now, form });
      if (out.redirect) {
        res.writeHead(302, { Location: out.redirect, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
        res.end();
      } else if (out.json) sendJson(res, 200, out.json);
      else sendHtml(res, out.status, out.html);
      return { status: res.statusCode };
    }

    const request = parseRequest({ url, authorization: req.headers.authorization, contentType, body });
    const auth = verifyRequest(
      { method, request },
      { findConsumer: (k) => byKey.get(k), findToken: (c, t, n) => store.findToken(c, t, n), now, nonces },
    );
    authorize(route.access, auth, params);
    const fields = new URLSearchParams();
    for (const [k, v] of [...request.query, ...request.form]) if (!k.startsWith('oauth_')) fields.append(k, v);
    const out = route.handler({ url, params, fields, store, consumer: auth.consumer, token: auth.token, now });
    sendJson(res, out.status ?? 200, out.body);
    return { status: out.status ?? 200 };
  }

  return async function handle(req, res) {
    const started = Date.now();
    res.sendDate = false;
    res.setHeader('Date', new Date(clock.nowMs()).toUTCString());
    const preflight = req.method === 'OPTIONS';
    setCors(req, res, preflight);
    let status;
    let code;
    try {
      if (preflight) {
        res.writeHead(204, { Allow: 'GET, POST, PUT, DELETE, OPTIONS' });
        res.end();
        status = 204;
      } else {
        ({ status } = await dispatch(req, res));
      }
    } catch (e) {
      if (res.headersSent || res.destroyed) {
        status = res.statusCode;
      } else {
        const err =
          e instanceof ApiError ? e : new ApiError(500, ErrorCode.INTERNAL, 'internal server error (see the server log)');
        if (!(e instanceof ApiError) && !req.destroyed) log?.(`error: ${e?.stack ?? e}`);
        if (err.status === 413) res.setHeader('Connection', 'close');
        // A 401 or 403 (the errors with a problem) comes after the Host header was accepted, so
        // the realm, the origin, is known.
        if (err.problem) res.setHeader('WWW-Authenticate', err.challenge(requestUrl({ host: req.headers.host, target: '/' }).origin));
        sendJson(res, err.status, err.toBody());
        status = err.status;
        code = err.code;
      }
    }
    // Path only: the query may carry oauth_* parameters, which are noise in a log.
    const path = (req.url ?? '').split('?', 1)[0].slice(0, 300);
    log?.(`${req.method} ${path} ${status}${code && code !== status ? ` code=${code}` : ''} ${Date.now() - started}ms`);
  };
}

/**
 * Starts a server in this process.
 * @param {object} [opts]
 * @param {string} [opts.host] Default 127.0.0.1.
 * @param {number} [opts.port] Default 0 (a free port).
 * @param {string | null} [opts.dataFile] JSON data file; null keeps state in memory only.
 * @param {boolean} [opts.reset] Start with empty state (and overwrite the data file).
 * @param {string} [opts.configFile] A config file to read the consumers from (what `--config` gives).
 * @param {Array<{key: string, secret: string, threeLegged?: boolean, oauthProviders?: Array<{type: string, provider_consumer_key: string, provider_consumer_secret: string}>}>} [opts.consumers]
 *   The consumers themselves, in the config file's shape (not with `configFile`). Default: the
 *   demo consumer.
 * @param {number} [opts.clockOffset] Seconds added to the real clock.
 * @param {((line: string) => void) | null} [opts.log]
 * @returns {Promise<{url: string, host: string, port: number, consumers: Array<import('./oauth.mjs').Consumer>, store: Store, close: () => Promise<void>}>}
 *   `consumers` as the server uses them (validated; providers as `{type, key, secret}`).
 * @throws {import('./config.mjs').ConfigError | import('./store.mjs').DataFileError}
 */
export async function startServer(opts = {}) {
  const { host = '127.0.0.1', port = 0, dataFile = null, reset = false, clockOffset = 0, log = null } = opts;
  if (opts.configFile !== undefined && opts.consumers !== undefined) {
    throw new ConfigError('startServer options: give consumers or configFile, not both');
  }
  // One validation, one shape: the config file's consumers are checked once, by the same
  // function as the consumers given directly.
  const consumers =
    opts.configFile !== undefined
      ? loadConsumersFile(opts.configFile)
      : validateConsumers(opts.consumers ?? DEMO_CONFIG.consumers, 'startServer options');
  assertSafeHost(host, consumers);
  if (!Number.isFinite(clockOffset)) throw new TypeError('clockOffset must be a finite number of seconds');
  const store = Store.open({ file: dataFile, reset });
  const clock = makeClock(clockOffset);
  store.applyConfigProviders(consumers, clock.now());
  // Seen nonces are journaled next to the data file, so a replay is refused after a restart.
  const nonces = new NonceCache({ journalFile: dataFile ? `${dataFile}.nonces` : null, now: clock.now(), reset });
  const handler = createApp({ store, consumers, clock, log, nonces });
  const server = createServer((req, res) => void handler(req, res));
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    host,
    port: address.port,
    consumers,
    store,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          nonces.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
