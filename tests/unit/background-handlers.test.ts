import { describe, expect, it, vi } from 'vitest';
import { clinicalHostAdder } from '../../entrypoints/background/clinical-hosts';
import { bannerHandlers } from '../../entrypoints/background/handlers/banner';
import { frameHandlers } from '../../entrypoints/background/handlers/frame';
import { pickerHandlers } from '../../entrypoints/background/handlers/picker';
import { popupHandlers } from '../../entrypoints/background/handlers/popup';
import type { RouterHandlers } from '../../entrypoints/background/handlers/types';
import type { Publisher } from '../../entrypoints/background/publisher';
import { createRouter } from '../../entrypoints/background/router';
import { emptyTab, type TabRecord } from '../../lib/background/tab-state';
import { builtInSignatures } from '../../lib/catalogue';
import {
  type BannerView,
  contentToBackgroundSchema,
  pickerToBackgroundSchema,
  popupToBackgroundSchema,
} from '../../lib/messages';
import { type EffectiveSettings, resolveSettings } from '../../lib/settings/policy';
import { type Settings, settingsSchema } from '../../lib/settings/schema';
import { readLocalSettings, writeLocalSettings } from '../../platform/settings-store';
import { frameReport } from '../support/views';

/**
 * The background's handlers, called directly with fakes (no defineBackground), and the
 * router that is the only way a message reaches them.
 */

const EXTENSION = { id: 'mo-extension', baseUrl: 'chrome-extension://mo-extension/' };
const TAB = 7;
const PAGE = 'https://clinical.example.nhs.uk/patient';
const frame = (frameId = 0) => ({ tabId: TAB, frameId, frameHost: 'clinical.example.nhs.uk' });

const effective = (local: Partial<Settings> = {}, policy: Record<string, unknown> = {}): EffectiveSettings =>
  resolveSettings(settingsSchema.parse(local), policy);

/** Tabs in a Map, with the tab store's shape. */
function fakeTabs() {
  const records = new Map<number, TabRecord>();
  let snoozed: number | undefined;
  return {
    records,
    snoozed: () => snoozed,
    async update(tabId: number, change: (tab: TabRecord) => TabRecord) {
      const next = change(records.get(tabId) ?? emptyTab());
      records.set(tabId, next);
      return next;
    },
    async setSnoozedUntil(until: number | undefined) {
      snoozed = until;
    },
  };
}

function fakePublisher(): Publisher & { published: number[]; forgotten: number[]; all: number } {
  const publisher = {
    published: [] as number[],
    forgotten: [] as number[],
    all: 0,
    viewFor: async () => ({ tools: [], showMandatedNote: false, corner: 'bottom-right' }) as BannerView,
    publish: async (tabId: number) => {
      publisher.published.push(tabId);
    },
    publishAll: async () => {
      publisher.all += 1;
    },
    forgetBanner: (tabId: number) => {
      publisher.forgotten.push(tabId);
    },
  };
  return publisher;
}

/** Handlers that record which one was called, with what. */
function spyHandlers() {
  const calls: [string, unknown, unknown][] = [];
  const handler =
    (type: string) =>
    async (message: unknown, from: unknown): Promise<never> => {
      calls.push([type, message, from]);
      return `${type} answered` as never;
    };
  // One spy for every request type each schema knows.
  const table = <T extends string>(schema: { options: readonly { shape: { type: { value: T } } }[] }) =>
    Object.fromEntries(
      schema.options.map(({ shape }) => [shape.type.value, handler(shape.type.value)]),
    ) as Record<T, ReturnType<typeof handler>>;
  const handlers: RouterHandlers = {
    content: table(contentToBackgroundSchema),
    picker: table(pickerToBackgroundSchema),
    popup: table(popupToBackgroundSchema),
  };
  return { calls, route: createRouter(handlers, EXTENSION) };
}

const contentSender = (frameId = 0) => ({ id: EXTENSION.id, url: PAGE, tab: { id: TAB }, frameId });
const popupSender = { id: EXTENSION.id, url: `${EXTENSION.baseUrl}popup.html` };
function builtInSignature() {
  const found = builtInSignatures.find((s) => s.toolId === 'scriptswitch');
  if (!found) throw new Error('the catalogue has no ScriptSwitch signature');
  return found;
}
const signature = builtInSignature();

