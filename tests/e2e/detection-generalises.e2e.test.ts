import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { type EvalCase, generateCorpus } from '../../scripts/eval/corpus';
import {
  bannerState,
  collectConsoleErrors,
  describeTools,
  expectNoBannerFor,
  openSimPage,
  setUpExtensionBrowser,
  simPage,
  waitForBanner,
} from './harness';

/**
 * In real Chromium, through the e2e build: a prompt is flagged when it is shown
 * and withdrawn within a second of being closed; and a sample of the generated corpus
 * (scripts/eval/corpus.ts, the pages `npm run eval:detection` scores in happy-dom) is
 * served on the loopback origin, with real layout, real popovers and real shadow roots.
 */

const suite = setUpExtensionBrowser({ profilePrefix: 'mo-detect-gen-e2e-' });

async function withPage<T>(fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const page = await suite.browser.context.newPage();
  const errors = collectConsoleErrors(page);
  try {
    return await fn(page, errors);
  } finally {
    await page.close();
  }
}

/** Polls until the banner is gone; returns how long that took. */
async function bannerGoneWithin(page: Page, ms: number): Promise<number> {
  const started = Date.now();
  await vi
    .waitFor(
      async () => {
        if ((await bannerState(page)).present) throw new Error('still shown');
      },
      { timeout: ms, interval: 50 },
    )
    .catch(() => {
      throw new Error(`the banner was still shown ${ms} ms after the prompt closed`);
    });
  return Date.now() - started;
}

describe('a prompt is flagged while shown, and only then', () => {
  it('a <dialog> is flagged once opened with showModal() and withdrawn within a second of close()', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('negative-hidden-dialogs.html'));
      await expectNoBannerFor(page, 1500);
      await page.evaluate(() => (document.getElementById('closed-dialog') as HTMLDialogElement).showModal());
      await waitForBanner(page, { timeout: 5000 });
      expect(describeTools((await bannerState(page)).tools)).toBe('scriptswitch:flagged');
      await page.evaluate(() => (document.getElementById('closed-dialog') as HTMLDialogElement).close());
      // Within a second of closing, plus the hop through the background to the banner.
      expect(await bannerGoneWithin(page, 1500)).toBeLessThan(1500);
    });
  });

  it('a prompt whose ancestor is shown by a class change is flagged; hidden again, withdrawn', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('negative-hidden-dialogs.html'));
      await expectNoBannerFor(page, 1000);
      await page.evaluate(() => document.querySelector('.is-gone')?.classList.remove('is-gone'));
      await waitForBanner(page, { timeout: 5000 });
      expect(describeTools((await bannerState(page)).tools)).toBe('optimiserx:flagged');
      await page.evaluate(() => document.querySelector('aside')?.parentElement?.classList.add('is-gone'));
      expect(await bannerGoneWithin(page, 1500)).toBeLessThan(1500);
    });
  });

  it('a prompt hidden by a style sheet alone (no change on it or around it) is withdrawn; shown again, flagged', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('negative-plain-prescribing.html'));
      await page.evaluate(() =>
        document.body.insertAdjacentHTML(
          'beforeend',
          '<div role="dialog" id="sheet-prompt" aria-label="ScriptSwitch"><h2>ScriptSwitch</h2><button>Accept</button><button>Edit Original</button><button>Prescribe Original</button></div>',
        ),
      );
      await waitForBanner(page, { timeout: 5000 });
      // display:none from a rule: the browser's box reports see it (no layout forced).
      await page.evaluate(() => {
        const style = document.createElement('style');
        style.id = 'sheet';
        style.textContent = '#sheet-prompt { display: none }';
        document.head.append(style);
      });
      expect(await bannerGoneWithin(page, 1500)).toBeLessThan(1500);
      await page.evaluate(() => document.getElementById('sheet')?.remove());
      await waitForBanner(page, { timeout: 2000 });
      // visibility:hidden from a rule leaves the box in place: the slow re-check finds it.
      await page.evaluate(() => {
        const style = document.createElement('style');
        style.textContent = '#sheet-prompt { visibility: hidden }';
        document.head.append(style);
      });
      expect(await bannerGoneWithin(page, 3500)).toBeLessThan(3500);
    });
  });

  it('a prompt collapsed to nothing (zero size, clipped) is not flagged', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('negative-plain-prescribing.html'));
      await page.evaluate(() =>
        document.body.insertAdjacentHTML(
          'beforeend',
          '<div style="height:0;overflow:hidden"><div role="dialog" aria-label="ScriptSwitch"><h2>ScriptSwitch</h2><button>Accept</button><button>Edit Original</button><button>Prescribe Original</button></div></div>',
        ),
      );
      await expectNoBannerFor(page, 2000);
    });
  });

  it('a GP typing a tool’s name as a heading in a contenteditable note is not flagged', async () => {
    await withPage(async (page) => {
      await openSimPage(page, suite.sim, simPage('negative-contenteditable-note.html'));
      await page.locator('#note-editor').click();
      await page.keyboard.press('End');
      await page.keyboard.type(' ScriptSwitch Accept Edit Original Prescribe Original');
      await page.evaluate(() =>
        document
          .getElementById('note-editor')
          ?.insertAdjacentHTML('beforeend', '<h2>ScriptSwitch</h2><button>Accept</button>'),
      );
      await expectNoBannerFor(page, 2000);
    });
  });
});

