import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import {
  BANNER_HOST_NAME,
  createBannerController,
  LAYOUT_THROTTLE_MS,
} from '../../entrypoints/banner.content/controller';
import * as obstacles from '../../entrypoints/banner.content/obstacles';
import type { BannerView } from '../../lib/messages';
import { bannerViewOf, toolView } from '../support/views';

vi.mock('../../entrypoints/banner.content/obstacles', async (importOriginal) => {
  const original = await importOriginal<typeof obstacles>();
  return { ...original, collectObstacles: vi.fn(original.collectObstacles) };
});

const VIEW: BannerView = bannerViewOf([toolView('scriptswitch')]);

const contexts: ContentScriptContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort('test end');
  vi.mocked(obstacles.collectObstacles).mockReset();
  document.body.innerHTML = '';
});

describe('banner layout on a busy page', () => {
  it('a page change right after the banner appeared is measured one throttle interval later, not at once', async () => {
    const ctx = new ContentScriptContext('banner');
    contexts.push(ctx);
    // When each measure ran (not when the test noticed it: a busy test machine lags).
    const measures = vi.mocked(obstacles.collectObstacles);
    const measuredAt: number[] = [];
    const measure = measures.getMockImplementation() as typeof obstacles.collectObstacles;
    measures.mockImplementation((...args) => {
      measuredAt.push(performance.now());
      return measure(...args);
    });
    const controller = createBannerController({ ctx, onDismiss: () => undefined, onSnooze: () => undefined });
    controller.setView(VIEW);
    await waitFor(() =>
      expect(
        document.querySelector(BANNER_HOST_NAME)?.shadowRoot?.querySelector('[data-testid="mo-banner"]'),
      ).not.toBeNull(),
    );
    expect(measures).toHaveBeenCalledTimes(1); // the layout that placed it

    // The page keeps changing (as a live medication table does).
    const ticker = setInterval(() => document.body.append(document.createElement('span')), 10);
    try {
      await waitFor(() => expect(measures).toHaveBeenCalledTimes(2), { timeout: LAYOUT_THROTTLE_MS * 8 });
      expect((measuredAt[1] ?? 0) - (measuredAt[0] ?? 0)).toBeGreaterThanOrEqual(LAYOUT_THROTTLE_MS - 5);
    } finally {
      clearInterval(ticker);
    }
  });
});
