// A minimal static file server for browser tests: serves the given directories under URL
// prefixes on a free loopback port.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

/** @param {Record<string, string>} mounts URL prefix -> directory or file */
export async function serveStatic(mounts) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    for (const [prefix, target] of Object.entries(mounts)) {
      if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) {
        const rest = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
        const file = prefix.endsWith('/') || rest ? join(target, rest) : target;
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
          return res.end(body);
        } catch {
          break;
        }
      }
    }
    res.writeHead(404).end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}
