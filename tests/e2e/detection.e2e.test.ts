import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  bannerState,
  collectConsoleErrors,
  describeTools,
  expectNoBannerFor,
  openSimPage,
  setUpExtensionBrowser,
  simPage,
  simPages,
  waitForBanner,
} from './harness';

/** How long a negative page is watched for a banner that must never come. */
const NEGATIVE_WATCH_MS = 2000;
/** How long a positive page may take to show its banner (after its ready state). */
const POSITIVE_TIMEOUT_MS = 8000;

const suite = setUpExtensionBrowser();

async function withPage<T>(fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const page = await suite.browser.context.newPage();
  const errors = collectConsoleErrors(page);
  try {
    return await fn(page, errors);
  } finally {
    await page.close();
  }
}

describe('every sim page (127.0.0.1 origin): the banner lists exactly the expected tools', () => {
  for (const entry of simPages) {
    const wanted = Object.keys(entry.expect).sort();
    const label = wanted.length ? `flagged: ${wanted.join(', ')}` : 'no banner';
    it(`${entry.path} → ${label}`, async () => {
      await withPage(async (page, errors) => {
        await openSimPage(page, suite.sim, entry);
        if (wanted.length === 0) {
          await expectNoBannerFor(page, NEGATIVE_WATCH_MS);
        } else {
          // Late frames report too: wait for the complete list.
          const state = await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools: wanted });
          expect(describeTools(state.tools)).toBe(
            describeTools(wanted.map((toolId) => ({ toolId, verdict: 'flagged' }))),
          );
        }
        expect(errors, 'console errors on the page').toEqual([]);
      });
    });
  }
});

describe('late prompt after a single-page-app route change', () => {
  it('shows no banner on the summary route and shows it only once the prompt exists', async () => {
    await withPage(async (page) => {
      const entry = simPage('late-route-change.html');
      await page.goto(new URL(entry.path, `${suite.sim.origin}/`).href);
      // Summary route: no prompt, no banner (the route changes after ~600 ms).
      expect(await page.evaluate(() => document.body.dataset.simState)).toBe('summary');
      expect((await bannerState(page)).present).toBe(false);

      // Poll both, in the page, until the banner appears; record the prompt's state at that moment.
      const seen = await page.waitForFunction(
        () => {
          const host = document.querySelector('mo-advisor-banner');
          const banner = host?.shadowRoot?.querySelector('[data-testid="mo-banner"]');
          if (!banner) return false;
          return {
            state: document.body.dataset.simState,
            promptPresent: Boolean(document.getElementById('late-prompt-dialog')),
            url: location.hash,
          };
        },
        undefined,
        { timeout: POSITIVE_TIMEOUT_MS, polling: 50 },
      );
      expect(await seen.jsonValue()).toEqual({ state: 'prompt', promptPresent: true, url: '#/prescribe' });
      const state = await bannerState(page);
      expect(describeTools(state.tools)).toBe('optimiserx:flagged');
    });
  });

  it('with automatic navigation off (?manual=1), no banner until the user navigates', async () => {
    await withPage(async (page) => {
      await page.goto(`${suite.sim.origin}/late-route-change.html?manual=1`);
      await expectNoBannerFor(page, 1500);
      await page.getByRole('link', { name: 'Medication' }).click();
      await page.locator('#late-prompt-dialog').waitFor();
      const state = await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS });
      expect(describeTools(state.tools)).toBe('optimiserx:flagged');
    });
  });
});

describe('prompts inside frames are reported to the top frame banner', () => {
  it('same-origin iframe: flagged, and the prompt really is in the sub-frame', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('iframe-same-origin.html'));
      const frame = page.frames().find((f) => f.url().endsWith('/frames/scriptswitch-frame.html'));
      expect(frame, 'sub-frame loaded').toBeDefined();
      expect(new URL(frame?.url() ?? '').origin).toBe(suite.sim.origin);
      // The top document alone carries no dialog and no buttons of the prompt.
      expect(
        await page.mainFrame().locator('[role="dialog"], button:text-is("Prescribe Original")').count(),
      ).toBe(0);
      const state = await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools: ['scriptswitch'] });
      expect(state.present).toBe(true);
      // The banner belongs to the top document, never inside the vendor frame.
      expect(await frame?.locator('mo-advisor-banner').count()).toBe(0);
    });
  });

  it('cross-origin iframe (127.0.0.1 page, localhost frame): flagged', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('iframe-cross-origin.html'));
      const frame = page.frames().find((f) => f.url().endsWith('/frames/optimiserx-frame.html'));
      expect(frame, 'sub-frame loaded').toBeDefined();
      expect(new URL(frame?.url() ?? '').origin).toBe(suite.sim.crossOrigin);
      expect(suite.sim.crossOrigin).not.toBe(suite.sim.origin);
      const state = await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools: ['optimiserx'] });
      expect(state.present).toBe(true);
      expect(await frame?.locator('mo-advisor-banner').count()).toBe(0);
    });
  });
});

describe('the banner follows the prompt', () => {
  it('goes when the prompt goes (the banner itself is never read as a prompt), and comes back with it', async () => {
    await withPage(async (page) => {
      const entry = simPage('scriptswitch-modal.html');
      await openSimPage(page, suite.sim, entry);
      await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools: ['scriptswitch'] });
      const prompt = entry.promptSelector ?? '[role="dialog"]';
      const html = await page
        .locator(prompt)
        .first()
        .evaluate((el) => el.outerHTML);
      await page
        .locator(prompt)
        .first()
        .evaluate((el) => el.remove());
      await expect
        .poll(async () => (await bannerState(page)).present, { timeout: 3000, interval: 100 })
        .toBe(false);
      await page.evaluate((markup) => document.body.insertAdjacentHTML('beforeend', markup), html);
      const back = await waitForBanner(page, { timeout: 3000, tools: ['scriptswitch'] });
      expect(describeTools(back.tools)).toBe('scriptswitch:flagged');
    });
  });
});
