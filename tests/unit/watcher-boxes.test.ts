import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import type { BoxWatchFactory } from '../../lib/content/detect/box-watch';
import { compileCatalogue } from '../../lib/content/detect/compile';
import { structurallyRendered } from '../../lib/content/detect/visibility';
import {
  createWatcher,
  type Scheduler,
  VISIBILITY_FALLBACK_MS,
  VISIBILITY_POLL_MS,
  type Watcher,
} from '../../lib/content/detect/watcher';

/** Virtual time: nothing runs until the test advances it. */
function virtualClock(): Scheduler & { tick(ms: number): void; delays: number[] } {
  let time = 0;
  let queue: { at: number; callback: () => void }[] = [];
  const delays: number[] = [];
  return {
    delays,
    now: () => time,
    later(callback, ms) {
      delays.push(ms);
      const task = { at: time + ms, callback };
      queue.push(task);
      return () => {
        queue = queue.filter((t) => t !== task);
      };
    },
    tick(ms) {
      const until = time + ms;
      for (;;) {
        const due = queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        queue = queue.filter((t) => t !== due);
        time = Math.max(time, due.at);
        due.callback();
      }
      time = until;
    },
  };
}

/** A box watch the test drives: it says what is watched and reports when told to. */
function fakeBoxes() {
  /** Watched elements, and whether their sizes are. */
  const watched = new Map<Element, boolean>();
  let report: (() => void) | undefined;
  let disconnected = 0;
  const factory: BoxWatchFactory = (onChange) => {
    report = onChange;
    return {
      watch: (element, size) => watched.set(element, size),
      unwatch: (element) => watched.delete(element),
      disconnect: () => {
        disconnected++;
        watched.clear();
      },
    };
  };
  return { factory, watched, report: () => report?.(), disconnected: () => disconnected };
}

const SCRIPTSWITCH =
  '<div role="dialog" id="d"><h2>ScriptSwitch</h2><button>Accept</button><button>Edit Original</button><button>Prescribe Original</button></div>';

/** The observer's callbacks are microtasks: let them run. */
const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('watcher with a box watch (no visibility polling)', () => {
  let watcher: Watcher;
  let clock: ReturnType<typeof virtualClock>;
  let boxes: ReturnType<typeof fakeBoxes>;
  /** Stands in for a style sheet: hides elements without any mutation. */
  let hiddenBySheet: Set<Element>;

  beforeEach(() => {
    document.body.innerHTML = '<main><h1>Prescribing</h1></main>';
    clock = virtualClock();
    boxes = fakeBoxes();
    hiddenBySheet = new Set();
    watcher = createWatcher({
      document,
      catalogue: compileCatalogue(builtInSignatures, globalExclusions, document),
      scheduler: clock,
      boxWatch: boxes.factory,
      isRendered: (element) => {
        for (const hidden of hiddenBySheet) if (hidden.contains(element)) return false;
        return structurallyRendered(element);
      },
      onChange: () => undefined,
    });
    watcher.start();
  });
  afterEach(() => watcher.stop());

  const toolIds = () => watcher.findings().map((f) => f.toolId);
  const nextBatch = async () => {
    await microtasks();
    clock.tick(50);
  };

  it('watches the box of a flagged prompt, and drops its flag as soon as the box goes', async () => {
    document.body.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    await nextBatch();
    const dialog = document.getElementById('d') as Element;
    expect(toolIds()).toEqual(['scriptswitch']);
    expect([...boxes.watched]).toEqual([[dialog, true]]);
    hiddenBySheet.add(dialog); // display:none from a style sheet: no mutation at all
    clock.tick(100);
    expect(toolIds()).toEqual(['scriptswitch']); // nothing announced it yet
    boxes.report(); // the browser's next frame reports the box gone
    clock.tick(0);
    expect(toolIds()).toEqual([]);
  });

  it('flags a held-back prompt when its box appears', async () => {
    document.body.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    const dialog = document.getElementById('d') as Element;
    hiddenBySheet.add(dialog);
    await nextBatch();
    expect(toolIds()).toEqual([]);
    expect([...boxes.watched]).toEqual([[dialog, true]]); // held back: evidence enough, not shown
    hiddenBySheet.clear();
    boxes.report();
    clock.tick(50); // the next batch
    expect(toolIds()).toEqual(['scriptswitch']);
  });

  it('watches a prompt with its size, and the container around it without (a page-sized box resizes all the time)', async () => {
    // Token 0.4 + heading 0.5 in a plain section: the prompt is the panel, the section its container.
    document.body.insertAdjacentHTML(
      'beforeend',
      '<section id="s"><p>Notes</p><div id="t" class="scriptswitch-panel"><h3>ScriptSwitch</h3></div></section>',
    );
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    expect(boxes.watched).toEqual(
      new Map([
        [document.getElementById('s'), false],
        [document.getElementById('t'), true],
      ]),
    );
  });

  it('stops watching a prompt that left, and everything when stopped', async () => {
    document.body.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    await nextBatch();
    expect(boxes.watched.size).toBe(1);
    document.getElementById('d')?.remove();
    await nextBatch();
    expect(toolIds()).toEqual([]);
    expect(boxes.watched.size).toBe(0);
    watcher.stop();
    expect(boxes.disconnected()).toBe(1);
    const asked = clock.delays.length;
    boxes.report(); // a late report after stop schedules nothing
    expect(clock.delays.length).toBe(asked);
  });

  it('re-checks on a slow fallback, not every VISIBILITY_POLL_MS, while a prompt is flagged', async () => {
    document.body.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    await nextBatch();
    expect(clock.delays).toContain(VISIBILITY_FALLBACK_MS);
    expect(clock.delays).not.toContain(VISIBILITY_POLL_MS);
    // visibility:hidden from a style sheet leaves the box in place: the fallback finds it.
    hiddenBySheet.add(document.getElementById('d') as Element);
    clock.tick(VISIBILITY_FALLBACK_MS - 100);
    expect(toolIds()).toEqual(['scriptswitch']);
    clock.tick(200);
    expect(toolIds()).toEqual([]);
  });

  it('the slow re-check asks the cheap check first, and re-scores only when it says something went', async () => {
    watcher.stop();
    let fullChecks = 0;
    const seemsHidden = new Set<Element>();
    watcher = createWatcher({
      document,
      catalogue: compileCatalogue(builtInSignatures, globalExclusions, document),
      scheduler: clock,
      boxWatch: boxes.factory,
      isRendered: (element) => {
        fullChecks++;
        return structurallyRendered(element) && ![...seemsHidden].some((h) => h.contains(element));
      },
      seemsRendered: (element) => ![...seemsHidden].some((h) => h.contains(element)),
      onChange: () => undefined,
    });
    watcher.start();
    document.body.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    const before = fullChecks;
    clock.tick(VISIBILITY_FALLBACK_MS * 3);
    expect(fullChecks).toBe(before); // shown all along: nothing re-scored, no layout asked
    seemsHidden.add(document.getElementById('d') as Element); // visibility:hidden from a rule
    clock.tick(VISIBILITY_FALLBACK_MS + 50);
    expect(fullChecks).toBeGreaterThan(before);
    expect(toolIds()).toEqual([]);
  });
});

