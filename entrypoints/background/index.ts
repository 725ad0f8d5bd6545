import '../../lib/zod-setup';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import type { BackgroundToContent } from '../../lib/messages';
import type { Settings } from '../../lib/settings/schema';
import type { EffectiveSettings } from '../../lib/settings/validate';
import { clearPaused, recordPaused } from '../../platform/paused-signatures';
import {
  readEffectiveSettings,
  readLocalSettings,
  startEffectiveSettings,
  watchSettingsSources,
  writeLocalSettings,
} from '../../platform/settings-store';
import { tallyStore } from '../../platform/tally-store';
import { clinicalHostAdder } from './clinical-hosts';
import { bannerHandlers } from './handlers/banner';
import { detectionConfig, frameHandlers } from './handlers/frame';
import { pickerHandlers } from './handlers/picker';
import { popupHandlers } from './handlers/popup';
import {
  BUILD_MODE,
  hostPatternFor,
  registerBuiltInHosts,
  resumeInOpenTabs,
  syncContentScriptRegistration,
  watchedPatternsFor,
} from './host-registration';
import { createPublisher } from './publisher';
import { createRouter } from './router';
import { createTabStore } from './tab-store';

/** Wiring only: the router, its handlers (handlers/*.ts) and the browser events they answer. */
export default defineBackground(() => {
  /**
   * Settings are loaded before any verdict is computed: every handler awaits this
   * promise, so no banner can show a tool as flagged before the allow-list is known.
   * The policy remembered from the last read is used at once; when storage.managed answers
   * differently, verdicts are re-decided (platform/settings-store.ts, hazard log H-POLICY-MEMORY).
   */
  let effective: Promise<EffectiveSettings> = startEffectiveSettings(() => void reloadSettings());
  const settings = () => effective;
  const tabs = createTabStore();
  const publisher = createPublisher({ tabs, settings });
  const hasHostPermission = (pattern: string) =>
    browser.permissions.contains({ origins: [pattern] }).catch(() => false);
  const addClinicalHost = clinicalHostAdder({
    settings,
    hasHostPermission,
    readLocalSettings,
    writeLocalSettings,
    refresh: () => {
      effective = readEffectiveSettings();
    },
  });

  async function reloadSettings(): Promise<void> {
    effective = readEffectiveSettings();
    // Pages recompile their practice signatures with fresh time budgets.
    void clearPaused();
    await syncContentScriptRegistration((await effective).settings);
    // Content scripts recompile with the new custom signatures; banners re-render verdicts.
    const push: BackgroundToContent = { type: 'frame/config', config: await detectionConfig(settings) };
    for (const tabId of await tabs.ids()) await browser.tabs.sendMessage(tabId, push).catch(() => undefined);
    await publisher.publishAll();
  }

  const route = createRouter(
    {
      content: {
        ...frameHandlers({ settings, tabs, publisher, tally: tallyStore, recordPaused }),
        ...bannerHandlers({ settings, tabs, publisher, tally: tallyStore, now: Date.now }),
      },
      picker: pickerHandlers({ readLocalSettings, writeLocalSettings }),
      popup: popupHandlers({
        settings,
        tabs,
        publisher,
        tabUrl: (tabId) =>
          browser.tabs.get(tabId).then(
            (tab) => tab.url,
            () => undefined,
          ),
        hostPatternFor,
        hasHostPermission,
        watchedPatterns: (current: Settings) => watchedPatternsFor(current, BUILD_MODE),
        addClinicalHost,
        syncRegistration: syncContentScriptRegistration,
        injectDetector: (tabId) =>
          browser.scripting
            .executeScript({ target: { tabId, allFrames: true }, files: ['/content-scripts/detector.js'] })
            .then(
              () => undefined,
              () => undefined,
            ),
      }),
    },
    { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') },
  );
  browser.runtime.onMessage.addListener((raw: unknown, sender) => route(raw, sender));

  browser.tabs.onRemoved.addListener((tabId) => {
    publisher.forgetBanner(tabId);
    tallyStore.forgetTab(tabId);
    void tabs.remove(tabId);
  });

  watchSettingsSources(() => void reloadSettings());
  browser.permissions.onAdded?.addListener((granted) => {
    // A host the user granted (popup "watch this site" or options) joins clinicalHosts.
    // Done here too because Firefox may close the popup while its permission prompt is open.
    void (async () => {
      for (const origin of granted.origins ?? []) await addClinicalHost(origin);
      await reloadSettings();
    })();
  });
  browser.permissions.onRemoved?.addListener(() => void reloadSettings());
  void registerBuiltInHosts();
  void effective.then(({ settings: current }) => syncContentScriptRegistration(current));
  // Installed, updated or reloaded: the open tabs' detectors are the old copy's.
  browser.runtime.onInstalled.addListener(() => {
    void effective.then(({ settings: current }) => resumeInOpenTabs(current));
  });
});
