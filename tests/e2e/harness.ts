/**
 * Shared helpers for the e2e tests (vitest, node environment, vitest.e2e.config.ts).
 *
 * The browser plumbing lives in browser.mjs (plain ESM, so scripts/start.mjs and the
 * benchmark can use it from Node 20 without a TypeScript loader); this module
 * re-exports it with types and adds the sim server and the page manifest.
 */
import type { Page } from 'playwright-core';
import { type SimPage, simPages } from '../../sim/pages';
import { type SimServer, startSimServer } from '../../sim/server.mjs';

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
