import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import { signatureSchema } from '../../lib/catalogue/schema';
import { compileCatalogue } from '../../lib/content/detect/compile';
import type { Finding } from '../../lib/content/detect/scan';
import {
  createWatcher,
  type Scheduler,
  TITLE_CHECK_MS,
  VISIBILITY_POLL_MS,
  type Watcher,
} from '../../lib/content/detect/watcher';

/** A virtual-time scheduler the test drives: nothing runs until time is advanced. */
function manualScheduler(): Scheduler & { tick(ms: number): void; runAll(): void } {
  let time = 0;
  let queue: { at: number; callback: () => void }[] = [];
  const tick = (ms: number) => {
    const until = time + ms;
    for (;;) {
      const due = queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      queue = queue.filter((t) => t !== due);
      time = Math.max(time, due.at);
      due.callback();
    }
    time = until;
  };
  return {
    now: () => time,
    later(callback, ms) {
      const task = { at: time + ms, callback };
      queue.push(task);
      return () => {
        queue = queue.filter((t) => t !== task);
      };
    },
    tick,
    /** One batch: enough for the watcher's batching delay and gap, not for late-shadow checks. */
    runAll: () => tick(100), // the longest gap between batches (while a prompt is shown)
  };
}

const SCRIPTSWITCH =
  '<h2>ScriptSwitch</h2><button>Accept</button><button>Edit Original</button><button>Prescribe Original</button>';

