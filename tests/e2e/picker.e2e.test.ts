import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  bannerState,
  expectNoBannerFor,
  openSimPage,
  setUpExtensionBrowser,
  simPage,
  waitForBanner,
} from './harness';

/**
 * On a page whose prompt no built-in signature knows, inject the
 * picker (as the popup's "Identify a prompt" button will), pick the prompt, name the
 * tool, save, reload: the banner flags the new tool. Free text stays unflagged.
 */

/** The few chrome.* calls made in the service worker (no @types/chrome in this project). */
interface ChromeLike {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  scripting: { executeScript(o: { target: { tabId: number }; files: string[] }): Promise<unknown> };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
}

const suite = setUpExtensionBrowser();

async function injectPicker(page: Page): Promise<void> {
  await suite.browser.serviceWorker.evaluate(async (url) => {
    const c = (globalThis as unknown as { chrome: ChromeLike }).chrome;
    const tab = (await c.tabs.query({})).find((t) => t.url === url);
    if (tab?.id === undefined) throw new Error(`no tab shows ${url}`);
    await c.scripting.executeScript({ target: { tabId: tab.id }, files: ['/content-scripts/picker.js'] });
  }, page.url());
  await page.getByTestId('picker-layer').waitFor({ state: 'visible', timeout: 5000 });
}

async function storedSettings(): Promise<{
  customTools?: unknown[];
  customSignatures?: { toolId: string }[];
}> {
  return suite.browser.serviceWorker.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: ChromeLike }).chrome;
    return ((await c.storage.local.get('settings')).settings ?? {}) as {
      customTools?: unknown[];
      customSignatures?: { toolId: string }[];
    };
  });
}

describe('picker: teach an unknown prompt', () => {
  it('Escape leaves the picker and removes everything it added', async () => {
    const page = await suite.browser.context.newPage();
    try {
      await openSimPage(page, suite.sim, simPage('unknown-prompt.html'));
      await injectPicker(page);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('mo-prompt-picker').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('keyboard: arrow keys reach the prompt and Enter opens the review', async () => {
    const page = await suite.browser.context.newPage();
    try {
      await openSimPage(page, suite.sim, simPage('unknown-prompt.html'));
      await injectPicker(page);
      const status = page.locator('mo-prompt-picker .help');
      for (let i = 0; i < 15 && !/Formulary nudge/.test((await status.textContent()) ?? ''); i++) {
        await page.keyboard.press('ArrowDown');
      }
      await expect.poll(() => status.textContent()).toMatch(/Formulary nudge/);
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('live-count').textContent())
        .toBe('Matches 1 place on this page.');
      await page.keyboard.press('Escape');
    } finally {
      await page.close();
    }
  });

  it('pick by pointer, name the tool, save, reload → the banner flags the new tool; free text stays clean', async () => {
    const page = await suite.browser.context.newPage();
    try {
      const entry = simPage('unknown-prompt.html');
      await openSimPage(page, suite.sim, entry);
      await expectNoBannerFor(page, 1500);
      await injectPicker(page);

      // Click where the prompt's own "Switch" button is: the overlay must catch it.
      const switchBox = await page.locator('#formulary-nudge button.primary').boundingBox();
      if (!switchBox) throw new Error('prompt button not laid out');
      await page.mouse.move(switchBox.x + switchBox.width / 2, switchBox.y + switchBox.height / 2);
      await page.mouse.click(switchBox.x + switchBox.width / 2, switchBox.y + switchBox.height / 2);
      await expect
        .poll(() => page.getByTestId('live-count').textContent())
        .toBe('Matches 1 place on this page.');
      expect(await page.locator('#formulary-nudge').count()).toBe(1); // the page's button was not pressed
      expect(await page.locator('#sim-status').textContent()).toBe('');

      await page.getByLabel('Tool name').fill('Formulary Nudge');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText(/Saved\./).waitFor({ timeout: 5000 });

      const settings = await storedSettings();
      expect(settings.customTools).toEqual([{ id: 'formulary-nudge', name: 'Formulary Nudge' }]);
      expect(settings.customSignatures?.map((s) => s.toolId)).toEqual(['formulary-nudge']);

      await page.reload({ waitUntil: 'load' });
      const state = await waitForBanner(page, { timeout: 8000, tools: ['formulary-nudge'] });
      expect(state.tools).toEqual([{ toolId: 'formulary-nudge', verdict: 'flagged' }]);
      const banner = await bannerState(page);
      expect(banner.tools.map((t) => t.toolId)).toEqual(['formulary-nudge']);

      await openSimPage(page, suite.sim, simPage('negative-free-text.html'));
      await expectNoBannerFor(page, 2000);
    } finally {
      await page.close();
    }
  });
});
