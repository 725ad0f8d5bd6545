import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createTabStore } from '../../entrypoints/background/tab-store';
import { emptyTab, type TabRecord, withDismissed, withFrameReport } from '../../lib/background/tab-state';
import { frameReport } from '../support/views';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A storage.session.set that waits until released, recording every snapshot written. */
function holdSessionWrites() {
  const written: Record<string, unknown>[] = [];
  const releases: (() => void)[] = [];
  const original = fakeBrowser.storage.session.set.bind(fakeBrowser.storage.session);
  vi.spyOn(fakeBrowser.storage.session, 'set').mockImplementation((items) => {
    written.push(structuredClone(items));
    return new Promise<void>((resolve) => {
      releases.push(() => void original(items).then(resolve));
    });
  });
  return {
    written,
    /** Lets the oldest waiting write finish. */
    releaseOne: () => releases.shift()?.(),
    pending: () => releases.length,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('tab store: memory is authoritative, storage.session follows', () => {
  it('an update resolves without waiting for storage, and is readable at once', async () => {
    const session = holdSessionWrites();
    const store = createTabStore();
    const next = await store.update(7, (tab) => withFrameReport(tab, 0, [frameReport('scriptswitch')]));
    expect(next.frames[0]?.[0]?.toolId).toBe('scriptswitch');
    expect((await store.get(7))?.frames[0]?.[0]?.toolId).toBe('scriptswitch');
    await settle();
    // The write was started, and is still held: the update did not wait for it.
    expect(session.pending()).toBe(1);
    session.releaseOne();
    await store.flushed();
    expect(((await fakeBrowser.storage.session.get('tabs')).tabs as Record<string, TabRecord>)['7']).toEqual(
      next,
    );
  });

  it('writes one snapshot at a time, in order, the last one carrying the latest state', async () => {
    const session = holdSessionWrites();
    const store = createTabStore();
    await store.update(1, (tab) => withFrameReport(tab, 0, [frameReport('scriptswitch')]));
    await settle();
    expect(session.pending()).toBe(1);
    // While the first write is in flight: three more changes.
    await store.update(1, (tab) => withDismissed(tab, 'scriptswitch'));
    await store.update(2, (tab) => withFrameReport(tab, 0, [frameReport('optimiserx')]));
    await store.setSnoozedUntil(Date.now() + 60_000);
    await settle();
    expect(session.pending()).toBe(1); // no second write before the first has finished
    session.releaseOne();
    await settle();
    await settle();
    // The three changes went out together, in one later write.
    expect(session.written).toHaveLength(2);
    session.releaseOne();
    await store.flushed();
    const last = session.written.at(-1) as { tabs: Record<string, TabRecord>; snoozedUntil: number };
    expect(last.tabs['1']?.dismissed).toEqual(['scriptswitch']);
    expect(last.tabs['2']?.frames[0]?.[0]?.toolId).toBe('optimiserx');
    expect(last.snoozedUntil).toBeGreaterThan(Date.now());
    const stored = await fakeBrowser.storage.session.get(['tabs', 'snoozedUntil']);
    expect(stored).toEqual(last);
  });

  it('a failed write leaves memory as it is and does not stop later writes', async () => {
    const set = vi.spyOn(fakeBrowser.storage.session, 'set').mockRejectedValueOnce(new Error('quota'));
    const store = createTabStore();
    await store.update(3, (tab) => withDismissed(tab, 'optimiserx'));
    await store.flushed();
    expect((await store.get(3))?.dismissed).toEqual(['optimiserx']);
    set.mockRestore();
    await store.update(3, (tab) => withDismissed(tab, 'scriptswitch'));
    await store.flushed();
    const { tabs } = (await fakeBrowser.storage.session.get('tabs')) as { tabs: Record<string, TabRecord> };
    expect(tabs['3']?.dismissed).toEqual(['optimiserx', 'scriptswitch']);
  });

  it('a restarted service worker gets the saved records back, and its first write keeps them', async () => {
    const before = createTabStore();
    await before.update(4, (tab) => withFrameReport(tab, 0, [frameReport('scriptswitch')]));
    await before.update(5, (tab) => withDismissed(tab, 'optimiserx'));
    await before.setSnoozedUntil(Date.now() + 60_000);
    await before.flushed();

    // A new worker: a fresh store over the same session storage.
    const after = createTabStore();
    expect((await after.get(4))?.frames[0]?.[0]?.toolId).toBe('scriptswitch');
    expect(await after.snoozedUntil()).toBeGreaterThan(Date.now());
    await after.update(6, () => emptyTab());
    await after.flushed();
    const { tabs } = (await fakeBrowser.storage.session.get('tabs')) as { tabs: Record<string, TabRecord> };
    expect(Object.keys(tabs).sort()).toEqual(['4', '5', '6']);
    expect(tabs['5']?.dismissed).toEqual(['optimiserx']);
  });

  it('a removed tab leaves memory at once and storage with the next write', async () => {
    const store = createTabStore();
    await store.update(8, (tab) => withFrameReport(tab, 0, [frameReport('scriptswitch')]));
    await store.remove(8);
    expect(await store.get(8)).toBeUndefined();
    expect(await store.ids()).toEqual([]);
    await store.flushed();
    const { tabs } = (await fakeBrowser.storage.session.get('tabs')) as { tabs: Record<string, TabRecord> };
    expect(tabs).toEqual({});
  });
});
