import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { emptyTab, type TabRecord, withFrameReport } from '../../lib/background/tab-state';
import type { FrameToolReport } from '../../lib/messages';
import { toCsv } from '../../lib/tally';
import { createTallyStore } from '../../platform/tally-store';

/** A tab seen for the first time: nothing of it counted yet. */
let tabSeq = 100;
const freshTab = () => {
  tabSeq += 1;
  return tabSeq;
};

const ON = { enabled: true, retentionDays: 90 };
const OFF = { enabled: false, retentionDays: 90 };

function report(toolId: string, count: number): FrameToolReport {
  return { toolId, signatureIds: [`${toolId}-dialog`], confidence: 'high', count, evidenceKinds: ['brand'] };
}

function clock(initial: Date) {
  let current = initial;
  return {
    now: () => current,
    set(d: Date) {
      current = d;
    },
  };
}

async function storedRaw(): Promise<unknown> {
  return (await fakeBrowser.storage.local.get('tally')).tally;
}

describe('tally store', () => {
  it('counts repeated, re-rendered and dismissed prompts exactly, as the background would feed it', async () => {
    const time = clock(new Date(2026, 5, 3, 10));
    const store = createTallyStore({ now: time.now });
    let tab: TabRecord = emptyTab();
    async function frame(frameId: number, tools: FrameToolReport[]) {
      const next = withFrameReport(tab, frameId, tools);
      await store.recordTab(1, next.frames, ON);
      tab = next;
    }
    await frame(0, [report('optimiserx', 1)]); // prompt opens: 1
    await frame(0, [report('optimiserx', 1)]); // re-render: 0
    await store.recordDismissal('optimiserx', ON); // banner dismissed: prompt count unchanged
    await frame(0, [report('optimiserx', 1)]); // re-render after dismissal: 0
    await frame(0, []); // closes
    await frame(0, [report('optimiserx', 1)]); // the same one re-inserted at once: 0
    await frame(0, []); // closes
    time.set(new Date(2026, 5, 3, 10, 1)); // a minute later, past the 30 s window
    await frame(0, [report('optimiserx', 1)]); // a new one: 1
    await frame(2, [report('scriptswitch', 1)]); // an iframe: 1
    time.set(new Date(2026, 5, 4, 9));
    await frame(2, [report('scriptswitch', 2)]); // a second ScriptSwitch prompt, next day: 1

    expect(await storedRaw()).toEqual({
      days: {
        '2026-06-03': {
          optimiserx: { prompts: 2, dismissals: 1 },
          scriptswitch: { prompts: 1, dismissals: 0 },
        },
        '2026-06-04': { scriptswitch: { prompts: 1, dismissals: 0 } },
      },
    });
  });

  it('a prompt re-inserted eleven times in six seconds counts once on its tab, and again on another tab', async () => {
    const time = clock(new Date(2026, 5, 3, 10));
    const store = createTallyStore({ now: time.now });
    for (let i = 0; i < 11; i += 1) {
      time.set(new Date(2026, 5, 3, 10, 0, 0, i * 550));
      await store.recordTab(7, { 0: [report('scriptswitch', 1)] }, ON);
      await store.recordTab(7, {}, ON);
    }
    await store.recordTab(8, { 0: [report('scriptswitch', 1)] }, ON);
    expect(await storedRaw()).toEqual({
      days: { '2026-06-03': { scriptswitch: { prompts: 2, dismissals: 0 } } },
    });
  });

  it('loses no count when many frames report at once', async () => {
    const store = createTallyStore({ now: () => new Date(2026, 5, 3, 10) });
    await Promise.all(
      Array.from({ length: 25 }, (_, frameId) =>
        store.recordTab(freshTab(), { [frameId]: [report('optimiserx', 1), report('scriptswitch', 2)] }, ON),
      ),
    );
    await Promise.all(Array.from({ length: 7 }, () => store.recordDismissal('scriptswitch', ON)));
    expect((await store.read(ON)).days['2026-06-03']).toEqual({
      optimiserx: { prompts: 25, dismissals: 0 },
      scriptswitch: { prompts: 50, dismissals: 7 },
    });
  });

  it('stores nothing at all while the tally is switched off', async () => {
    const store = createTallyStore({ now: () => new Date(2026, 5, 3, 10) });
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 1)] }, OFF);
    await store.recordDismissal('optimiserx', OFF);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await store.read(OFF)).toEqual({ days: {} });
  });

  it('keeps earlier counts but adds none while off', async () => {
    const store = createTallyStore({ now: () => new Date(2026, 5, 3, 10) });
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 1)] }, ON);
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 3)] }, OFF);
    expect(await storedRaw()).toEqual({
      days: { '2026-06-03': { optimiserx: { prompts: 1, dismissals: 0 } } },
    });
  });

  it('prunes by the retention on each write and on read', async () => {
    const time = clock(new Date(2026, 0, 1, 12));
    const store = createTallyStore({ now: time.now });
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 1)] }, ON);
    time.set(new Date(2026, 0, 10, 12));
    await store.recordTab(
      freshTab(),
      { 0: [report('scriptswitch', 1)] },
      { enabled: true, retentionDays: 10 },
    );
    expect(Object.keys(((await storedRaw()) as { days: object }).days)).toEqual(['2026-01-01', '2026-01-10']);
    time.set(new Date(2026, 0, 11, 12));
    await store.recordDismissal('scriptswitch', { enabled: true, retentionDays: 10 });
    expect(Object.keys(((await storedRaw()) as { days: object }).days)).toEqual(['2026-01-10', '2026-01-11']);
    // Reading with a shorter retention prunes the stored value too, even while off.
    await store.read({ retentionDays: 1 });
    expect(await storedRaw()).toEqual({
      days: { '2026-01-11': { scriptswitch: { prompts: 0, dismissals: 1 } } },
    });
  });

  it('exports exactly what it stored', async () => {
    const time = clock(new Date(2026, 5, 1, 8));
    const store = createTallyStore({ now: time.now });
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 2)] }, ON);
    time.set(new Date(2026, 5, 2, 8));
    await store.recordDismissal('optimiserx', ON);
    const stored = await store.read(ON);
    expect(toCsv(stored)).toBe(
      'date,tool_id,prompts,dismissals\r\n2026-06-01,optimiserx,2,0\r\n2026-06-02,optimiserx,0,1\r\n',
    );
  });

  it('repairs a corrupt stored value instead of throwing or wiping it', async () => {
    await fakeBrowser.storage.local.set({
      tally: {
        url: 'https://clinical.example.nhs.uk/patient/1',
        days: {
          '2026-06-03': {
            optimiserx: { prompts: 4, dismissals: 'x' },
            scriptswitch: { prompts: 2, dismissals: 0 },
          },
          garbage: 1,
        },
      },
    });
    const store = createTallyStore({ now: () => new Date(2026, 5, 3, 10) });
    expect(await store.read(ON)).toEqual({
      days: { '2026-06-03': { scriptswitch: { prompts: 2, dismissals: 0 } } },
    });
    expect(await storedRaw()).toEqual({
      days: { '2026-06-03': { scriptswitch: { prompts: 2, dismissals: 0 } } },
    });
    await store.recordTab(freshTab(), { 0: [report('scriptswitch', 1)] }, ON);
    expect(await storedRaw()).toEqual({
      days: { '2026-06-03': { scriptswitch: { prompts: 3, dismissals: 0 } } },
    });

    await fakeBrowser.storage.local.set({ tally: 'not even an object' });
    expect(await store.read(ON)).toEqual({ days: {} });
  });

  it('clear removes the whole tally', async () => {
    const store = createTallyStore({ now: () => new Date(2026, 5, 3, 10) });
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 1)] }, ON);
    await store.clear();
    expect(await storedRaw()).toBeUndefined();
    expect(await store.read(ON)).toEqual({ days: {} });
  });

  it('stores nothing but dates, tool ids and counts', async () => {
    const store = createTallyStore({ now: () => new Date(2026, 5, 3, 10) });
    await store.recordTab(freshTab(), { 0: [report('optimiserx', 1)], 4: [report('scriptswitch', 1)] }, ON);
    await store.recordDismissal('optimiserx', ON);
    const all = await fakeBrowser.storage.local.get(null);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/https?:|dialog|label|high|confidence|signature/);
    expect(JSON.stringify(all.tally)).toMatch(
      /^\{"days":\{"2026-06-03":\{("(optimiserx|scriptswitch)":\{"prompts":\d+,"dismissals":\d+\},?)+\}\}\}$/,
    );
  });
});
