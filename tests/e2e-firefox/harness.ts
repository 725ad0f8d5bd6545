/**
 * Firefox ESR plumbing for the Firefox e2e suite (puppeteer-core over WebDriver BiDi):
 * find the binary, launch it, install the e2e build as a temporary add-on, read the
 * banner, run code in an extension page, and write/restore a policies.json.
 *
 * Reuses the Chromium suite's sim server, page manifest and banner vocabulary so both
 * browsers are judged by the same expectations (sim/pages.ts).
 */
import { existsSync, realpathSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { BANNER_HOST, type BannerState, type BannerTool, describeTools } from '../e2e/browser.mjs';

export { BANNER_HOST, type BannerState, type BannerTool, describeTools };

/** Where Debian (firefox-esr), Mozilla's tarball and most distributions put Firefox. */
export const FIREFOX_CANDIDATES = [
  '/usr/lib/firefox-esr/firefox-esr',
  '/usr/bin/firefox-esr',
  '/usr/lib/firefox/firefox',
  '/usr/bin/firefox',
];

/**
 * The Firefox binary: $FIREFOX_PATH first, then the usual places. Throws (never skips)
 * when none exists, so CI cannot pass without having run Firefox.
 */
export function findFirefox(
  candidates: readonly string[] = FIREFOX_CANDIDATES,
  env: Record<string, string | undefined> = process.env,
): string {
  const all = [env.FIREFOX_PATH, ...candidates].filter((p): p is string => Boolean(p));
  const found = all.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Firefox not found (looked at ${all.join(', ')}). Install it with: sudo apt-get install -y firefox-esr (or set FIREFOX_PATH)`,
    );
  }
  return realpathSync(found);
}

/** A fixed internal UUID, so the suite can open the add-on's own pages (moz-extension://UUID/...). */
export const EXTENSION_UUID = '5a1e0b5e-7a3c-4e1b-9d0f-3c2b8e6f4a10';

export interface FirefoxWithExtension {
  browser: Browser;
  /** What installExtension reported: the add-on id (its gecko id). */
  extensionId: string;
  /** Runs `fn` in a fresh tab showing the add-on's popup page (a moz-extension:// page). */
  inExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  close(): Promise<void>;
}

/**
 * Launches headless Firefox and installs `extensionDir` as a temporary add-on.
 * `--remote-allow-system-access` lets WebDriver BiDi navigate to moz-extension:// pages
 * (refused otherwise); it is only used to call extension APIs from the add-on's own page.
 */
export async function launchFirefoxWithExtension(options: {
  extensionDir: string;
  executablePath: string;
  /** The add-on's gecko id (the key of the UUID pref). */
  geckoId: string;
  prefs?: Record<string, unknown>;
}): Promise<FirefoxWithExtension> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: options.executablePath,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      // The add-on's internal UUID is random per profile; pin it to reach its pages.
      'extensions.webextensions.uuids': JSON.stringify({ [options.geckoId]: EXTENSION_UUID }),
      ...options.prefs,
    },
  });
  try {
    const extensionId = await browser.installExtension(options.extensionDir);
    return {
      browser,
      extensionId,
      inExtension: (fn, arg) => runInExtensionPage(browser, fn, arg),
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

async function runInExtensionPage<T, A>(
  browser: Browser,
  fn: (arg: A) => T | Promise<T>,
  arg: A | undefined,
): Promise<T> {
  const page = await browser.newPage();
  try {
    const url = `moz-extension://${EXTENSION_UUID}/popup.html`;
    // The navigation happens, but puppeteer never sees the load event of an
    // extension-process page over BiDi: don't wait for it, poll for the document instead.
    await page.goto(url, { timeout: 2000, waitUntil: 'domcontentloaded' }).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ready = await page
        .evaluate(
          () =>
            location.protocol === 'moz-extension:' &&
            typeof (globalThis as { browser?: unknown }).browser === 'object',
        )
        .catch(() => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the add-on page ${url} did not open`);
      await sleep(100);
    }
    return (await page.evaluate(fn as (a: unknown) => T | Promise<T>, arg as unknown)) as T;
  } finally {
    await page.close().catch(() => undefined);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The banner in the page's top document (open shadow root of `mo-advisor-banner`), read from the DOM. */
export async function bannerState(page: Page): Promise<BannerState> {
  const state = await page
    .evaluate((host: string) => {
      const banner = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="mo-banner"]');
      if (!banner) return { present: false, tools: [] };
      const box = banner.getBoundingClientRect();
      const style = getComputedStyle(banner);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none')
        return { present: false, tools: [] };
      const seen = new Set<string>();
      const tools: { toolId: string; verdict: string }[] = [];
      for (const el of banner.querySelectorAll('[data-tool-id][data-verdict]')) {
        const tool = {
          toolId: el.getAttribute('data-tool-id') ?? '',
          verdict: el.getAttribute('data-verdict') ?? '',
        };
        const key = `${tool.toolId}:${tool.verdict}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tools.push(tool);
      }
      return { present: true, tools };
    }, BANNER_HOST)
    // A navigation in progress destroys the realm: that moment shows no banner.
    .catch(() => ({ present: false, tools: [] }));
  return state;
}