/** attachShadows (scripts/eval/corpus.ts) as page script: each template[data-shadow] becomes its parent's open shadow root. */
const ATTACH_SHADOWS = `(() => {
  const queue = [document];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const template of Array.from(next.querySelectorAll('template[data-shadow]'))) {
      const host = template.parentElement;
      if (!host) continue;
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.append(template.content.cloneNode(true));
      template.remove();
      queue.push(shadow);
    }
  }
})()`;

/** A generated page as served: shadow roots attached and popovers opened by the page itself. */
function served(html: string, title: string): string {
  const script = `${ATTACH_SHADOWS};for(const p of document.querySelectorAll('[data-popover-open]'))p.showPopover();`;
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${title}</title></head><body>${html}<script>${script}</script></body></html>`;
}

/** A sample that covers every shape: the first `perShape` pages of each. */
function sampleOf(corpus: EvalCase[], perShape: number): EvalCase[] {
  const taken = new Map<string, number>();
  return corpus.filter((c) => {
    const key = `${c.tool ? 'prompt' : 'negative'}:${c.shape}`;
    const n = taken.get(key) ?? 0;
    taken.set(key, n + 1);
    return n < perShape;
  });
}

describe('a sample of the generated corpus in real Chromium', () => {
  const sample = sampleOf(generateCorpus(), 1);
  for (const entry of sample) {
    const label = entry.tool ? `flags ${entry.tool}` : 'flags nothing';
    it(`#${entry.id} ${entry.tool ? 'prompt' : 'negative'} ${entry.shape}: ${label}`, async () => {
      await withPage(async (page, errors) => {
        const base = `${suite.sim.origin}/corpus/${entry.id}`;
        await page.route(`${base}/**`, (route) => {
          const url = new URL(route.request().url());
          const frame = entry.frames[0];
          const body =
            url.pathname.endsWith('/frame') && frame
              ? served(frame.html, frame.title)
              : served(entry.top.html.replace(/<iframe\b/g, `<iframe src="${base}/frame"`), entry.top.title);
          return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
        });
        await page.goto(`${base}/page`, { waitUntil: 'load' });
        if (entry.tool) {
          const state = await waitForBanner(page, { timeout: 8000, tools: [entry.tool] });
          expect(describeTools(state.tools)).toBe(`${entry.tool}:flagged`);
        } else {
          await expectNoBannerFor(page, 1500);
        }
        expect(errors).toEqual([]);
      });
    });
  }
});
