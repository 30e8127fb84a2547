// A reverse proxy between the extension and a local API server, for the end-to-end tests of the
// retry rule: it records every request the extension sends (its OAuth nonce and timestamp) and
// every answer, and on demand delivers the next request twice, the way a proxy or load balancer
// that retries upstream after a lost answer does. The first delivery is processed and its answer
// thrown away; the second, the very same signed request, is refused as a replay (`nonce_used`),
// and that is what the extension sees. It can also change the next request's target on the way
// (a proxy that adds a parameter), which the server's signature check then refuses. Nothing in
// the extension knows about this: it is the network.
//
// The Host header is passed on unchanged, so the server computes the base string for the URL the
// extension signed (this proxy's origin). CORS preflights (Firefox sends one before the
// background's signed requests) are passed on and not recorded: they carry no signature.

import { createServer, request as httpRequest } from 'node:http';

/**
 * @param {string} target The API server's origin, e.g. http://127.0.0.1:8787
 * @returns {Promise<{url: string, sent: Array<{method: string, path: string, nonce: string, timestamp: number}>, deliveries: Array<{method: string, path: string, nonce: string, status: number, shown: boolean}>, duplicateNext: () => void, rewriteNext: (change: (path: string) => string) => void, reset: () => void, close: () => Promise<void>}>}
 */
export async function startWire(target) {
  const to = new URL(target);
  /** What the extension sent. */
  const sent = [];
  /** What reached the server, with its status and whether its answer went back to the extension. */
  const deliveries = [];
  let duplicate = false;
  /** @type {((path: string) => string) | null} */
  let rewrite = null;

  const oauth = (headers) => {
    const header = String(headers.authorization ?? '');
    const get = (name) => decodeURIComponent(new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? '');
    return { nonce: get('oauth_nonce'), timestamp: Number(get('oauth_timestamp')) };
  };

  /** Delivers the request to the server once; resolves with its answer, read whole. */
  const deliver = (req, body, path) =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path, headers: req.headers },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const server = createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      let answer;
      if (req.method === 'OPTIONS') {
        answer = await deliver(req, body, req.url);
      } else {
        const { nonce, timestamp } = oauth(req.headers);
        sent.push({ method: req.method ?? '', path: req.url ?? '', nonce, timestamp });
        const times = duplicate ? 2 : 1;
        const path = rewrite ? rewrite(req.url ?? '') : req.url;
        duplicate = false;
        rewrite = null;
        for (let i = 0; i < times; i++) {
          answer = await deliver(req, body, path);
          deliveries.push({ method: req.method ?? '', path: path ?? '', nonce, status: answer.status, shown: i === times - 1 });
        }
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (e) {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`wire: ${e?.message ?? e}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    deliveries,
    /** The next request is delivered twice; the extension sees the second answer. */
    duplicateNext: () => {
      duplicate = true;
    },
    /** The next request reaches the server at `change(path)` (path and query). */
    rewriteNext: (change) => {
      rewrite = change;
    },
    reset: () => {
      sent.length = 0;
      deliveries.length = 0;
      duplicate = false;
      rewrite = null;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
