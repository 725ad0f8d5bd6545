import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import {
  BANNER_HOST_NAME,
  createBannerController,
  HELD_THROTTLE_MS,
  LAYOUT_THROTTLE_MS,
} from '../../entrypoints/banner.content/controller';
import * as obstacles from '../../entrypoints/banner.content/obstacles';
import type { BannerView } from '../../lib/messages';
import { bannerViewOf, toolView } from '../support/views';

vi.mock('../../entrypoints/banner.content/obstacles', async (importOriginal) => {
  const original = await importOriginal<typeof obstacles>();
  return { ...original, probeRect: vi.fn(original.probeRect) };
});

const VIEW: BannerView = bannerViewOf([toolView('scriptswitch')]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const contexts: ContentScriptContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort('test end');
  vi.mocked(obstacles.probeRect).mockClear();
  document.body.innerHTML = '';
});

/** When each hit-test of the banner's place ran (not when the test noticed it). */
function recordMeasures(): number[] {
  const probes = vi.mocked(obstacles.probeRect);
  const at: number[] = [];
  const real = probes.getMockImplementation() as typeof obstacles.probeRect;
  probes.mockImplementation((...args) => {
    at.push(performance.now());
    return real(...args);
  });
  return at;
}

async function showBanner(): Promise<void> {
  const ctx = new ContentScriptContext('banner');
  contexts.push(ctx);
  const controller = createBannerController({
    ctx,
    onDismiss: () => undefined,
    onSnooze: () => undefined,
    shadowMode: 'open',
  });
  controller.setView(VIEW);
  await waitFor(() =>
    expect(
      document.querySelector(BANNER_HOST_NAME)?.shadowRoot?.querySelector('[data-testid="mo-banner"]'),
    ).not.toBeNull(),
  );
}

describe('banner re-measures on a busy page', () => {
  it('a change near the banner is checked one interval after the last measure ended, not at once', async () => {
    const at = recordMeasures();
    await showBanner();
    const shownAfter = at.length;
    const lastAtShow = at.at(-1) ?? 0;
    const ticker = setInterval(() => document.body.append(document.createElement('span')), 10);
    try {
      await waitFor(() => expect(at.length).toBeGreaterThan(shownAfter), { timeout: LAYOUT_THROTTLE_MS * 8 });
      expect((at[shownAfter] ?? 0) - lastAtShow).toBeGreaterThanOrEqual(LAYOUT_THROTTLE_MS - 5);
    } finally {
      clearInterval(ticker);
    }
  });

  it('once its place has held, changes away from it cost nothing, and changes near it are checked at most once a second', async () => {
    const at = recordMeasures();
    await showBanner();
    // Changes next to it (the body) until the place has held three checks in a row.
    const near = setInterval(() => document.body.append(document.createElement('span')), 10);
    await sleep(LAYOUT_THROTTLE_MS * 5);
    clearInterval(near);
    await sleep(LAYOUT_THROTTLE_MS * 2);
    // A live table far from the banner keeps changing: no measure at all.
    const far = document.createElement('div');
    document.body.append(far); // itself a change next to the banner: let its check pass
    await sleep(HELD_THROTTLE_MS + 300);
    const before = at.length;
    const ticker = setInterval(() => far.append(document.createElement('span')), 10);
    await sleep(2500);
    clearInterval(ticker);
    expect(at.length - before).toBe(0);
    // Near it again: spaced by HELD_THROTTLE_MS.
    const start = at.length;
    const again = setInterval(() => document.body.append(document.createElement('span')), 10);
    await sleep(HELD_THROTTLE_MS * 2.5);
    clearInterval(again);
    const times = at.slice(start);
    expect(times.length).toBeGreaterThanOrEqual(1);
    expect(times.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(HELD_THROTTLE_MS - 20);
  }, 15_000);
});
