import { afterEach, describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import { compileCatalogue, controlLabel, type FrameContext } from '../../lib/content/detect/compile';
import { openShadowRoot, scan } from '../../lib/content/detect/scan';
import { structurallyRendered, styledRendered } from '../../lib/content/detect/visibility';
import { createWatcher, type Scheduler, type WatcherOptions } from '../../lib/content/detect/watcher';

/**
 * Issue 18: what a clinician sees is what counts. Rendered prompts only, editable content
 * never, accessible names, brand positions adding up, supporting evidence never alone,
 * a frame's own document as a container. Issue 19: depth and lifecycle.
 */

const catalogue = compileCatalogue(builtInSignatures, globalExclusions, document);
const ctx: FrameContext = { pageUrl: 'https://clinical.example.nhs.uk/rx', documentTitle: 'Prescribing' };
const SS_BUTTONS = '<button>Accept</button><button>Edit Original</button><button>Prescribe Original</button>';

function toolsOn(html: string, context: FrameContext = ctx, isRendered = styledRendered): string[] {
  document.body.innerHTML = html;
  return scan(catalogue, document, context, openShadowRoot, isRendered).map((f) => f.toolId);
}

afterEach(() => {
  document.body.innerHTML = '';
  document.head.innerHTML = '';
});

describe('only rendered prompts count', () => {
  const dialog = `<div role="dialog" aria-label="ScriptSwitch"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div>`;
  it('flags the prompt when shown', () => {
    expect(toolsOn(dialog)).toEqual(['scriptswitch']);
  });
  it.each([
    ['behind the hidden attribute', `<div hidden>${dialog}</div>`],
    ['inside display:none', `<div style="display:none">${dialog}</div>`],
    ['inside a visibility:hidden box', `<div style="visibility: hidden">${dialog}</div>`],
    ['in a template', `<template>${dialog}</template>`],
    ['in a closed <dialog>', `<dialog aria-label="ScriptSwitch"><h2>ScriptSwitch</h2>${SS_BUTTONS}</dialog>`],
    ['inside inert content', `<div inert>${dialog}</div>`],
    ['hidden by a style sheet class', `<style>.gone{display:none}</style><div class="gone">${dialog}</div>`],
  ])('does not flag a prompt %s', (_name, html) => {
    expect(toolsOn(html)).toEqual([]);
  });
  it('flags an open <dialog>', () => {
    expect(toolsOn(`<dialog open><h2>ScriptSwitch</h2>${SS_BUTTONS}</dialog>`)).toEqual(['scriptswitch']);
  });
  it('asks the injected check: a prompt it calls unseen is not flagged', () => {
    expect(toolsOn(dialog, ctx, () => false)).toEqual([]);
  });
});

describe('editable content is never evidence; exclusions read rendered text only', () => {
  it('ignores a brand heading typed in a contenteditable note inside a labelled section', () => {
    expect(
      toolsOn(
        '<section aria-label="Consultation note"><div contenteditable="true"><h2>OptimiseRx</h2><p>Accept</p><p>Reject</p></div></section>',
      ),
    ).toEqual([]);
  });
  it('ignores brand words in a textarea', () => {
    expect(
      toolsOn('<div role="dialog"><textarea>ScriptSwitch</textarea><button>Save</button></div>'),
    ).toEqual([]);
  });
  it('is not vetoed by hidden text or a style sheet naming an excluded product', () => {
    const html = `<div role="dialog" aria-label="ScriptSwitch"><h2>ScriptSwitch</h2><span hidden>ProScript</span><style>/* Prescribing Decision Support */</style>${SS_BUTTONS}</div>`;
    expect(toolsOn(html)).toEqual(['scriptswitch']);
  });
  it('is still vetoed by the clinical system’s alert words a clinician can read', () => {
    const html = `<div role="dialog" aria-label="ScriptSwitch"><h2>ScriptSwitch</h2><p>Prescribing Decision Support</p>${SS_BUTTONS}</div>`;
    expect(toolsOn(html)).toEqual([]);
  });
});

describe('labels are accessible names', () => {
  it.each([
    ['<button>✓ Accept</button>', 'accept'],
    ['<button><span aria-hidden="true">✔</span>Accept</button>', 'accept'],
    ['<button aria-label="Accept"><svg></svg></button>', 'accept'],
    ['<button>\n   Edit    Original\n </button>', 'edit original'],
    ['<button><i class="icon">\ue001</i> Prescribe Original</button>', 'prescribe original'],
    ['<input type="button" value="Accept">', 'accept'],
  ])('%s reads as "%s"', (html, name) => {
    document.body.innerHTML = html;
    expect(controlLabel(document.body.firstElementChild as Element)).toBe(name);
  });
  it('matches decorated ScriptSwitch buttons', () => {
    expect(
      toolsOn(
        '<div role="dialog"><button>✓ Accept</button><button><span aria-hidden="true">✎</span> Edit Original</button><button aria-label="Prescribe Original">⟲</button></div>',
      ),
    ).toEqual(['scriptswitch']);
  });
});

describe('evidence adds up as a person reads it', () => {
  it('a lone brand mention in a plain section is not enough', () => {
    expect(toolsOn('<section><h2>OptimiseRx</h2><p>Notes about the tool.</p></section>')).toEqual([]);
  });
  it('three structural places in one plain container are', () => {
    expect(
      toolsOn(
        '<section><fieldset><legend>OptimiseRx</legend><h3>OptimiseRx</h3><img alt="OptimiseRx®" src="x.png"></fieldset></section>',
      ),
    ).toEqual(['optimiserx']);
  });
  it.each(['OptimiseRx®', 'Optimise Rx', 'FDB OptimiseRx'])('recognises the spelling "%s"', (brand) => {
    expect(toolsOn(`<div role="dialog"><h2>${brand}</h2><p>Formulary status: RED</p></div>`)).toEqual([
      'optimiserx',
    ]);
  });
  it('does not take OptimizeRx (with a z) for OptimiseRx', () => {
    expect(
      toolsOn('<div role="dialog"><h2>OptimizeRx</h2><button>Accept</button><button>Reject</button></div>'),
    ).toEqual([]);
  });
  it('never flags on supporting evidence alone: prompt buttons and MO wording without a tool', () => {
    expect(
      toolsOn(
        '<div role="dialog"><h2>Formulary check</h2><p>Non-formulary. A cost-effective alternative is available: saving £40 per year.</p><button>Accept</button><button>Reject</button><button>Feedback</button></div>',
      ),
    ).toEqual([]);
  });
  it('counts a brand heading with prompt buttons in a plain panel, but not in the clinical system’s interaction alert', () => {
    const panel = (extra: string) =>
      `<div class="x"><h3>OptimiseRx</h3><p>${extra}</p><button>Accept</button><button>Reject</button></div>`;
    expect(toolsOn(panel('Suggested switch to atorvastatin.'))).toEqual(['optimiserx']);
    expect(toolsOn(panel('Severe drug interaction with clarithromycin.'))).toEqual([]);
  });
  it('treats a sub-frame’s own document as the container: title, logo and message', () => {
    const body =
      '<header><img alt="OptimiseRx" src="logo.png"></header><main><p>Formulary status: AMBER. Preferred alternative available.</p></main>';
    const frame: FrameContext = {
      pageUrl: 'https://vendor.example.com/panel',
      documentTitle: 'OptimiseRx',
      isFrame: true,
    };
    expect(toolsOn(body, frame)).toEqual(['optimiserx']);
    // The same markup in a top-level page is a page about the tool, not a prompt.
    expect(toolsOn(body, { ...frame, isFrame: false })).toEqual([]);
  });
  it('recognises a popover and a status toast as prompt containers', () => {
    const open = (element: Element) =>
      !element.closest('[popover]') || element.closest('[popover]')?.id === 'shown';
    expect(toolsOn('<div popover id="shown"><h2>OptimiseRx</h2></div>', ctx, open)).toEqual(['optimiserx']);
    expect(toolsOn('<div popover id="closed"><h2>OptimiseRx</h2></div>', ctx, open)).toEqual([]);
    expect(toolsOn('<div role="status"><h2>ScriptSwitch</h2></div>')).toEqual(['scriptswitch']);
  });
});

describe('depth cannot stop detection (issue 19)', () => {
  it('finds prompts beside and inside 10,000 nested shadow roots', () => {
    document.body.innerHTML = `<div role="dialog"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div><x-nest></x-nest>`;
    let host = document.body.lastElementChild as Element;
    const hosts: Element[] = [];
    for (let i = 0; i < 10_000; i++) {
      const next = document.createElement('x-nest');
      host.attachShadow({ mode: 'open' }).appendChild(next);
      host = next;
      hosts.push(next);
    }
    const deepest = host.attachShadow({ mode: 'open' });
    deepest.innerHTML = '<div role="dialog"><h2>OptimiseRx</h2></div>';
    // Markup-only visibility: happy-dom's own checkVisibility walks every ancestor's
    // computed style (quadratic at this depth); the browser's does not.
    const findings = scan(catalogue, document, ctx, openShadowRoot, structurallyRendered);
    expect(findings.map((f) => f.toolId).sort()).toEqual(['optimiserx', 'scriptswitch']);
    const watcher = createWatcher({
      document,
      catalogue,
      onChange: () => undefined,
      scheduler: frozenClock(),
      isRendered: structurallyRendered,
    });
    watcher.start();
    watcher.flush();
    expect(
      watcher
        .findings()
        .map((f) => f.toolId)
        .sort(),
    ).toEqual(['optimiserx', 'scriptswitch']);
    watcher.stop();
    // happy-dom disconnects a subtree recursively: take the chain apart from the bottom.
    for (const nested of hosts.reverse()) nested.remove();
  }, 120_000);
});

/** A scheduler whose clock never moves and whose timers run only when told. */
function frozenClock(step = 0): Scheduler & { run(): void; delays: number[] } {
  let now = 0;
  let queue: (() => void)[] = [];
  const delays: number[] = [];
  return {
    now: () => {
      now += step;
      return now;
    },
    later(callback, ms) {
      delays.push(ms);
      queue.push(callback);
      return () => {
        queue = queue.filter((c) => c !== callback);
      };
    },
    run() {
      const due = queue;
      queue = [];
      for (const callback of due) callback();
    },
    delays,
  };
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/** A page of 6,000 rows: more than one slice of a scan. */
const MANY_ROWS = '<div><span>row</span></div>'.repeat(3000);
const SS_DIALOG = `<div role="dialog"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div>`;

/** A watcher whose clock moves 1 ms per read, in 4 ms slices: a large page takes several tasks. */
function slicedWatcher(options: Partial<WatcherOptions> = {}) {
  const clock = frozenClock(1);
  const watcher = createWatcher({
    document,
    catalogue,
    onChange: () => undefined,
    scheduler: clock,
    sliceBudgetMs: 4,
    ...options,
  });
  return { clock, watcher };
}

describe('the watcher follows what is shown (issue 18) and its lifecycle (issue 19)', () => {
  it('flags a prompt when it is shown and withdraws it when hidden or closed', async () => {
    document.body.innerHTML = `<div id="wrap" hidden><div role="dialog"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div></div><dialog id="d"><h2>OptimiseRx</h2></dialog>`;
    const clock = frozenClock();
    const watcher = createWatcher({ document, catalogue, onChange: () => undefined, scheduler: clock });
    watcher.start();
    const tools = () =>
      watcher
        .findings()
        .map((f) => f.toolId)
        .sort();
    expect(tools()).toEqual([]);
    document.getElementById('wrap')?.removeAttribute('hidden');
    await settle();
    clock.run();
    expect(tools()).toEqual(['scriptswitch']);
    document.getElementById('d')?.setAttribute('open', '');
    await settle();
    clock.run();
    expect(tools()).toEqual(['optimiserx', 'scriptswitch']);
    document.getElementById('d')?.removeAttribute('open');
    document.getElementById('wrap')?.setAttribute('style', 'display: none');
    await settle();
    clock.run();
    expect(tools()).toEqual([]);
    watcher.stop();
  });

  it('re-checks what is flagged or held back on a timer, for changes no mutation announces', async () => {
    document.body.innerHTML = `<div role="dialog"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div>`;
    let shown = false;
    const clock = frozenClock();
    const watcher = createWatcher({
      document,
      catalogue,
      onChange: () => undefined,
      scheduler: clock,
      isRendered: () => shown,
    });
    watcher.start();
    expect(watcher.findings()).toEqual([]);
    shown = true;
    clock.run(); // the re-check timer
    clock.run(); // the batch it asks for
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    expect(clock.delays).toContain(500);
    watcher.stop();
  });

  it('observes again after stop() then start()', async () => {
    document.body.innerHTML = '<main></main>';
    const clock = frozenClock();
    const watcher = createWatcher({ document, catalogue, onChange: () => undefined, scheduler: clock });
    watcher.start();
    watcher.stop();
    watcher.start();
    document.body.insertAdjacentHTML(
      'beforeend',
      `<div role="dialog"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div>`,
    );
    await settle();
    clock.run();
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    watcher.stop();
  });

  it('re-scores on a title change without searching the document again', async () => {
    document.body.innerHTML = `<main><div role="dialog"><h2>ScriptSwitch</h2>${SS_BUTTONS}</div></main>`;
    const clock = frozenClock();
    const watcher = createWatcher({ document, catalogue, onChange: () => undefined, scheduler: clock });
    watcher.start();
    clock.run(); // the start-up scan
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    // A full search walks the document: count the walks that start there.
    const original = document.createTreeWalker.bind(document);
    let documentQueries = 0;
    document.createTreeWalker = ((root: Node, ...rest: [number?, NodeFilter?]) => {
      if (root === document) documentQueries++;
      return original(root, ...rest);
    }) as typeof document.createTreeWalker;
    try {
      document.title = 'Another patient';
      document.body.insertAdjacentHTML('beforeend', '<p>route changed</p>');
      await settle();
      clock.run();
      expect(documentQueries).toBe(0);
      expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    } finally {
      document.createTreeWalker = original as typeof document.createTreeWalker;
      watcher.stop();
    }
  });

  it('finds a prompt that appears while the first scan of a large page is still under way', async () => {
    document.body.innerHTML = MANY_ROWS;
    const { clock, watcher } = slicedWatcher();
    watcher.start();
    clock.run(); // the scan's first slice
    expect(watcher.searching()).toBe(true);
    document.body.insertAdjacentHTML('afterbegin', SS_DIALOG);
    await settle();
    clock.run(); // the next slice: the change first, then the scan
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    expect(watcher.searching()).toBe(true);
    // The scan then finishes, and finds the prompt once.
    for (let slices = 0; watcher.searching() && slices < 1000; slices++) clock.run();
    expect(watcher.searching()).toBe(false);
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    watcher.stop();
  });

  it('says when its start-up scan is done, once, after the findings it made', () => {
    document.body.innerHTML = MANY_ROWS + SS_DIALOG;
    const events: string[] = [];
    const { clock, watcher } = slicedWatcher({
      onChange: (f) => events.push(`change ${f.map((x) => x.toolId).join()}`),
      onScanned: () => events.push('scanned'),
    });
    watcher.start();
    for (let slices = 0; watcher.searching() && slices < 1000; slices++) clock.run();
    clock.run();
    expect(events).toEqual(['change scriptswitch', 'scanned']);
    watcher.stop();
  });

  it('meets a prompt appended at the end of a large page in the first slice of its scan', () => {
    // A modal a page or a script adds over its content is usually appended last.
    document.body.innerHTML = MANY_ROWS + SS_DIALOG;
    const { clock, watcher } = slicedWatcher();
    watcher.start();
    clock.run(); // the scan's first slice
    expect(watcher.searching()).toBe(true);
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    watcher.stop();
  });

  it('time-slices a full scan: a large page is searched over several tasks', () => {
    // The prompt first: a scan walks from the end of the page, so it is met last.
    document.body.innerHTML = SS_DIALOG + MANY_ROWS;
    const { clock, watcher } = slicedWatcher();
    watcher.start();
    expect(watcher.findings()).toEqual([]); // the prompt, first on the page, is not reached yet
    let slices = 0;
    while (watcher.findings().length === 0 && slices < 1000) {
      clock.run();
      slices++;
    }
    expect(slices).toBeGreaterThan(2);
    expect(watcher.findings().map((f) => f.toolId)).toEqual(['scriptswitch']);
    watcher.stop();
  });
});
