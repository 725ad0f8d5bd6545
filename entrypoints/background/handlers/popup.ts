import { withoutDismissals } from '../../../lib/background/tab-state';
import { hostOf, matchesPattern } from '../../../lib/match-pattern';
import type { Settings } from '../../../lib/settings/schema';
import type { Publisher, TabStore } from '../publisher';
import type { PageHandlers, SettingsSource } from './types';

export interface PopupDeps {
  settings: SettingsSource;
  tabs: Pick<TabStore, 'update' | 'setSnoozedUntil'>;
  publisher: Pick<Publisher, 'viewFor' | 'publishAll'>;
  /** The tab's address, if the browser lets the extension see it. */
  tabUrl(tabId: number): Promise<string | undefined>;
  /** The host pattern "watch this site" would add for `url`. */
  hostPatternFor(url: string): string | undefined;
  hasHostPermission(pattern: string): Promise<boolean>;
  /** Every pattern the detector is registered for under `settings` (built-in ones too). */
  watchedPatterns(settings: Settings): string[];
  addClinicalHost(pattern: string): Promise<void>;
  syncRegistration(settings: Settings): Promise<void>;
  /** Runs the detector in every frame of the tab now (it would otherwise start on the next load). */
  injectDetector(tabId: number): Promise<void>;
}

/** Requests from the popup (an extension page; the tab id is in the request). */
export function popupHandlers(
  deps: PopupDeps,
): PageHandlers<'popup/get-state' | 'popup/reshow-banner' | 'popup/watch-site'> {
  const { settings, tabs, publisher } = deps;
  return {
    async 'popup/get-state'({ tabId }) {
      const [view, { settings: current, locked }, url] = await Promise.all([
        publisher.viewFor(tabId),
        settings(),
        deps.tabUrl(tabId),
      ]);
      const pattern = url ? deps.hostPatternFor(url) : undefined;
      const hasPermission = pattern ? await deps.hasHostPermission(pattern) : false;
      const listed = Boolean(
        pattern && url && deps.watchedPatterns(current).some((p) => matchesPattern(p, url)),
      );
      return {
        ...view,
        watched: listed && hasPermission,
        listed,
        host: hostOf(url),
        hasPermission,
        lockedFields: locked,
      };
    },
    async 'popup/reshow-banner'({ tabId }) {
      await tabs.update(tabId, withoutDismissals);
      await tabs.setSnoozedUntil(undefined);
      await publisher.publishAll();
      return undefined;
    },
    async 'popup/watch-site'({ tabId, pattern }) {
      await deps.addClinicalHost(pattern);
      await deps.syncRegistration((await settings()).settings);
      await deps.injectDetector(tabId);
      return undefined;
    },
  };
}
