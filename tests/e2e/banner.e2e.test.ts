import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  BANNER_HOST,
  BANNER_SELECTOR,
  bannerState,
  collectConsoleErrors,
  describeTools,
  expectNoBannerFor,
  openSimPage,
  REPO_ROOT,
  type SimPage,
  setUpExtensionBrowser,
  simPage,
  simPages,
  waitForBanner,
} from './harness';

/**
 * The advisory banner in real Chromium with the built extension: placement (never over
 * the prompt or the page's controls, no layout shift), dismiss, snooze, re-mounting,
 * focus, axe-core and 200% zoom, and the allow-list (mandated tools never flagged).
 *
 * MO_E2E_EXTENSION_DIR may point at another build of the extension (default
 * .output/chrome-mv3, from `npm run build:e2e`).
 */

/** The extension APIs used from the service worker (typed here; the worker has them). */
declare const chrome: {
  storage: { local: { set(items: object): Promise<void>; remove(key: string): Promise<void> } };
  tabs: { query(q: { url?: string }): Promise<{ id?: number; url?: string }[]> };
  scripting: {
    executeScript(o: { target: { tabId: number; frameIds?: number[] }; files: string[] }): Promise<unknown>;
  };
};

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}
interface LabelledBox extends Box {
  what: string;
}

const POSITIVE_TIMEOUT_MS = 8000;
const positivePages = simPages.filter((p) => Object.keys(p.expect).length > 0);

const suite = setUpExtensionBrowser({
  profilePrefix: 'mo-banner-e2e-',
  launch: { extensionDir: process.env.MO_E2E_EXTENSION_DIR ?? '.output/chrome-mv3' },
});

async function withPage<T>(fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const page = await suite.browser.context.newPage();
  const errors = collectConsoleErrors(page);
  try {
    return await fn(page, errors);
  } finally {
    await page.close();
  }
}

function intersects(a: Box, b: Box): boolean {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0;
}

/** The banner's box in viewport coordinates, or null when none is shown. */
async function bannerBox(page: Page): Promise<Box | null> {
  return page.evaluate((host) => {
    const el = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="mo-banner"]');
    if (!el || getComputedStyle(el).visibility === 'hidden') return null;
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  }, BANNER_HOST);
}

/** Waits for the banner, then until its position has stopped changing (placement settled). */
async function settledBanner(page: Page, tools?: string[]): Promise<Box> {
  await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools });
  let previous = await bannerBox(page);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(300);
    const current = await bannerBox(page);
    if (current && previous && JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  throw new Error(`banner position did not settle (${page.url()})`);
}

/** Visible controls and dialogs of the page (document and open shadow roots), banner excluded. */
async function pageControls(page: Page): Promise<LabelledBox[]> {
  return page.evaluate((host) => {
    const selector =
      'button,input:not([type="hidden"]),select,textarea,a[href],iframe,[role="button"],[role="dialog"],[role="alertdialog"],dialog[open],[aria-modal="true"]';
    const roots: ParentNode[] = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const el of (roots[i] as ParentNode).querySelectorAll('*')) {
        if (el.localName !== host && el.shadowRoot) roots.push(el.shadowRoot);
      }
    }
    const out: { what: string; left: number; top: number; width: number; height: number }[] = [];
    for (const root of roots) {
      for (const el of root.querySelectorAll(selector)) {
        if (el.closest(host)) continue;
        const r = el.getBoundingClientRect();
        if (r.width <= 0 || r.height <= 0) continue;
        if (r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
        if (!el.checkVisibility({ visibilityProperty: true })) continue;
        out.push({
          what: el.outerHTML.slice(0, 90),
          left: r.left,
          top: r.top,
          width: r.width,
          height: r.height,
        });
      }
    }
    return out;
  }, BANNER_HOST);
}

async function promptBox(page: Page, entry: SimPage): Promise<Box> {
  const box = await page
    .locator(entry.promptSelector ?? 'none')
    .first()
    .boundingBox();
  if (!box) throw new Error(`prompt ${entry.promptSelector} has no box on ${entry.path}`);
  return { left: box.x, top: box.y, width: box.width, height: box.height };
}

