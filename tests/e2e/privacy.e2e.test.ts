import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BANNER_HOST,
  type ExtensionBrowser,
  holdsForFrames,
  launchWithExtension,
  REPO_ROOT,
  type SimServer,
  snapshotBuild,
  startSimServer,
} from './harness';

/**
 * Privacy, proven in real Chromium with the built extension:
 *
 * 1. Storage: pages full of fictional patient identifiers (name, NHS number, date of
 *    birth, address, an MO prompt naming the patient and the drug, same- and
 *    cross-origin frames, an NHS number in the URL path) are visited and the banner is
 *    shown; then every storage area the extension has is read (storage.local, .sync,
 *    .session, .managed, IndexedDB and Cache Storage in the worker, localStorage,
 *    sessionStorage, IndexedDB and cookies on an extension page) and also the
 *    extension's own storage folders in the profile on disk, and none of the
 *    identifiers, URL paths or page text may appear. The page origins' own storage
 *    must stay untouched by the content scripts, too.
 *
 * 2. Network, checked twice:
 *    - On the wire: Chromium sends every request through a logging proxy
 *      (--proxy-server plus --proxy-bypass-list=<-loopback>, which removes Chromium's
 *      implicit loopback bypass so 127.0.0.1/localhost go through it too). The proxy
 *      sees the traffic of every context (service worker, extension pages, content
 *      scripts, pages) whoever made it; a page-origin canary proves loopback traffic
 *      really passes through it. Loopback traffic must be exactly the test's own page
 *      loads. Chromium itself also talks to Google services (updater, sign-in, clock)
 *      whatever flags it gets; those requests are allowed only to Google service
 *      domains, only when no page, frame, extension page or worker made them (next
 *      point), and only while the built extension's code names none of those hosts.
 *    - Per context: Playwright reports each request made by a page, frame, extension
 *      page or (PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS) service worker; every
 *      one must be an extension resource or one of the test's page loads. The service
 *      worker is also shown to be unable to fetch at all (CSP connect-src 'none').
 *
 * 3. The production manifest (built into a temporary folder, never over .output/)
 *    asks only for storage, scripting and activeTab plus optional hosts, has no host
 *    access, no content scripts, no externally_connectable, and a strict CSP.
 */

/** The extension APIs used from the service worker (typed here; the worker has them). */
declare const chrome: {
  storage: Record<
    'local' | 'sync' | 'session' | 'managed',
    {
      get(keys: null): Promise<Record<string, unknown>>;
      set(items: object): Promise<void>;
      remove(k: string): Promise<void>;
    }
  >;
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
};

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/hostile');
const RECORD_PATH = '/patient/9434765919/medication.html';
const FRAME_PATH = '/patient-frame.html';

/** Every fictional identifier and piece of page text on the privacy fixtures. */
const IDENTIFIERS = [
  'Zebedee',
  'Quartermaine',
  'Marigold',
  'Fennimore',
  'Testperson',
  '943 476 5919',
  '9434765919',
  '999 000 0018',
  '9990000018',
  '14-Mar-1961',
  '1961-03-14',
  '02-Feb-1950',
  'Larkspur Mews',
  'Leedsborough',
  'LS99 9ZZ',
  '07700 900123',
  'Esomeprazole',
  'Omeprazole',
  'reflux',
  'since Tuesday',
  'Recommendation for',
  'Repeat template',
  // URL paths and query strings of the pages visited.
  '/patient/',
  'medication.html',
  'patient-frame',
  'nhs=',
  'name=Quartermaine',
];

function findIdentifiers(text: string): string[] {
  const lower = text.toLowerCase();
  return IDENTIFIERS.filter((id) => lower.includes(id.toLowerCase()));
}

// ---------------------------------------------------------------------------
// A logging forward proxy: every request the browser makes passes through it.
// ---------------------------------------------------------------------------

interface ProxyRequest {
  method: string;
  url: string;
}

interface LoggingProxy {
  port: number;
  log: ProxyRequest[];
  close(): Promise<void>;
}

