import '../../lib/zod-setup';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { builtInTools } from '../../lib/catalogue';
import { hostOf, matchesPattern, withoutPort } from '../../lib/match-pattern';
import {
  type BannerView,
  type ContentToBackground,
  contentToBackgroundSchema,
  type DetectionConfig,
  type PopupView,
  popupToBackgroundSchema,
} from '../../lib/messages';
import type { EffectiveSettings } from '../../lib/settings/validate';
import {
  badgeText,
  bannerView,
  emptyTab,
  type TabRecord,
  toolDirectory,
  visibleTools,
  withDismissed,
  withFrameReport,
  withoutDismissals,
} from '../../lib/tab-state';
import { clearPaused, recordPaused } from '../../platform/paused-signatures';
import {
  readEffectiveSettings,
  readLocalSettings,
  startEffectiveSettings,
  watchSettingsSources,
  writeLocalSettings,
} from '../../platform/settings-store';
import { tallyStore } from '../../platform/tally-store';
import { seedBannerView } from '../banner.content/seed';
import {
  BUILD_MODE,
  hostPatternFor,
  registerBuiltInHosts,
  resumeInOpenTabs,
  syncContentScriptRegistration,
  watchedPatternsFor,
} from './host-registration';
import { createTabStore } from './tab-store';

