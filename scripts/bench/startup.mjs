// @ts-check
/**
 * Start-up suites (issues 19 and 20): what the extension costs a page while it loads
 * (a static 10k page, a page of 30 same-origin frames), how soon a prompt present at
 * load is bannered, and what a window title that keeps changing costs. Each returns
 * plain data; scripts/bench/startup-report.mjs aggregates and checks the budgets.
 */
import { getMetrics, heapAfterGc, mainThreadShare, startCallTrace } from './cdp.mjs';
import { sleep } from './stats.mjs';
import { classifyByScript } from './suites.mjs';
import { extensionCost, startScriptTrace } from './trace.mjs';

/**
 * @typedef {import('./browsers.mjs').BenchBrowser} BenchBrowser
 * @typedef {import('./browsers.mjs').ExtensionBrowser} ExtensionBrowser
 */

/** Navigation timing of the page's main document, ms from its time origin. */
function navigationTiming() {
  const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
  return {
    responseEnd: nav.responseEnd,
    domContentLoadedStart: nav.domContentLoadedEventStart,
    domContentLoadedEnd: nav.domContentLoadedEventEnd,
    loadStart: nav.loadEventStart,
  };
}

/**
 * One load of a static page in a fresh tab (after a same-origin blank page, so the
 * renderer exists): the load event's delay after DOMContentLoaded, and, when `trace`
 * is set, the extension's script events during the load and the 500 ms after it.
 * The delay is measured on untraced loads (tracing slows what it records).
 * @param {{ browser: BenchBrowser, url: string, origin: string, trace: boolean }} options
 */
export async function loadRun({ browser, url, origin, trace }) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await page.goto(`${origin}/bench/blank.html`);
    const tracing = trace ? await startScriptTrace(cdp) : undefined;
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    await sleep(trace ? 500 : 100);
    const timing = await page.evaluate(navigationTiming);
    const events = tracing ? await tracing.stop() : [];
    return {
      timing,
      // From the start of DOMContentLoaded: a listener of it (the detector starts there) delays the load event too.
      loadAfterDclMs: timing.loadStart - timing.domContentLoadedStart,
      extension: trace ? extensionCost(events) : undefined,
      pageScriptMs: events.filter((e) => e.url.includes('/bench/page.html')).reduce((s, e) => s + e.tdur, 0),
    };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * A page served with a ScriptSwitch dialog in its markup, in a fresh tab: ms to its
 * banner painted from the dialog's first paint (the end of the first frame the page
 * renders after parsing it: no one can see it before), from the dialog being parsed and
 * from DOMContentLoaded.
 * @param {{ ext: ExtensionBrowser, url: string, origin: string }} options
 */
export async function promptAtLoadRun({ ext, url, origin }) {
  const page = await ext.context.newPage();
  try {
    await page.goto(`${origin}/bench/blank.html`);
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    const r = await page.evaluate(() => /** @type {any} */ (window).__bench.loadBanner());
    return {
      fromPaintMs: r.shown === null || r.promptPaintedAt === null ? null : r.shown - r.promptPaintedAt,
      fromParsedMs: r.shown === null ? null : r.shown - r.parsedAt,
      fromDclMs: r.shown === null ? null : r.shown - r.domContentLoaded,
    };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * A page of same-origin frames, in a fresh tab: time to the load event (every frame
 * loaded), main-thread CPU from navigation to 500 ms after load, the extension's script
 * events (one detector evaluation per frame it ran in), and the JS heap after a GC.
 * @param {{ browser: BenchBrowser, url: string, origin: string }} options
 */
export async function framesRun({ browser, url, origin }) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${origin}/bench/blank.html`);
    const m0 = await getMetrics(cdp);
    const tracing = await startScriptTrace(cdp);
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    await sleep(500);
    const m1 = await getMetrics(cdp);
    const timing = await page.evaluate(navigationTiming);
    const events = await tracing.stop();
    const frames = page.frames().length - 1;
    const heapBytes = await heapAfterGc(cdp);
    const share = mainThreadShare(m0, m1);
    return {
      frames,
      loadMs: timing.loadStart,
      threadMs: (share.threadPct * share.windowMs) / 100,
      extension: extensionCost(events),
      heapBytes,
    };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * A static page whose window title changes every `titleMs`: main-thread CPU over the
 * window (CDP ThreadTime) and each script's traced CPU (the page's own and each of the
 * extension's), with the extension or without.
 * @param {{ browser: BenchBrowser, url: string, titleMs: number, windowMs: number, settleMs: number }} options
 */
export async function titleStormRun({ browser, url, titleMs, windowMs, settleMs }) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
    await sleep(settleMs);
    await page.evaluate((ms) => /** @type {any} */ (window).__bench.startTitle(ms), titleMs);
    await sleep(Math.min(settleMs, 1000));
    const trace = await startCallTrace(cdp);
    const m0 = await getMetrics(cdp);
    await sleep(windowMs);
    const m1 = await getMetrics(cdp);
    const traced = await trace.stop(classifyByScript);
    const titleChanges = await page.evaluate(() => /** @type {any} */ (window).__bench.stopTitle());
    const share = mainThreadShare(m0, m1);
    /** @type {Record<string, number>} */
    const extensionMsByScript = {};
    let extensionMs = 0;
    for (const [k, ms] of Object.entries(traced.cpuMs)) {
      if (!k.startsWith('ext:')) continue;
      extensionMsByScript[k.slice(4)] = ms;
      extensionMs += ms;
    }
    return {
      windowMs: share.windowMs,
      threadMs: (share.threadPct * share.windowMs) / 100,
      pageScriptMs: traced.cpuMs.page ?? 0,
      extensionMs,
      extensionMsByScript,
      extensionCalls: Object.entries(traced.calls)
        .filter(([k]) => k.startsWith('ext:'))
        .reduce((n, [, c]) => n + c, 0),
      titleChanges,
    };
  } finally {
    await page.close().catch(() => {});
  }
}