/** Rects of some of the page's landmarks, and the document's scroll size: a layout fingerprint. */
async function layoutFingerprint(page: Page, extra: string[] = []): Promise<string> {
  return page.evaluate(
    ({ selectors }) => {
      const rects = selectors.map((s) => {
        const el = document.querySelector(s);
        if (!el) return `${s}: none`;
        const r = el.getBoundingClientRect();
        return `${s}: ${r.left},${r.top},${r.width},${r.height}`;
      });
      const last = [...document.body.children].filter((el) => el.localName !== 'mo-advisor-banner').at(-1);
      const l = last?.getBoundingClientRect();
      const root = document.documentElement;
      return [
        ...rects,
        `last child ${last?.localName}: ${l?.left},${l?.top},${l?.width},${l?.height}`,
        `scroll: ${root.scrollWidth}x${root.scrollHeight}`,
      ].join('\n');
    },
    { selectors: ['header', 'h1', 'main', 'table', '#find-patient', ...extra] },
  );
}

async function hostCount(page: Page): Promise<number> {
  return page.evaluate((host) => document.querySelectorAll(host).length, BANNER_HOST);
}

/**
 * Expands or collapses the banner with its own toggle, from the keyboard. The full note
 * is shown only where it covers no control: these tests give it a large screen
 * (banner-geometry.e2e.test.ts covers small ones and the "no room" case).
 */
async function setExpanded(page: Page, expanded: boolean): Promise<void> {
  if (expanded) await page.setViewportSize({ width: 1920, height: 1080 });
  const banner = page.locator(BANNER_SELECTOR);
  await expect.poll(() => banner.locator('button.toggle').count(), { timeout: 5000 }).toBe(1);
  const isCollapsed = (await banner.getAttribute('data-collapsed')) === 'true';
  if (isCollapsed === !expanded) return;
  await banner.locator('button.toggle').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => banner.getAttribute('data-collapsed')).toBe(expanded ? 'false' : 'true');
}

async function setSettings(settings: object | undefined): Promise<void> {
  await suite.browser.serviceWorker.evaluate(async (s) => {
    if (s) await chrome.storage.local.set({ settings: s });
    else await chrome.storage.local.remove('settings');
  }, settings);
}

describe('placement on every positive sim page (1280x800)', () => {
  for (const entry of positivePages) {
    it(`${entry.path}: banner clear of the prompt and of every control, inside the viewport, no console errors`, async () => {
      await withPage(async (page, errors) => {
        await openSimPage(page, suite.sim, entry);
        const banner = await settledBanner(page, Object.keys(entry.expect));
        const prompt = await promptBox(page, entry);
        expect(
          intersects(banner, prompt),
          `banner ${JSON.stringify(banner)} covers the prompt ${JSON.stringify(prompt)}`,
        ).toBe(false);
        const covered = (await pageControls(page)).filter((c) => intersects(banner, c));
        expect(
          covered.map((c) => c.what),
          'page controls under the banner',
        ).toEqual([]);
        expect(banner.left).toBeGreaterThanOrEqual(0);
        expect(banner.top).toBeGreaterThanOrEqual(0);
        expect(banner.left + banner.width).toBeLessThanOrEqual(1280);
        expect(banner.top + banner.height).toBeLessThanOrEqual(800);
        expect(banner.width).toBeLessThanOrEqual(420);
        expect(await hostCount(page)).toBe(1);
        expect(errors, 'console errors').toEqual([]);
      });
    });
  }

  it('asked for the full note where the page has no room for it, it stays small and says where the note is', async () => {
    await withPage(async (page) => {
      await page.setViewportSize({ width: 683, height: 384 });
      const entry = simPage('optimiserx-inline.html');
      await openSimPage(page, suite.sim, entry);
      await settledBanner(page, ['optimiserx']);
      // At 200% the page leaves room for the tab only: it points at the toolbar button.
      expect(await page.locator(BANNER_SELECTOR).getAttribute('data-form')).toBe('tab');
      expect(await page.locator(BANNER_SELECTOR).textContent()).toContain(
        "Details: the extension's toolbar button",
      );
      const banner = await settledBanner(page, ['optimiserx']);
      expect((await pageControls(page)).filter((c) => intersects(banner, c)).map((c) => c.what)).toEqual([]);
    });
  });

  it('moves away when the page puts a control where the banner is', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
      const before = await settledBanner(page, ['scriptswitch']);
      // The clinical system opens a toolbar right under the banner.
      await page.evaluate((b) => {
        const bar = document.createElement('div');
        bar.id = 'late-toolbar';
        bar.style.cssText = `position:fixed;left:${b.left + 20}px;top:${b.top + 20}px;display:flex;gap:4px`;
        bar.innerHTML = '<button type="button">Save</button><button type="button">Print</button>';
        document.body.append(bar);
      }, before);
      const toolbar = await page.locator('#late-toolbar').boundingBox();
      if (!toolbar) throw new Error('toolbar not rendered');
      await expect
        .poll(
          async () => {
            const now = await bannerBox(page);
            return (
              now !== null &&
              !intersects(now, {
                left: toolbar.x,
                top: toolbar.y,
                width: toolbar.width,
                height: toolbar.height,
              })
            );
          },
          { timeout: 3000 },
        )
        .toBe(true);
      const after = await settledBanner(page, ['scriptswitch']);
      const covered = (await pageControls(page)).filter((c) => intersects(after, c));
      expect(covered.map((c) => c.what)).toEqual([]);
    });
  });

  it('does not shift the page layout when it appears or disappears', async () => {
    await withPage(async (page) => {
      const entry = simPage('scriptswitch-modal.html');
      // Before: the tool is mandated and the note is off, so no banner at all.
      await setSettings({
        allowList: [{ toolId: 'scriptswitch', reason: 'layout test' }],
        banner: { showMandatedNote: false, snoozeMinutes: 60, corner: 'bottom-right' },
      });
      try {
        await openSimPage(page, suite.sim, entry);
        await expectNoBannerFor(page, 1200);
        const before = await layoutFingerprint(page, ['#recommendation-dialog', '#issue']);
        // The allow-list is cleared: the banner appears on the same page, same state.
        await setSettings(undefined);
        await settledBanner(page, ['scriptswitch']);
        const after = await layoutFingerprint(page, ['#recommendation-dialog', '#issue']);
        expect(after).toBe(before);
      } finally {
        await setSettings(undefined);
      }
    });
  });
});

