import { browser } from 'wxt/browser';
import { emptyTab, type TabRecord } from '../../lib/background/tab-state';
import { isSnoozedAt } from '../../lib/views';

/**
 * Tab records in memory, mirrored to storage.session so a restarted MV3 service
 * worker keeps them. They hold tool ids and counts only; session storage is
 * cleared when the browser closes.
 *
 * Memory is the authority: a change is visible to the next read at once, and the
 * mirror follows without holding anyone up (the banner must not wait on storage).
 * Writes are whole snapshots, made one at a time in order; changes made while a write
 * is in flight are coalesced into the next one, so the last write is the latest state.
 */
export function createTabStore() {
  const memory = new Map<number, TabRecord>();
  let snoozed: number | undefined;
  let loaded: Promise<void> | undefined;
  const session = browser.storage.session;

  function load(): Promise<void> {
    loaded ??= (async () => {
      if (!session) return;
      const saved = (await session.get(['tabs', 'snoozedUntil']).catch(() => ({}))) as {
        tabs?: Record<string, TabRecord>;
        snoozedUntil?: number;
      };
      for (const [id, record] of Object.entries(saved.tabs ?? {})) {
        if (!memory.has(Number(id))) memory.set(Number(id), record);
      }
      snoozed ??= typeof saved.snoozedUntil === 'number' ? saved.snoozedUntil : undefined;
    })();
    return loaded;
  }

  /** Resolves once every change made so far is in storage.session (or failed to be). */
  let flushed: Promise<void> = Promise.resolve();
  let writeQueued = false;
  /**
   * Queues a mirror of memory to storage.session, without waiting for it. Only called
   * after load() has resolved, so a write never replaces restored records with a
   * partial map.
   */
  function persist(): void {
    if (!session || writeQueued) return;
    writeQueued = true;
    flushed = flushed.then(async () => {
      writeQueued = false;
      // Snapshot taken when the write starts: it carries every change made before it.
      try {
        await session.set({ tabs: Object.fromEntries(memory), snoozedUntil: snoozed ?? 0 });
      } catch {
        // Best effort: memory stays authoritative; the next change writes again.
      }
    });
  }

  return {
    /** Resolves when the storage mirror has caught up with every change so far (tests, shutdown). */
    flushed(): Promise<void> {
      return flushed;
    },
    async get(tabId: number): Promise<TabRecord | undefined> {
      await load();
      return memory.get(tabId);
    },
    async ids(): Promise<number[]> {
      await load();
      return [...memory.keys()];
    },
    /** Applies `change` in memory and returns the new record; storage follows in the background. */
    async update(tabId: number, change: (tab: TabRecord) => TabRecord): Promise<TabRecord> {
      await load();
      const next = change(memory.get(tabId) ?? emptyTab());
      memory.set(tabId, next);
      persist();
      return next;
    },
    async remove(tabId: number): Promise<void> {
      await load();
      memory.delete(tabId);
      persist();
    },
    async snoozedUntil(): Promise<number | undefined> {
      await load();
      return isSnoozedAt(snoozed, Date.now()) ? snoozed : undefined;
    },
    async setSnoozedUntil(until: number | undefined): Promise<void> {
      await load();
      snoozed = until;
      persist();
    },
  };
}
