import { storage } from '@wxt-dev/storage';
import type { Settings } from '../lib/settings/schema';
import {
  type AppearanceLog,
  addDismissal,
  addPrompts,
  countAppearances,
  dayKey,
  type FrameReports,
  prune,
  repairTally,
  type Tally,
} from '../lib/tally';

/**
 * The prompt tally in `local:tally` (meta `tally$` = `{ v: 1 }`): counts only, see
 * lib/tally.ts. Preferences are passed in by the caller (the background already holds
 * the settings in force, policy included), so this file never reads settings itself.
 */

export type TallyPreferences = Settings['tally'];

export const TALLY_VERSION = 1;

export function defineTallyItem() {
  return storage.defineItem<unknown>('local:tally', { fallback: undefined, version: TALLY_VERSION });
}

export interface TallyStoreOptions {
  /** The clock, for tests. */
  now?: () => Date;
  item?: ReturnType<typeof defineTallyItem>;
}

export function createTallyStore({
  now = () => new Date(),
  item = defineTallyItem(),
}: TallyStoreOptions = {}) {
  /**
   * Every write is a read-change-write; chaining them means two frames reporting at
   * once both land. (One chain per context: the options page only ever clears.)
   */
  let chain: Promise<unknown> = Promise.resolve();
  function serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  }

  async function load(): Promise<{ tally: Tally; dirty: boolean }> {
    const raw = await item.getValue();
    const { tally, dropped } = repairTally(raw);
    return { tally, dirty: dropped.length > 0 };
  }

  /**
   * Applies `change` (skipped when the tally is off) and the retention, and writes only
   * if something changed: an empty store stays empty while the tally is off.
   */
  function write(prefs: TallyPreferences, change: (tally: Tally, today: string) => Tally): Promise<Tally> {
    return serialised(async () => {
      const { tally: stored, dirty } = await load();
      const today = dayKey(now());
      const changed = prefs.enabled ? change(stored, today) : stored;
      const next = prune(changed, today, prefs.retentionDays);
      if (dirty || JSON.stringify(next) !== JSON.stringify(stored)) await item.setValue(next);
      return next;
    });
  }

  /** Per tab, the prompts already counted in their appearance window (memory only). */
  const appearances = new Map<number, AppearanceLog>();

  return {
    /**
     * Counts the new prompts in a tab's latest frame reports, once per appearance
     * window (see countAppearances). `newDocument`: the frame that just loaded a new document.
     */
    recordTab(
      tabId: number,
      frames: FrameReports,
      prefs: TallyPreferences,
      newDocument?: number,
    ): Promise<Tally> {
      const { added, log } = countAppearances(
        appearances.get(tabId) ?? {},
        frames,
        now().getTime(),
        newDocument,
      );
      if (Object.keys(log).length > 0) appearances.set(tabId, log);
      else appearances.delete(tabId);
      return write(prefs, (tally, today) =>
        Object.entries(added).reduce((acc, [toolId, n]) => addPrompts(acc, today, toolId, n), tally),
      );
    },
    /** A closed tab's appearances are forgotten. */
    forgetTab(tabId: number): void {
      appearances.delete(tabId);
    },
    recordDismissal(toolId: string, prefs: TallyPreferences): Promise<Tally> {
      return write(prefs, (tally, today) => addDismissal(tally, today, toolId));
    },
    /** The stored tally, repaired and pruned (and written back if either changed it). */
    read(prefs: Pick<TallyPreferences, 'retentionDays'>): Promise<Tally> {
      return write({ enabled: false, retentionDays: prefs.retentionDays }, (tally) => tally);
    },
    clear(): Promise<void> {
      return serialised(() => item.removeValue());
    },
    /** Calls back with the repaired value whenever another context writes the tally. */
    watch(callback: (tally: Tally) => void): () => void {
      return item.watch((value) => callback(repairTally(value).tally));
    },
  };
}

export type TallyStore = ReturnType<typeof createTallyStore>;

export const tallyStore = createTallyStore();