export default defineBackground(() => {
  /**
   * Settings are loaded before any verdict is computed: every handler awaits this
   * promise, so no banner can show a tool as flagged before the allow-list is known.
   */
  // The policy remembered from the last read is used at once; when storage.managed answers
  // differently, verdicts are re-decided (platform/settings-store.ts, hazard log H-POLICY-MEMORY).
  let effective: Promise<EffectiveSettings> = startEffectiveSettings(() => void reloadSettings());
  const tabs = createTabStore();
  const bannerInjected = new Set<number>();
  const injectionRetries = new Map<number, number>();

  const action = browser.action ?? browser.browserAction;
  // One colour for every tab's badge: set once, not on every report.
  void action?.setBadgeBackgroundColor?.({ color: '#005eb8' }).catch(() => undefined);

  async function viewFor(tabId: number, tab?: TabRecord): Promise<BannerView> {
    const { settings, unconfirmedMandates } = await effective;
    const record = tab ?? (await tabs.get(tabId)) ?? emptyTab();
    return bannerView(
      record,
      settings,
      toolDirectory(builtInTools, settings),
      await tabs.snoozedUntil(),
      Date.now(),
      unconfirmedMandates,
    );
  }

  /**
   * Pushes the tab's verdicts to its top frame, injecting the banner UI the first time
   * it is needed. The banner goes first: the badge is set alongside, and storage is
   * mirrored in the background (the tab store), so neither holds the banner up.
   */
  async function publish(tabId: number): Promise<void> {
    const view = await viewFor(tabId);
    const toBanner = bannerInjected.has(tabId)
      ? browser.tabs.sendMessage(tabId, { type: 'tab/state', view }, { frameId: 0 }).catch(() => undefined)
      : visibleTools(view).length > 0
        ? injectBanner(tabId, view)
        : undefined;
    const badge = action?.setBadgeText({ tabId, text: badgeText(view) }).catch(() => undefined);
    await Promise.all([toBanner, badge]);
  }

  /** Injects banner.js into the tab's top frame, with `view` as its first view (see seed.ts). */
  async function injectBanner(tabId: number, view: BannerView): Promise<void> {
    bannerInjected.add(tabId);
    const target = { tabId, frameIds: [0] };
    try {
      // Sent first and not awaited: in Chromium it reaches the frame before banner.js
      // (which is read from disk first). Should it not, the banner finds no seed and
      // waits for its banner/get-state answer, as before.
      const seeded = browser.scripting
        .executeScript({ target, func: seedBannerView, args: [view, Date.now()], injectImmediately: true })
        .catch(() => undefined);
      await browser.scripting.executeScript({
        target,
        files: ['/content-scripts/banner.js'],
        // Not "document_idle": a prompt is already on screen, the note should follow it at once.
        injectImmediately: true,
      });
      await seeded;
    } catch {
      // The frame may be mid-navigation: try again shortly rather than wait for a new report.
      bannerInjected.delete(tabId);
      const tries = (injectionRetries.get(tabId) ?? 0) + 1;
      injectionRetries.set(tabId, tries);
      if (tries <= 3) setTimeout(() => void publish(tabId), 300 * tries);
      return;
    }
    injectionRetries.delete(tabId);
    // The banner shows the seeded view, then asks for its state once running.
  }

  async function detectionConfig(): Promise<DetectionConfig> {
    // Already schema-valid: local settings are repaired and policy parsed field by field on read.
    return { customSignatures: (await effective).settings.customSignatures };
  }

  async function onContentMessage(
    message: ContentToBackground,
    tabId: number,
    frameId: number,
    frameHost = '',
  ): Promise<unknown> {
    switch (message.type) {
      case 'frame/findings': {
        // Practice signatures this frame paused (too slow here): for the options page.
        if (message.pausedSignatureIds)
          void recordPaused(message.pausedSignatureIds, frameHost).catch(() => undefined);
        // A new document in the top frame is a navigation: the tab starts afresh.
        // Sub-frames of the old document withdrew their reports on pagehide.
        const navigated = message.first === true && frameId === 0;
        if (navigated) bannerInjected.delete(tabId);
        const after = await tabs.update(tabId, (tab) =>
          withFrameReport(navigated ? withoutDismissals(tab) : tab, frameId, message.tools),
        );
        // A new document's prompts are all new; a prompt re-inserted in the same one is not.
        void tallyStore
          .recordTab(
            tabId,
            after.frames,
            (await effective).settings.tally,
            message.first ? frameId : undefined,
          )
          .catch(() => undefined);
        await publish(tabId);
        return undefined;
      }
      case 'frame/route':
        // An in-app route change in the top frame ends dismissals, as a navigation would.
        if (frameId === 0) {
          await tabs.update(tabId, withoutDismissals);
          await publish(tabId);
        }
        return undefined;
      case 'frame/config':
        return detectionConfig();
      case 'banner/get-state':
        return viewFor(tabId);
      case 'banner/dismiss': {
        let already = false;
        await tabs.update(tabId, (tab) => {
          already = tab.dismissed.includes(message.toolId);
          return withDismissed(tab, message.toolId);
        });
        // A repeated dismiss for a tool already dismissed on this tab is not a new dismissal.
        if (!already) {
          void tallyStore
            .recordDismissal(message.toolId, (await effective).settings.tally)
            .catch(() => undefined);
        }
        await publish(tabId);
        return undefined;
      }
      case 'banner/snooze': {
        const { settings } = await effective;
        await tabs.setSnoozedUntil(Date.now() + settings.banner.snoozeMinutes * 60_000);
        await publishAll();
        return undefined;
      }
    }
  }

  async function popupView(tabId: number): Promise<PopupView> {
    const [view, { settings, locked }, tab] = await Promise.all([
      viewFor(tabId),
      effective,
      browser.tabs.get(tabId).catch(() => undefined),
    ]);
    const pattern = tab?.url ? hostPatternFor(tab.url) : undefined;
    const hasPermission = pattern
      ? await browser.permissions.contains({ origins: [pattern] }).catch(() => false)
      : false;
    const listed = Boolean(
      pattern && watchedPatternsFor(settings, BUILD_MODE).some((p) => matchesPattern(p, tab?.url ?? '')),
    );
    const watched = listed && hasPermission;
    return {
      ...view,
      watched,
      listed,
      host: hostOf(tab?.url),
      hasPermission,
      lockedFields: locked,
    };
  }

  /**
   * "Watch this site" from the popup: the popup obtained the host permission with the
   * user's gesture; the pattern joins the practice's clinicalHosts unless policy owns them.
   */
  async function addClinicalHost(pattern: string): Promise<void> {
    const { settings, locked } = await effective;
    // Already listed in any form (with a port or a path) for the same origin: nothing to add.
    const origin = (p: string) => withoutPort(p).replace(/^([^:]+:\/\/[^/]+)\/.*$/, '$1/*');
    if (locked.includes('clinicalHosts') || settings.clinicalHosts.some((p) => origin(p) === origin(pattern)))
      return;
    if (!(await browser.permissions.contains({ origins: [pattern] }).catch(() => false))) return;
    const local = await readLocalSettings();
    const result = await writeLocalSettings({ ...local, clinicalHosts: [...local.clinicalHosts, pattern] });
    // Read back now rather than wait for storage.onChanged, so the popup's next get-state sees it.
    if (result.ok) effective = readEffectiveSettings();
  }

  async function publishAll(): Promise<void> {
    for (const tabId of await tabs.ids()) await publish(tabId);
  }

  async function reloadSettings(): Promise<void> {
    effective = readEffectiveSettings();
    // Pages recompile their practice signatures with fresh time budgets.
    void clearPaused();
    const { settings } = await effective;
    await syncContentScriptRegistration(settings);
    // Content scripts recompile with the new custom signatures; banners re-render verdicts.
    const config = await detectionConfig();
    for (const tabId of await tabs.ids()) {
      await browser.tabs.sendMessage(tabId, { type: 'frame/config', config }).catch(() => undefined);
    }
    await publishAll();
  }

  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    // An extension page (the popup, also when opened in a tab) is never a content script.
    const fromExtensionPage = sender.url?.startsWith(browser.runtime.getURL('/')) ?? false;
    const fromTab = fromExtensionPage ? undefined : sender.tab?.id;
    if (fromTab !== undefined) {
      const parsed = contentToBackgroundSchema.safeParse(raw);
      if (!parsed.success) return undefined;
      return onContentMessage(parsed.data, fromTab, sender.frameId ?? 0, hostOf(sender.url) ?? '');
    }
    const parsed = popupToBackgroundSchema.safeParse(raw);
    if (!parsed.success) return undefined;
    const message = parsed.data;
    switch (message.type) {
      case 'popup/get-state':
        return popupView(message.tabId);
      case 'popup/reshow-banner':
        return (async () => {
          await tabs.update(message.tabId, withoutDismissals);
          await tabs.setSnoozedUntil(undefined);
          await publishAll();
        })();
      case 'popup/watch-site':
        return (async () => {
          await addClinicalHost(message.pattern);
          await syncContentScriptRegistration((await effective).settings);
          await browser.scripting
            .executeScript({
              target: { tabId: message.tabId, allFrames: true },
              files: ['/content-scripts/detector.js'],
            })
            .catch(() => undefined);
        })();
    }
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    bannerInjected.delete(tabId);
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
  void effective.then(({ settings }) => syncContentScriptRegistration(settings));
  // Installed, updated or reloaded: the open tabs' detectors are the old copy's (issue 19).
  browser.runtime.onInstalled.addListener(() => {
    void effective.then(({ settings }) => resumeInOpenTabs(settings));
  });
});
