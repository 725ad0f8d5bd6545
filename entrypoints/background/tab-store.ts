import { browser } from 'wxt/browser';
import { emptyTab, type TabRecord } from '../../lib/tab-state';

/**
 * Tab records in memory, mirrored to storage.session so a restarted MV3 service
 * worker keeps them. They hold tool ids and counts only; session storage is
 * cleared when the browser closes.
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

  let saving: Promise<void> = Promise.resolve();
  function save(): Promise<void> {
    if (!session) return Promise.resolve();
    const snapshot = Object.fromEntries(memory);
    saving = saving
      .then(() => session.set({ tabs: snapshot, snoozedUntil: snoozed ?? 0 }))
      .catch(() => undefined);
    return saving;
  }

  return {
    async get(tabId: number): Promise<TabRecord | undefined> {
      await load();
      return memory.get(tabId);
    },
    async ids(): Promise<number[]> {
      await load();
      return [...memory.keys()];
    },
    async update(tabId: number, change: (tab: TabRecord) => TabRecord): Promise<TabRecord> {
      await load();
      const next = change(memory.get(tabId) ?? emptyTab());
      memory.set(tabId, next);
      await save();
      return next;
    },
    async reset(tabId: number): Promise<void> {
      await load();
      memory.set(tabId, emptyTab());
      await save();
    },
    async remove(tabId: number): Promise<void> {
      await load();
      memory.delete(tabId);
      await save();
    },
    async snoozedUntil(): Promise<number | undefined> {
      await load();
      return snoozed && snoozed > Date.now() ? snoozed : undefined;
    },
    async setSnoozedUntil(until: number | undefined): Promise<void> {
      await load();
      snoozed = until;
      await save();
    },
  };
}
