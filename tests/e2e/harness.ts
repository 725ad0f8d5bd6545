/**
 * Shared helpers for the e2e tests (vitest, node environment, vitest.e2e.config.ts).
 *
 * The browser plumbing lives in browser.mjs (plain ESM, so scripts/start.mjs and the
 * benchmark can use it from plain Node without a TypeScript loader); this module
 * re-exports it with types and adds the sim server, the page manifest and the per-file
 * browser setup (setUpExtensionBrowser).
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, vi } from 'vitest';
import { type SimPage, simPages } from '../../sim/pages';
import { type SimServer, startSimServer } from '../../sim/server.mjs';
import { type ExtensionBrowser, type LaunchOptions, launchWithExtension, REPO_ROOT } from './browser.mjs';

export {
  BANNER_HOST,
  BANNER_SELECTOR,
  type BannerState,
  type BannerTool,
  type Box,
  bannerBox,
  bannerState,
  type CoveredElement,
  collectConsoleErrors,
  describeTools,
  type ExtensionBrowser,
  elementsCoveredByBanner,
  expectNoBannerFor,
  findChromium,
  type LaunchOptions,
  launchPlain,
  launchWithExtension,
  PAGE_CONTROL_SELECTOR,
  REPO_ROOT,
  waitForBanner,
} from './browser.mjs';
export type { SimPage, SimServer };
export { simPages, startSimServer };

/** The page manifest entry for `path`; throws on an unknown path (typo-proof tests). */
export function simPage(path: string): SimPage {
  const page = simPages.find((p) => p.path === path);
  if (!page) throw new Error(`sim/pages.ts has no page "${path}"`);
  return page;
}

/**
 * Opens a sim page and waits for its final state (readySelector), without waiting
 * for the detector: callers decide how long to watch.
 */
export async function openSimPage(
  page: Page,
  sim: SimServer,
  entry: SimPage,
  origin = sim.origin,
): Promise<void> {
  await page.goto(new URL(entry.path, `${origin}/`).href, { waitUntil: 'load' });
  if (entry.readySelector)
    await page.locator(entry.readySelector).first().waitFor({ state: 'attached', timeout: 10_000 });
}

export interface ExtensionBrowserOptions {
  /** Start the sim server (default true); suites that only open extension pages need none. */
  serveSim?: boolean;
  /** The folder the sim serves (default sim/pages/). */
  simPagesDir?: string;
  /**
   * Launch with a private profile: a new folder in the OS temp dir named with this prefix,
   * removed after the file's tests. Without it, launchWithExtension's default profile.
   */
  profilePrefix?: string;
  /** Further launchWithExtension options, e.g. extensionDir. */
  launch?: Omit<LaunchOptions, 'userDataDir'>;
}

/** A test file's browser and sim server; read them only in tests and hooks, once set up. */
export interface ExtensionBrowserSuite {
  readonly browser: ExtensionBrowser;
  readonly sim: SimServer;
}

/**
 * One Chromium with the built extension (and the sim server) for a whole test file:
 * registers the beforeAll that starts them and the afterAll that closes them. Call it
 * at the top level of the file.
 */
