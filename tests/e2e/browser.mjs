// @ts-check
/**
 * Browser plumbing shared by the e2e tests (tests/e2e/harness.ts re-exports it with
 * types) and by plain-Node scripts (scripts/start.mjs, the benchmark). Plain ESM so
 * Node can run it without a TypeScript loader; types in browser.d.mts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/** Flags this machine needs (connections are refused without the networking ones; root needs --no-sandbox). */
export const BASE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

/** The Chromium binary: $CHROMIUM_PATH first, then Debian's. Throws when none exists, never skips. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, ...CHROMIUM_CANDIDATES].filter(
    /** @returns {p is string} */ (p) => typeof p === 'string' && p.length > 0,
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'Chromium not found. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)',
    );
  }
  return found;
}

/** Throws a clear error when the extension has not been built. */
export function assertExtensionBuilt(extensionDir = '.output/chrome-mv3') {
  const dir = path.resolve(REPO_ROOT, extensionDir);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No extension build at ${dir} (manifest.json missing): run npm run build:e2e first`);
  }
  return dir;
}

/**
 * Launches Chromium with the unpacked extension loaded, in a fresh profile.
 * @param {import('./browser.d.mts').LaunchOptions} [options]
 * @returns {Promise<import('./browser.d.mts').ExtensionBrowser>}
 */
export async function launchWithExtension(options = {}) {
  const {
    extensionDir = '.output/chrome-mv3',
    userDataDir,
    headless = true,
    extraArgs = [],
    viewport = { width: 1280, height: 800 },
    serviceWorkerTimeout = 20_000,
    handleSignals = true,
    backForwardCache = false,
  } = options;
  const ext = assertExtensionBuilt(extensionDir);
  const executablePath = findChromium();
  let profile = userDataDir;
  let ownProfile = false;
  if (!profile) {
    // Unique to this launch and removed on close, so parallel runs never share a profile.
    profile = await mkdtemp(path.join(tmpdir(), 'mo-e2e-profile-'));
    ownProfile = true;
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless,
    viewport,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
    // Playwright adds --disable-extensions by default; the extension must load.
    // and it turns the back/forward cache off unless asked to keep it (lifecycle tests).
    ignoreDefaultArgs: [
      '--disable-extensions',
      ...(backForwardCache ? ['--disable-back-forward-cache'] : []),
    ],
    args: [
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      ...BASE_CHROMIUM_ARGS,
      ...extraArgs,
    ],
  });
  const cleanup = async () => {
    await context.close().catch(() => {});
    if (ownProfile && profile) await rm(profile, { recursive: true, force: true }).catch(() => {});
  };
  try {
    const isExtensionWorker = (/** @type {import('playwright-core').Worker} */ w) =>
      w.url().startsWith('chrome-extension://');
    const serviceWorker =
      context.serviceWorkers().find(isExtensionWorker) ??
      (await context.waitForEvent('serviceworker', {
        predicate: isExtensionWorker,
        timeout: serviceWorkerTimeout,
      }));
    const extensionId = new URL(serviceWorker.url()).host;
    return { context, extensionId, serviceWorker, extensionDir: ext, userDataDir: profile, close: cleanup };
  } catch (error) {
    await cleanup();
    throw new Error(
      `The extension's service worker did not start within ${serviceWorkerTimeout} ms (${ext}): ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
    );
  }
}

/** Launches Chromium WITHOUT the extension (for checking the sim pages themselves). */
export async function launchPlain({ headless = true, viewport = { width: 1280, height: 800 } } = {}) {
  return chromium
    .launch({ executablePath: findChromium(), headless, args: BASE_CHROMIUM_ARGS })
    .then(async (browser) => {
      const context = await browser.newContext({ viewport });
      return { browser, context, close: () => browser.close() };
    });
}

export const BANNER_HOST = 'mo-advisor-banner';
/** The banner element, inside the host's open shadow root (Playwright CSS pierces open shadow roots). */
export const BANNER_SELECTOR = `${BANNER_HOST} [data-testid="mo-banner"]`;

/**
 * Reads the banner in the page's top document.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<import('./browser.d.mts').BannerState>}
 */
