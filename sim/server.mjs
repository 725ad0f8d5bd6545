// @ts-check
/**
 * Static server for the simulated clinical system (sim/pages). No dependencies.
 *
 * Binds 127.0.0.1 and, when the machine has IPv6 loopback, ::1 on the same port, so
 * both http://127.0.0.1:PORT and http://localhost:PORT work whichever address a client
 * resolves "localhost" to. The two origins are different, which the cross-origin
 * iframe case relies on. Hosts under *.test (mapped to 127.0.0.1 by the browser's
 * --host-resolver-rules) are served too: the Host header is not checked.
 *
 * Usage: node sim/server.mjs [--port 5178]   (0 = random free port)
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSimPage, PAGES_DIR } from './layout.mjs';

export { PAGES_DIR };

/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {string} pagesDir
 * @returns {http.RequestListener}
 */
function handler(pagesDir) {
  return async (req, res) => {
    const send = (/** @type {number} */ status, /** @type {string} */ body) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://sim.invalid').pathname);
    } catch {
      return send(400, 'Bad request');
    }
    if (pathname === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'no-store' });
      return res.end();
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.resolve(pagesDir, `.${pathname}`);
    if (file !== pagesDir && !file.startsWith(pagesDir.endsWith(path.sep) ? pagesDir : pagesDir + path.sep)) {
      return send(403, 'Forbidden');
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(404, 'Not found');
      const extension = path.extname(file).toLowerCase();
      // Pages are sent with their shared parts in place (layout.mjs); anything else as stored.
      const page =
        extension === '.html' ? Buffer.from(composeSimPage(await readFile(file, 'utf8'))) : undefined;
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
        'content-length': page?.length ?? info.size,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      if (page) res.end(page);
      else createReadStream(file).pipe(res);
    } catch {
      send(404, 'Not found');
    }
  };
}

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (/** @type {Error} */ error) => reject(error);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * @param {http.Server} server
 * @returns {Promise<void>}
 */
function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/**
 * Starts the sim server.
 * @param {{ port?: number, pagesDir?: string }} [options] port 0 (default) = a random free port
 * @returns {Promise<import('./server.d.mts').SimServer>}
 */
export async function startSimServer({ port = 0, pagesDir = PAGES_DIR } = {}) {
  const dir = path.resolve(pagesDir);
  const v4 = http.createServer(handler(dir));
  const actualPort = await listen(v4, port, '127.0.0.1');
  const servers = [v4];
  // "localhost" may resolve to ::1 first (Node, some browsers): serve it there too.
  const v6 = http.createServer(handler(dir));
  try {
    await listen(v6, actualPort, '::1');
    servers.push(v6);
  } catch {
    // No IPv6 loopback on this machine (or the port is taken there): 127.0.0.1 is enough.
  }
  return {
    port: actualPort,
    origin: `http://127.0.0.1:${actualPort}`,
    crossOrigin: `http://localhost:${actualPort}`,
    url: (/** @type {string} */ page) => new URL(page, `http://127.0.0.1:${actualPort}/`).href,
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 5178);
  const sim = await startSimServer({ port });
  console.log(`Simulated clinical system: ${sim.origin}/  (cross-origin frames from ${sim.crossOrigin})`);
  const stop = () => sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
