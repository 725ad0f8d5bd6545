#!/usr/bin/env node
// @ts-check
/**
 * npm start — the demo.
 *
 *   node scripts/start.mjs [--no-build] [--tour] [--port 5178]
 *
 * 1. Builds the e2e flavour of the extension (npm run build:e2e) unless --no-build.
 * 2. Serves the simulated clinical system (sim/pages) on port 5178 (or a free port).
 * 3. With a display ($DISPLAY) and without --tour: opens Chromium with the extension
 *    at the index page and runs until Ctrl-C (or the window is closed).
 *    Otherwise: a headless tour of every page in sim/pages.ts, one line per page,
 *    a full-page screenshot per page in .tour/, exit code 1 on any mismatch.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { startSimServer } from '../sim/server.mjs';
import {
  assertExtensionBuilt,
  bannerState,
  collectConsoleErrors,
  describeTools,
  expectNoBannerFor,
  launchWithExtension,
  REPO_ROOT,
  waitForBanner,
} from '../tests/e2e/browser.mjs';
import { loadSimPages } from './lib/load-ts.mjs';

const DEFAULT_PORT = 5178;
/** A positive page gets this long to show its banner, from its ready state. */
const POSITIVE_TIMEOUT_MS = 6000;
/** A negative page is watched this long for a banner that must not come. */
const NEGATIVE_WATCH_MS = 1500;
const TOUR_DIR = path.join(REPO_ROOT, '.tour');

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name) => argv.includes(name);
const option = (/** @type {string} */ name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

if (flag('--help') || flag('-h')) {
  console.log('Usage: node scripts/start.mjs [--no-build] [--tour] [--port N]');
  process.exit(0);
}

function build() {
  console.log('› npm run build:e2e');
  const result = spawnSync('npm', ['run', 'build:e2e'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✘ build failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

async function startServer() {
  const wanted = Number(option('--port') ?? DEFAULT_PORT);
  try {
    return await startSimServer({ port: wanted });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
    console.log(`  port ${wanted} is busy: using a free port`);
    return startSimServer({ port: 0 });
  }
}

/** @param {{ toolId: string, verdict: string }[]} tools */
function summarise(tools) {
  if (tools.length === 0) return 'banner with no tools';
  /** @type {Map<string, string[]>} */
  const byVerdict = new Map();
  for (const t of tools) byVerdict.set(t.verdict, [...(byVerdict.get(t.verdict) ?? []), t.toolId]);
  return [...byVerdict]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([verdict, ids]) => `${verdict}: ${ids.sort().join(', ')}`)
    .join('; ');
}

/**
 * @param {import('../sim/server.d.mts').SimServer} sim
 */
async function headed(sim) {
  const browser = await launchWithExtension({ headless: false, viewport: null, handleSignals: false });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(sim.url('index.html'));
  console.log(`\nChromium is open with the extension (id ${browser.extensionId}).`);
  console.log(`Simulated clinical system: ${sim.origin}/  — press Ctrl-C to stop.\n`);
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    browser.context.once('close', resolve);
  });
  await browser.close();
}

/**
 * @param {import('../sim/server.d.mts').SimServer} sim
 * @returns {Promise<number>} number of mismatches
 */
async function tour(sim) {
  const { simPages } = await loadSimPages();
  await rm(TOUR_DIR, { recursive: true, force: true });
  await mkdir(TOUR_DIR, { recursive: true });
  const started = Date.now();
  const browser = await launchWithExtension();
  const width = Math.max(...simPages.map((p) => p.path.length)) + 2;
  let mismatches = 0;
  console.log(`\nTour of ${simPages.length} pages at ${sim.origin}/ (extension ${browser.extensionId})\n`);
  try {
    for (const entry of simPages) {
      const page = await browser.context.newPage();
      const errors = collectConsoleErrors(page);
      const wanted = Object.keys(entry.expect).sort();
      const wantedText = describeTools(wanted.map((toolId) => ({ toolId, verdict: 'flagged' })));
      let state = { present: false, tools: /** @type {{toolId: string, verdict: string}[]} */ ([]) };
      let note = '';
      try {
        await page.goto(sim.url(entry.path), { waitUntil: 'load' });
        if (entry.readySelector) {
          await page.locator(entry.readySelector).first().waitFor({ state: 'attached', timeout: 10_000 });
        }
        if (wanted.length > 0) {
          await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools: wanted }).catch(() => {});
          await page.waitForTimeout(300); // let late frames land before judging
        } else {
          await expectNoBannerFor(page, NEGATIVE_WATCH_MS).catch(() => {});
        }
        state = await bannerState(page);
        await page.screenshot({
          path: path.join(TOUR_DIR, `${entry.path.replace(/\.html$/, '')}.png`),
          fullPage: true,
        });
      } catch (error) {
        note = `  (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`;
      }
      const shown = state.present ? describeTools(state.tools) : '';
      const ok = !note && (wanted.length === 0 ? !state.present : shown === wantedText);
      if (!ok) mismatches += 1;
      const got = state.present ? summarise(state.tools) : 'no banner';
      const expected = wanted.length ? `flagged: ${wanted.join(', ')}` : 'none';
      const detail =
        ok && wanted.length === 0 ? `${got} (expected none)` : ok ? got : `${got} (expected ${expected})`;
      console.log(`${ok ? '✔' : '✘'} ${entry.path.padEnd(width)}${detail}${note}`);
      for (const e of errors) console.log(`    ! ${e}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\n${mismatches === 0 ? '✔ all pages as expected' : `✘ ${mismatches} page(s) differ from sim/pages.ts`} — ${seconds} s; screenshots in ${path.relative(process.cwd(), TOUR_DIR) || '.tour'}/`,
  );
  return mismatches;
}

async function main() {
  if (!flag('--no-build')) build();
  assertExtensionBuilt();
  const sim = await startServer();
  console.log(`Simulated clinical system: ${sim.origin}/ (cross-origin frames from ${sim.crossOrigin})`);
  try {
    if (process.env.DISPLAY && !flag('--tour')) {
      await headed(sim);
      return 0;
    }
    if (!process.env.DISPLAY && !flag('--tour'))
      console.log('No $DISPLAY: running the headless tour instead.');
    return (await tour(sim)) === 0 ? 0 : 1;
  } finally {
    await sim.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`✘ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
