import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bannerState,
  expectNoBannerFor,
  openSimPage,
  setUpExtensionBrowser,
  simPage,
  waitForBanner,
} from './harness';

/**
 * The popup in real Chromium with the built extension: opened as
 * chrome-extension://<id>/popup.html?tabId=N in a normal tab, reporting on tab N.
 */

/** The few chrome.* calls made in the service worker (no @types/chrome in this project). */
declare const chrome: {
  tabs: { query(info: object): Promise<{ id?: number; url?: string }[]> };
  action: { getBadgeText(details: { tabId: number }): Promise<string> };
  runtime: { onMessage: { addListener(listener: (message: unknown) => undefined): void } };
};

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const NEGATIVE_WATCH_MS = 2000;

const suite = setUpExtensionBrowser({ profilePrefix: 'popup-e2e-' });

/** The id of the tab showing `url` (the service worker sees URLs of hosts it may access). */
async function tabIdFor(url: string): Promise<number> {
  const id = await suite.browser.serviceWorker.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url === u)?.id;
  }, url);
  if (typeof id !== 'number') throw new Error(`no tab shows ${url}`);
  return id;
}

function badgeText(tabId: number): Promise<string> {
  return suite.browser.serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/** Opens the popup for `tabId` in its own tab and waits until it has an answer. */
async function openPopup(tabId: number): Promise<Page> {
  const popup = await suite.browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 800 });
  await popup.goto(`chrome-extension://${suite.browser.extensionId}/popup.html?tabId=${tabId}`);
  await popup.waitForFunction(() => {
    const state = document.querySelector('[data-page-state]')?.getAttribute('data-page-state');
    return state !== undefined && state !== null && state !== 'loading';
  });
  return popup;
}

function pageState(popup: Page): Promise<string | null> {
  return popup.locator('[data-page-state]').getAttribute('data-page-state');
}

