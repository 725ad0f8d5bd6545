import { browser } from 'wxt/browser';
import { bannerView, emptyTab, type TabRecord, toolDirectory } from '../../lib/background/tab-state';
import { seedBannerView } from '../../lib/banner-seed';
import { builtInTools } from '../../lib/catalogue';
import type { BackgroundToContent, BannerView } from '../../lib/messages';
import { badgeText, visibleTools } from '../../lib/views';
import type { SettingsSource } from './handlers/types';
import type { createTabStore } from './tab-store';

export type TabStore = ReturnType<typeof createTabStore>;

/** What handlers need of the publisher (fakes in unit tests). */
export interface Publisher {
  /** The tab's verdicts as the banner shows them. */
  viewFor(tabId: number, tab?: TabRecord): Promise<BannerView>;
  /** Pushes the tab's verdicts to its banner (injecting it the first time) and badge. */
  publish(tabId: number): Promise<void>;
  publishAll(): Promise<void>;
  /** The tab's top frame has a new document: its banner (if any) went with the old one. */
  forgetBanner(tabId: number): void;
}

/**
 * Pushes each tab's verdicts to its top frame, injecting the banner UI the first time
 * it is needed. The banner goes first: the badge is set alongside, and storage is
 * mirrored in the background (the tab store), so neither holds the banner up.
 */
export function createPublisher({ tabs, settings }: { tabs: TabStore; settings: SettingsSource }): Publisher {
  const bannerInjected = new Set<number>();
  const injectionRetries = new Map<number, number>();
  const action = browser.action ?? browser.browserAction;
  // One colour for every tab's badge: set once, not on every report.
  void action?.setBadgeBackgroundColor?.({ color: '#005eb8' }).catch(() => undefined);

  async function viewFor(tabId: number, tab?: TabRecord): Promise<BannerView> {
    const { settings: current, unconfirmedMandates } = await settings();
    const record = tab ?? (await tabs.get(tabId)) ?? emptyTab();
    return bannerView(
      record,
      current,
      toolDirectory(builtInTools, current),
      await tabs.snoozedUntil(),
      Date.now(),
      unconfirmedMandates,
    );
  }

  async function publish(tabId: number): Promise<void> {
    const view = await viewFor(tabId);
    const push: BackgroundToContent = { type: 'tab/state', view };
    const toBanner = bannerInjected.has(tabId)
      ? browser.tabs.sendMessage(tabId, push, { frameId: 0 }).catch(() => undefined)
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
      // waits for its banner/get-state answer.
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

  return {
    viewFor,
    publish,
    async publishAll() {
      for (const tabId of await tabs.ids()) await publish(tabId);
    },
    forgetBanner(tabId) {
      bannerInjected.delete(tabId);
    },
  };
}
