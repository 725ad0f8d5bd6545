import { type TabRecord, withFrameReport, withoutDismissals } from '../../../lib/background/tab-state';
import type { DetectionConfig } from '../../../lib/messages';
import type { Settings } from '../../../lib/settings/schema';
import type { Publisher, TabStore } from '../publisher';
import type { FrameHandlers, SettingsSource } from './types';

export interface FrameDeps {
  settings: SettingsSource;
  tabs: Pick<TabStore, 'update'>;
  publisher: Pick<Publisher, 'publish' | 'forgetBanner'>;
  /** Counts prompts for the tally (platform/tally-store.ts). */
  tally: {
    recordTab(
      tabId: number,
      frames: TabRecord['frames'],
      settings: Settings['tally'],
      newDocumentIn?: number,
    ): Promise<unknown>;
  };
  /** Notes practice signatures a frame paused (too slow there), for the options page. */
  recordPaused(signatureIds: readonly string[], host: string): Promise<void>;
}

/** The practice's signatures, for every frame's detector. */
export async function detectionConfig(settings: SettingsSource): Promise<DetectionConfig> {
  // Already schema-valid: local settings are repaired and policy parsed field by field on read.
  return { customSignatures: (await settings()).settings.customSignatures };
}

/** Requests from the detector, in every frame of a watched tab. */
export function frameHandlers(
  deps: FrameDeps,
): FrameHandlers<'frame/findings' | 'frame/route' | 'frame/config'> {
  const { settings, tabs, publisher, tally } = deps;
  return {
    async 'frame/findings'(message, { tabId, frameId, frameHost }) {
      if (message.pausedSignatureIds)
        void deps.recordPaused(message.pausedSignatureIds, frameHost).catch(() => undefined);
      // A new document in the top frame is a navigation: the tab starts afresh.
      // Sub-frames of the old document withdrew their reports on pagehide.
      const navigated = message.first === true && frameId === 0;
      if (navigated) publisher.forgetBanner(tabId);
      const after = await tabs.update(tabId, (tab) =>
        withFrameReport(navigated ? withoutDismissals(tab) : tab, frameId, message.tools),
      );
      // A new document's prompts are all new; a prompt re-inserted in the same one is not.
      void tally
        .recordTab(
          tabId,
          after.frames,
          (await settings()).settings.tally,
          message.first ? frameId : undefined,
        )
        .catch(() => undefined);
      await publisher.publish(tabId);
      return undefined;
    },
    async 'frame/route'(_message, { tabId, frameId }) {
      // An in-app route change in the top frame ends dismissals, as a navigation would.
      if (frameId === 0) {
        await tabs.update(tabId, withoutDismissals);
        await publisher.publish(tabId);
      }
      return undefined;
    },
    'frame/config': () => detectionConfig(settings),
  };
}
