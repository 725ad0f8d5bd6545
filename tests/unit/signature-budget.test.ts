import { beforeAll, describe, expect, it } from 'vitest';
import { type Signature, signatureSchema } from '../../lib/catalogue/schema';
import { budgetedScheduler, createSignatureBudget } from '../../lib/content/detect/budget';
import { compileCatalogue } from '../../lib/content/detect/compile';
import { frameContextOf, scan } from '../../lib/content/detect/scan';
import type { Scheduler } from '../../lib/content/detect/watcher';
import { createWatcher } from '../../lib/content/detect/watcher';

/**
 * The per-batch time budget of practice signatures, on an injected clock: each test a
 * practice pattern runs "takes" what the fake clock says, so the pause is decided by the
 * numbers, not by how busy the machine is.
 */

const signature = (id: string, value: string): Signature =>
  signatureSchema.parse({
    id,
    toolId: 'local-tool',
    description: 'A practice prompt',
    evidence: [
      {
        kind: 'brand',
        text: { match: 'word', value },
        positions: ['heading'],
        weight: 0.5,
        basis: 'inferred',
      },
      { kind: 'controls', labels: ['Accept'], weight: 0.4, basis: 'inferred' },
    ],
  });

beforeAll(() => {
  // The dialog first: a scan walks from the end, so the 40 headings cost their time before it.
  document.body.innerHTML = `<div role="dialog"><h2>Formulary nudge</h2><button>Accept</button></div>
    ${'<h3>Row heading</h3>'.repeat(40)}`;
});

/** A clock that advances `stepMs` every time it is read. */
function steppingClock(stepMs: number) {
  let t = 0;
  return {
    now: () => (t += stepMs),
    set step(ms: number) {
      stepMs = ms;
    },
  };
}

describe('signature budget', () => {
  it('pauses a practice signature that overruns its budget in a batch, reports it once, and it then finds nothing', () => {
    const clock = steppingClock(0);
    const pausedIds: string[] = [];
    const budget = createSignatureBudget({
      now: clock.now,
      budgetMs: 25,
      perHitMs: 0,
      onPause: (id) => pausedIds.push(id),
    });
    const slow = signature('slow-one', 'formulary nudge');
    const quick = signature('quick-one', 'formulary nudge');
    const catalogue = budget.apply(compileCatalogue([slow, quick], [], document), new Set(['slow-one']));

    // Within budget: found.
    budget.startBatch();
    expect(
      scan(catalogue, document, frameContextOf(document))
        .map((f) => f.signatureId)
        .sort(),
    ).toEqual(['quick-one', 'slow-one']);
    expect(budget.paused()).toEqual([]);

    // Each read of the clock now takes 1 ms: 40 headings and more cost the slow one > 25 ms.
    clock.step = 1;
    budget.startBatch();
    const findings = scan(catalogue, document, frameContextOf(document));
    expect(budget.paused()).toEqual(['slow-one']);
    expect(pausedIds).toEqual(['slow-one']);
    // Paused for the page: the next batch, cheap again, still finds nothing for it; the
    // built-in-like (unwrapped) signature is unaffected.
    clock.step = 0;
    budget.startBatch();
    expect(scan(catalogue, document, frameContextOf(document)).map((f) => f.signatureId)).toEqual([
      'quick-one',
    ]);
    expect(findings.map((f) => f.signatureId)).toEqual(['quick-one']);
    expect(pausedIds).toEqual(['slow-one']);
  });

  it('spending starts afresh each batch: a signature that is slow over many batches but never in one is not paused', () => {
    const clock = steppingClock(0.1);
    const budget = createSignatureBudget({ now: clock.now, budgetMs: 25, perHitMs: 0 });
    const catalogue = budget.apply(
      compileCatalogue([signature('steady', 'formulary nudge')], [], document),
      new Set(['steady']),
    );
    for (let batch = 0; batch < 20; batch += 1) {
      budget.startBatch();
      scan(catalogue, document, frameContextOf(document));
    }
    expect(budget.paused()).toEqual([]);
  });

  it('charges each element a signature accepts, so a cheap test matching every row still runs out', () => {
    const budget = createSignatureBudget({ now: () => 0, budgetMs: 25, perHitMs: 1 });
    const catalogue = budget.apply(
      compileCatalogue([signature('every-row', 'row heading')], [], document),
      new Set(['every-row']),
    );
    budget.startBatch();
    scan(catalogue, document, frameContextOf(document));
    expect(budget.paused()).toEqual(['every-row']);
  });

  it('budgetedScheduler starts a batch before each scheduled callback', () => {
    const calls: string[] = [];
    const fake: Scheduler = {
      now: () => 0,
      later: (callback) => {
        callback();
        return () => undefined;
      },
    };
    const budget = { apply: (c: never) => c, startBatch: () => calls.push('batch'), paused: () => [] };
    budgetedScheduler(fake, budget).later(() => calls.push('work'), 0);
    expect(calls).toEqual(['batch', 'work']);
  });

  it('a search sliced over many tasks is one batch: a signature matching every row runs out across its slices', () => {
    document.body.innerHTML = `<main>${'<h3>Row heading</h3>'.repeat(400)}</main>`;
    const budget = createSignatureBudget({ now: () => 0, budgetMs: 25, perHitMs: 0.1 });
    const catalogue = budget.apply(
      compileCatalogue([signature('every-row', 'row heading')], [], document),
      new Set(['every-row']),
    );
    // Timers the test runs: the scan's slices (asked at 0 ms), not the later re-checks. The
    // watcher's clock moves 1 ms a read, so a slice looks at about 128 elements (a clock
    // read every 64): 12.8 ms of charges, the scan 40.
    let queue: { callback: () => void; ms: number }[] = [];
    const timers: Scheduler = {
      now: () => 0,
      later: (callback, ms) => {
        const task = { callback, ms };
        queue.push(task);
        return () => {
          queue = queue.filter((t) => t !== task);
        };
      },
    };
    let reads = 0;
    const watcher = createWatcher({
      document,
      catalogue,
      onChange: () => undefined,
      scheduler: budgetedScheduler({ ...timers, now: () => ++reads }, budget),
      sliceBudgetMs: 1,
    });
    watcher.start();
    let slices = 0;
    for (; watcher.searching() && slices < 1000; slices++) {
      const due = queue.filter((t) => t.ms === 0);
      queue = queue.filter((t) => t.ms !== 0);
      for (const task of due) task.callback();
    }
    watcher.stop();
    // No slice ran out of budget; the scan as a whole did.
    expect(slices).toBeGreaterThan(3);
    expect(budget.paused()).toEqual(['every-row']);
  });
});
