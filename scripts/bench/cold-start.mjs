// @ts-check
/**
 * Issue 19's cold start: the first prompt after the browser starts, in a profile that has
 * run the extension before (its policy and settings were read once, so the remembered
 * policy applies), against a prompt once the browser has settled; and the options page's
 * time to show settings on a fresh start. Each launch is a new Chromium process on the
 * same profile; the profile and the extension's copy are removed at the end.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from '../../tests/e2e/browser.mjs';
import { BENCH_ARGS, VIEWPORT } from './browsers.mjs';
import { sleep } from './stats.mjs';

/** @typedef {import('playwright-core').BrowserContext} BrowserContext */

const isOurs = (/** @type {import('playwright-core').Worker} */ w) =>
  w.url().startsWith('chrome-extension://');

/** The extension's service worker, waiting for it to start. */
async function serviceWorkerOf(/** @type {BrowserContext} */ context) {
  return (
    context.serviceWorkers().find(isOurs) ??
    (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 30_000 }))
  );
}

/**
 * Waits for storage.managed to answer in the service worker (the read verdicts used to
 * wait for), at most `capMs`: a fresh Chromium on a loaded machine has taken minutes.
 * @returns {Promise<string>} 'ready', 'error' or 'timeout', with the ms it took
 */
async function policyAnswered(/** @type {BrowserContext} */ context, /** @type {number} */ capMs) {
  const worker = await serviceWorkerOf(context);
  const started = Date.now();
  const result = await worker.evaluate(
    (ms) =>
      Promise.race([
        /** @type {any} */ (globalThis).chrome.storage.managed.get().then(
          () => 'ready',
          () => 'error',
        ),
        new Promise((resolve) => setTimeout(() => resolve('timeout'), ms)),
      ]),
    capMs,
  );
  return `${result} after ${Date.now() - started} ms`;
}

/** Opens `url` in a new tab, inserts the ScriptSwitch prompt and returns ms to its banner (null: none). */
async function promptOnNewTab(
  /** @type {BrowserContext} */ context,
  /** @type {string} */ url,
  timeoutMs = 30_000,
) {
  const page = context.pages().find((p) => p.url() === 'about:blank') ?? (await context.newPage());
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    const r = await page.evaluate((t) => /** @type {any} */ (window).__bench.measureInsert(t), timeoutMs);
    return r ? /** @type {number} */ (r.frame) : null;
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Opens the options page and returns ms from its navigation to settings shown (no
 * "Loading settings…", no load error), read in the page at each animation frame.
 * @param {BrowserContext} context
 * @param {string} extensionId
 */
async function optionsShown(context, extensionId) {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`, { timeout: 60_000 });
    const handle = await page.waitForFunction(
      () => {
        const text = document.body?.textContent ?? '';
        if (text.includes('Settings could not be loaded')) return -1;
        const ready = !text.includes('Loading settings') && document.querySelector('main h1') !== null;
        return ready ? performance.now() : 0;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const ms = /** @type {number} */ (await handle.jsonValue());
    return ms < 0 ? null : ms;
  } catch {
    return null; // not shown within a minute
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * @param {{ extensionDir: string, url: string, launches: number, log: (message: string) => void }} options
 *   url: a quiet page of the bench server (the prompt is inserted into it)
 */
export async function coldStart({ extensionDir, url, launches, log }) {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-cold-profile-'));
  const ext = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-cold-extension-'));
  await cp(extensionDir, ext, { recursive: true });
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      headless: true,
      viewport: VIEWPORT,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...BENCH_ARGS],
    });
  /** @type {{ coldMs: number | null, warmMs: number | null, launchMs: number, policy: string }[]} */
  const prompts = [];
  /** @type {(number | null)[]} */
  const options = [];
  let extensionId = '';
  try {
    // Once, as a practice's browser has: policy read and remembered, settings seen, a banner shown.
    {
      const context = await launch();
      try {
        extensionId = new URL((await serviceWorkerOf(context)).url()).host;
        log(`cold start: priming the profile, storage.managed ${await policyAnswered(context, 180_000)}`);
        await promptOnNewTab(context, url);
        await optionsShown(context, extensionId);
        await sleep(1000); // the remembered policy is written in the background
      } finally {
        await context.close();
      }
    }
    for (let i = 0; i < launches; i++) {
      const started = Date.now();
      let context = await launch();
      try {
        const launchMs = Date.now() - started;
        // The first prompt after the start, on the first page opened.
        const coldMs = await promptOnNewTab(context, url);
        // Settled: storage.managed has answered (or 30 s have passed), the worker is warm.
        const policy = await policyAnswered(context, 30_000);
        await sleep(500);
        // A later prompt on a new page of the same browser: the same work but the start-up's.
        const warmMs = await promptOnNewTab(context, url, 10_000);
        prompts.push({ coldMs, warmMs, launchMs, policy });
        log(
          `cold start ${i + 1}/${launches}: first prompt ${coldMs} ms, later ${warmMs} ms; storage.managed ${policy}`,
        );
      } finally {
        await context.close();
      }
      // The options page, opened first thing after another fresh start.
      context = await launch();
      try {
        const shown = await optionsShown(context, extensionId);
        options.push(shown);
        log(`cold start ${i + 1}/${launches}: options page showed settings after ${shown} ms`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await rm(profile, { recursive: true, force: true }).catch(() => {});
    await rm(ext, { recursive: true, force: true }).catch(() => {});
  }
  return { prompts, options };
}
