import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  BANNER_HOST,
  BANNER_SELECTOR,
  openSimPage,
  type SimPage,
  setUpExtensionBrowser,
  simPage,
  simPages,
  waitForBanner,
} from './harness';

/**
 * The banner's guarantee, in real Chromium: on every simulated page with a prompt, in
 * its default (compact) form and after the clinician asks for the full note, at
 * 1366×768, at 200 % zoom of it (683×384 CSS px) and at the floor of 320×256
 * CSS px (400 % zoom of 1280×1024), it covers no interactive element of the page or of
 * the prompt (document, open shadow roots, same-origin frames; a cross-origin frame
 * counts as a whole), stays inside the viewport, and shows all its content without
 * scrolling. And over a native modal <dialog> it is painted above the backdrop without
 * taking focus or closing the dialog.
 */

const SIZES = [
  { label: '1366x768', width: 1366, height: 768 },
  { label: '200% (683x384)', width: 683, height: 384 },
  { label: '400% floor (320x256)', width: 320, height: 256 },
] as const;

const positivePages = simPages.filter((p) => Object.keys(p.expect).length > 0);

const suite = setUpExtensionBrowser({
  profilePrefix: 'mo-geometry-e2e-',
  launch: { extensionDir: process.env.MO_E2E_EXTENSION_DIR ?? '.output/chrome-mv3' },
});

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface Shown {
  form: string;
  box: Box;
  /** Content taller or wider than the banner (it would need scrolling). */
  overflow: boolean;
}

async function withPage<T>(
  size: { width: number; height: number },
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const page = await suite.browser.context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  try {
    return await fn(page);
  } finally {
    await page.close();
  }
}

async function shown(page: Page): Promise<Shown | null> {
  return page.evaluate((host) => {
    const el = document
      .querySelector(host)
      ?.shadowRoot?.querySelector<HTMLElement>('[data-testid="mo-banner"]');
    if (!el?.checkVisibility({ visibilityProperty: true })) return null;
    const r = el.getBoundingClientRect();
    return {
      form: el.dataset.form ?? '',
      box: { left: r.left, top: r.top, width: r.width, height: r.height },
      overflow: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
    };
  }, BANNER_HOST);
}

/** Waits for the banner and until its place has stopped changing. */
async function settled(page: Page, tools: string[]): Promise<Shown> {
  await waitForBanner(page, { timeout: 10_000, tools });
  let previous = JSON.stringify(await shown(page));
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(300);
    const now = JSON.stringify(await shown(page));
    if (now === previous && now !== 'null') return JSON.parse(now) as Shown;
    previous = now;
  }
  throw new Error(`banner did not settle on ${page.url()}`);
}

/**
 * Every visible interactive element of the page, in viewport coordinates: the
 * document, its open shadow roots and its same-origin frames (offset by the frame's
 * box); a frame this page cannot read counts as one control.
 */
