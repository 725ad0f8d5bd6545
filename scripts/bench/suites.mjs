// @ts-check
/**
 * The benchmark's measurements. Each returns plain data; scripts/bench.mjs runs them
 * in alternation, aggregates medians, prints the tables and checks the budgets.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  detectorFirstScanDone,
  getMetrics,
  heapAfterGc,
  mainThreadShare,
  startCallTrace,
  startProfile,
  stopProfile,
} from './cdp.mjs';
import { sleep } from './stats.mjs';

/**
 * @typedef {import('./browsers.mjs').BenchBrowser} BenchBrowser
 * @typedef {import('./browsers.mjs').ExtensionBrowser} ExtensionBrowser
 * @typedef {'plain' | 'ours' | 'naive'} Variant
 */

/** @param {string} url */
function classifyUrl(url) {
  if (url.startsWith('chrome-extension://')) return 'extension';
  if (url.includes('/bench/engine.js') || url.includes('/bench/naive.js')) return 'naive';
  if (url.includes('/bench/page.html')) return 'page';
  return 'other';
}

/**
 * Each of the extension's scripts on its own: `ext:detector.js`, `ext:banner.js`…
 * (the whole extension is their sum), then the page's own and the rest.
 * @param {string} url
 */
export function classifyByScript(url) {
  if (url.startsWith('chrome-extension://')) return `ext:${url.split('/').pop() || '?'}`;
  return classifyUrl(url);
}

/**
 * Resets (and on first use installs) a counter of runtime messages in the extension's
 * service worker; returns the counts since the previous call, by message type, or null
 * when no worker is running.
 * @param {ExtensionBrowser} ext
 * @returns {Promise<Record<string, number> | null>}
 */
async function takeWorkerMessages(ext) {
  const worker = ext.serviceWorker();
  if (!worker) return null;
  try {
    return await worker.evaluate(() => {
      const g = /** @type {any} */ (globalThis);
      if (!g.__benchMessages) {
        g.__benchMessages = {};
        g.chrome.runtime.onMessage.addListener((/** @type {any} */ message) => {
          const type = typeof message?.type === 'string' ? message.type : '?';
          g.__benchMessages[type] = (g.__benchMessages[type] ?? 0) + 1;
          return undefined;
        });
      }
      const counts = g.__benchMessages;
      g.__benchMessages = {};
      return counts;
    });
  } catch {
    return null;
  }
}

/**
 * One overhead run: open the page (profiling its start), start its mutator, let it
 * settle, then read main-thread metrics and a trace of script calls over a fixed window.
 * @param {{
 *   browser: BenchBrowser | ExtensionBrowser, variant: Variant, url: string, origin: string,
 *   rate: number, windowMs: number, settleMs: number, profileIntervalUs: number,
 * }} options
 */
