// HTTP plumbing of the dev server, apart from what it serves: routing by path segments, reading
// a body within limits, CORS headers, sending JSON and HTML.

import { ApiError, ErrorCode, badRequest } from './errors.mjs';

/** Largest accepted request body, in bytes (larger: 413, code 413). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Past this many bytes the connection is cut instead of drained. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Compiles path patterns like `/lite/users/:id` into a matcher over decoded segments.
 * @template R
 * @param {Array<R & {method: string, path: string}>} routes
 */
export function makeRouter(routes) {
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
export function pathSegments(pathname) {
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
export function readBody(req) {
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
 * CORS headers: the Origin echoed, `Date` and `WWW-Authenticate` exposed; on a preflight, what
 * may be sent.
 */
export function setCors(req, res, preflight) {
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

/** Sends a JSON answer. */
export function sendJson(res, status, body) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(JSON.stringify(body));
}

/** Sends an HTML page under a strict CSP. */
export function sendHtml(res, status, html) {
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