async function interactiveBoxes(page: Page): Promise<(Box & { what: string })[]> {
  return page.evaluate((host) => {
    const selector =
      'a[href],area[href],button,input:not([type="hidden"]),select,textarea,summary,label,[contenteditable="true"],' +
      '[role="button"],[role="link"],[role="checkbox"],[role="radio"],[role="tab"],[role="menuitem"],[role="combobox"],' +
      '[role="textbox"],[tabindex]:not([tabindex="-1"]),iframe';
    const out: { what: string; left: number; top: number; width: number; height: number }[] = [];
    const visit = (doc: Document, dx: number, dy: number, clip: DOMRect | null) => {
      const roots: (Document | ShadowRoot)[] = [doc];
      for (let i = 0; i < roots.length; i++)
        for (const el of (roots[i] as ParentNode).querySelectorAll('*'))
          if (el.localName !== host && el.shadowRoot) roots.push(el.shadowRoot);
      for (const root of roots) {
        for (const el of root.querySelectorAll(selector)) {
          if (el.closest(host)) continue;
          if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
          let r = el.getBoundingClientRect();
          r = new DOMRect(r.left + dx, r.top + dy, r.width, r.height);
          if (clip) {
            const left = Math.max(r.left, clip.left);
            const top = Math.max(r.top, clip.top);
            const right = Math.min(r.right, clip.right);
            const bottom = Math.min(r.bottom, clip.bottom);
            if (right <= left || bottom <= top) continue;
            r = new DOMRect(left, top, right - left, bottom - top);
          }
          if (r.width <= 0 || r.height <= 0) continue;
          if (el.localName === 'iframe') {
            let inner: Document | null = null;
            try {
              inner = (el as HTMLIFrameElement).contentDocument;
            } catch {}
            if (inner?.documentElement) {
              const f = el.getBoundingClientRect();
              visit(inner, f.left + dx + el.clientLeft, f.top + dy + el.clientTop, r);
              continue;
            }
          }
          out.push({
            what: el.outerHTML.slice(0, 80),
            left: r.left,
            top: r.top,
            width: r.width,
            height: r.height,
          });
        }
      }
    };
    visit(document, 0, 0, new DOMRect(0, 0, innerWidth, innerHeight));
    return out;
  }, BANNER_HOST);
}

function intersects(a: Box, b: Box): boolean {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0.5 && h > 0.5;
}

async function expectClear(page: Page, where: string): Promise<Shown> {
  const s = await shown(page);
  if (!s) throw new Error(`${where}: no banner visible`);
  const covered = (await interactiveBoxes(page)).filter((c) => intersects(s.box, c)).map((c) => c.what);
  expect(covered, `${where}: controls under the ${s.form} banner at ${JSON.stringify(s.box)}`).toEqual([]);
  const v = page.viewportSize();
  if (!v) throw new Error('no viewport');
  expect(s.box.left, where).toBeGreaterThanOrEqual(0);
  expect(s.box.top, where).toBeGreaterThanOrEqual(0);
  expect(s.box.left + s.box.width, where).toBeLessThanOrEqual(v.width + 0.5);
  expect(s.box.top + s.box.height, where).toBeLessThanOrEqual(v.height + 0.5);
  expect(s.overflow, `${where}: content needs scrolling`).toBe(false);
  return s;
}

/** Presses "Show more" with the mouse (a trusted click), when the form has it. */
async function askForMore(page: Page): Promise<boolean> {
  const toggle = page.locator(`${BANNER_SELECTOR} button.toggle`);
  if ((await toggle.count()) === 0) return false;
  if ((await toggle.getAttribute('aria-expanded')) === 'true') return true;
  await toggle.click();
  return true;
}

async function open(page: Page, entry: SimPage): Promise<Shown> {
  await openSimPage(page, suite.sim, entry);
  return settled(page, Object.keys(entry.expect));
}

