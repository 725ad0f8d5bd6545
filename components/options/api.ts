import { browser } from 'wxt/browser';
import type { Settings } from '../../lib/settings/schema';
import type { EffectiveSettings, FieldProblem } from '../../lib/settings/validate';
import { type PausedSignature, readPaused, watchPaused } from '../../platform/paused-signatures';
import {
  clearRepairs,
  forgetRememberedMandates,
  readLocalSettings,
  readRepairs,
  startEffectiveSettings,
  type WriteResult,
  watchSettingsSources,
  writeLocalSettings,
} from '../../platform/settings-store';

/**
 * What the options page needs from the extension, in one seam: the page's components
 * never touch `browser.*` or storage themselves, so tests can drive them with fakes.
 */
export interface OptionsApi {
  load(): Promise<OptionsSnapshot>;
  /** Validates, then writes the practice's own settings; refused values change nothing. */
  save(next: unknown): Promise<WriteResult>;
  /** Whether the browser lets the extension run on this origin pattern (no port). */
  hostGranted(origin: string): Promise<boolean>;
  /**
   * Asks the browser for origins, in one prompt. Must be called synchronously from a click
   * handler: the browser only shows its prompt during the user's gesture.
   */
  requestHosts(origins: readonly string[]): Promise<boolean>;
  clearRepairs(): Promise<void>;
  /** The IT lead decided that the mandates of a policy that is gone no longer need confirming. */
  forgetMandates(): Promise<void>;
  download(filename: string, text: string): void;
  /** Calls back when local settings, policy or host grants change. Returns an unsubscribe. */
  watch(onChange: () => void): () => void;
}

export interface OptionsSnapshot {
  /** The practice's own stored settings: what the form edits and what export writes. */
  local: Settings;
  /** Local settings with policy applied, and which fields policy locks. */
  effective: EffectiveSettings;
  /** Why stored settings were last repaired, if they were. */
  repairs: FieldProblem[];
  /** Practice signatures a page paused for taking too long (this browser session). */
  paused?: PausedSignature[];
}

/** The page's change listeners, also told when a policy read at start differs from the remembered one. */
const changeListeners = new Set<() => void>();

export const browserOptionsApi: OptionsApi = {
  async load() {
    const local = await readLocalSettings();
    // The remembered policy shows at once (the browser can take seconds to answer
    // storage.managed after a start); a fresh policy that differs reloads the page's view.
    const [effective, repairs, paused] = await Promise.all([
      startEffectiveSettings(() => {
        for (const listener of changeListeners) listener();
      }),
      readRepairs(),
      readPaused(),
    ]);
    return { local, effective, repairs, paused };
  },
  save: (next) => writeLocalSettings(next),
  hostGranted: (origin) => browser.permissions.contains({ origins: [origin] }).catch(() => false),
  requestHosts: (origins) => browser.permissions.request({ origins: [...origins] }).catch(() => false),
  clearRepairs,
  forgetMandates: forgetRememberedMandates,
  download(filename, text) {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  watch(onChange) {
    changeListeners.add(onChange);
    const stopSettings = watchSettingsSources(onChange);
    const stopPaused = watchPaused(onChange);
    const onPermissions = () => onChange();
    const events = [browser.permissions?.onAdded, browser.permissions?.onRemoved];
    const added: typeof events = [];
    for (const event of events) {
      try {
        event?.addListener(onPermissions);
        added.push(event);
      } catch {
        // Not every browser (or test double) has permission events: grants are re-read on reload.
      }
    }
    return () => {
      changeListeners.delete(onChange);
      stopSettings();
      stopPaused();
      for (const event of added) event?.removeListener(onPermissions);
    };
  },
};
