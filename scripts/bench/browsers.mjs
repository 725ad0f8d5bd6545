// @ts-check
/**
 * The two browsers of the A/B: identical Chromium, flags and kind of profile, one with
 * the extension loaded and one without. Each gets a fresh user-data dir under /tmp.
 * The extension is loaded from a private copy of the build, so a rebuild elsewhere
 * during a run cannot change it under the browser.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BASE_CHROMIUM_ARGS, findChromium } from '../../tests/e2e/browser.mjs';

/** Same for both browsers: keep timers and frames running for pages the bench opens. */
export const BENCH_ARGS = [
  ...BASE_CHROMIUM_ARGS,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * @typedef {{
 *   context: import('playwright-core').BrowserContext,
 *   version: string,
 *   close: () => Promise<void>,
 * }} BenchBrowser
 * @typedef {BenchBrowser & {
 *   extensionId: string,
 *   serviceWorker: () => import('playwright-core').Worker | undefined,
 *   workerStarts: () => number,
 *   policyRead: { result: string, ms: number },
 * }} ExtensionBrowser
 */

async function profileDir(/** @type {string} */ name) {
  return mkdtemp(path.join(os.tmpdir(), `mo-bench-${name}-`));
}

/** @returns {Promise<BenchBrowser>} */
export async function launchPlainBrowser() {
  const dir = await profileDir('plain');
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    headless: true,
    viewport: VIEWPORT,
    args: BENCH_ARGS,
  });
  return {
    context,
    version: context.browser()?.version() ?? '',
    close: async () => {
      await context.close().catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    },
  };
}

/**
 * @param {string} builtExtensionDir .output/chrome-mv3 (copied before loading)
 * @returns {Promise<ExtensionBrowser>}
 */
export async function launchExtensionBrowser(builtExtensionDir) {
  const dir = await profileDir('ext');
  const ext = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-extension-'));
  await cp(builtExtensionDir, ext, { recursive: true });
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    headless: true,
    viewport: VIEWPORT,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...BENCH_ARGS],
  });
  const close = async () => {
    await context.close().catch(() => {});
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    await rm(ext, { recursive: true, force: true }).catch(() => {});
  };
  const isOurs = (/** @type {import('playwright-core').Worker} */ w) =>
    w.url().startsWith('chrome-extension://');
  let starts = 0;
  context.on('serviceworker', (w) => {
    if (isOurs(w)) starts++;
  });
  try {
    const first =
      context.serviceWorkers().find(isOurs) ??
      (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 20_000 }));
    // The background reads the policy (storage.managed) before any verdict; in a fresh
    // browser that read can take seconds (a minute when the machine is busy). Wait for
    // it here, once, so it is not counted as detection latency; report how long it took.
    const policyStart = Date.now();
    const policy = await first
      .evaluate(
        (ms) =>
          Promise.race([
            /** @type {any} */ (globalThis).chrome.storage.managed.get().then(
              () => 'ready',
              () => 'error',
            ),
            new Promise((resolve) => setTimeout(() => resolve('timeout'), ms)),
          ]),
        90_000,
      )
      .catch(() => 'error');
    const policyReadyMs = Date.now() - policyStart;
    return {
      context,
      version: context.browser()?.version() ?? '',
      extensionId: new URL(first.url()).host,
      policyRead: { result: String(policy), ms: policyReadyMs },
      serviceWorker: () => context.serviceWorkers().find(isOurs),
      workerStarts: () => starts,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
