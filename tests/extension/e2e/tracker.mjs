// The "tracker": a local HTTP proxy that records every request a browser sends it, and a web
// server for control pages.
//
// The browsers under test are started with this proxy for every non-loopback URL (Chromium
// --proxy-server, Firefox network.proxy.*; both send loopback, where the API servers and the
// extension live, directly). Hostile mail points at http://tracker.example/… (a reserved name
// that resolves nowhere), so any attempt to load it, by a script, an event handler, an image, a
// CSS url(), a refresh or a link, arrives here and is recorded, whatever the scheme (https
// arrives as CONNECT). A test proves "nothing was fetched" by finding no hit, and proves the
// recorder works by loading the same mail in an ordinary web page (a control page served here
// directly), where the hits do arrive.

import { createServer } from 'node:http';

/** A 1x1 transparent GIF, so that an image load that gets through succeeds. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * @returns {Promise<{url: string, port: number, hits: Array<{method: string, url: string, at: number}>,
 *   setPage: (name: string, html: string) => string, clear: () => void, close: () => Promise<void>}>}
 */
export async function startTracker() {
  /** @type {Array<{method: string, url: string, at: number}>} */
  const hits = [];
  /** Control pages by path. */
  const pages = new Map();
  const server = createServer((req, res) => {
    const proxied = /^[a-z]+:\/\//i.test(req.url ?? '');
    if (!proxied) {
      // A direct request: a control page (or what it loads relative to itself).
      const html = pages.get(req.url);
      res.writeHead(html ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html ?? 'not found');
      return;
    }
    hits.push({ method: req.method ?? '', url: req.url ?? '', at: Date.now() });
    req.resume();
    const path = new URL(req.url).pathname;
    if (/\.(gif|png)$/.test(path)) {
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
      res.end(GIF);
    } else {
      const type = path.endsWith('.css') ? 'text/css' : path.endsWith('.js') ? 'text/javascript' : 'text/plain';
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
      res.end('/* tracked */');
    }
  });
  // https through the proxy: record the host it was for, and refuse the tunnel. The socket is
  // ours from here (the HTTP server no longer watches it): a browser that resets it, as it
  // refuses the 403 or as it shuts down, makes it emit an error, which without a listener is an
  // uncaught exception in the test process (CI met "read ECONNRESET" after Firefox's suite had
  // passed, and the file failed for it). Nothing is lost: the hit is recorded above.
  const tunnels = new Set();
  server.on('connect', (req, socket) => {
    hits.push({ method: 'CONNECT', url: req.url ?? '', at: Date.now() });
    tunnels.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => tunnels.delete(socket));
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    hits,
    setPage(name, html) {
      pages.set(`/control/${name}`, html);
      return `${url}/control/${name}`;
    },
    clear() {
      hits.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        for (const socket of tunnels) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
