import { withDismissed } from '../../../lib/background/tab-state';
import type { Settings } from '../../../lib/settings/schema';
import type { Publisher, TabStore } from '../publisher';
import type { FrameHandlers, SettingsSource } from './types';

export interface BannerDeps {
  settings: SettingsSource;
  tabs: Pick<TabStore, 'update' | 'setSnoozedUntil'>;
  publisher: Pick<Publisher, 'viewFor' | 'publish' | 'publishAll'>;
  tally: { recordDismissal(toolId: string, settings: Settings['tally']): Promise<unknown> };
  now(): number;
}

/** Requests from the banner, in a tab's top frame. */
export function bannerHandlers(
  deps: BannerDeps,
): FrameHandlers<'banner/get-state' | 'banner/dismiss' | 'banner/snooze'> {
  const { settings, tabs, publisher, tally } = deps;
  return {
    'banner/get-state': (_message, { tabId }) => publisher.viewFor(tabId),
    async 'banner/dismiss'({ toolId }, { tabId }) {
      let already = false;
      await tabs.update(tabId, (tab) => {
        already = tab.dismissed.includes(toolId);
        return withDismissed(tab, toolId);
      });
      // A repeated dismiss for a tool already dismissed on this tab is not a new dismissal.
      if (!already)
        void tally.recordDismissal(toolId, (await settings()).settings.tally).catch(() => undefined);
      await publisher.publish(tabId);
      return undefined;
    },
    async 'banner/snooze'() {
      const { settings: current } = await settings();
      await tabs.setSnoozedUntil(deps.now() + current.banner.snoozeMinutes * 60_000);
      await publisher.publishAll();
      return undefined;
    },
  };
}
