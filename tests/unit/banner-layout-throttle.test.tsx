import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createBannerController } from '../../entrypoints/banner.content/controller';
import {
  BUSY_NOTICES,
  HELD_SHARE,
  HELD_THROTTLE_MS,
  LAYOUT_THROTTLE_MS,
  MAX_SHARE,
} from '../../entrypoints/banner.content/layout';
import { BANNER_HOST_NAME } from '../../entrypoints/banner.content/mounting';
import * as obstacles from '../../entrypoints/banner.content/obstacles';
import type { BannerView } from '../../lib/messages';
import { bannerViewOf, toolView } from '../support/views';
import { FRAME_MS, virtualClock } from '../support/virtual-clock';

vi.mock('../../entrypoints/banner.content/obstacles', async (importOriginal) => {
  const original = await importOriginal<typeof obstacles>();
  return { ...original, viewportOf: vi.fn(original.viewportOf), probeRect: vi.fn(original.probeRect) };
});

const VIEW: BannerView = bannerViewOf([toolView('scriptswitch')]);

const contexts: ContentScriptContext[] = [];
afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort('test end');
  vi.mocked(obstacles.viewportOf).mockReset();
  document.body.innerHTML = '';
});

/** Lets the page's MutationObserver callbacks run (they are queued, not timed). */
const observersRun = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * The banner on a virtual clock. `measures` holds the virtual time of every check and
 * layout (each reads the viewport first, once); `cost` is how long each one takes.
 */
async function showBanner(cost = 0) {
  const clock = virtualClock();
  const measures: number[] = [];
  const viewports = vi.mocked(obstacles.viewportOf);
  const real = (await vi.importActual<typeof obstacles>('../../entrypoints/banner.content/obstacles'))
    .viewportOf;
  viewports.mockImplementation((doc) => {
    measures.push(clock.now());
    clock.spend(cost);
    return real(doc);
  });
  const ctx = new ContentScriptContext('banner');
  contexts.push(ctx);
  createBannerController({
    ctx,
    clock,
    onDismiss: () => undefined,
    onSnooze: () => undefined,
    shadowMode: 'open',
  }).setView(VIEW);
  await waitFor(() =>
    expect(
      document.querySelector(BANNER_HOST_NAME)?.shadowRoot?.querySelector('[data-testid="mo-banner"]'),
    ).not.toBeNull(),
  );
  return { clock, measures };
}

/** Runs `change` every `step` ms of virtual time for `ms`. */
async function keepChanging(
  clock: ReturnType<typeof virtualClock>,
  ms: number,
  change: () => void,
  step = 10,
) {
  for (let t = 0; t < ms; t += step) {
    change();
    await observersRun();
    clock.tick(step);
  }
}

const nearChange = () => document.body.append(document.createElement('span'));
/** Changes near the banner this far apart stay under BUSY_NOTICES per check, held or not. */
const CALM_STEP_MS = Math.ceil((2 * HELD_THROTTLE_MS) / BUSY_NOTICES);

/**
 * A page with layout, as far as the banner looks: one text block under every point (its
 * box set through `move`), and a banner 400×150. Undone by `restore`.
 */
function stubLayout() {
  const text = document.createElement('p');
  document.body.append(text);
  let box = new DOMRect(0, 0, 5000, 5000);
  text.getBoundingClientRect = () => box;
  const undo: (() => void)[] = [];
  const stub = (target: object, key: string, descriptor: PropertyDescriptor) => {
    const before = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { ...descriptor, configurable: true });
    undo.push(() =>
      before ? Object.defineProperty(target, key, before) : Reflect.deleteProperty(target, key),
    );
  };
  stub(document, 'elementFromPoint', { value: () => text });
  stub(document, 'elementsFromPoint', { value: () => [text] });
  const isBanner = (el: HTMLElement) => el.dataset.testid === 'mo-banner';
  stub(HTMLElement.prototype, 'offsetWidth', {
    get(this: HTMLElement) {
      return isBanner(this) ? 400 : 0;
    },
  });
  stub(HTMLElement.prototype, 'offsetHeight', {
    get(this: HTMLElement) {
      return isBanner(this) ? 150 : 0;
    },
  });
  return {
    move: (next: DOMRect) => {
      box = next;
    },
    restore: () => {
      for (const u of undo.reverse()) u();
    },
  };
}