async function listedTools(popup: Page): Promise<string[]> {
  return popup
    .locator('#panel-page [data-tool-id]')
    .evaluateAll((els) =>
      els.map(
        (el) =>
          `${el.getAttribute('data-tool-id')}:${el.getAttribute('data-verdict')}${el.getAttribute('data-dismissed') === 'true' ? ':dismissed' : ''}`,
      ),
    );
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

async function axeViolations(popup: Page): Promise<AxeViolation[]> {
  // Extension pages forbid inline scripts (CSP script-src 'self'), so page.addScriptTag is
  // refused; evaluating the source through the DevTools protocol is not subject to CSP.
  const hasAxe = await popup.evaluate(() => 'axe' in window);
  if (!hasAxe) await popup.evaluate(await readFile(AXE_PATH, 'utf8'));
  return popup.evaluate(async () => {
    interface RawViolation {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: RawViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

describe('popup for a tab with a ScriptSwitch prompt', () => {
  let page: Page;
  let tabId: number;

  beforeAll(async () => {
    page = await suite.browser.context.newPage();
    await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
    await waitForBanner(page, { timeout: 8000, tools: ['scriptswitch'] });
    tabId = await tabIdFor(suite.sim.url('scriptswitch-modal.html'));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('lists ScriptSwitch as flagged, in the page itself, on a watched site', async () => {
    const popup = await openPopup(tabId);
    try {
      expect(await pageState(popup)).toBe('watched-found');
      expect(await listedTools(popup)).toEqual(['scriptswitch:flagged']);
      await expect(popup.getByRole('heading', { name: 'Watching this site' }).isVisible()).resolves.toBe(
        true,
      );
      await expect(
        popup.getByRole('heading', { name: 'Found on this page: 1 tool' }).isVisible(),
      ).resolves.toBe(true);
      const card = popup.locator('[data-tool-id="scriptswitch"]');
      expect(await card.getByText('Non-contractual medicines optimisation software').isVisible()).toBe(true);
      expect(await card.getByText('In the page itself').isVisible()).toBe(true);
    } finally {
      await popup.close();
    }
  });

  it('sets the badge of that tab to the number of flagged tools', async () => {
    await expect.poll(() => badgeText(tabId), { timeout: 5000 }).toBe('1');
  });

  it('opens the ScriptSwitch guidance from the tool card', async () => {
    const popup = await openPopup(tabId);
    try {
      await popup.getByRole('link', { name: 'About ScriptSwitch and switching it off' }).click();
      expect(await popup.getByRole('tab', { name: 'Guidance' }).getAttribute('aria-selected')).toBe('true');
      const section = popup.locator('#guidance-scriptswitch');
      expect(await section.isVisible()).toBe(true);
      expect(
        await section
          .getByText(/Steps not publicly documented/)
          .first()
          .isVisible(),
      ).toBe(true);
      expect(await popup.evaluate(() => document.activeElement?.id)).toBe('guidance-scriptswitch');
    } finally {
      await popup.close();
    }
  });

  it('opens straight on a tool’s guidance from popup.html#guidance-<toolId>', async () => {
    const popup = await suite.browser.context.newPage();
    try {
      await popup.goto(`chrome-extension://${suite.browser.extensionId}/popup.html#guidance-optimiserx`);
      await popup.locator('#guidance-optimiserx').waitFor({ state: 'visible' });
      expect(await popup.locator('#panel-page').isHidden()).toBe(true);
      // Opened as a tab, the popup reports on itself: its own page, not "cannot run".
      await popup.getByRole('tab', { name: 'This page' }).click();
      await expect.poll(() => pageState(popup)).toBe('extension-page');
    } finally {
      await popup.close();
    }
  });

  it('shows a dismissed tool as dismissed, and "Show the banner again" brings the banner back', async () => {
    // The banner may start minimised: expand it first (its own tests cover how).
    const expand = page.locator('mo-advisor-banner button[aria-expanded="false"]');
    if ((await expand.count()) > 0) await expand.first().click();
    await page
      .locator('mo-advisor-banner')
      .getByRole('button', { name: /^Dismiss/ })
      .first()
      .click();
    await expect.poll(async () => (await bannerState(page)).present, { timeout: 5000 }).toBe(false);

    const popup = await openPopup(tabId);
    try {
      expect(await listedTools(popup)).toEqual(['scriptswitch:flagged:dismissed']);
      expect(await popup.getByText('Banner dismissed on this tab').isVisible()).toBe(true);
      await popup.getByRole('button', { name: 'Show the banner again' }).click();
      await expect
        .poll(() => popup.getByTestId('popup-notice').textContent())
        .toBe('The banner will show again.');
      expect(await listedTools(popup)).toEqual(['scriptswitch:flagged']);
    } finally {
      await popup.close();
    }
    const state = await waitForBanner(page, { timeout: 5000, tools: ['scriptswitch'] });
    expect(state.tools.map((t) => t.toolId)).toEqual(['scriptswitch']);
  });

  it('is axe-core clean on both views', async () => {
    const popup = await openPopup(tabId);
    try {
      expect(await axeViolations(popup)).toEqual([]);
      await popup.getByRole('tab', { name: 'Guidance' }).click();
      // Open every sources list so their links are checked too.
      await popup.locator('#panel-guidance details').evaluateAll((els) => {
        for (const el of els) (el as HTMLDetailsElement).open = true;
      });
      expect(await axeViolations(popup)).toEqual([]);
    } finally {
      await popup.close();
    }
  });
});

describe('popup for a tab without prompts', () => {
  it('says explicitly that it is watching and found nothing, with no badge', async () => {
    const page = await suite.browser.context.newPage();
    try {
      await openSimPage(page, suite.sim, simPage('negative-plain-prescribing.html'));
      await expectNoBannerFor(page, NEGATIVE_WATCH_MS);
      const tabId = await tabIdFor(suite.sim.url('negative-plain-prescribing.html'));
      const popup = await openPopup(tabId);
      try {
        expect(await pageState(popup)).toBe('watched-nothing-found');
        expect(await popup.getByRole('heading', { name: 'Watching this site' }).isVisible()).toBe(true);
        expect(
          await popup.getByText('No medicines optimisation prompts found on this page.').isVisible(),
        ).toBe(true);
        expect(await listedTools(popup)).toEqual([]);
        expect(await popup.getByText('Not watching this site').count()).toBe(0);
        expect(await axeViolations(popup)).toEqual([]);
      } finally {
        await popup.close();
      }
      expect(await badgeText(tabId)).toBe('');
    } finally {
      await page.close();
    }
  });
});

describe('popup for a site that is not watched', () => {
  it('says "Not watching this site"; "Watch this site" asks for that origin, tells the background, and the site is watched', async () => {
    // *.test resolves to the sim server; the e2e build may access it but does not watch it.
    const origin = `http://clinic.test:${suite.sim.port}`;
    const url = `${origin}/negative-plain-prescribing.html`;
    const page = await suite.browser.context.newPage();
    try {
      await page.goto(url);
      const tabId = await tabIdFor(url);
      await suite.browser.serviceWorker.evaluate(() => {
        const g = globalThis as unknown as { __popupMessages?: unknown[] };
        g.__popupMessages = [];
        chrome.runtime.onMessage.addListener((message) => {
          g.__popupMessages?.push(message);
          return undefined;
        });
      });
      const popup = await openPopup(tabId);
      try {
        expect(await pageState(popup)).toBe('not-watched');
        expect(await popup.getByRole('heading', { name: 'Not watching this site' }).isVisible()).toBe(true);
        expect(await popup.getByText(/No medicines optimisation prompts found/).count()).toBe(0);
        expect(await axeViolations(popup)).toEqual([]);

        await popup.getByRole('button', { name: 'Watch this site' }).click();
        await expect
          .poll(() =>
            suite.browser.serviceWorker.evaluate(
              () => (globalThis as unknown as { __popupMessages?: unknown[] }).__popupMessages ?? [],
            ),
          )
          .toContainEqual({ type: 'popup/watch-site', tabId, pattern: 'http://clinic.test/*' });
        // The e2e build already holds http://*.test/*, so Chromium grants it without a prompt.
        await expect
          .poll(() => popup.getByTestId('popup-notice').textContent())
          .toBe('The extension is now watching this site.');
        expect(await pageState(popup)).toBe('watched-nothing-found');
      } finally {
        await popup.close();
      }

      // Watching is real: a prompt on that site is now noticed.
      await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'), origin);
      await waitForBanner(page, { timeout: 8000, tools: ['scriptswitch'] });
      const popupAfter = await openPopup(await tabIdFor(`${origin}/scriptswitch-modal.html`));
      try {
        expect(await listedTools(popupAfter)).toEqual(['scriptswitch:flagged']);
      } finally {
        await popupAfter.close();
      }
    } finally {
      await page.close();
    }
  });
});

describe('popup for a page no extension may read', () => {
  it('says the extension cannot run there, distinct from "not watching" and "nothing found"', async () => {
    const before = await suite.browser.serviceWorker.evaluate(async () =>
      (await chrome.tabs.query({})).map((t) => t.id),
    );
    const page = await suite.browser.context.newPage();
    try {
      await page.goto('chrome://version/').catch(() => undefined);
      const after = await suite.browser.serviceWorker.evaluate(async () =>
        (await chrome.tabs.query({})).map((t) => t.id),
      );
      const tabId = after.find((id) => !before.includes(id));
      expect(typeof tabId).toBe('number');
      const popup = await openPopup(tabId as number);
      try {
        expect(await pageState(popup)).toBe('cannot-run');
        expect(
          await popup.getByRole('heading', { name: 'The extension cannot run on this page' }).isVisible(),
        ).toBe(true);
        expect(await popup.getByRole('button', { name: 'Watch this site' }).count()).toBe(0);
      } finally {
        await popup.close();
      }
    } finally {
      await page.close();
    }
  });
});
