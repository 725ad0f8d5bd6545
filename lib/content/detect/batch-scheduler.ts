import { afterNextLayout } from '../after-layout';

/**
 * When the watcher's batches run. A change on a quiet page (a prompt appearing) is
 * processed at once; while the page keeps changing, changes wait and are processed
 * together, `delayMs` after the first and `gapMs` after the last batch was due at the
 * earliest. Each batch has a fixed cost (entering the extension's world, caches gone cold
 * since the last one) that, on a busy page, outweighs what its changes cost: fewer batches
 * is what keeps the overhead low. Counting the gap from when a batch was due keeps batches
 * at most 1000 / gapMs a second without adding to the wait on a page whose own long tasks
 * already delay them. Work a batch had no time for continues in the next task.
 */

/** The clock and timers, injected: the browser's in a content script, virtual in tests. */
export interface Scheduler {
  now(): number;
  /**
   * Runs `callback` after `ms`; returns a cancel function. `continues`: it carries on the
   * work of the batch before it (a search's next slice), which counts as that batch for
   * the practice signatures' time budgets (budget.ts).
   */
  later(callback: () => void, ms: number, continues?: boolean): () => void;
  /**
   * Runs `callback` once the page's next layout is done: style reads then find the page's
   * style up to date and force no recalculation of their own (a busy page's pending
   * changes would otherwise be styled inside our call). Without it, reads run as they come.
   */
  afterLayout?(callback: () => void): () => void;
}

export const browserScheduler: Scheduler = {
  now: () => performance.now(),
  later: (callback, ms) => {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
  afterLayout: (callback) => afterNextLayout(callback),
};

export interface BatchTiming {
  /** Delay between a change and its processing while the page keeps changing. */
  delayMs: number;
  /** While the page keeps changing, batches start at least this far apart. */
  gapMs: number;
  /**
   * The same while `found()` says a prompt is already found: the changes then can bring a
   * second prompt or take this one away, but the first report has gone out at once.
   */
  foundGapMs?: number;
  found?: () => boolean;
  /** After this long without a batch, a change is processed at once. */
  quietMs: number;
}

export interface BatchScheduler {
  /**
   * Asks for a batch (one timer however often asked); `continuing`: work the last batch
   * had no time for, run in the next task rather than after the gap.
   */
  request(continuing?: boolean): void;
  /** A batch starts now (called by every batch, timed or run directly); returns the time. */
  begin(): number;
  /** Cancels the batch asked for, if any. */
  cancel(): void;
}

export function createBatchScheduler(
  scheduler: Scheduler,
  timing: BatchTiming,
  runBatch: () => void,
): BatchScheduler {
  let cancelTimer: (() => void) | undefined;
  /** When the last batch ran, and when it was due (a page's long tasks can hold a timer back). */
  let lastBatchAt = Number.NEGATIVE_INFINITY;
  let lastBatchDue = Number.NEGATIVE_INFINITY;
  const gap = () => (timing.foundGapMs !== undefined && timing.found?.() ? timing.foundGapMs : timing.gapMs);
  return {
    request(continuing = false) {
      if (cancelTimer) return;
      const now = scheduler.now();
      const delay =
        continuing || now - lastBatchAt >= timing.quietMs
          ? 0
          : Math.max(timing.delayMs, lastBatchDue + gap() - now);
      const due = now + delay;
      cancelTimer = scheduler.later(
        () => {
          cancelTimer = undefined;
          lastBatchDue = due;
          runBatch();
        },
        delay,
        continuing,
      );
    },
    begin() {
      lastBatchAt = scheduler.now();
      return lastBatchAt;
    },
    cancel() {
      cancelTimer?.();
      cancelTimer = undefined;
    },
  };
}
