import { browser } from 'wxt/browser';
import { originPatternFor, withoutPort } from '../../lib/match-pattern';
import type { Settings } from '../../lib/settings/schema';

/**
 * The only path by which the detector reaches a page, in every build: it is registered
 * at run time for the clinical-system hosts the practice (or its policy) names, and
 * only where the browser has granted that host. The e2e/demo build differs only in
 * watching the loopback hosts it is granted in its manifest (wxt.config.ts).
 *
 * All frames, and with matchOriginAsFallback (Chrome 119+, Firefox 128+) also the
 * about:blank, about:srcdoc, blob: and data: frames a watched page creates, which have
 * no URL of their own to match. Chrome accepts that flag only for patterns whose path
 * is `/*`, so a practice pattern narrowed to a path is registered separately, without it.
 */

const DETECTOR_ID = 'mo-detector';
/** Patterns narrowed to a path: no matchOriginAsFallback (see above). */
const DETECTOR_PATHS_ID = 'mo-detector-paths';
const DETECTOR_FILE = '/content-scripts/detector.js';

/** Hosts the e2e/demo build is granted in its manifest and watches (never in production). */
const E2E_BUILT_IN = ['http://127.0.0.1/*', 'http://localhost/*'];

/** The build's mode: 'e2e' for the e2e/demo build, else 'production'. */
export const BUILD_MODE = import.meta.env.WXT_E2E === '1' ? 'e2e' : 'production';

/** Hosts every copy of this build watches, whatever the settings: loopback in e2e, none in production. */
export function builtInPatterns(mode: string): string[] {
  return mode === 'e2e' ? [...E2E_BUILT_IN] : [];
}

export function watchedPatternsFor(settings: Settings, mode: string): string[] {
  return [...builtInPatterns(mode), ...settings.clinicalHosts];
}

export const hostPatternFor = originPatternFor;

let syncing: Promise<void> = Promise.resolve();

/** Serialised: overlapping settings changes must not race register/unregister. */
export function syncContentScriptRegistration(settings: Settings): Promise<void> {
  syncing = syncing.then(() => sync(settings)).catch(() => undefined);
  return syncing;
}

/** A pattern matching every path of its host(s), so it may carry matchOriginAsFallback. */
export function coversWholeOrigin(pattern: string): boolean {
  return /^[^:]+:\/\/[^/]*\/\*$/.test(pattern);
}

/** The registrations for `granted` patterns: whole origins with the fallback, paths without. */
export function detectorRegistrations(granted: readonly string[]) {
  const origins = granted.filter(coversWholeOrigin);
  const paths = granted.filter((p) => !coversWholeOrigin(p));
  const common = {
    js: [DETECTOR_FILE],
    allFrames: true,
    // document_start: the extension's world in the frame is set up before the page's
    // markup exists. Chromium builds `chrome.runtime` when the world is created, and an
    // `<iframe name="browser">` present by then leaves it without (issue 21.2); the
    // detector itself waits for the DOM (detector.content.ts).
    runAt: 'document_start' as const,
    persistAcrossSessions: true,
  };
  return [
    ...(origins.length > 0
      ? [{ ...common, id: DETECTOR_ID, matches: origins, matchOriginAsFallback: true }]
      : []),
    ...(paths.length > 0 ? [{ ...common, id: DETECTOR_PATHS_ID, matches: paths }] : []),
  ];
}

interface RegistrationShape {
  id: string;
  matches?: string[];
  matchOriginAsFallback?: boolean;
  allFrames?: boolean;
}

function sameRegistrations(a: readonly RegistrationShape[], b: readonly RegistrationShape[]): boolean {
  const key = (list: readonly RegistrationShape[]) =>
    JSON.stringify(
      list
        .map((r) => [
          r.id,
          [...(r.matches ?? [])].sort(),
          r.matchOriginAsFallback === true,
          r.allFrames === true,
        ])
        .sort(),
    );
  return key(a) === key(b);
}

async function sync(settings: Settings): Promise<void> {
  const wanted = [...new Set(watchedPatternsFor(settings, BUILD_MODE).map(withoutPort))];
  const granted: string[] = [];
  for (const pattern of wanted) {
    if (await browser.permissions.contains({ origins: [pattern] }).catch(() => false)) granted.push(pattern);
  }
  const ids = [DETECTOR_ID, DETECTOR_PATHS_ID];
  const existing = await browser.scripting.getRegisteredContentScripts({ ids }).catch(() => []);
  const registered = new Set(existing.flatMap((script) => script.matches ?? []));
  const wantedRegistrations = detectorRegistrations(granted);
  // Unchanged (e.g. a service worker restart): leave the registration alone, so there is
  // no moment without it, and inject nothing.
  if (sameRegistrations(existing, wantedRegistrations)) return;
  if (existing.length > 0)
    await browser.scripting.unregisterContentScripts({ ids: existing.map((script) => script.id) });
  if (granted.length === 0) return;
  await browser.scripting.registerContentScripts(wantedRegistrations);
  // Tabs already open on a newly watched host get the detector now, not after a reload.
  await injectIntoOpenTabs(granted.filter((p) => !registered.has(p)));
}

/**
 * Injects the detector into every frame of the open tabs matching `patterns`. A copy
 * already running there is replaced (platform/content/content-script-context.ts), and one
 * injected again into the same document does not announce a new document.
 */
async function injectIntoOpenTabs(patterns: readonly string[]): Promise<void> {
  const tabs = patterns.length > 0 ? await browser.tabs.query({ url: [...patterns] }).catch(() => []) : [];
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    await browser.scripting
      .executeScript({ target: { tabId: tab.id, allFrames: true }, files: [DETECTOR_FILE] })
      .catch(() => undefined);
  }
}

/**
 * At start-up, before settings are read (storage.managed can take seconds): make sure
 * the hosts every copy of this build watches (the e2e build's loopback hosts; none in
 * production) are registered. Only adds: the practice's hosts wait for the settings.
 * Injection into tabs already open is left to onInstalled (resumeInOpenTabs).
 */
export function registerBuiltInHosts(): Promise<void> {
  syncing = syncing
    .then(async () => {
      const builtIn = builtInPatterns(BUILD_MODE);
      if (builtIn.length === 0) return;
      const existing = await browser.scripting
        .getRegisteredContentScripts({ ids: [DETECTOR_ID] })
        .catch(() => []);
      if (existing.length > 0) return;
      const granted: string[] = [];
      for (const pattern of builtIn) {
        if (await browser.permissions.contains({ origins: [pattern] }).catch(() => false))
          granted.push(pattern);
      }
      if (granted.length === 0) return;
      await browser.scripting.registerContentScripts(detectorRegistrations(granted));
    })
    .catch(() => undefined);
  return syncing;
}

/**
 * After the extension is installed, updated or reloaded, the detectors in open tabs
 * belong to the old copy and stop themselves: give every watched tab the new one now,
 * whether or not the registration survived (it may, with persistAcrossSessions).
 */
export function resumeInOpenTabs(settings: Settings): Promise<void> {
  syncing = syncing
    .then(async () => {
      const granted: string[] = [];
      for (const pattern of new Set(watchedPatternsFor(settings, BUILD_MODE).map(withoutPort))) {
        if (await browser.permissions.contains({ origins: [pattern] }).catch(() => false))
          granted.push(pattern);
      }
      await injectIntoOpenTabs(granted);
    })
    .catch(() => undefined);
  return syncing;
}
