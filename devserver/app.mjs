// The dev server: the request handler (pages, or an API route after OAuth verification and its
// access rule; errors mapped to Context.IO bodies and OAuth challenges) and `startServer`.

import { createServer } from 'node:http';
import { ConfigError, DEMO_CONFIG, assertSafeHost, loadConsumersFile, validateConsumers } from './config.mjs';
import { ApiError, ErrorCode, notFound } from './errors.mjs';
import { makeRouter, pathSegments, readBody, sendHtml, sendJson, setCors } from './http.mjs';
import { NonceCache, verifyRequest } from './oauth.mjs';
import { pageRoutes } from './pages.mjs';
import { formBodyText, isFormContentType, parseFormBody, parseRequest, requestUrl } from './request.mjs';
import { API_ROUTES, authorize } from './routes.mjs';
import { Store } from './store.mjs';

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
  const pages = makeRouter(pageRoutes(store));

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
 * @param {Array<{key: string, secret: string, threeLegged?: boolean, oauthProviders?: Array<{type: string, provider_consumer_key: string, provider_consumer_secret: string}>, signatureMethods?: string[]}>} [opts.consumers]
 *   The consumers themselves, in the config file's shape (not with `configFile`). Default: the
 *   demo consumer.
 * @param {number} [opts.clockOffset] Seconds added to the real clock.
 * @param {((line: string) => void) | null} [opts.log]
 * @returns {Promise<{url: string, host: string, port: number, consumers: Array<import('./oauth.mjs').Consumer>, store: Store, close: () => Promise<void>}>}
 *   `consumers` as the server uses them (validated; providers as `{type, key, secret}`).
 * @throws {import('./config.mjs').ConfigError | import('./datafile.mjs').DataFileError}
 */
export async function startServer(opts = {}) {
  const { host = '127.0.0.1', port = 0, dataFile = null, reset = false, clockOffset = 0, log = null } = opts;
  if (opts.configFile !== undefined && opts.consumers !== undefined) {
    throw new ConfigError('startServer options: give consumers or configFile, not both');
  }
  // One validation, one shape: the config file's consumers are checked once, by the same
  // function as the consumers given directly.
  const where = opts.configFile !== undefined ? `config file ${opts.configFile}` : 'startServer options';
  const consumers =
    opts.configFile !== undefined
      ? loadConsumersFile(opts.configFile)
      : validateConsumers(opts.consumers ?? DEMO_CONFIG.consumers, where);
  assertSafeHost(host, consumers, where);
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
