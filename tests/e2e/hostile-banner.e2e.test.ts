import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  BANNER_HOST,
  BANNER_SELECTOR,
  bannerState,
  describeTools,
  holdsForFrames,
  openSimPage,
  setUpExtensionBrowser,
  simPage,
  waitForBanner,
} from './harness';

/**
 * Page script attacks on the banner, in real Chromium. The e2e build
 * keeps the banner's shadow root open (so these tests, and a page, can reach inside);
 * production closes it (tests/unit/banner-controller.test.tsx), which stops most of
 * this at the door. Even with the door open:
 * - a page's `.click()` (or dispatched event) on Snooze, Dismiss or the toggle does nothing;
 * - rewriting its text, hiding it (style attribute, `hidden`, `inert`, adoptedStyleSheets,
 *   the document's own stylesheets, hidePopover) or removing it is undone within a second.
 * What stays possible (hazard log): the page drawing a fake note of its own; the toolbar
 * badge and the popup stay the trusted record.
 */

const suite = setUpExtensionBrowser({
  profilePrefix: 'mo-hostile-banner-e2e-',
  launch: { extensionDir: process.env.MO_E2E_EXTENSION_DIR ?? '.output/chrome-mv3' },
});

const RESTORE_MS = 1000;

async function withBanner(fn: (page: Page) => Promise<void>): Promise<void> {
  const page = await suite.browser.context.newPage();
  try {
    await openSimPage(page, suite.sim, simPage('optimiserx-inline.html'));
    await waitForBanner(page, { timeout: 10_000, tools: ['optimiserx'] });
    // Drawn and on screen before the attack starts.
    await expect.poll(() => visible(page), { timeout: 5000 }).toBe(true);
    await fn(page);
  } finally {
    await page.close();
  }
}

/** Whether the banner is drawn and visible to the clinician (not only present). */
async function visible(page: Page): Promise<boolean> {
  return page.evaluate((host) => {
    const hosts = document.querySelectorAll(host);
    if (hosts.length !== 1) return false;
    const el = hosts[0]?.shadowRoot?.querySelector<HTMLElement>('[data-testid="mo-banner"]');
    if (!el?.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return (
      r.width > 50 &&
      r.height > 20 &&
      r.right > 0 &&
      r.bottom > 0 &&
      r.left < innerWidth &&
      r.top < innerHeight
    );
  }, BANNER_HOST);
}

/** After `attack`, the banner is back (visible, one host, true text) within RESTORE_MS. */
async function restoredAfter(page: Page, attack: (host: string) => void): Promise<number> {
  await page.evaluate(attack, BANNER_HOST);
  const started = Date.now();
  await expect.poll(() => visible(page), { timeout: RESTORE_MS, interval: 50 }).toBe(true);
  const took = Date.now() - started;
  expect(describeTools((await bannerState(page)).tools)).toBe('optimiserx:flagged');
  expect(await page.locator(BANNER_SELECTOR).textContent()).not.toMatch(/mandated/i);
  return took;
}

describe('page script cannot operate the banner', () => {
  it('a page .click() on Snooze, the toggle or Dismiss, or a dispatched click, does nothing', async () => {
    await withBanner(async (page) => {
      await page.evaluate((host) => {
        const root = document.querySelector(host)?.shadowRoot;
        const button = (selector: string) => root?.querySelector<HTMLButtonElement>(selector);
        button('button.snooze')?.click();
        button('button.toggle')?.click();
        button('button.dismiss')?.click(); // the compact panel's Dismiss (one tool)
        button('button.snooze')?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      }, BANNER_HOST);
      await holdsForFrames(page, 60, async () => {
        expect(await visible(page)).toBe(true);
        expect(await page.locator(`${BANNER_SELECTOR} button.toggle`).getAttribute('aria-expanded')).toBe(
          'false',
        );
      });
      // Open the full note as the clinician would (a real click), then the page tries Dismiss.
      await page.locator(`${BANNER_SELECTOR} button.toggle`).click();
      const dismiss = page.locator(`${BANNER_SELECTOR} button.dismiss`);
      if ((await dismiss.count()) > 0) {
        await page.evaluate(
          (host) =>
            document
              .querySelector(host)
              ?.shadowRoot?.querySelector<HTMLButtonElement>('button.dismiss')
              ?.click(),
          BANNER_HOST,
        );
        await holdsForFrames(page, 48, async () =>
          expect(describeTools((await bannerState(page)).tools)).toBe('optimiserx:flagged'),
        );
      }
      // Snooze is global: a second tab still shows its banner (nothing was snoozed).
      const other = await suite.browser.context.newPage();
      try {
        await openSimPage(other, suite.sim, simPage('scriptswitch-modal.html'));
        await waitForBanner(other, { timeout: 10_000, tools: ['scriptswitch'] });
      } finally {
        await other.close();
      }
    });
  });
});

describe('page script cannot rewrite, hide or remove the banner for long', () => {
  it('rewritten text ("mandated… keep using it") is put back within a second', async () => {
    await withBanner(async (page) => {
      await restoredAfter(page, (host) => {
        const root = document.querySelector(host)?.shadowRoot;
        const title = root?.querySelector('.title');
        if (title) title.textContent = 'OptimiseRx: mandated by your practice. Keep using it.';
        const lead = root?.querySelector('.lead');
        if (lead) lead.textContent = 'Mandated by your practice: keep using it.';
      });
    });
  });

  const hides: [string, (host: string) => void][] = [
    [
      'adoptedStyleSheets on its shadow root',
      (host) => {
        const root = document.querySelector(host)?.shadowRoot;
        const sheet = new CSSStyleSheet();
        sheet.replaceSync('.banner { display: none !important; }');
        if (root) root.adoptedStyleSheets = [sheet];
      },
    ],
    [
      'a style attribute on its host',
      (host) =>
        document.querySelector(host)?.setAttribute('style', 'display:none !important; opacity:0 !important'),
    ],
    ['the hidden attribute', (host) => document.querySelector(host)?.setAttribute('hidden', '')],
    ['the inert attribute', (host) => document.querySelector(host)?.setAttribute('inert', '')],
    [
      'hidePopover (out of the top layer)',
      (host) => (document.querySelector(host) as HTMLElement | null)?.hidePopover(),
    ],
    ['removing its host', (host) => document.querySelector(host)?.remove()],
    [
      'moving its host into a hidden element',
      (host) => {
        const box = document.createElement('div');
        box.style.display = 'none';
        document.body.prepend(box);
        const h = document.querySelector(host);
        if (h) box.append(h);
      },
    ],
    [
      'removing its stylesheet',
      (host) => document.querySelector(host)?.shadowRoot?.querySelector('style')?.remove(),
    ],
  ];
  for (const [what, attack] of hides) {
    it(`${what}: restored within a second`, async () => {
      await withBanner(async (page) => {
        await restoredAfter(page, attack);
        // And it stays: the page's change does not come back with it.
        await holdsForFrames(page, 36, async () => expect(await visible(page)).toBe(true));
      });
    });
  }

  it("the document's own stylesheets (adoptedStyleSheets, a <style> rule on its tag) cannot hide it at all", async () => {
    await withBanner(async (page) => {
      await page.evaluate((host) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(
          `${host}, [popover] { display: none !important; visibility: hidden !important; opacity: 0 !important; transform: translateX(-9999px) !important; }`,
        );
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        const style = document.createElement('style');
        style.textContent = `${host} { clip-path: inset(50%) !important; width: 0 !important; }`;
        document.head.append(style);
      }, BANNER_HOST);
      await holdsForFrames(page, 18, async () => expect(await visible(page)).toBe(true));
    });
  });
});