export async function overheadRun({
  browser,
  variant,
  url,
  origin,
  rate,
  windowMs,
  settleMs,
  profileIntervalUs,
}) {
  const ext = variant === 'ours' ? /** @type {ExtensionBrowser} */ (browser) : undefined;
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // Same-origin blank page first: same renderer, so the profiler sees the detector start.
    await page.goto(`${origin}/bench/blank.html`);
    if (ext) await takeWorkerMessages(ext);
    if (profileIntervalUs > 0) await startProfile(cdp, profileIntervalUs);
    const s0 = await getMetrics(cdp);
    const loadStart = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    const loadMs = Date.now() - loadStart;
    if (variant === 'naive') {
      await page.addScriptTag({ url: `${origin}/bench/engine.js` });
      await page.addScriptTag({ url: `${origin}/bench/naive.js` });
    }
    await sleep(500);
    const s1 = await getMetrics(cdp);
    const startupProfile = profileIntervalUs > 0 ? await stopProfile(cdp, classifyUrl) : {};
    await page.evaluate((r) => /** @type {any} */ (window).__bench.startMutator(r), rate);
    await sleep(settleMs);
    const loadMessages = ext ? await takeWorkerMessages(ext) : null;
    const startsBefore = ext ? ext.workerStarts() : 0;
    const before = await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      return { changes: w.__bench.changes(), naive: w.__naive ? { ...w.__naive } : null };
    });
    // The window is traced, not profiled: a sampled profile reads about twice the CPU
    // of short callbacks like the detector's (docs/performance.md), and slows what it samples.
    const trace = await startCallTrace(cdp);
    const m0 = await getMetrics(cdp);
    await sleep(windowMs);
    const m1 = await getMetrics(cdp);
    const traced = await trace.stop(classifyUrl);
    const after = await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.__bench.stopMutator();
      return {
        changes: w.__bench.changes(),
        naive: w.__naive ? { ...w.__naive } : null,
        elements: w.__bench.elementCount(),
      };
    });
    const windowMessages = ext ? await takeWorkerMessages(ext) : null;
    const heapBytes = await heapAfterGc(cdp);
    const share = mainThreadShare(m0, m1);
    const mine = (/** @type {Record<string, number>} */ p) =>
      variant === 'ours' ? (p.extension ?? 0) : variant === 'naive' ? (p.naive ?? 0) : 0;
    const startupShare = mainThreadShare(s0, s1);
    const startupBusyMs = Object.entries(startupProfile).reduce(
      (sum, [k, v]) => (k === 'idle' ? sum : sum + v),
      0,
    );
    return {
      variant,
      loadMs,
      elements: after.elements,
      changesPerSecond: ((after.changes - before.changes) * 1000) / share.windowMs,
      ...share,
      /**
       * Main-thread CPU in the detector's own calls (and the DOM calls they make), % of the
       * window: the traced CPU time (tdur) of its callbacks. The budget's figure.
       */
      tracedPct: (100 * mine(traced.cpuMs)) / share.windowMs,
      /** How many of its calls (MutationObserver and timer callbacks) the window saw. */
      tracedCalls: mine(traced.calls),
      /**
       * The detector starting on the page (load + 500 ms: script evaluation, catalogue,
       * first scan, first messages): main-thread CPU ms (sampled share × ThreadTime) and wall ms.
       */
      startup: {
        cpuMs:
          startupBusyMs > 0
            ? (mine(startupProfile) / startupBusyMs) *
              ((startupShare.threadPct * startupShare.windowMs) / 100)
            : Number.NaN,
        wallMs: mine(startupProfile),
      },
      heapBytes,
      naive:
        after.naive && before.naive
          ? {
              scans: after.naive.scans - before.naive.scans,
              msPerScan:
                (after.naive.totalMs - before.naive.totalMs) /
                Math.max(1, after.naive.scans - before.naive.scans),
            }
          : null,
      messages: ext
        ? {
            duringLoad: loadMessages,
            duringWindow: windowMessages,
            workerStartsDuringWindow: ext.workerStarts() - startsBefore,
          }
        : null,
    };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Time from a ScriptSwitch dialog being inserted to the banner being shown, measured
 * in the page (performance.now at insertion; a MutationObserver on the banner's
 * shadow root plus animation frames for the banner). Insert → banner → remove →
 * banner gone → pause → again. The first insert on a page is "cold" (the background
 * injects banner.js then). If the banner does not go when the prompt goes, the cycle
 * cannot continue on that page: it is counted, the page reloaded (the next insert is
 * cold again), at most `maxReloads` times.
 * @param {{ ext: ExtensionBrowser, url: string, rate: number, inserts: number, settleMs: number, maxReloads: number, timeoutMs?: number, goneTimeoutMs?: number }} options
 */
export async function timeToBanner({
  ext,
  url,
  rate,
  inserts,
  settleMs,
  maxReloads,
  timeoutMs = 3000,
  goneTimeoutMs = 2000,
}) {
  const page = await ext.context.newPage();
  const open = async () => {
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    await page.evaluate((r) => /** @type {any} */ (window).__bench.startMutator(r), rate);
    await sleep(settleMs);
  };
  try {
    await open();
    /** @type {({ dom: number, frame: number, cold: boolean } | null)[]} */
    const shown = [];
    /** @type {({ dom: number, frame: number } | null)[]} */
    const gone = [];
    let cold = true;
    let stayed = 0;
    for (let i = 0; i < inserts; i++) {
      const s = await page.evaluate((t) => /** @type {any} */ (window).__bench.measureInsert(t), timeoutMs);
      shown.push(s ? { ...s, cold } : null);
      cold = false;
      const g = await page.evaluate(
        (t) => /** @type {any} */ (window).__bench.measureRemove(t),
        goneTimeoutMs,
      );
      gone.push(g);
      if (g === null) {
        stayed++;
        if (stayed > maxReloads || i === inserts - 1) break;
        await open();
        cold = true;
      } else {
        await sleep(150 + ((i * 37) % 200));
      }
    }
    await page.evaluate(() => /** @type {any} */ (window).__bench.stopMutator());
    return { shown, gone, stayed };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * The engine alone, in the page (no extension): bundle injected, then first-scan time,
 * watcher start, and incremental cost per batch of changes, per catalogue size.
 * @param {{
 *   browser: BenchBrowser, url: string, origin: string, catalogueSizes: number[],
 *   changeCounts: number[], repeats: number, warmups: number, acceptCase: boolean,
 * }} options
 */
export async function engineInPage({
  browser,
  url,
  origin,
  catalogueSizes,
  changeCounts,
  repeats,
  warmups,
  acceptCase,
}) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    const heapBefore = await heapAfterGc(cdp);
    await page.addScriptTag({ url: `${origin}/bench/engine.js` });
    // The engine's own heap: the bundle, a compiled built-in catalogue and a started watcher.
    await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      const E = w.__moEngine;
      const catalogue = E.compileCatalogue(E.builtInSignatures, E.globalExclusions, document);
      w.__heapProbe = E.createWatcher({ document, catalogue, onChange: () => {} });
      w.__heapProbe.start();
    });
    const heapAfter = await heapAfterGc(cdp);
    await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.__heapProbe.stop();
      w.__heapProbe = undefined;
    });
    const result = await page.evaluate(inPageEngineSuite, {
      catalogueSizes,
      changeCounts,
      repeats,
      warmups,
      acceptCase,
    });
    return { ...result, engineHeapBytes: heapAfter - heapBefore };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Runs in the page. Plain browser JS (serialised by Playwright).
 * @param {{ catalogueSizes: number[], changeCounts: number[], repeats: number, warmups: number, acceptCase: boolean }} o
 */