describe('dismiss, re-render and re-mount', () => {
  it('dismiss (Enter) removes the tool; it stays gone when the page re-renders the prompt, until reload', async () => {
    await withPage(async (page, errors) => {
      await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
      await settledBanner(page, ['scriptswitch']);
      await setExpanded(page, true);
      const dismiss = page
        .locator(BANNER_SELECTOR)
        .getByRole('button', { name: 'Dismiss the note about ScriptSwitch' });
      await dismiss.focus();
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await bannerState(page)).present, { timeout: 3000 }).toBe(false);
      // The clinical system re-renders its prompt (remove and re-insert).
      await page.evaluate(() => {
        const dialog = document.getElementById('recommendation-dialog');
        if (!dialog) throw new Error('no dialog');
        const copy = dialog.cloneNode(true) as HTMLElement;
        dialog.remove();
        setTimeout(() => document.body.append(copy), 200);
      });
      await page.locator('#recommendation-dialog').waitFor({ state: 'attached' });
      await expectNoBannerFor(page, 2000);
      // A new page load is a new navigation: the banner is back.
      await page.reload();
      await settledBanner(page, ['scriptswitch']);
      expect(errors).toEqual([]);
    });
  });

  it('with two tools, dismissing one (Space) leaves the other', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
      await settledBanner(page, ['scriptswitch']);
      // An OptimiseRx message joins the page (same markup as optimiserx-inline.html).
      await page.evaluate(async () => {
        const html = await (await fetch('/optimiserx-inline.html')).text();
        const aside = new DOMParser().parseFromString(html, 'text/html').getElementById('orx-panel');
        if (!aside) throw new Error('no OptimiseRx panel in the sim page');
        document.querySelector('main')?.append(document.importNode(aside, true));
      });
      await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS, tools: ['optimiserx', 'scriptswitch'] });
      await setExpanded(page, true);
      await page
        .locator(BANNER_SELECTOR)
        .getByRole('button', { name: 'Dismiss the note about ScriptSwitch' })
        .focus();
      await page.keyboard.press('Space');
      await expect
        .poll(async () => describeTools((await bannerState(page)).tools), { timeout: 3000 })
        .toBe('optimiserx:flagged');
    });
  });

  it('comes back when the page removes its host or rewrites body, and there is only ever one host', async () => {
    await withPage(async (page, errors) => {
      await openSimPage(page, suite.sim, simPage('optimiserx-inline.html'));
      await settledBanner(page, ['optimiserx']);
      await page.evaluate((host) => document.querySelector(host)?.remove(), BANNER_HOST);
      await waitForBanner(page, { timeout: 3000, tools: ['optimiserx'] });
      expect(await hostCount(page)).toBe(1);
      // A single-page app that re-renders the whole body from its markup.
      await page.evaluate(() => {
        const markup = document.body.innerHTML;
        document.body.innerHTML = markup;
      });
      await waitForBanner(page, { timeout: 3000, tools: ['optimiserx'] });
      await page.waitForTimeout(500);
      expect(await hostCount(page)).toBe(1);
      // The page empties the banner's shadow root.
      await page.evaluate((host) => {
        const root = document.querySelector(host)?.shadowRoot;
        if (root) root.innerHTML = '';
      }, BANNER_HOST);
      await waitForBanner(page, { timeout: 3000, tools: ['optimiserx'] });
      expect(await hostCount(page)).toBe(1);
      expect(errors).toEqual([]);
    });
  });

  it('a second injection of the banner script replaces the first: still one host', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('optimiserx-inline.html'));
      await settledBanner(page, ['optimiserx']);
      const url = page.url();
      await suite.browser.serviceWorker.evaluate(async (pageUrl) => {
        const [tab] = await chrome.tabs.query({ url: pageUrl });
        if (tab?.id === undefined) throw new Error('tab not found');
        await chrome.scripting.executeScript({
          target: { tabId: tab.id, frameIds: [0] },
          files: ['/content-scripts/banner.js'],
        });
      }, url);
      await page.waitForTimeout(500);
      await waitForBanner(page, { timeout: 3000, tools: ['optimiserx'] });
      expect(await hostCount(page)).toBe(1);
    });
  });
});