async function startProxy(upstreamPort: number): Promise<LoggingProxy> {
  const log: ProxyRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    log.push({ method: req.method ?? '', url });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const loopback = target.hostname === '127.0.0.1' || target.hostname === 'localhost';
    if (!loopback || Number(target.port) !== upstreamPort) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('refused by the privacy-test proxy');
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  // https (CONNECT) and WebSocket upgrades: logged and refused.
  server.on('connect', (req, socket) => {
    log.push({ method: 'CONNECT', url: req.url ?? '' });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('upgrade', (req, socket) => {
    log.push({ method: 'UPGRADE', url: req.url ?? '' });
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sim: SimServer;
let proxy: LoggingProxy;
/** Requests made by a page, frame, extension page or service worker (Playwright's view). */
const contextRequests: { method: string; url: string; from: string }[] = [];
let ext: ExtensionBrowser;
let workDir: string;
let profileDir: string;

function currentWorker(): Worker {
  const w = ext.context
    .serviceWorkers()
    .find((s) => s.url().startsWith(`chrome-extension://${ext.extensionId}/`));
  if (!w) throw new Error('the extension service worker is not running');
  return w;
}

/** The banner is on screen and lists `tool` (its list may be collapsed to stay clear of controls). */
/** How long the last test watches for a request the extension might make late. */
const DEFERRED_WORK_WINDOW_MS = 2000;

async function waitForRealBanner(page: Page, tool: string): Promise<void> {
  const banner = page.locator(`${BANNER_HOST} [data-testid="mo-banner"]`).first();
  await banner.waitFor({ state: 'visible', timeout: 15_000 });
  await banner.locator(`[data-tool-id="${tool}"]`).first().waitFor({ state: 'attached', timeout: 15_000 });
}

beforeAll(async () => {
  sim = await startSimServer({ port: 0, pagesDir: FIXTURES });
  proxy = await startProxy(sim.port);
  workDir = await mkdtemp(path.join(tmpdir(), 'mo-privacy-e2e-'));
  profileDir = path.join(workDir, 'profile');
  // Lets Playwright report service-worker requests as context requests (Chromium only).
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
  ext = await launchWithExtension({
    userDataDir: profileDir,
    extensionDir: await snapshotBuild(workDir),
    extraArgs: [`--proxy-server=http://127.0.0.1:${proxy.port}`, '--proxy-bypass-list=<-loopback>'],
  });
  ext.context.on('request', (r) => {
    const from = r.serviceWorker()
      ? `service worker ${r.serviceWorker()?.url()}`
      : `frame ${r.frame().url()}`;
    contextRequests.push({ method: r.method(), url: r.url(), from });
  });
}, 90_000);

afterAll(async () => {
  await ext?.close();
  await proxy?.close();
  await sim?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('privacy in real Chromium: nothing stored, nothing sent', () => {
  /** Page-origin storage found after the visits (content scripts must not write there). */
  const pageOriginStorage: unknown[] = [];

  it('the proxy sees loopback traffic (control: a page-origin request is logged)', async () => {
    const page = await ext.context.newPage();
    await page.goto(`${sim.origin}/prompt.html`);
    await page.evaluate(() => fetch('/proxy-canary.txt').catch(() => undefined));
    await page.close();
    expect(proxy.log.map((r) => r.url)).toContain(`${sim.origin}/proxy-canary.txt`);
  });

  it('visits patient pages (top, same- and cross-origin frames, both loopback origins) and shows the banner', async () => {
    for (const origin of [sim.origin, sim.crossOrigin]) {
      const page = await ext.context.newPage();
      await page.goto(`${origin}${RECORD_PATH}`);
      await waitForRealBanner(page, 'scriptswitch');
      // An in-app route change with the NHS number in the new path.
      await page.evaluate(() => history.pushState({}, '', '/patient/9434765919/summary?dob=1961-03-14'));
      // The extension follows the route change; its banner stays for the prompt still shown.
      await holdsForFrames(page, 48, () => waitForRealBanner(page, 'scriptswitch'));
      // The clinician interacts with the banner: every button it offers, then waits.
      const buttons = page.locator(`${BANNER_HOST} [data-testid="mo-banner"] button`);
      const count = await buttons.count();
      for (let i = count - 1; i >= 0; i -= 1)
        await buttons
          .nth(i)
          .click({ timeout: 2000 })
          .catch(() => undefined);
      // Read at once: the extension's own page code would write the page's storage inside the click.
      pageOriginStorage.push(
        await page.evaluate(async () => ({
          origin: location.origin,
          localStorage: Object.keys(localStorage),
          sessionStorage: Object.keys(sessionStorage),
          cookie: document.cookie,
          indexedDB: (await indexedDB.databases()).map((d) => d.name),
          caches: await caches.keys().catch(() => []),
        })),
      );
      for (const frame of page.frames().slice(1)) {
        pageOriginStorage.push(
          await frame
            .evaluate(() => ({
              origin: location.origin,
              localStorage: Object.keys(localStorage),
              cookie: document.cookie,
            }))
            .catch((error: Error) => ({ frameError: error.message })),
        );
      }
      // Leave the page open: live tab state is what the session area holds.
    }
    // The popup and the options page read tab state and settings: exercise both.
    for (const view of ['popup.html', 'options.html']) {
      const page = await ext.context.newPage();
      await page.goto(`chrome-extension://${ext.extensionId}/${view}`);
      // Rendered from what it read: the popup's page state, the options page's save button.
      await page
        .locator(view === 'popup.html' ? '[data-page-state]' : '[data-testid="save-settings"]')
        .first()
        .waitFor({ timeout: 10_000 });
    }
  }, 90_000);

  it('no storage area of the extension holds an identifier, a URL path or page text', async () => {
    const worker = currentWorker();
    const fromWorker = await worker.evaluate(async () => {
      const areas: Record<string, unknown> = {};
      for (const area of ['local', 'sync', 'session', 'managed'] as const) {
        try {
          areas[area] = await chrome.storage[area].get(null);
        } catch (error) {
          areas[area] = `unavailable: ${String(error)}`;
        }
      }
      const idb: Record<string, unknown> = {};
      for (const info of await indexedDB.databases()) {
        if (!info.name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(info.name as string);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        for (const store of db.objectStoreNames) {
          idb[`${info.name}/${store}`] = await new Promise((resolve) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => resolve(`unreadable: ${String(request.error)}`);
          });
        }
        db.close();
      }
      const cacheEntries: Record<string, string[]> = {};
      for (const name of await caches.keys()) {
        cacheEntries[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
      }
      return { areas, idb, cacheEntries };
    });

    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const fromPage = await page.evaluate(async () => ({
      localStorage: Object.fromEntries(Object.entries(localStorage)),
      sessionStorage: Object.fromEntries(Object.entries(sessionStorage)),
      cookie: document.cookie,
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
    }));
    await page.close();

    const everything = JSON.stringify({ fromWorker, fromPage });
    if (process.env.MO_PRIVACY_DUMP) console.log(JSON.stringify({ fromWorker, fromPage }, null, 1));
    // The run did store something (settings, tab state): the search has material.
    expect(Object.keys((fromWorker.areas.session ?? {}) as object)).toContain('tabs');
    expect(everything).toContain('scriptswitch');
    expect(findIdentifiers(everything), everything.slice(0, 2000)).toEqual([]);
  });

  it("the page origins' own storage is untouched by the content scripts", () => {
    expect(pageOriginStorage.length).toBeGreaterThanOrEqual(2);
    for (const entry of pageOriginStorage) {
      const e = entry as Record<string, unknown>;
      if ('frameError' in e) continue;
      expect(e.localStorage, JSON.stringify(e)).toEqual([]);
      if ('sessionStorage' in e) expect(e.sessionStorage).toEqual([]);
      expect(e.cookie).toBe('');
      if ('indexedDB' in e) expect(e.indexedDB).toEqual([]);
      if ('caches' in e) expect(e.caches).toEqual([]);
    }
  });

  it("the extension's storage folders on disk hold no identifier (and the disk search finds a canary)", async () => {
    const id = ext.extensionId;
    const folders = [
      `Default/Local Extension Settings/${id}`,
      `Default/Sync Extension Settings/${id}`,
      `Default/Managed Extension Settings/${id}`,
      `Default/IndexedDB/chrome-extension_${id}_0.indexeddb.leveldb`,
      `Default/Storage/ext/${id}`,
    ].map((f) => path.join(profileDir, f));
    const readAll = async (): Promise<string> => {
      let text = '';
      for (const folder of folders) {
        if (!existsSync(folder)) continue;
        for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
          if (!entry.isFile()) continue;
          const bytes = await readFile(path.join(entry.parentPath, entry.name));
          // leveldb logs hold recent writes uncompressed: latin1 keeps every byte searchable.
          text += `\n${bytes.toString('latin1')}`;
        }
      }
      return text;
    };
    const before = await readAll();
    expect(before.length, 'the local storage folder exists and holds data').toBeGreaterThan(0);
    expect(findIdentifiers(before)).toEqual([]);

    // Control: a value the extension writes is findable on disk by this search.
    const canary = `privacy-canary-${Date.now()}`;
    await currentWorker().evaluate((c) => chrome.storage.local.set({ privacyCanary: c }), canary);
    const found = await vi
      .waitFor(
        async () => {
          if (!(await readAll()).includes(canary)) throw new Error('not on disk yet');
          return true;
        },
        { timeout: 5000, interval: 250 },
      )
      .catch(() => false);
    await currentWorker().evaluate(() => chrome.storage.local.remove('privacyCanary'));
    expect(found, 'canary written by the extension found on disk').toBe(true);
  });

  it('the service worker cannot fetch anything (CSP connect-src none), and the proxy never sees it try', async () => {
    const outcome = await currentWorker().evaluate(
      (url) =>
        fetch(url).then(
          () => 'fetched',
          (error: Error) => `blocked: ${error.message}`,
        ),
      `${sim.origin}/sw-canary.txt`,
    );
    expect(outcome).toMatch(/^blocked/);
    expect(proxy.log.map((r) => r.url).filter((u) => u.includes('sw-canary'))).toEqual([]);
  });

  it('the extension made no network request in any context: only the test’s own page loads went out', async () => {
    // A window, not a condition: deferred work (timers, retries) has no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, DEFERRED_WORK_WINDOW_MS));
    const allowedPaths = new Set([
      RECORD_PATH,
      FRAME_PATH,
      '/prompt.html',
      '/proxy-canary.txt',
      '/favicon.ico',
    ]);
    const origins = new Set([sim.origin, sim.crossOrigin]);
    const isPageLoad = (method: string, raw: string) => {
      try {
        const url = new URL(raw);
        return method === 'GET' && origins.has(url.origin) && allowedPaths.has(url.pathname);
      } catch {
        return false;
      }
    };
    const hostOf = (r: ProxyRequest) => {
      try {
        return r.method === 'CONNECT' ? (r.url.split(':')[0] ?? r.url) : new URL(r.url).hostname;
      } catch {
        return r.url;
      }
    };
    const loopback = (host: string) => host === '127.0.0.1' || host === 'localhost';

    // Per context: pages, frames, extension pages, the service worker.
    const extensionResource = `chrome-extension://${ext.extensionId}/`;
    const strayFromContexts = contextRequests.filter(
      (r) => !r.url.startsWith(extensionResource) && !isPageLoad(r.method, r.url),
    );
    expect(contextRequests.some((r) => r.url.endsWith(RECORD_PATH))).toBe(true);
    expect(strayFromContexts, JSON.stringify(contextRequests, null, 1)).toEqual([]);

    // On the wire, loopback: exactly the test's page loads.
    expect(proxy.log.length).toBeGreaterThan(4);
    const strayLoopback = proxy.log.filter((r) => loopback(hostOf(r)) && !isPageLoad(r.method, r.url));
    expect(strayLoopback, JSON.stringify(proxy.log, null, 1)).toEqual([]);

    // On the wire, elsewhere: only Chromium's own Google services, none asked for by a
    // context, and none named anywhere in the built extension's code.
    const googleService = (host: string) =>
      ['google.com', 'googleapis.com', 'gvt1.com', 'gstatic.com'].some(
        (d) => host === d || host.endsWith(`.${d}`),
      );
    const elsewhere = proxy.log.filter((r) => !loopback(hostOf(r)));
    expect(
      elsewhere.filter((r) => !googleService(hostOf(r))),
      JSON.stringify(elsewhere, null, 1),
    ).toEqual([]);
    const contextHosts = new Set(contextRequests.map((r) => hostOf({ method: r.method, url: r.url })));
    expect(elsewhere.filter((r) => contextHosts.has(hostOf(r)))).toEqual([]);
    const code = await readBuiltCode(ext.extensionDir);
    for (const host of new Set(elsewhere.map(hostOf)))
      expect(code, `extension code names ${host}`).not.toContain(host);
  });
});

/** Every text file of the built extension, concatenated (for "does its code name this host"). */
async function readBuiltCode(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.(js|mjs|html|json|css)$/.test(entry.name)) {
      text += await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    }
  }
  expect(text).toContain('mo-advisor-banner'); // it really read the extension
  return text;
}

/** Runs WXT's build API in a child process (own Vite instance, never the e2e env). */
async function buildProduction(
  outDir: string,
  browser: 'chrome' | 'firefox',
): Promise<Record<string, unknown>> {
  const script = `
    const { build } = await import('wxt');
    await build({ root: ${JSON.stringify(REPO_ROOT)}, browser: ${JSON.stringify(browser)},
      outDir: ${JSON.stringify(outDir)}, wxtDir: ${JSON.stringify(path.join(outDir, '.wxt'))} });`;
  const env = { ...process.env };
  delete env.WXT_E2E;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const folder = browser === 'chrome' ? 'chrome-mv3' : 'firefox-mv2';
  return JSON.parse(await readFile(path.join(outDir, folder, 'manifest.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function cspDirectives(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name = '', ...values] = d.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

describe('the production manifest asks only for what it uses (built into a temporary folder)', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'mo-prod-manifest-'));
  });
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('Chrome (MV3): storage, scripting, activeTab; optional hosts only; no host access; strict CSP', async () => {
    const m = await buildProduction(out, 'chrome');
    expect([...(m.permissions as string[])].sort()).toEqual(['activeTab', 'scripting', 'storage']);
    expect(m.host_permissions ?? []).toEqual([]);
    for (const host of (m.optional_host_permissions as string[] | undefined) ?? []) {
      expect(['https://*/*', 'http://*/*']).toContain(host);
    }
    expect(m.content_scripts ?? []).toEqual([]);
    expect(m).not.toHaveProperty('externally_connectable');
    expect(m).not.toHaveProperty('web_accessible_resources');
    expect(m).not.toHaveProperty('optional_permissions');
    expect(JSON.stringify(m)).not.toMatch(/127\.0\.0\.1|localhost|\.test\/|<all_urls>/);
    const csp = cspDirectives((m.content_security_policy as { extension_pages: string }).extension_pages);
    expect(csp.get('connect-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(JSON.stringify(m.content_security_policy)).not.toMatch(
      /unsafe-eval|unsafe-inline|wasm-unsafe-eval|https?:/,
    );
  }, 150_000);

  it('Firefox (MV2): the same permissions, optional hosts only, strict CSP, fixed gecko id', async () => {
    const m = await buildProduction(out, 'firefox');
    const perms = m.permissions as string[];
    expect(perms.filter((p) => !p.includes('://')).sort()).toEqual(['activeTab', 'scripting', 'storage']);
    expect(perms.filter((p) => p.includes('://') || p === '<all_urls>')).toEqual([]);
    for (const host of (m.optional_permissions as string[] | undefined) ?? []) {
      expect(['https://*/*', 'http://*/*']).toContain(host);
    }
    expect(m.content_scripts ?? []).toEqual([]);
    expect(m).not.toHaveProperty('externally_connectable');
    expect(JSON.stringify(m)).not.toMatch(/127\.0\.0\.1|localhost|\.test\/|<all_urls>/);
    const csp = cspDirectives(m.content_security_policy as string);
    expect(csp.get('connect-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(m.content_security_policy as string).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
  }, 150_000);
});
