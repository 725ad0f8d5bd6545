import type { CompiledCatalogue } from './compile';
import type { Scheduler } from './watcher';

/**
 * A time budget per practice signature per batch. Practice signatures come from the
 * options page, imports and policy; RE2 and the selector rules bound what one test costs,
 * but not how many elements a page offers it. A signature that spends more than its
 * budget in one batch is paused for the rest of the page's life (its tests find nothing)
 * and reported, so the options page can say "paused on <host>: took too long" instead of
 * the clinical system freezing. Built-in signatures are not wrapped (their cost is
 * measured by `npm run bench`).
 *
 * Pure: the clock is injected, and it changes only the catalogue it is given.
 */

export interface SignatureBudgetOptions {
  now: () => number;
  /** What one signature may spend in one batch. */
  budgetMs?: number;
  /**
   * Charged for each element a signature accepts, on top of the time its test took: the
   * work that follows (grouping the hit in its container, scoring) is not in the test, and
   * a cheap selector matching every row of a 10,000-row table must still run out of budget.
   */
  perHitMs?: number;
  /** Called once per signature, when it is paused. */
  onPause?: (signatureId: string) => void;
}

export interface SignatureBudget {
  /** Wraps the tests of the signatures whose ids are in `custom`; returns the same catalogue. */
  apply(catalogue: CompiledCatalogue, custom: ReadonlySet<string>): CompiledCatalogue;
  /** A new batch: every signature's spending starts again from zero. */
  startBatch(): void;
  /** Signatures paused so far, in the order they were paused. */
  paused(): string[];
}

export const SIGNATURE_BUDGET_MS = 25;
export const SIGNATURE_HIT_CHARGE_MS = 0.02;

export function createSignatureBudget(options: SignatureBudgetOptions): SignatureBudget {
  const { now, onPause } = options;
  const budgetMs = options.budgetMs ?? SIGNATURE_BUDGET_MS;
  const perHitMs = options.perHitMs ?? SIGNATURE_HIT_CHARGE_MS;
  const spent = new Map<string, number>();
  const paused: string[] = [];
  const pausedSet = new Set<string>();

  function charge(signatureId: string, ms: number): void {
    const total = (spent.get(signatureId) ?? 0) + ms;
    spent.set(signatureId, total);
    if (total > budgetMs && !pausedSet.has(signatureId)) {
      pausedSet.add(signatureId);
      paused.push(signatureId);
      onPause?.(signatureId);
    }
  }

  /**
   * `test` timed and charged to `signatureId` (plus perHitMs when it finds something);
   * once the signature is paused, it answers `whenPaused` without running.
   */
  function timed<A extends unknown[], R>(
    signatureId: string,
    test: (...args: A) => R,
    found: (result: R) => boolean,
    whenPaused: R,
  ): (...args: A) => R {
    return (...args) => {
      if (pausedSet.has(signatureId)) return whenPaused;
      const start = now();
      const result = test(...args);
      charge(signatureId, now() - start + (found(result) ? perHitMs : 0));
      return pausedSet.has(signatureId) ? whenPaused : result;
    };
  }

  return {
    apply(catalogue, custom) {
      const ids = catalogue.signatures.map((c) => c.signature.id);
      const isCustom = (index: number) => custom.has(ids[index] as string);
      for (const query of catalogue.queries) {
        for (const group of query.readers) {
          for (const probe of group.probes) {
            if (isCustom(probe.signatureIndex))
              probe.test = timed(ids[probe.signatureIndex] as string, probe.test, (r) => r !== false, false);
          }
        }
      }
      catalogue.signatures.forEach((compiled, index) => {
        if (!isCustom(index)) return;
        const id = compiled.signature.id;
        for (const page of compiled.pageEvidence) page.test = timed(id, page.test, Boolean, false);
        // Exclusions run patterns too. Paused, they veto: evidence found before the pause
        // must never become a finding because the veto stopped running (clinical safety).
        for (const exclusion of compiled.exclusions)
          if (exclusion.text) exclusion.text = timed(id, exclusion.text, () => false, true);
      });
      return catalogue;
    },
    startBatch() {
      spent.clear();
    },
    paused: () => [...paused],
  };
}

/**
 * `scheduler` with a new batch started before each callback it runs (each watcher batch),
 * except one that continues the batch before it: a search sliced over many tasks (a large
 * page's first scan) is one batch, or a signature matching every row would never run out.
 */
export function budgetedScheduler(scheduler: Scheduler, budget: SignatureBudget): Scheduler {
  const afterLayout = scheduler.afterLayout?.bind(scheduler);
  return {
    now: () => scheduler.now(),
    later: (callback, ms, continues) =>
      scheduler.later(
        () => {
          if (!continues) budget.startBatch();
          callback();
        },
        ms,
        continues,
      ),
    ...(afterLayout && {
      afterLayout: (callback: () => void) =>
        afterLayout(() => {
          budget.startBatch();
          callback();
        }),
    }),
  };
}