describe('focus and accessibility', () => {
  it('never moves focus: the search box keeps it while the banner appears', async () => {
    await withPage(async (page) => {
      await page.goto(suite.sim.url('optimiserx-inline.html'), { waitUntil: 'domcontentloaded' });
      await page.focus('#find-patient');
      await page.keyboard.type('TEST');
      await settledBanner(page, ['optimiserx']);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('find-patient');
      // Typing still goes to the page.
      await page.keyboard.type(' Alex');
      expect(await page.inputValue('#find-patient')).toBe('TEST Alex');
    });
  });

  it('keyboard focus inside the banner is clearly visible (NHS yellow with a dark bar)', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
      await settledBanner(page, ['scriptswitch']);
      await setExpanded(page, true);
      await page.keyboard.press('Shift'); // keyboard modality for :focus-visible
      const snooze = page.locator(BANNER_SELECTOR).getByRole('button', { name: /Snooze/ });
      await snooze.focus();
      const style = await snooze.evaluate((el) => {
        const s = getComputedStyle(el);
        return { background: s.backgroundColor, shadow: s.boxShadow };
      });
      expect(style.background).toBe('rgb(255, 235, 59)');
      expect(style.shadow).toContain('rgb(33, 43, 50)');
    });
  });

  for (const collapsed of [false, true]) {
    it(`axe-core reports no violations in the banner (${collapsed ? 'compact' : 'expanded'})`, async () => {
      await withPage(async (page) => {
        await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
        await settledBanner(page, ['scriptswitch']);
        await setExpanded(page, !collapsed);
        await page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js') });
        const result = await page.evaluate(async (host) => {
          const axe = (
            window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResults> } }
          ).axe;
          interface AxeResults {
            violations: { id: string; nodes: { target: unknown[] }[] }[];
            passes: unknown[];
          }
          const r = await axe.run(
            { include: [[host]] },
            {
              runOnly: {
                type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
              },
            },
          );
          return {
            violations: r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`),
            passes: r.passes.length,
          };
        }, BANNER_HOST);
        expect(result.violations).toEqual([]);
        expect(result.passes).toBeGreaterThan(5);
        // Proof that axe looks inside the banner's shadow root: it checked the banner's own
        // buttons (targets that go through the host into the shadow root). A fault can no
        // longer be planted there: the banner restores itself at once (hostile-banner suite).
        const inside = await page.evaluate(async (host) => {
          const axe = (
            window as unknown as {
              axe: {
                run(ctx: unknown, opts: unknown): Promise<{ passes: { nodes: { target: unknown[] }[] }[] }>;
              };
            }
          ).axe;
          const r = await axe.run(
            { include: [[host]] },
            { runOnly: { type: 'rule', values: ['button-name'] } },
          );
          return r.passes.flatMap((p) => p.nodes.map((n) => JSON.stringify(n.target)));
        }, BANNER_HOST);
        expect(
          inside.some((t) => t.startsWith(`[["${BANNER_HOST}",`)),
          inside.join(' '),
        ).toBe(true);
      });
    });
  }

  it('is readable at 200% zoom (1280x800 at 200% = 640x400): fits the viewport, nothing clipped', async () => {
    await withPage(async (page) => {
      await page.setViewportSize({ width: 640, height: 400 });
      await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
      const box = await settledBanner(page, ['scriptswitch']);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left + box.width).toBeLessThanOrEqual(640);
      expect(box.top + box.height).toBeLessThanOrEqual(400);
      const clipped = await page.evaluate((host) => {
        const banner = document.querySelector(host)?.shadowRoot?.querySelector('[data-testid="mo-banner"]');
        if (!banner) return ['no banner'];
        const out: string[] = [];
        if (banner.scrollWidth > banner.clientWidth) out.push('banner scrolls sideways');
        if (banner.scrollHeight > banner.clientHeight + 1) out.push('banner scrolls');
        const b = banner.getBoundingClientRect();
        const walker = document.createTreeWalker(banner, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const parent = n.parentElement;
          if (!n.textContent?.trim() || !parent || parent.closest('.vh')) continue;
          if (!parent.checkVisibility({ visibilityProperty: true })) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) {
            if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.bottom > b.bottom + 0.5)
              out.push(`clipped: ${n.textContent.trim().slice(0, 40)}`);
          }
        }
        return out;
      }, BANNER_HOST);
      expect(clipped).toEqual([]);
      // The tab may lie over a large dialog's text, never over a control.
      const controls = (await pageControls(page)).filter((c) => !/role="(alert)?dialog"/.test(c.what));
      expect(controls.filter((c) => intersects(box, c)).map((c) => c.what)).toEqual([]);
    });
  });
});

describe('allow-list: a mandated tool is never flagged', () => {
  it('with the mandated note on, ScriptSwitch appears only as "mandated", never flagged even for a moment', async () => {
    await setSettings({
      allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
      banner: { showMandatedNote: true, snoozeMinutes: 60, corner: 'bottom-right' },
    });
    try {
      for (const path of ['scriptswitch-modal.html', 'iframe-same-origin.html', 'shadow-component.html']) {
        await withPage(async (page, errors) => {
          await page.addInitScript((host) => {
            const w = window as unknown as { __flaggedSeen: boolean };
            w.__flaggedSeen = false;
            const look = () => {
              const root = document.querySelector(host)?.shadowRoot;
              if (root?.querySelector('[data-tool-id="scriptswitch"][data-verdict="flagged"]'))
                w.__flaggedSeen = true;
              requestAnimationFrame(look);
            };
            requestAnimationFrame(look);
            new MutationObserver(look).observe(document, { childList: true, subtree: true });
          }, BANNER_HOST);
          await openSimPage(page, suite.sim, simPage(path));
          await waitForBanner(page, { timeout: POSITIVE_TIMEOUT_MS });
          await page.waitForTimeout(500);
          expect(describeTools((await bannerState(page)).tools), path).toBe('scriptswitch:mandated');
          await setExpanded(page, true);
          const state = await bannerState(page);
          expect(describeTools(state.tools), path).toBe('scriptswitch:mandated');
          const note = await page.locator(BANNER_SELECTOR).locator('[data-verdict="mandated"]').textContent();
          expect(note).toContain('mandated by your local service (BSol ESO 2026/27): keep using');
          expect(await page.locator(BANNER_SELECTOR).textContent()).not.toMatch(/switch off/i);
          expect(
            await page.evaluate(() => (window as unknown as { __flaggedSeen: boolean }).__flaggedSeen),
          ).toBe(false);
          expect(errors).toEqual([]);
        });
      }
    } finally {
      await setSettings(undefined);
    }
  });

  it('with the mandated note off (the default), a ScriptSwitch-only page shows no banner at all', async () => {
    await setSettings({
      allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
      banner: { showMandatedNote: false, snoozeMinutes: 60, corner: 'bottom-right' },
    });
    try {
      await withPage(async (page) => {
        await openSimPage(page, suite.sim, simPage('scriptswitch-modal.html'));
        await expectNoBannerFor(page, 2500);
        expect(await hostCount(page)).toBe(0);
      });
    } finally {
      await setSettings(undefined);
    }
  });
});

// Snooze is global (every tab) and lasts at least 5 minutes: it runs last.
describe('snooze', () => {
  it('hides the banner on this tab and others, and a reload does not bring it back', async () => {
    await withPage(async (page) => {
      const other = await suite.browser.context.newPage();
      try {
        await openSimPage(other, suite.sim, simPage('scriptswitch-modal.html'));
        await settledBanner(other, ['scriptswitch']);
        await openSimPage(page, suite.sim, simPage('optimiserx-inline.html'));
        await settledBanner(page, ['optimiserx']);
        await setExpanded(page, true);
        const snooze = page.locator(BANNER_SELECTOR).getByRole('button', { name: /Snooze/ });
        await snooze.focus();
        await page.keyboard.press('Enter');
        await expect.poll(async () => (await bannerState(page)).present, { timeout: 3000 }).toBe(false);
        await expect.poll(async () => (await bannerState(other)).present, { timeout: 3000 }).toBe(false);
        expect(await hostCount(page)).toBe(0);
        await page.reload();
        await expectNoBannerFor(page, 2000);
      } finally {
        await other.close();
      }
    });
  });
});
