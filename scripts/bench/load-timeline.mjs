#!/usr/bin/env node
// @ts-check
/**
 * Where the time goes between a prompt present at load and its banner: one traced load
 * of the static page with a ScriptSwitch dialog in its markup, printed as a timeline of
 * the main thread's long events (parsing, the page's style and layout, paint, each of
 * the extension's script evaluations and calls) from the navigation, beside the page's
 * DOMContentLoaded, load and the banner shown. A diagnostic, not a budget check.
 *
 *   node scripts/bench/load-timeline.mjs [--extension-dir .bench/build/chrome-mv3] [--loads 3] [--elements 10000]
 */
import path from 'node:path';
import { REPO_ROOT } from '../../tests/e2e/browser.mjs';
import { launchExtensionBrowser } from './browsers.mjs';
import { startMainThreadTrace } from './cdp.mjs';
import { startBenchServer } from './server.mjs';
import { sleep } from './stats.mjs';

const argv = process.argv.slice(2);
const option = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? /** @type {string} */ (argv[i + 1]) : fallback;
};
const extensionDir = path.resolve(option('--extension-dir', path.join(REPO_ROOT, '.bench/build/chrome-mv3')));
const loads = Number(option('--loads', '3'));
const elements = Number(option('--elements', '10000'));
/** Main-thread events worth a line when they take at least 3 ms. */
const SHOWN = new Set([
  'FunctionCall',
  'EvaluateScript',
  'ParseHTML',
  'Layout',
  'UpdateLayoutTree',
  'PrePaint',
  'Paint',
]);

const server = await startBenchServer({ engineSource: '', naiveSource: '' });
const ext = await launchExtensionBrowser(extensionDir);
try {
  for (let i = 0; i < loads; i++) {
    const page = await ext.context.newPage();
    const cdp = await ext.context.newCDPSession(page);
    await page.goto(`${server.origin}/bench/blank.html`);
    const trace = await startMainThreadTrace(cdp, ['devtools.timeline', 'loading']);
    await page.goto(server.pageUrl(elements, { prompt: '1' }), { waitUntil: 'load' });
    const banner = await page.evaluate(() => /** @type {any} */ (window).__bench.loadBanner());
    await sleep(300);
    const { events } = await trace.stop();
    // Page time: DOMContentLoaded's trace timestamp less its time in the page.
    const dcl = events.find((e) => e.name === 'MarkDOMContent')?.ts ?? 0;
    const start = dcl - banner.domContentLoaded * 1000;
    const at = (/** @type {number} */ ts) => ((ts - start) / 1000).toFixed(0).padStart(5);
    console.log(
      `load ${i + 1}: prompt parsed at ${banner.parsedAt.toFixed(0)} ms, DOMContentLoaded ${banner.domContentLoaded.toFixed(0)} ms, banner shown ${banner.shown?.toFixed(0) ?? 'never'} ms (page time)`,
    );
    for (const e of events.filter((x) => ['MarkDOMContent', 'MarkLoad'].includes(x.name)))
      console.log(`${at(e.ts)}  ${e.name}`);
    for (const e of events.filter((x) => x.ph === 'X' && SHOWN.has(x.name) && x.dur >= 3000))
      console.log(
        `${at(e.ts)}  ${e.name} ${(e.dur / 1000).toFixed(1)} ms wall, ${((e.tdur ?? e.dur) / 1000).toFixed(1)} ms CPU  ${String(
          e.args?.data?.url ?? '',
        )
          .split('/')
          .pop()}`,
      );
  }
} finally {
  await ext.close();
  await server.close();
}