describe('banner re-checks on a busy page (virtual time)', () => {
  it("a change near the banner is checked one interval after the last measure ended, right after the page's next layout", async () => {
    const { clock, measures } = await showBanner();
    const shown = measures.length;
    const lastEnd = clock.now();
    clock.tick(100);
    nearChange();
    await observersRun();
    clock.tick(LAYOUT_THROTTLE_MS - 100 - 1);
    expect(measures).toHaveLength(shown); // not at once, not before the interval
    clock.tick(1 + 2 * FRAME_MS);
    expect(measures).toHaveLength(shown + 1);
    const at = measures[shown] ?? 0;
    // Counted from the end of the last measure (not from the change), then the page's next layout.
    expect(at - lastEnd).toBeGreaterThanOrEqual(LAYOUT_THROTTLE_MS);
    expect(at - lastEnd).toBeLessThanOrEqual(LAYOUT_THROTTLE_MS + FRAME_MS);
  });

  it('once its place has held, changes away from it cost nothing, and changes near it are checked at most once a second', async () => {
    const { clock, measures } = await showBanner();
    // Changes next to it (the body) until the place has held three checks in a row.
    await keepChanging(clock, LAYOUT_THROTTLE_MS * 5, nearChange);
    clock.tick(LAYOUT_THROTTLE_MS * 2);
    // A live table far from the banner keeps changing: no measure at all.
    const far = document.createElement('div');
    document.body.append(far); // itself a change next to the banner: let its check pass
    await observersRun();
    clock.tick(HELD_THROTTLE_MS + 100);
    const before = measures.length;
    await keepChanging(clock, 2500, () => far.append(document.createElement('span')));
    expect(measures.length - before).toBe(0);
    // Near it again: spaced by HELD_THROTTLE_MS.
    const start = measures.length;
    await keepChanging(clock, HELD_THROTTLE_MS * 2.5, nearChange);
    const times = measures.slice(start);
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(HELD_THROTTLE_MS);
  });

  it('a check that took c ms is followed by at least c / MAX_SHARE ms of quiet', async () => {
    const cost = 20;
    const { clock, measures } = await showBanner(cost);
    await keepChanging(clock, 20_000, nearChange, 50);
    expect(measures.length).toBeGreaterThanOrEqual(3);
    for (let i = 2; i < measures.length; i++)
      expect((measures[i] ?? 0) - (measures[i - 1] ?? 0)).toBeGreaterThanOrEqual(cost + cost / MAX_SHARE);
  });

  it('a change that reaches nothing under the banner costs no hit test; one that moves what lies under it does', async () => {
    const layout = stubLayout();
    try {
      const { clock, measures } = await showBanner();
      const probes = vi.mocked(obstacles.probeRect);
      probes.mockClear();
      const shown = measures.length;
      // Spans added beside the banner, outside its place, now and then: checked, but
      // from boxes alone.
      await keepChanging(clock, 6 * HELD_THROTTLE_MS, nearChange, CALM_STEP_MS);
      expect(measures.length).toBeGreaterThan(shown + 2);
      expect(probes).not.toHaveBeenCalled();
      // The text under it moves away: its place is hit-tested again.
      layout.move(new DOMRect(6000, 0, 100, 100));
      nearChange();
      await observersRun();
      clock.tick(HELD_THROTTLE_MS + 2 * FRAME_MS);
      expect(probes).toHaveBeenCalled();
    } finally {
      layout.restore();
    }
  });

  it('once held, a check that took c ms is followed by at least c / HELD_SHARE ms of quiet', async () => {
    const cost = 5;
    const { clock, measures } = await showBanner(cost);
    await keepChanging(clock, 30_000, nearChange, 50);
    // The first checks (before the place has held) and the ones after.
    const held = measures.slice(4);
    expect(held.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < held.length; i++)
      expect((held[i] ?? 0) - (held[i - 1] ?? 0)).toBeGreaterThanOrEqual(cost / HELD_SHARE);
  });

  it('on a page that keeps changing near it, stops listening until its next check, which hit-tests its place', async () => {
    // Boxes alone could tell that nothing under it changed: only not listening makes it hit-test.
    const layout = stubLayout();
    const probes = vi.mocked(obstacles.probeRect);
    const { clock, measures } = await showBanner();
    // Let the place hold.
    await keepChanging(clock, 4 * HELD_THROTTLE_MS, nearChange, CALM_STEP_MS);
    probes.mockClear();
    const disconnected = vi.spyOn(MutationObserver.prototype, 'disconnect');
    const before = measures.length;
    // Busy: a change next to it every 10 ms for three seconds.
    await keepChanging(clock, 3 * HELD_THROTTLE_MS, nearChange, 10);
    clock.tick(HELD_THROTTLE_MS + 2 * FRAME_MS);
    const checks = measures.length - before;
    expect(checks).toBeGreaterThanOrEqual(2);
    expect(checks).toBeLessThanOrEqual(4);
    // Each check found it had stopped listening, and hit-tested rather than trust boxes.
    expect(probes.mock.calls.length).toBeGreaterThanOrEqual(checks - 1);
    // It stopped listening once per check, not once per change (300 changes).
    expect(disconnected.mock.calls.length).toBeLessThanOrEqual(4 * checks);
    expect(disconnected.mock.calls.length).toBeGreaterThanOrEqual(checks - 1);
    disconnected.mockRestore();
    layout.restore();
  });
});
