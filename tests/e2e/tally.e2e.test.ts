import { describe, expect, it } from 'vitest';
import {
  bannerState,
  holdsForFrames,
  openSimPage,
  setUpExtensionBrowser,
  simPage,
  waitForBanner,
} from './harness';

/** After a tour of the simulated system, the options page shows the counts. */

const suite = setUpExtensionBrowser();

describe('prompt tally', () => {
  it('counts each prompt once, and dismissals, and the options page shows them', async () => {
    const page = await suite.browser.context.newPage();
    for (const path of ['scriptswitch-modal.html', 'optimiserx-inline.html', 'scriptswitch-modal.html']) {
      await openSimPage(page, suite.sim, simPage(path));
      await waitForBanner(page, { timeout: 8000 });
    }
    // A re-render of the same prompt is not a new prompt.
    await page.evaluate(() => {
      const dialog = document.querySelector('[role="dialog"]');
      if (dialog) dialog.replaceWith(dialog.cloneNode(true));
    });
    await holdsForFrames(page, 30, async () =>
      expect((await bannerState(page)).tools.map((t) => t.toolId)).toContain('scriptswitch'),
    );
    // The banner may start as its one-line bar: expand it, then dismiss.
    const expand = page.locator('mo-advisor-banner [aria-expanded="false"]');
    if (await expand.count()) await expand.first().click();
    await page.locator('[data-tool-id="scriptswitch"] button', { hasText: 'Dismiss' }).first().click();
    await expect
      .poll(async () => (await bannerState(page)).tools.map((t) => t.toolId), { timeout: 5000 })
      .not.toContain('scriptswitch');

    const options = await suite.browser.context.newPage();
    await options.goto(`chrome-extension://${suite.browser.extensionId}/options.html`);
    const totals = options.locator('[data-testid="tally-total"]');
    const rows = () =>
      totals.evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => c.textContent?.trim()).join('|')).sort(),
      );
    await expect.poll(rows, { timeout: 5000 }).toEqual(['Total, OptimiseRx|1|0', 'Total, ScriptSwitch|2|1']);

    // Storage holds counts only: dates, tool ids and numbers.
    const stored = await suite.browser.serviceWorker.evaluate(() =>
      (globalThis as unknown as { chrome: typeof import('wxt/browser').browser }).chrome.storage.local.get(
        'tally',
      ),
    );
    expect(JSON.stringify(stored)).toMatch(/^[{}[\]",:0-9a-z-]*$/);
    await page.close();
    await options.close();
  });
});