export async function bannerState(page) {
  const banner = page.mainFrame().locator(BANNER_SELECTOR).first();
  const count = await page.mainFrame().locator(BANNER_SELECTOR).count();
  if (count === 0 || !(await banner.isVisible().catch(() => false))) return { present: false, tools: [] };
  const raw = await banner.locator('[data-tool-id][data-verdict]').evaluateAll((els) =>
    els.map((el) => ({
      toolId: el.getAttribute('data-tool-id') ?? '',
      verdict: el.getAttribute('data-verdict') ?? '',
    })),
  );
  const seen = new Set();
  const tools = raw.filter((t) => {
    const key = `${t.toolId}\u0000${t.verdict}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { present: true, tools };
}

/** "scriptswitch:flagged, optimiserx:flagged", sorted — for comparisons and messages. */
export function describeTools(/** @type {{toolId: string, verdict: string}[]} */ tools) {
  return tools
    .map((t) => `${t.toolId}:${t.verdict}`)
    .sort()
    .join(', ');
}

/**
 * Waits until the banner is visible (and, with `tools`, lists exactly those tools as flagged).
 * @param {import('playwright-core').Page} page
 * @param {{ timeout?: number, tools?: string[] }} [options]
 */
export async function waitForBanner(page, { timeout = 10_000, tools } = {}) {
  const deadline = Date.now() + timeout;
  const wanted = tools ? describeTools(tools.map((toolId) => ({ toolId, verdict: 'flagged' }))) : undefined;
  /** @type {import('./browser.d.mts').BannerState} */
  let state = { present: false, tools: [] };
  while (Date.now() < deadline) {
    state = await bannerState(page);
    if (state.present && (wanted === undefined || describeTools(state.tools) === wanted)) return state;
    await page.waitForTimeout(100);
  }
  const shown = state.present ? `banner showed [${describeTools(state.tools)}]` : 'no banner appeared';
  throw new Error(
    `waitForBanner: ${shown} within ${timeout} ms${wanted !== undefined ? `; expected [${wanted}]` : ''} (${page.url()})`,
  );
}

/**
 * Watches the page for `ms` and throws if a banner is visible at any moment.
 * @param {import('playwright-core').Page} page
 * @param {number} [ms]
 */
export async function expectNoBannerFor(page, ms = 1500) {
  const deadline = Date.now() + ms;
  do {
    const state = await bannerState(page);
    if (state.present) {
      throw new Error(`expected no banner, but it showed [${describeTools(state.tools)}] (${page.url()})`);
    }
    await page.waitForTimeout(100);
  } while (Date.now() < deadline);
}

/**
 * Collects console errors and uncaught page errors into a live array.
 * @param {import('playwright-core').Page} page
 * @returns {string[]}
 */
export function collectConsoleErrors(page) {
  /** @type {string[]} */
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error')
      errors.push(`console.error: ${msg.text()} (${msg.location().url || page.url()})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Interactive controls of the page that a banner must never cover. */
export const PAGE_CONTROL_SELECTOR =
  'button, input:not([type="hidden"]), select, textarea, a[href], [role="button"], [role="tab"], [role="link"]';

/**
 * The banner's bounding box in the top document's viewport, or null when no banner is visible.
 * @param {import('playwright-core').Page} page
 */
export async function bannerBox(page) {
  const banner = page.mainFrame().locator(BANNER_SELECTOR).first();
  if (!(await banner.isVisible().catch(() => false))) return null;
  return banner.boundingBox();
}

/**
 * Visible page elements (top document, light DOM) whose boxes intersect the banner's:
 * the page's own controls by default, plus any extra selectors (e.g. a page's promptSelector).
 * Empty when there is no banner.
 * @param {import('playwright-core').Page} page
 * @param {{ selectors?: string[], includeControls?: boolean }} [options]
 * @returns {Promise<import('./browser.d.mts').CoveredElement[]>}
 */
export async function elementsCoveredByBanner(page, { selectors = [], includeControls = true } = {}) {
  const box = await bannerBox(page);
  if (!box) return [];
  const all = [...(includeControls ? [PAGE_CONTROL_SELECTOR] : []), ...selectors].join(', ');
  if (!all) return [];
  return page.mainFrame().evaluate(
    ({ selector, box, host }) => {
      const out = [];
      for (const el of document.querySelectorAll(selector)) {
        if (el.closest(host)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const overlaps =
          r.left < box.x + box.width && r.right > box.x && r.top < box.y + box.height && r.bottom > box.y;
        if (!overlaps) continue;
        const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 40);
        out.push({
          tag: el.localName,
          id: el.id || undefined,
          name,
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
        });
      }
      return out;
    },
    { selector: all, box, host: BANNER_HOST },
  );
}
