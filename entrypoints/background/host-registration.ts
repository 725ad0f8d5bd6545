import { browser } from 'wxt/browser';
import { originPatternFor, withoutPort } from '../../lib/match-pattern';
import type { Settings } from '../../lib/settings/schema';

/**
 * The production build has no host access of its own: the detector is registered at
 * run time for the clinical-system hosts the practice (or its policy) names, and only
 * where the browser has granted that host.
 */

const DETECTOR_ID = 'mo-detector';
const DETECTOR_FILE = '/content-scripts/detector.js';

/** Hosts the e2e/demo build carries in its manifest (never in production). */
const E2E_BUILT_IN = ['http://127.0.0.1/*', 'http://localhost/*'];

export function watchedPatternsFor(settings: Settings, mode: string): string[] {
  return [...(mode === 'e2e' ? E2E_BUILT_IN : []), ...settings.clinicalHosts];
}

export const hostPatternFor = originPatternFor;

let syncing: Promise<void> = Promise.resolve();

/** Serialised: overlapping settings changes must not race register/unregister. */
export function syncContentScriptRegistration(settings: Settings): Promise<void> {
  syncing = syncing.then(() => sync(settings)).catch(() => undefined);
  return syncing;
}

async function sync(settings: Settings): Promise<void> {
  const wanted = [...new Set(settings.clinicalHosts.map(withoutPort))];
  const granted: string[] = [];
  for (const pattern of wanted) {
    if (await browser.permissions.contains({ origins: [pattern] }).catch(() => false)) granted.push(pattern);
  }
  const existing = await browser.scripting
    .getRegisteredContentScripts({ ids: [DETECTOR_ID] })
    .catch(() => []);
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [DETECTOR_ID] });
  if (granted.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: DETECTOR_ID,
      js: [DETECTOR_FILE],
      matches: granted,
      allFrames: true,
      runAt: 'document_end',
      persistAcrossSessions: true,
    },
  ]);
  // Tabs already open on a newly watched host get the detector now, not after a reload.
  const tabs = await browser.tabs.query({ url: granted }).catch(() => []);
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    await browser.scripting
      .executeScript({ target: { tabId: tab.id, allFrames: true }, files: [DETECTOR_FILE] })
      .catch(() => undefined);
  }
}
