import { waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import bannerScript from '../../entrypoints/banner.content/index';
import { BANNER_HOST_NAME } from '../../entrypoints/banner.content/mounting';
import { SEED_KEY, STARTED_KEY, seedBannerView } from '../../lib/banner-seed';
import type { BannerView } from '../../lib/messages';
import { bannerViewOf, toolView } from '../support/views';

/**
 * The banner script as it starts in a page: it shows only views from the background,
 * the one injected with it (seed) at once, then whatever the background answers or
 * pushes, newest first.
 */

const g = globalThis as unknown as Record<symbol, unknown>;
const contexts: ContentScriptContext[] = [];

// The e2e build keeps the banner's shadow root open for tests; production closes it.
beforeEach(() => {
  vi.stubEnv('WXT_E2E', '1');
});

afterEach(() => {
  vi.unstubAllEnvs();
  for (const ctx of contexts.splice(0)) ctx.abort('test end');
  delete g[Symbol.for(SEED_KEY)];
  delete g[Symbol.for(STARTED_KEY)];
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

/** Starts the script with the background's answer to banner/get-state held until released. */
function start() {
  let answer!: (value: unknown) => void;
  const asked = new Promise<unknown>((resolve) => {
    answer = resolve;
  });
  const sendMessage = vi
    .spyOn(fakeBrowser.runtime, 'sendMessage')
    .mockImplementation((async (message: { type: string }) =>
      message.type === 'banner/get-state' ? asked : undefined) as never);
  const ctx = new ContentScriptContext('banner');
  contexts.push(ctx);
  void bannerScript.main(ctx);
  return { answer, sendMessage };
}

const push = (v: BannerView) =>
  fakeBrowser.runtime.onMessage.trigger({ type: 'tab/state', view: v }, {}, () => undefined);
const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tool ids listed by the banner, or null when there is no banner. */
function listed(): string[] | null {
  const host = document.querySelector(BANNER_HOST_NAME);
  const banner = host?.shadowRoot?.querySelector('[data-testid="mo-banner"]');
  if (!banner) return null;
  return [...banner.querySelectorAll('[data-tool-id]')].map((el) => el.getAttribute('data-tool-id') ?? '');
}

describe('banner script start', () => {
  it('without a seed, shows nothing until the background answers, then its answer', async () => {
    const { answer, sendMessage } = start();
    await settle();
    expect(sendMessage).toHaveBeenCalledWith({ type: 'banner/get-state' });
    expect(listed()).toBeNull();
    answer(bannerViewOf([toolView('scriptswitch')]));
    await waitFor(() => expect(listed()).toEqual(['scriptswitch']));
  });

  it('with a seed, shows it at once, then the newer answer when it differs', async () => {
    seedBannerView(bannerViewOf([toolView('scriptswitch'), toolView('optimiserx')]), Date.now());
    const { answer } = start();
    await waitFor(() => expect(listed()).toEqual(['scriptswitch', 'optimiserx']));
    // Meanwhile the clinician dismissed OptimiseRx on this tab (before this script listened).
    answer(bannerViewOf([toolView('scriptswitch'), toolView('optimiserx', { dismissed: true })]));
    await waitFor(() => expect(listed()).toEqual(['scriptswitch']));
  });

  it('an answer equal to the seed, its keys in another order, is not laid out again', async () => {
    const view = bannerViewOf([toolView('scriptswitch')]);
    // As scripting.executeScript hands the seed over: every object's keys sorted.
    const sortKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sortKeys)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([k, v]) => [k, sortKeys(v)]),
            )
          : value;
    // Every layout measures the banner drawn: count those reads.
    let measured = 0;
    const before = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth');
    Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
      configurable: true,
      get(this: HTMLElement) {
        if (this.dataset.testid === 'mo-banner') measured++;
        return 0;
      },
    });
    try {
      seedBannerView(sortKeys(view) as BannerView, Date.now());
      const { answer } = start();
      await waitFor(() => expect(listed()).toEqual(['scriptswitch']));
      await settle();
      const afterSeed = measured;
      expect(afterSeed).toBeGreaterThan(0);
      answer(view);
      await settle();
      expect(measured).toBe(afterSeed);
    } finally {
      if (before) Object.defineProperty(HTMLElement.prototype, 'offsetWidth', before);
      else Reflect.deleteProperty(HTMLElement.prototype, 'offsetWidth');
    }
  });

  it('with a seed, hides the banner when the answer says the prompt has gone', async () => {
    seedBannerView(bannerViewOf([toolView('scriptswitch')]), Date.now());
    const { answer } = start();
    await waitFor(() => expect(listed()).toEqual(['scriptswitch']));
    answer(bannerViewOf([]));
    await waitFor(() => expect(listed()).toBeNull());
  });

  it('a push that arrives before the answer wins over it', async () => {
    seedBannerView(bannerViewOf([toolView('scriptswitch')]), Date.now());
    const { answer } = start();
    await waitFor(() => expect(listed()).toEqual(['scriptswitch']));
    await push(bannerViewOf([toolView('optimiserx')]));
    await waitFor(() => expect(listed()).toEqual(['optimiserx']));
    answer(bannerViewOf([toolView('scriptswitch')]));
    await settle();
    expect(listed()).toEqual(['optimiserx']);
  });

  it('ignores a stale seed and anything that is not a view', async () => {
    seedBannerView(bannerViewOf([toolView('scriptswitch')]), Date.now() - 60_000);
    const { answer } = start();
    await settle();
    expect(listed()).toBeNull();
    answer({ tools: 'no' });
    await settle();
    expect(listed()).toBeNull();
  });
});