describe('never covers a control of the page or the prompt', () => {
  for (const size of SIZES) {
    for (const entry of positivePages) {
      it(`${entry.path} at ${size.label}: compact, then with the full note asked for`, async () => {
        await withPage(size, async (page) => {
          const first = await open(page, entry);
          expect(['compact', 'tab']).toContain(first.form);
          await expectClear(page, `${entry.path} ${size.label} default`);
          if (await askForMore(page)) {
            const after = await settled(page, Object.keys(entry.expect));
            const s = await expectClear(page, `${entry.path} ${size.label} asked for more`);
            expect(['expanded', 'compact', 'tab']).toContain(after.form);
            if (s.form === 'expanded') {
              // Everything visible without scrolling: the dated source line is on screen.
              const source = page.locator(`${BANNER_SELECTOR} .source`);
              expect(await source.isVisible()).toBe(true);
            } else {
              // No room for the full note: the banner says where it is instead.
              expect(await page.locator(BANNER_SELECTOR).textContent()).toMatch(/toolbar button/);
            }
          }
        });
      });
    }
  }

  it('at 1366x768 the default is the compact panel showing the advisory sentence (not a bar to click)', async () => {
    await withPage(SIZES[0], async (page) => {
      const s = await open(page, simPage('optimiserx-inline.html'));
      expect(s.form).toBe('compact');
      const text = (await page.locator(BANNER_SELECTOR).textContent()) ?? '';
      expect(text).toContain('OptimiseRx');
      expect(text).toMatch(/non-contractual medicines optimisation software: your practice may/);
      // Heading first: the heading is set larger than the sentence under it.
      const sizes = await page.locator(BANNER_SELECTOR).evaluate((el) => ({
        title: parseFloat(getComputedStyle(el.querySelector('.title') as Element).fontSize),
        lead: parseFloat(getComputedStyle(el.querySelector('.lead') as Element).fontSize),
        background: getComputedStyle(el).backgroundColor,
      }));
      expect(sizes.title).toBeGreaterThan(sizes.lead);
      expect(sizes.background).not.toBe('rgb(255, 235, 59)'); // never the focus yellow
    });
  });
});

describe('over a modal <dialog> of the page', () => {
  it('is painted above its backdrop, takes no focus, leaves the dialog open, and works once it closes', async () => {
    await withPage(SIZES[0], async (page) => {
      await open(page, simPage('optimiserx-inline.html'));
      await page.evaluate(() => {
        const d = document.createElement('dialog');
        d.id = 'page-dialog';
        d.innerHTML = '<p>Confirm the issue</p><button id="page-ok" type="button">OK</button>';
        document.body.append(d);
        d.showModal();
      });
      await page.waitForTimeout(800);
      const state = await page.evaluate((host) => {
        const h = document.querySelector(host);
        const dialog = document.getElementById('page-dialog') as HTMLDialogElement;
        return {
          inTopLayer: h?.matches(':popover-open') ?? false,
          dialogOpen: dialog.open,
          active: document.activeElement?.id,
          blockedNote: Boolean(h?.shadowRoot?.querySelector('[data-testid="mo-banner-blocked"]')),
        };
      }, BANNER_HOST);
      expect(state).toEqual({ inTopLayer: true, dialogOpen: true, active: 'page-ok', blockedNote: true });
      // Painted above the backdrop: a pixel of the banner's white panel is still pure white
      // (under the backdrop it would be dimmed).
      const s = await shown(page);
      if (!s) throw new Error('banner gone while the dialog is open');
      const png = await page.screenshot({
        clip: { x: s.box.left + s.box.width - 6, y: s.box.top + 8, width: 1, height: 1 },
      });
      const pixel = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = c.height = 1;
        const g = c.getContext('2d') as CanvasRenderingContext2D;
        g.drawImage(img, 0, 0);
        return [...g.getImageData(0, 0, 1, 1).data].slice(0, 3);
      }, png.toString('base64'));
      expect(pixel).toEqual([255, 255, 255]);
      // The page closes its dialog: the note goes and the banner's buttons work.
      await page.evaluate(() => (document.getElementById('page-dialog') as HTMLDialogElement).close());
      await expect
        .poll(() => page.locator(`${BANNER_SELECTOR} [data-testid="mo-banner-blocked"]`).count(), {
          timeout: 3000,
        })
        .toBe(0);
      await settled(page, ['optimiserx']);
      await expectClear(page, 'after the dialog closed');
      await page.locator(`${BANNER_SELECTOR} button.toggle`).click();
      // The click took effect: the full note, or the note saying there is no room for it.
      await expect
        .poll(
          async () =>
            (await page.locator(`${BANNER_SELECTOR} button.toggle`).getAttribute('aria-expanded')) ===
              'true' || /No free space/.test((await page.locator(BANNER_SELECTOR).textContent()) ?? ''),
          { timeout: 3000 },
        )
        .toBe(true);
    });
  });
});