/** MutationObserver callbacks are microtasks: let them run. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('incremental watcher', () => {
  let watcher: Watcher;
  let scheduler: ReturnType<typeof manualScheduler>;
  let changes: Finding[][];

  beforeEach(() => {
    document.body.innerHTML = '<main><h1>Prescribing</h1><table><tr><td>Amlodipine</td></tr></table></main>';
    scheduler = manualScheduler();
    changes = [];
    watcher = createWatcher({
      document,
      catalogue: compileCatalogue(builtInSignatures, globalExclusions, document),
      scheduler,
      onChange: (f) => changes.push(f),
    });
    watcher.start();
  });
  afterEach(() => watcher.stop());

  const toolIds = () => watcher.findings().map((f) => f.toolId);
  /** Lets the observer record the changes made so far, then runs one batch. */
  const nextBatch = async () => {
    await settle();
    scheduler.runAll();
  };

  it('reports nothing on a page without prompts', () => {
    expect(toolIds()).toEqual([]);
  });

  it('records mutations in the callback and matches only when the scheduler runs', async () => {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.innerHTML = SCRIPTSWITCH;
    document.body.append(dialog);
    await settle();
    expect(toolIds()).toEqual([]); // deferred: no matching inside the observer callback
    scheduler.runAll();
    expect(toolIds()).toEqual(['scriptswitch']);
    expect(watcher.findings()[0]?.element).toBe(dialog);
  });

  /** A watcher on the test's scheduler that notes every delay it asks for. */
  const timedWatcher = (options: { sliceBudgetMs?: number } = {}, lateBy = { ms: 0 }) => {
    const later: number[] = [];
    watcher.stop();
    watcher = createWatcher({
      document,
      catalogue: compileCatalogue(builtInSignatures, globalExclusions, document),
      scheduler: {
        now: scheduler.now,
        later: (callback, ms) => {
          // Batches only: the visibility re-check of a flagged prompt keeps its own timer.
          if (ms !== VISIBILITY_POLL_MS) later.push(ms);
          return scheduler.later(callback, ms + lateBy.ms); // a page's long tasks hold timers back
        },
      },
      onChange: (f) => changes.push(f),
      ...options,
    });
    watcher.start();
    // The start-up scan's first slice, asked at start: not a batch of the page's changes.
    later.length = 0;
    return later;
  };
  const append = async (html: string) => {
    document.body.insertAdjacentHTML('beforeend', html);
    await settle();
  };

  it('processes a change on a quiet page at once, and spaces the batches of a busy one', async () => {
    const later = timedWatcher();
    scheduler.tick(1000);
    await append('<p>first</p>');
    expect(later).toEqual([0]); // the first change in a while: no wait
    scheduler.tick(0);
    await append('<p>next</p>');
    expect(later).toEqual([0, 50]); // just after a batch: the next one waits out the gap
    await append('<p>and more</p>');
    expect(later).toEqual([0, 50]); // one timer per batch, not per change
    scheduler.tick(50);
    scheduler.tick(30);
    await append('<p>30 ms after the last batch</p>');
    expect(later).toEqual([0, 50, 20]); // the rest of the gap
    scheduler.tick(20);
    scheduler.tick(45);
    await append('<p>45 ms after</p>');
    expect(later).toEqual([0, 50, 20, 16]); // at least the burst delay, to take what follows
    scheduler.tick(16);
    scheduler.tick(200);
    await append('<p>quiet again</p>');
    expect(later).toEqual([0, 50, 20, 16, 0]);
  });

  it('spaces the batches of a busy page further apart while a prompt is shown', async () => {
    const later = timedWatcher();
    scheduler.tick(1000);
    await append(`<div role="dialog" id="d">${SCRIPTSWITCH}</div>`);
    expect(later).toEqual([0]); // the first prompt: at once
    scheduler.tick(0);
    expect(toolIds()).toEqual(['scriptswitch']);
    await append('<p>a row</p>');
    expect(later).toEqual([0, 100]); // its note is up: what follows can wait longer
    scheduler.tick(100);
    document.getElementById('d')?.remove();
    await settle();
    expect(later).toEqual([0, 100, 100]);
    scheduler.tick(100);
    expect(toolIds()).toEqual([]); // gone within the gap, the note with it
    scheduler.tick(10);
    await append('<p>another row</p>');
    expect(later).toEqual([0, 100, 100, 40]); // nothing shown: the usual gap again
  });

  it('counts the gap from when a batch was due: a page that holds timers back is not made to wait longer', async () => {
    const lateBy = { ms: 0 };
    const later = timedWatcher({}, lateBy);
    scheduler.tick(1000);
    await append('<p>first</p>');
    scheduler.tick(0);
    lateBy.ms = 30;
    await append('<p>second</p>');
    expect(later).toEqual([0, 50]);
    scheduler.tick(80); // due at 50, ran at 80
    await append('<p>third</p>');
    expect(later).toEqual([0, 50, 20]); // 50 after it was due, not after it ran
  });

  it('continues work a batch had no time for in the next task, not after the gap', async () => {
    const later = timedWatcher({ sliceBudgetMs: -1 }); // every slice is out of time at once
    scheduler.tick(1000); // the start-up scan, one attribute query or walk step per slice
    expect(later.every((ms) => ms === 0)).toBe(true);
    const scanSlices = later.length;
    // Added nodes are taken last first: the prompt is the last to be looked at.
    await append(`<div role="dialog">${SCRIPTSWITCH}</div>${'<p>row</p>'.repeat(20)}`);
    scheduler.tick(0); // runs what is due now, including tasks queued meanwhile
    expect(later.slice(scanSlices)).toEqual([0, 0, 0]); // 8 + 8 + 5 added nodes, no gap between the slices
    expect(toolIds()).toEqual(['scriptswitch']);
  });

  it('drops a finding when the prompt is removed', async () => {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.innerHTML = SCRIPTSWITCH;
    document.body.append(dialog);
    await nextBatch();
    dialog.remove();
    await nextBatch();
    expect(toolIds()).toEqual([]);
    expect(changes.at(-1)).toEqual([]);
  });

  it('notices evidence that arrives piece by piece in an existing container', async () => {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    document.body.append(dialog);
    await nextBatch();
    for (const label of ['Accept', 'Edit Original', 'Prescribe Original']) {
      const button = document.createElement('button');
      button.textContent = label;
      dialog.append(button);
    }
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
  });

  it('re-reads a label when a part of it is shown or hidden (aria-hidden)', async () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<div role="dialog"><button>Accept</button><button>Edit Original</button>' +
        '<button>Prescribe<span id="i" aria-hidden="true">X</span> Original</button></div>',
    );
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    document.getElementById('i')?.removeAttribute('aria-hidden'); // now reads "PrescribeX Original"
    await nextBatch();
    expect(toolIds()).toEqual([]);
    document.getElementById('i')?.setAttribute('aria-hidden', 'true');
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
  });

  it('drops a finding when part of its evidence goes, the prompt staying', async () => {
    document.body.insertAdjacentHTML('beforeend', `<div role="dialog" id="d">${SCRIPTSWITCH}</div>`);
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    document.querySelector('#d button')?.remove(); // "Accept" goes; heading and two buttons stay
    document.querySelector('#d h2')?.replaceChildren('Prescribing');
    await nextBatch();
    expect(toolIds()).toEqual([]);
  });

  it("drops a finding when the clinical system's own alert words appear in it", async () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      `<div role="dialog" id="d">${SCRIPTSWITCH}<p id="p"></p></div>`,
    );
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    document.getElementById('p')?.append('Prescribing Decision Support');
    await nextBatch();
    expect(toolIds()).toEqual([]);
  });

  it('counts evidence where it is now: moved between containers, or moved within one', async () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<section aria-label="Tasks" id="a"><button>Accept</button><button>Edit Original</button></section>' +
        '<div role="dialog" id="b"><button>Prescribe Original</button></div>',
    );
    await nextBatch();
    expect(toolIds()).toEqual([]);
    const a = document.getElementById('a') as HTMLElement;
    const b = document.getElementById('b') as HTMLElement;
    // The two buttons join the third in the dialog: now all three are together.
    b.append(...a.querySelectorAll('button'));
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    // Moving one back leaves two in the dialog, however often the others are re-ordered.
    a.append(b.querySelector('button') as HTMLElement);
    for (let i = 0; i < 3; i++) b.append(b.firstElementChild as HTMLElement);
    await nextBatch();
    expect(toolIds()).toEqual([]);
  });

  it('finds a prompt when an existing element becomes a dialog', async () => {
    document.body.insertAdjacentHTML('beforeend', '<div id="d"><h2>OptimiseRx</h2><p>Consider…</p></div>');
    await nextBatch();
    expect(toolIds()).toEqual([]); // a heading alone (0.5) is below the threshold
    document.getElementById('d')?.setAttribute('role', 'dialog');
    await nextBatch();
    expect(toolIds()).toEqual(['optimiserx']);
  });

  it('finds a prompt when an existing element becomes a live region', async () => {
    // aria-live was not observed once: the vocabulary's derived attributes keep it watched.
    document.body.insertAdjacentHTML('beforeend', '<div id="d"><h2>OptimiseRx</h2><p>Consider…</p></div>');
    await nextBatch();
    expect(toolIds()).toEqual([]);
    document.getElementById('d')?.setAttribute('aria-live', 'polite');
    await nextBatch();
    expect(toolIds()).toEqual(['optimiserx']);
  });

  it('drops a finding when its dialog stops being a dialog', async () => {
    document.body.insertAdjacentHTML('beforeend', '<div role="dialog" id="d"><h2>OptimiseRx</h2></div>');
    await nextBatch();
    expect(toolIds()).toEqual(['optimiserx']); // heading 0.5 + dialog 0.3
    document.getElementById('d')?.removeAttribute('role');
    await nextBatch();
    expect(toolIds()).toEqual([]);
  });

  it('re-checks when a label attribute changes', async () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<aside id="a" aria-label="Advice"><p>Consider formulary</p></aside>',
    );
    await nextBatch();
    expect(toolIds()).toEqual([]);
    document.getElementById('a')?.setAttribute('aria-label', 'OptimiseRx message');
    await nextBatch();
    expect(toolIds()).toEqual(['optimiserx']);
  });

  it('drops evidence an element loses with its attribute: a vendor class removed', async () => {
    // Token 0.4 + heading 0.5 reach 0.8 in a plain section; without the token they do not.
    document.body.insertAdjacentHTML(
      'beforeend',
      '<section id="s"><div id="t" class="scriptswitch-panel"><h3>ScriptSwitch</h3></div></section>',
    );
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
    document.getElementById('t')?.setAttribute('class', 'panel');
    await nextBatch();
    expect(toolIds()).toEqual([]);
    document.getElementById('t')?.setAttribute('class', 'panel scriptswitch-panel');
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
  });

  it('re-checks when heading text changes', async () => {
    document.body.insertAdjacentHTML('beforeend', '<div role="dialog"><h2 id="h">Loading…</h2></div>');
    await nextBatch();
    const heading = document.getElementById('h');
    if (heading?.firstChild) heading.firstChild.textContent = 'OptimiseRx';
    await nextBatch();
    expect(toolIds()).toEqual(['optimiserx']);
  });

  it('finds prompts in a shadow root attached after insertion and in later shadow changes', async () => {
    const host = document.createElement('rx-panel');
    document.body.append(host);
    await nextBatch();
    // Upgraded later: the shadow root arrives without any mutation record.
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<div role="dialog"></div>';
    scheduler.tick(300);
    root.querySelector('[role="dialog"]')?.insertAdjacentHTML('beforeend', SCRIPTSWITCH);
    await nextBatch();
    expect(toolIds()).toEqual(['scriptswitch']);
  });

  it('ignores running text that names tools, added late', async () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<article><p>ScriptSwitch said Accept, Edit Original or Prescribe Original; OptimiseRx too.</p></article>',
    );
    await nextBatch();
    expect(toolIds()).toEqual([]);
  });

  it('emits only when the set of findings changes', async () => {
    const before = changes.length;
    for (let i = 0; i < 5; i++)
      document.querySelector('table')?.insertAdjacentHTML('beforeend', '<tr><td>x</td></tr>');
    await nextBatch();
    expect(changes.length).toBe(before);
  });

  it('looks at a ticking window title once per check, and re-scores when the title starts or stops naming a tool', async () => {
    // The first assignment adds a <title> to the head: a change like any other.
    document.title = 'Appointments';
    await nextBatch();
    const requests: number[] = [];
    const later = scheduler.later;
    scheduler.later = (callback, ms) => {
      requests.push(ms);
      return later(callback, ms);
    };
    for (let i = 0; i < 5; i++) {
      document.title = `Appointments 09:0${i}`;
      await settle();
    }
    expect(requests).toEqual([TITLE_CHECK_MS]); // one check for the five ticks, no batch
    scheduler.tick(TITLE_CHECK_MS);
    expect(requests).toEqual([TITLE_CHECK_MS]); // the title still names no tool: nothing to do

    document.title = 'ScriptSwitch';
    await settle();
    scheduler.tick(TITLE_CHECK_MS);
    expect(requests.length).toBeGreaterThan(2); // the check found page evidence changed: a batch
    scheduler.runAll();
    requests.length = 0;
    document.title = 'Appointments';
    await settle();
    scheduler.tick(TITLE_CHECK_MS);
    expect(requests.length).toBeGreaterThan(1);
  });

  it('takes practice signatures when the catalogue is swapped', async () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<section aria-label="Formulary nudge" data-vendor="formularynudge"><button>Switch</button></section>',
    );
    await nextBatch();
    expect(toolIds()).toEqual([]);
    const custom = signatureSchema.parse({
      id: 'formulary-nudge-panel',
      toolId: 'formulary-nudge',
      description: 'Practice-taught',
      threshold: 0.8,
      evidence: [
        {
          kind: 'attribute',
          name: 'data-vendor',
          contains: 'formularynudge',
          weight: 0.5,
          basis: 'inferred',
        },
      ],
    });
    watcher.setCatalogue(compileCatalogue([...builtInSignatures, custom], globalExclusions, document));
    expect(toolIds()).toEqual(['formulary-nudge']);
  });
});

describe('compileCatalogue', () => {
  it('rejects one bad selector without losing the other signatures', () => {
    // The schema refuses this selector too; the engine must still survive one that slips through.
    const bad = {
      id: 'bad-selector',
      toolId: 'x-tool',
      description: 'Broken',
      threshold: 0.5,
      exclusions: [],
      sources: [],
      evidence: [
        { kind: 'selector' as const, selector: 'div[unclosed', weight: 0.6, basis: 'inferred' as const },
      ],
    };
    expect(signatureSchema.safeParse(bad).success).toBe(false);
    const compiled = compileCatalogue([...builtInSignatures, bad], globalExclusions, document);
    expect(compiled.rejected.map((r) => r.signatureId)).toEqual(['bad-selector']);
    expect(compiled.signatures.map((s) => s.signature.id)).toEqual(builtInSignatures.map((s) => s.id));
  });
});