/** Text of the banner's notes with this verdict (e.g. what a mandated note says), as the Chromium suite reads it. */
export async function bannerVerdictText(page: Page, verdict: string): Promise<string> {
  return page.evaluate(
    (host: string, v: string) =>
      [
        ...(document
          .querySelector(host)
          ?.shadowRoot?.querySelectorAll(`[data-testid="mo-banner"] [data-verdict="${CSS.escape(v)}"]`) ??
          []),
      ]
        .map((el) => el.textContent ?? '')
        .join(' | '),
    BANNER_HOST,
    verdict,
  );
}

/** Polls the DOM until a banner shows (with `tools`: exactly those tools, with `verdict`). */
export async function waitForBanner(
  page: Page,
  {
    timeout = 10_000,
    tools,
    verdict = 'flagged',
  }: { timeout?: number; tools?: string[]; verdict?: string } = {},
): Promise<BannerState> {
  const deadline = Date.now() + timeout;
  const wanted = tools ? describeTools(tools.map((toolId) => ({ toolId, verdict }))) : undefined;
  let state: BannerState = { present: false, tools: [] };
  while (Date.now() < deadline) {
    state = await bannerState(page);
    if (state.present && (wanted === undefined || describeTools(state.tools) === wanted)) return state;
    await sleep(100);
  }
  const shown = state.present ? `banner showed [${describeTools(state.tools)}]` : 'no banner appeared';
  throw new Error(
    `waitForBanner (Firefox): ${shown} within ${timeout} ms${wanted !== undefined ? `; expected [${wanted}]` : ''} (${page.url()})`,
  );
}

/** Watches the page for `ms` and throws if a banner is visible at any moment. */
export async function expectNoBannerFor(page: Page, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  do {
    const state = await bannerState(page);
    if (state.present)
      throw new Error(`expected no banner, but it showed [${describeTools(state.tools)}] (${page.url()})`);
    await sleep(100);
  } while (Date.now() < deadline);
}

/** Console errors and uncaught page errors, collected live. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${page.url()})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${String(error)}`));
  return errors;
}

/**
 * Firefox enterprise policies. Firefox reads `distribution/policies.json` beside its
 * binary at start-up, unless a system-wide `/etc/firefox/policies/policies.json`
 * exists (Linux builds with system policies, Debian's included): that one wins.
 */
export const SYSTEM_POLICIES_FILE = '/etc/firefox/policies/policies.json';

export function distributionPoliciesFile(firefoxBinary: string): string {
  return path.join(path.dirname(realpathSync(firefoxBinary)), 'distribution', 'policies.json');
}

/**
 * Writes `policies` to the distribution policies.json and returns a restore function
 * (call it in afterAll, always). A file already there is kept in a sidecar and put
 * back; a sidecar left by a run that died is honoured first, so nothing leaks.
 */
export async function installFirefoxPolicies(
  firefoxBinary: string,
  policies: Record<string, unknown>,
): Promise<() => Promise<void>> {
  if (existsSync(SYSTEM_POLICIES_FILE)) {
    throw new Error(
      `${SYSTEM_POLICIES_FILE} exists and takes precedence over distribution/policies.json: this suite will not overwrite a system administrator's policies. Move it aside to run the Firefox policy tests.`,
    );
  }
  const target = distributionPoliciesFile(firefoxBinary);
  const sidecar = `${target}.mo-e2e-original`;
  const restore = async () => {
    if (!existsSync(sidecar)) return;
    const { original } = JSON.parse(await readFile(sidecar, 'utf8')) as { original: string | null };
    if (original === null) await rm(target, { force: true });
    else await writeFile(target, original);
    await rm(sidecar, { force: true });
  };
  await restore();
  const original = existsSync(target) ? await readFile(target, 'utf8') : null;
  try {
    await writeFile(sidecar, JSON.stringify({ original }));
    await writeFile(target, `${JSON.stringify({ policies }, null, 2)}\n`);
  } catch (error) {
    await restore().catch(() => undefined);
    throw new Error(
      `Cannot write ${target} (${error instanceof Error ? error.message : String(error)}): the Firefox policy test needs root, as CI runs it.`,
    );
  }
  return restore;
}
