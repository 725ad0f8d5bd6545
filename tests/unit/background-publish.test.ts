import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '../../entrypoints/background';
import type { BannerView, FrameToolReport } from '../../lib/messages';
import { frameReport } from '../support/views';

/**
 * The background's path from a frame's report to the banner: settings first (the
 * allow-list decides every verdict), then the banner, with the badge and the
 * storage.session mirror alongside, never in front.
 */

const TAB = 41;
const PAGE_URL = 'http://127.0.0.1:5173/medication';
/** A content script in the tab's top frame (only the fields the background reads). */
const sender = () =>
  ({ id: fakeBrowser.runtime.id, tab: { id: TAB }, frameId: 0, url: PAGE_URL }) as unknown as Parameters<
    typeof fakeBrowser.runtime.onMessage.trigger
  >[1];

const noReply = () => undefined;

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const ticks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

type Injection = { target: unknown; files?: string[]; func?: unknown; args?: unknown[] };
let executeScript: ReturnType<typeof vi.fn<(options: Injection) => Promise<unknown[]>>>;
let sendMessage: ReturnType<typeof vi.fn<(...args: unknown[]) => Promise<unknown>>>;
let setBadgeText: ReturnType<typeof vi.fn<(details: unknown) => Promise<void>>>;

/** Replaces a fake-browser function (their types are the callback-style chrome ones). */
function stub(target: object, key: string, impl: (...args: never[]) => unknown): void {
  vi.spyOn(target as Record<string, (...args: unknown[]) => unknown>, key).mockImplementation(
    impl as (...args: unknown[]) => unknown,
  );
}

beforeEach(() => {
  executeScript = vi.fn(async (_options: Injection) => []);
  sendMessage = vi.fn(async () => undefined);
  setBadgeText = vi.fn(async () => undefined);
  stub(fakeBrowser.scripting, 'executeScript', executeScript);
  stub(fakeBrowser.tabs, 'sendMessage', sendMessage);
  stub(fakeBrowser.action, 'setBadgeText', setBadgeText);
  stub(fakeBrowser.action, 'setBadgeBackgroundColor', async () => undefined);
  // Content-script registration (not under test here).
  stub(fakeBrowser.permissions, 'contains', async () => false);
  stub(fakeBrowser.permissions.onAdded, 'addListener', () => undefined);
  stub(fakeBrowser.permissions.onRemoved, 'addListener', () => undefined);
  stub(fakeBrowser.scripting, 'getRegisteredContentScripts', async () => []);
  stub(fakeBrowser.scripting, 'registerContentScripts', async () => undefined);
  stub(fakeBrowser.scripting, 'unregisterContentScripts', async () => undefined);
  stub(fakeBrowser.tabs, 'query', async () => []);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function report(tools: FrameToolReport[], first = false) {
  return fakeBrowser.runtime.onMessage.trigger({ type: 'frame/findings', tools, first }, sender(), noReply);
}

/** The view the background seeded the banner's injection with. */
function seededView(): BannerView | undefined {
  const call = executeScript.mock.calls.find(([options]) => options.func !== undefined);
  return call?.[0].args?.[0] as BannerView | undefined;
}

const injectedFiles = () =>
  executeScript.mock.calls.filter(
    ([options]) => 'files' in options && options.files?.[0]?.includes('banner'),
  );

describe('background: report to banner', () => {
  it('computes no verdict before policy is read, and never flags a tool the policy mandates', async () => {
    const policy = deferred<Record<string, unknown>>();
    stub(fakeBrowser.storage.managed, 'get', () => policy.promise);
    background.main();
    const handled = report([frameReport('scriptswitch'), frameReport('optimiserx')], true);
    await ticks();
    // Policy not read yet: nothing reached the page or the badge.
    expect(executeScript).not.toHaveBeenCalled();
    expect(sendMessage).not.toHaveBeenCalled();
    expect(setBadgeText).not.toHaveBeenCalled();

    policy.resolve({ allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }] });
    await handled;
    const view = seededView();
    expect(view?.tools.map((t) => [t.toolId, t.verdict])).toEqual([
      ['optimiserx', 'flagged'],
      ['scriptswitch', 'mandated'],
    ]);
    expect(setBadgeText).toHaveBeenCalledWith({ tabId: TAB, text: '1' });
    // The banner's own request gets the same verdicts.
    const [answer] = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'banner/get-state' },
      sender(),
      noReply,
    );
    expect(answer).toEqual(view);
  });

  it('seeds the first view before injecting banner.js, and does not wait for the badge or storage', async () => {
    const never = new Promise<never>(() => undefined);
    setBadgeText.mockReturnValue(never);
    stub(fakeBrowser.storage.session, 'set', () => never);
    background.main();
    void report([frameReport('scriptswitch')], true);
    await ticks();
    expect(executeScript).toHaveBeenCalledTimes(2);
    const [seed, files] = executeScript.mock.calls.map(([options]) => options);
    expect(seed).toMatchObject({ target: { tabId: TAB, frameIds: [0] }, injectImmediately: true });
    expect(typeof seed?.func).toBe('function');
    expect(files).toMatchObject({
      target: { tabId: TAB, frameIds: [0] },
      files: ['/content-scripts/banner.js'],
      injectImmediately: true,
    });
    expect(seededView()?.tools.map((t) => [t.toolId, t.verdict])).toEqual([['scriptswitch', 'flagged']]);

    // The banner is in the page: the next report goes to it as a message, still without
    // waiting for the badge (never answered here) or storage (never written here).
    void report([frameReport('scriptswitch'), frameReport('optimiserx')]);
    await ticks();
    expect(injectedFiles()).toHaveLength(1);
    expect(sendMessage).toHaveBeenCalledTimes(1);
    const [tabId, message, options] = sendMessage.mock.calls[0] as [number, { view: BannerView }, object];
    expect(tabId).toBe(TAB);
    expect(options).toEqual({ frameId: 0 });
    expect(message.view.tools.map((t) => t.toolId)).toEqual(['optimiserx', 'scriptswitch']);
  });

  it('injects nothing while no tool needs showing', async () => {
    stub(fakeBrowser.storage.managed, 'get', async () => ({
      allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
    }));
    background.main();
    await report([frameReport('scriptswitch')], true);
    expect(executeScript).not.toHaveBeenCalled();
    expect(setBadgeText).toHaveBeenCalledWith({ tabId: TAB, text: '' });
  });

  it('tries the injection again when the frame was not ready', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let refused = 0;
      executeScript.mockImplementation(async (options) => {
        if (options.files && refused++ === 0) throw new Error('Frame with ID 0 was removed.');
        return [];
      });
      background.main();
      const handled = report([frameReport('scriptswitch')], true);
      await vi.advanceTimersByTimeAsync(0);
      await handled;
      expect(injectedFiles()).toHaveLength(1); // refused
      await vi.advanceTimersByTimeAsync(400);
      expect(injectedFiles()).toHaveLength(2); // tried again, with a fresh seed first
      expect(executeScript.mock.calls.filter(([options]) => options.func)).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