async function inPageEngineSuite(o) {
  const w = /** @type {any} */ (window);
  const E = w.__moEngine;
  const B = w.__bench;
  const now = () => performance.now();
  const ctx = E.frameContextOf(document);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  /**
   * Up to `repeats` samples of `fn` after warm-up, fewer when one is slow, so each case
   * takes about 2 s at most (a 100-signature catalogue on a 100k page is seconds a scan).
   */
  const sample = async (/** @type {() => number | Promise<number>} */ fn) => {
    let first = await fn();
    for (let i = 1; i < o.warmups && first < 100; i++) first = await fn();
    const n = Math.max(3, Math.min(o.repeats, Math.floor(2000 / Math.max(first, 0.01))));
    const out = [];
    for (let i = 0; i < n; i++) out.push(await fn());
    return out;
  };
  const manualScheduler = { now, later: () => () => {} };
  const catalogues = [];
  for (const size of o.catalogueSizes) {
    const signatures = E.syntheticSignatures(size);
    let t = now();
    const catalogue = E.compileCatalogue(signatures, E.globalExclusions, document);
    const compileMs = now() - t;
    t = now();
    E.scan(catalogue, document, ctx);
    const coldScanMs = now() - t;
    const scans = await sample(() => {
      const t0 = now();
      E.scan(catalogue, document, ctx);
      return now() - t0;
    });
    /** @type {Record<string, number[]>} */
    const incremental = {};
    let watcherStartMs = Number.NaN;
    // The full set of change counts for the built-in catalogue; the first one for the others.
    const builtin = signatures.length === E.builtInSignatures.length && size !== 1;
    const counts = builtin ? o.changeCounts : o.changeCounts.slice(0, 1);
    const cases = counts.map((n) => ({ key: String(n), n, withAccept: false }));
    if (o.acceptCase && builtin)
      cases.push({ key: `${o.changeCounts[0] ?? 50}+accept`, n: o.changeCounts[0] ?? 50, withAccept: true });
    for (const c of cases) {
      const watcher = E.createWatcher({
        document,
        catalogue,
        onChange: () => {},
        scheduler: manualScheduler,
      });
      t = now();
      watcher.start();
      watcherStartMs = now() - t;
      incremental[c.key] = await sample(async () => {
        B.applyChanges(c.n, { withAccept: c.withAccept });
        await tick(); // MutationObserver records are delivered
        const t0 = now();
        watcher.flush();
        return now() - t0;
      });
      watcher.stop();
    }
    catalogues.push({
      size,
      signatures: signatures.length,
      probes: catalogue.probeCount,
      compileMs,
      coldScanMs,
      scans,
      watcherStartMs,
      incremental,
    });
  }
  return {
    elements: B.elementCount(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    catalogues,
  };
}

/**
 * Bytes of the content scripts. Those the manifest declares are evaluated in every
 * watched frame before anything is found; the others (banner.js, …) are injected by
 * the background only when needed.
 * @param {string} extensionDir
 */
export async function scriptBytes(extensionDir) {
  const manifest = JSON.parse(await readFile(path.join(extensionDir, 'manifest.json'), 'utf8'));
  /** @type {string[]} */
  // No build declares content scripts any more (issue 19): the detector is registered at
  // run time for every watched host, so it counts as evaluated in every watched frame.
  const declared = [
    'content-scripts/detector.js',
    ...(manifest.content_scripts ?? []).flatMap((/** @type {{ js?: string[] }} */ c) => c.js ?? []),
  ];
  const dir = path.join(extensionDir, 'content-scripts');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.js')).sort();
  /** @type {Record<string, { raw: number, gzip: number, sha256: string, declared: boolean, evaluated: string }>} */
  const out = {};
  for (const file of files) {
    const body = await readFile(path.join(dir, file));
    const isDeclared = declared.includes(`content-scripts/${file}`);
    out[file] = {
      raw: body.length,
      gzip: gzipSync(body).length,
      sha256: createHash('sha256').update(body).digest('hex').slice(0, 16),
      declared: isDeclared,
      evaluated: isDeclared
        ? 'in every watched frame, at document_start (registered at run time)'
        : 'on demand only (injected by the background when needed)',
    };
  }
  return { files: out, declaredContentScripts: declared };
}

/**
 * The state users are in: a busy page (its mutator running) with or without a prompt,
 * and so with or without the banner on screen. Main-thread CPU of each content script
 * over the window (traced calls, by script), the page's frame rate over the same window,
 * and whether the banner was showing. `plain` runs the same page without the extension.
 * @param {{
 *   browser: BenchBrowser | ExtensionBrowser, variant: 'plain' | 'ours', url: string,
 *   rate: number, prompt: boolean, windowMs: number, settleMs: number,
 * }} options
 */
export async function promptOnScreenRun({ browser, variant, url, rate, prompt, windowMs, settleMs }) {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // The extension's first scan of the page (a large page's runs in slices for seconds)
    // is measured on its own, from the navigation until it is done; the window below
    // measures what the page costs after it, while it keeps changing.
    const firstScanTrace = variant === 'ours' ? await startCallTrace(cdp) : undefined;
    const navigated = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
    let bannerShown = false;
    if (prompt) {
      await page.evaluate(() => /** @type {any} */ (window).__bench.insertPrompt());
      if (variant === 'ours') {
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && !bannerShown) {
          bannerShown = await page.evaluate(() => /** @type {any} */ (window).__bench.bannerVisible());
          if (!bannerShown) await sleep(100);
        }
      }
    }
    await page.evaluate((r) => /** @type {any} */ (window).__bench.startMutator(r), rate);
    /** @type {{ done: boolean, wallMs: number, cpuMs: number } | undefined} */
    let firstScan;
    if (firstScanTrace) {
      const done = await detectorFirstScanDone(cdp, 120_000);
      const wallMs = Date.now() - navigated;
      const traced = await firstScanTrace.stop(classifyByScript);
      const cpuMs = Object.entries(traced.cpuMs)
        .filter(([k]) => k.startsWith('ext:'))
        .reduce((sum, [, ms]) => sum + ms, 0);
      firstScan = { done, wallMs, cpuMs };
    }
    await sleep(settleMs);
    const trace = await startCallTrace(cdp);
    await page.evaluate(() => /** @type {any} */ (window).__bench.startFrames());
    const m0 = await getMetrics(cdp);
    await sleep(windowMs);
    const m1 = await getMetrics(cdp);
    const frames = await page.evaluate(() => /** @type {any} */ (window).__bench.stopFrames());
    const traced = await trace.stop(classifyByScript);
    const still =
      variant === 'ours' && prompt
        ? await page.evaluate(() => /** @type {any} */ (window).__bench.bannerVisible())
        : false;
    await page.evaluate(() => /** @type {any} */ (window).__bench.stopMutator());
    const share = mainThreadShare(m0, m1);
    /** @type {Record<string, number>} */
    const byScriptPct = {};
    let extensionPct = 0;
    for (const [k, ms] of Object.entries(traced.cpuMs)) {
      if (!k.startsWith('ext:')) continue;
      byScriptPct[k.slice(4)] = (100 * ms) / share.windowMs;
      extensionPct += (100 * ms) / share.windowMs;
    }
    return {
      variant,
      prompt,
      bannerShown: bannerShown && still,
      fps: (frames * 1000) / share.windowMs,
      threadPct: share.threadPct,
      extensionPct,
      byScriptPct,
      calls: traced.calls,
      firstScan,
    };
  } finally {
    await page.close().catch(() => {});
  }
}