describe('the slow re-check of a flagged prompt, with a layout signal', () => {
  /** A watcher whose scheduler waits for layouts the test runs, with a prompt flagged. */
  async function flaggedWithLayouts() {
    document.body.innerHTML = '<main><h1>Prescribing</h1></main>';
    const clock = virtualClock();
    /** Reads waiting for the page's next layout. */
    let waiting: (() => void)[] = [];
    const seemsHidden = new Set<Element>();
    const state = { styleReads: 0 };
    const watcher = createWatcher({
      document,
      catalogue: compileCatalogue(builtInSignatures, globalExclusions, document),
      scheduler: {
        ...clock,
        afterLayout(callback) {
          waiting.push(callback);
          return () => {
            waiting = waiting.filter((c) => c !== callback);
          };
        },
      },
      boxWatch: fakeBoxes().factory,
      isRendered: (element) =>
        structurallyRendered(element) && ![...seemsHidden].some((h) => h.contains(element)),
      seemsRendered: (element) => {
        state.styleReads++;
        return ![...seemsHidden].some((h) => h.contains(element));
      },
      onChange: () => undefined,
    });
    watcher.start();
    document.body.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    await microtasks();
    clock.tick(50);
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    const layout = () => {
      const due = waiting;
      waiting = [];
      for (const callback of due) callback();
    };
    return { watcher, clock, state, seemsHidden, layout, waiting: () => waiting.length };
  }

  it('reads style only after the page has been laid out, never straight from its timer', async () => {
    const { watcher, clock, state, seemsHidden, layout, waiting } = await flaggedWithLayouts();
    clock.tick(VISIBILITY_FALLBACK_MS + 50);
    expect(state.styleReads).toBe(0); // the timer only asked for the next layout
    expect(waiting()).toBe(1);
    layout();
    expect(state.styleReads).toBeGreaterThan(0);

    // Hidden by a style rule: found at the re-check after the next layout, and only then.
    seemsHidden.add(document.getElementById('d') as Element);
    clock.tick(VISIBILITY_FALLBACK_MS + 50);
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    layout();
    clock.tick(50);
    expect(watcher.findings().map((f) => f.toolId)).toEqual([]);
    watcher.stop();
  });

  it('cancels a re-check still waiting for a layout when it stops', async () => {
    const { watcher, clock, state, layout, waiting } = await flaggedWithLayouts();
    clock.tick(VISIBILITY_FALLBACK_MS + 50);
    expect(waiting()).toBe(1);
    watcher.stop();
    expect(waiting()).toBe(0);
    layout();
    expect(state.styleReads).toBe(0);
  });
});