describe('router: who may ask what', () => {
  it('hands a content script its frame (tab, frame id, host) and a parsed request', async () => {
    const { calls, route } = spyHandlers();
    const answer = await route(
      { type: 'frame/findings', tools: [frameReport('scriptswitch')], pageText: 'Jane Smith' },
      contentSender(3),
    );
    expect(answer).toBe('frame/findings answered');
    expect(calls).toEqual([
      ['frame/findings', { type: 'frame/findings', tools: [frameReport('scriptswitch')] }, frame(3)],
    ]);
  });

  it('answers nothing to another extension, a malformed request, or a request from the wrong context', () => {
    const { calls, route } = spyHandlers();
    expect(route({ type: 'banner/snooze' }, { ...contentSender(), id: 'someone-else' })).toBeUndefined();
    expect(route({ type: 'banner/dismiss', toolId: 'Jane Smith' }, contentSender())).toBeUndefined();
    expect(route({ type: 'nope' }, contentSender())).toBeUndefined();
    // A content script cannot ask the popup's questions, nor the popup a content script's.
    expect(route({ type: 'popup/reshow-banner', tabId: TAB }, contentSender())).toBeUndefined();
    expect(route({ type: 'banner/snooze' }, popupSender)).toBeUndefined();
    // The picker lives in the top frame only.
    expect(route({ type: 'picker/get-signatures' }, contentSender(2))).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('treats an extension page in a tab as a page, not a content script', async () => {
    const { calls, route } = spyHandlers();
    await route({ type: 'popup/get-state', tabId: TAB }, { ...popupSender, tab: { id: 99 } });
    expect(calls).toEqual([['popup/get-state', { type: 'popup/get-state', tabId: TAB }, undefined]]);
  });

  it('routes the picker from a top frame, with its signature checked', async () => {
    const { calls, route } = spyHandlers();
    expect(route({ type: 'picker/add-signature', signature: { id: 'x' } }, contentSender())).toBeUndefined();
    await route({ type: 'picker/add-signature', signature }, contentSender());
    expect(calls.map(([type]) => type)).toEqual(['picker/add-signature']);
  });
});

describe('frame handlers', () => {
  function setup() {
    const tabs = fakeTabs();
    const publisher = fakePublisher();
    const tally = { recordTab: vi.fn(async () => undefined) };
    const recordPaused = vi.fn(async () => undefined);
    const handlers = frameHandlers({
      settings: async () => effective({ customSignatures: [signature] }),
      tabs,
      publisher,
      tally,
      recordPaused,
    });
    return { tabs, publisher, tally, recordPaused, handlers };
  }

  it('a new top-frame document ends dismissals and forgets the banner; a sub-frame report does not', async () => {
    const { tabs, publisher, tally, handlers } = setup();
    tabs.records.set(TAB, { frames: {}, dismissed: ['scriptswitch'] });
    await handlers['frame/findings'](
      { type: 'frame/findings', tools: [frameReport('scriptswitch')], first: true },
      frame(2),
    );
    expect(tabs.records.get(TAB)?.dismissed).toEqual(['scriptswitch']);
    expect(publisher.forgotten).toEqual([]);
    await handlers['frame/findings']({ type: 'frame/findings', tools: [], first: true }, frame(0));
    expect(tabs.records.get(TAB)).toEqual({ frames: { 2: [frameReport('scriptswitch')] }, dismissed: [] });
    expect(publisher.forgotten).toEqual([TAB]);
    expect(publisher.published).toEqual([TAB, TAB]);
    expect(tally.recordTab).toHaveBeenLastCalledWith(
      TAB,
      { 2: [frameReport('scriptswitch')] },
      expect.anything(),
      0,
    );
  });

  it('notes paused signatures with the frame host, and hands out the practice signatures', async () => {
    const { recordPaused, handlers } = setup();
    await handlers['frame/findings'](
      { type: 'frame/findings', tools: [], pausedSignatureIds: ['local-slow'] },
      frame(1),
    );
    expect(recordPaused).toHaveBeenCalledWith(['local-slow'], 'clinical.example.nhs.uk');
    expect(await handlers['frame/config']({ type: 'frame/config' }, frame(1))).toEqual({
      customSignatures: [signature],
    });
  });
});

describe('banner handlers', () => {
  it('counts a dismissal once per tool and tab, and snoozes every tab for the set minutes', async () => {
    const tabs = fakeTabs();
    const publisher = fakePublisher();
    const tally = { recordDismissal: vi.fn(async () => undefined) };
    const handlers = bannerHandlers({
      settings: async () =>
        effective({ banner: { snoozeMinutes: 30, showMandatedNote: false, corner: 'bottom-left' } }),
      tabs,
      publisher,
      tally,
      now: () => 1_000_000,
    });
    await handlers['banner/dismiss']({ type: 'banner/dismiss', toolId: 'scriptswitch' }, frame());
    await handlers['banner/dismiss']({ type: 'banner/dismiss', toolId: 'scriptswitch' }, frame());
    expect(tally.recordDismissal).toHaveBeenCalledTimes(1);
    expect(tabs.records.get(TAB)?.dismissed).toEqual(['scriptswitch']);
    await handlers['banner/snooze']({ type: 'banner/snooze' }, frame());
    expect(tabs.snoozed()).toBe(1_000_000 + 30 * 60_000);
    expect(publisher.all).toBe(1);
  });
});

describe('popup handlers', () => {
  function setup(url: string | undefined, granted: boolean) {
    const tabs = fakeTabs();
    const publisher = fakePublisher();
    const deps = {
      settings: async () => effective({ clinicalHosts: ['https://clinical.example.nhs.uk/*'] }),
      tabs,
      publisher,
      tabUrl: async () => url,
      hostPatternFor: (u: string) => `${new URL(u).origin}/*`,
      hasHostPermission: async () => granted,
      watchedPatterns: (s: Settings) => s.clinicalHosts,
      addClinicalHost: vi.fn(async () => undefined),
      syncRegistration: vi.fn(async () => undefined),
      injectDetector: vi.fn(async () => undefined),
    };
    return { deps, tabs, publisher, handlers: popupHandlers(deps) };
  }

  it('says whether the tab is listed, granted and so watched', async () => {
    const listed = await setup(PAGE, false).handlers['popup/get-state'](
      { type: 'popup/get-state', tabId: TAB },
      undefined,
    );
    expect(listed).toMatchObject({
      listed: true,
      hasPermission: false,
      watched: false,
      host: 'clinical.example.nhs.uk',
    });
    const watched = await setup(PAGE, true).handlers['popup/get-state'](
      { type: 'popup/get-state', tabId: TAB },
      undefined,
    );
    expect(watched).toMatchObject({ listed: true, hasPermission: true, watched: true, lockedFields: [] });
    const other = await setup('https://elsewhere.example/', true).handlers['popup/get-state'](
      { type: 'popup/get-state', tabId: TAB },
      undefined,
    );
    expect(other).toMatchObject({ listed: false, watched: false });
    const hidden = await setup(undefined, true).handlers['popup/get-state'](
      { type: 'popup/get-state', tabId: TAB },
      undefined,
    );
    expect(hidden).toMatchObject({ listed: false, hasPermission: false, host: undefined });
  });

  it('watch-site adds the host, re-registers, then runs the detector in the tab', async () => {
    const { deps, handlers } = setup(PAGE, true);
    const order: string[] = [];
    deps.addClinicalHost.mockImplementation(async () => void order.push('add'));
    deps.syncRegistration.mockImplementation(async () => void order.push('sync'));
    deps.injectDetector.mockImplementation(async () => void order.push('inject'));
    await handlers['popup/watch-site'](
      { type: 'popup/watch-site', tabId: TAB, pattern: 'https://new.example.nhs.uk/*' },
      undefined,
    );
    expect(order).toEqual(['add', 'sync', 'inject']);
    expect(deps.addClinicalHost).toHaveBeenCalledWith('https://new.example.nhs.uk/*');
    expect(deps.injectDetector).toHaveBeenCalledWith(TAB);
  });

  it('reshow-banner ends the tab dismissals and the snooze', async () => {
    const { tabs, publisher, handlers } = setup(PAGE, true);
    tabs.records.set(TAB, { frames: {}, dismissed: ['scriptswitch'] });
    await tabs.setSnoozedUntil(Date.now() + 60_000);
    await handlers['popup/reshow-banner']({ type: 'popup/reshow-banner', tabId: TAB }, undefined);
    expect(tabs.records.get(TAB)?.dismissed).toEqual([]);
    expect(tabs.snoozed()).toBeUndefined();
    expect(publisher.all).toBe(1);
  });
});

describe('picker handlers (over the real settings store)', () => {
  const handlers = pickerHandlers({ readLocalSettings, writeLocalSettings });
  const custom = { ...signature, id: 'custom-formulary-nudge', toolId: 'formulary-nudge' };

  it('saves a signature and the tool it names once, keeping the rest of the settings', async () => {
    await writeLocalSettings({ allowList: [{ toolId: 'scriptswitch' }] });
    const tool = { id: 'formulary-nudge', name: 'Formulary Nudge' };
    const first = await handlers['picker/add-signature'](
      { type: 'picker/add-signature', signature: custom, newTool: tool },
      frame(),
    );
    expect(first).toEqual({ ok: true, saved: { customTools: [tool], customSignatures: [custom] } });
    const second = { ...custom, id: 'custom-formulary-nudge-2' };
    await handlers['picker/add-signature'](
      { type: 'picker/add-signature', signature: second, newTool: tool },
      frame(),
    );
    const stored = await readLocalSettings();
    expect(stored.customTools).toEqual([tool]);
    expect(stored.customSignatures.map((s) => s.id)).toEqual([custom.id, second.id]);
    expect(stored.allowList).toEqual([{ toolId: 'scriptswitch' }]);
    expect(await handlers['picker/get-signatures']({ type: 'picker/get-signatures' }, frame())).toEqual({
      customTools: stored.customTools,
      customSignatures: stored.customSignatures,
    });
  });

  it('refuses a save that would make the settings invalid, saying which field, and changes nothing', async () => {
    const full = Array.from({ length: 200 }, (_, i) => ({ ...custom, id: `custom-${i}` }));
    expect((await writeLocalSettings({ customSignatures: full })).ok).toBe(true);
    const result = await handlers['picker/add-signature'](
      { type: 'picker/add-signature', signature: { ...custom, id: 'custom-one-too-many' } },
      frame(),
    );
    if (result.ok) expect.fail('a 201st signature was saved');
    expect(result.problems.map((p) => p.field)).toEqual(['customSignatures']);
    expect((await readLocalSettings()).customSignatures).toHaveLength(200);
  });
});

describe('clinical hosts: "watch this site"', () => {
  function adder(policy: Record<string, unknown> = {}, granted = true) {
    const refresh = vi.fn();
    const add = clinicalHostAdder({
      settings: async () => resolveSettings(await readLocalSettings(), policy),
      hasHostPermission: async () => granted,
      readLocalSettings,
      writeLocalSettings,
      refresh,
    });
    return { add, refresh };
  }

  it('adds a granted host to the practice list, keeping the rest, and re-reads the settings', async () => {
    await writeLocalSettings({
      clinicalHosts: ['https://a.example.nhs.uk/*'],
      allowList: [{ toolId: 'scriptswitch' }],
    });
    const { add, refresh } = adder();
    await add('https://b.example.nhs.uk/*');
    const stored = await readLocalSettings();
    expect(stored.clinicalHosts).toEqual(['https://a.example.nhs.uk/*', 'https://b.example.nhs.uk/*']);
    expect(stored.allowList).toEqual([{ toolId: 'scriptswitch' }]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('adds nothing when policy owns the list, the origin is listed in another form, or access was not granted', async () => {
    await writeLocalSettings({ clinicalHosts: ['https://a.example.nhs.uk:8443/app/*'] });
    await adder().add('https://a.example.nhs.uk/*');
    await adder({}, false).add('https://c.example.nhs.uk/*');
    await adder({ clinicalHosts: ['https://policy.example.nhs.uk/*'] }).add('https://d.example.nhs.uk/*');
    expect((await readLocalSettings()).clinicalHosts).toEqual(['https://a.example.nhs.uk:8443/app/*']);
  });
});