export function setUpExtensionBrowser(options: ExtensionBrowserOptions = {}): ExtensionBrowserSuite {
  const { serveSim = true, simPagesDir, profilePrefix, launch } = options;
  let browser: ExtensionBrowser | undefined;
  let sim: SimServer | undefined;
  let profileDir: string | undefined;

  beforeAll(async () => {
    if (serveSim) sim = await startSimServer({ port: 0, pagesDir: simPagesDir });
    if (profilePrefix) profileDir = await mkdtemp(path.join(tmpdir(), profilePrefix));
    browser = await launchWithExtension({ ...launch, userDataDir: profileDir });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  // Getters: the values exist only once beforeAll has run.
  const notReady = (what: string) =>
    new Error(`${what} is not set up yet: read it in tests and hooks (setUpExtensionBrowser)`);
  return {
    get browser() {
      if (!browser) throw notReady('the browser');
      return browser;
    },
    get sim() {
      if (!serveSim) throw new Error('setUpExtensionBrowser: this file serves no sim (serveSim: false)');
      if (!sim) throw notReady('the sim server');
      return sim;
    },
  };
}

/**
 * A private copy of the e2e build in `into`/extension: other suites may rebuild
 * .output/chrome-mv3 while a suite runs, and an extension reload must read a complete
 * build from disk. Waits (up to 20 s) for a complete build to copy.
 */
export async function snapshotBuild(into: string): Promise<string> {
  const source = path.join(REPO_ROOT, '.output/chrome-mv3');
  const needed = [
    'manifest.json',
    'background.js',
    'content-scripts/detector.js',
    'content-scripts/banner.js',
  ];
  const target = path.join(into, 'extension');
  const complete = (dir: string) => needed.every((f) => existsSync(path.join(dir, f)));
  try {
    await vi.waitFor(
      async () => {
        if (!complete(source)) throw new Error('no complete build yet');
        await cp(source, target, { recursive: true });
        if (complete(target)) return;
        await rm(target, { recursive: true, force: true });
        throw new Error('the build changed while it was copied');
      },
      { timeout: 20_000, interval: 1000 },
    );
    return target;
  } catch {
    throw new Error(`no complete e2e build at ${source}: run npm run build:e2e`);
  }
}

/**
 * Reloads the extension the way chrome://extensions' Reload button (and an update of an
 * unpacked extension) does, and returns the new copy's service worker. Developer mode
 * must be on first: without it this Chromium disables a reloaded unpacked extension
 * ("unsupportedDeveloperExtension"), which is also why chrome.runtime.reload() cannot
 * stand in for an update.
 */
export async function reloadExtension(ext: ExtensionBrowser): Promise<Worker> {
  const isNew = (w: Worker) =>
    w.url().startsWith(`chrome-extension://${ext.extensionId}/`) && w !== ext.serviceWorker;
  const nextWorker = (timeout: number) =>
    ext.context.waitForEvent('serviceworker', { predicate: isNew, timeout }).catch(() => undefined);
  // Listening before the reload: the new worker may start before reload() returns.
  const started = nextWorker(10_000);
  const devPage = await ext.context.newPage();
  try {
    await devPage.goto('chrome://extensions');
    const outcome = await devPage.evaluate(async (id) => {
      type Dev = {
        updateProfileConfiguration(c: { inDeveloperMode: boolean }): Promise<void>;
        reload(id: string, o: object): Promise<unknown>;
      };
      const dev = (globalThis as { chrome?: { developerPrivate?: Dev } }).chrome?.developerPrivate;
      if (!dev) return 'chrome.developerPrivate unavailable';
      await dev.updateProfileConfiguration({ inDeveloperMode: true });
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timed out'), 15_000));
      const result = await Promise.race([
        dev.reload(id, { failQuietly: true, populateErrorForUnpacked: true }),
        timeout,
      ]);
      return result === undefined ? 'reloaded' : `reload failed: ${JSON.stringify(result)}`;
    }, ext.extensionId);
    if (outcome !== 'reloaded') throw new Error(`reloading the extension: ${outcome}`);
    // The new worker starts on its install event, or (MV3) only when first needed: an
    // extension page's message wakes it.
    let worker = (await started) ?? ext.context.serviceWorkers().find(isNew);
    if (!worker) {
      const woken = nextWorker(10_000);
      await devPage.goto(`chrome-extension://${ext.extensionId}/popup.html`);
      worker = (await woken) ?? ext.context.serviceWorkers().find(isNew);
    }
    if (!worker) throw new Error('the reloaded extension never started its service worker');
    return worker;
  } finally {
    await devPage.close();
  }
}

/** Resolves when the page has rendered its next frame (headless pages all render). */
export function nextFrame(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
}

/**
 * Checks `invariant` at every frame the page renders until `frames` have passed: what
 * must keep holding after the page did something, counted in the page's own frames.
 */
export async function holdsForFrames(
  page: Page,
  frames: number,
  invariant: () => Promise<void>,
): Promise<void> {
  for (let frame = 0; frame < frames; frame += 1) {
    await invariant();
    await nextFrame(page);
  }
  await invariant();
}

/**
 * Checks `invariant` at every frame until the page's own count of its attempts (`tries`)
 * has grown by `times`: what must hold against a hostile page is checked for as many
 * tries as it makes, and fails at the first moment it does not hold.
 */
export async function holdsWhilePageTries(
  page: Page,
  tries: () => Promise<number>,
  times: number,
  invariant: () => Promise<void>,
  timeout = 20_000,
): Promise<void> {
  const first = await tries();
  const deadline = Date.now() + timeout;
  for (;;) {
    await invariant();
    if ((await tries()) - first >= times) return;
    if (Date.now() > deadline) throw new Error(`the page tried fewer than ${times} times in ${timeout} ms`);
    await nextFrame(page);
  }
}
