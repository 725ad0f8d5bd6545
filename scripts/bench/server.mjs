// @ts-check
/**
 * A tiny local HTTP server for the benchmark's generated pages and in-page scripts.
 * Binds 127.0.0.1 (the e2e build's detector runs on http://127.0.0.1/*).
 *
 *   /bench/page.html?elements=10000[&coi=1][&prompt=1]  generated page (coi=1: cross-origin
 *                                            isolated, for 5 µs performance.now() in engine
 *                                            timings; prompt=1: a ScriptSwitch dialog in the markup)
 *   /bench/frames.html?frames=30&elements=1000  a page of same-origin iframes of generated pages
 *   /bench/blank.html                        an empty page of the same origin (to attach a
 *                                            profiler before navigating to a page)
 *   /bench/engine.js                         the engine bundle (window.__moEngine)
 *   /bench/naive.js                          the naive full-rescan detector
 */
import http from 'node:http';
import { generateFramesPage, generatePage } from './page.mjs';

/**
 * @param {{ engineSource: string, naiveSource: string }} scripts
 * @returns {Promise<{ origin: string, pageUrl: (elements: number, extra?: Record<string, string>) => string, close: () => Promise<void> }>}
 */
export async function startBenchServer({ engineSource, naiveSource }) {
  /** @type {Map<string, string>} */
  const pages = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    /** @type {Record<string, string>} */
    const headers = { 'cache-control': 'no-store' };
    if (url.searchParams.get('coi') === '1') {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
      headers['cross-origin-resource-policy'] = 'same-origin';
    }
    const send = (/** @type {string} */ type, /** @type {string} */ body) => {
      res.writeHead(200, { ...headers, 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/bench/page.html') {
      const elements = Number(url.searchParams.get('elements') ?? 1000);
      const prompt = url.searchParams.get('prompt') === '1';
      const key = `${elements}|${prompt}`;
      let html = pages.get(key);
      if (!html) {
        html = generatePage({ elements, prompt });
        pages.set(key, html);
      }
      return send('text/html; charset=utf-8', html);
    }
    if (url.pathname === '/bench/frames.html') {
      const frames = Number(url.searchParams.get('frames') ?? 30);
      const elements = Number(url.searchParams.get('elements') ?? 1000);
      return send('text/html; charset=utf-8', generateFramesPage({ frames, elements }));
    }
    if (url.pathname === '/bench/blank.html')
      return send('text/html; charset=utf-8', '<!doctype html><title>blank</title>');
    if (url.pathname === '/bench/engine.js') return send('text/javascript; charset=utf-8', engineSource);
    if (url.pathname === '/bench/naive.js') return send('text/javascript; charset=utf-8', naiveSource);
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404, headers);
    res.end();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: (elements, extra = {}) => {
      const params = new URLSearchParams({ elements: String(elements), ...extra });
      return `${origin}/bench/page.html?${params}`;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
