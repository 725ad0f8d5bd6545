import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { afterNextLayout } from '../../lib/content/after-layout';

/**
 * Time as the banner sees it: a monotonic clock, timers and animation frames. The
 * content script uses the page's, tied to its context (an extension reload cancels
 * them all); tests pass a virtual one and move time themselves.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Runs `callback` after `ms`; returns a cancel function. */
  later(callback: () => void, ms: number): () => void;
  /**
   * Runs `callback` once the page's next layout is done, before that frame is painted:
   * box reads and hit tests then find the page laid out and force no layout of their
   * own (on a huge live table one costs more than everything else the banner does).
   * Returns a cancel function.
   */
  afterLayout(callback: () => void): () => void;
}

/** The page's clock, every timer and frame tied to `ctx`. */
export function contextClock(ctx: ContentScriptContext): Clock {
  return {
    now: () => performance.now(),
    later(callback, ms) {
      const id = ctx.setTimeout(callback, ms);
      return () => clearTimeout(id);
    },
    afterLayout(callback) {
      if (typeof ResizeObserver !== 'function') {
        // A DOM without resize observers (a unit test's): after the next frame.
        let done = false;
        const id = ctx.requestAnimationFrame(() => {
          if (!done) ctx.setTimeout(callback, 0);
        });
        return () => {
          done = true;
          cancelAnimationFrame(id);
        };
      }
      return afterNextLayout(() => {
        if (!ctx.isInvalid) callback();
      });
    },
  };
}

/** Runs `callback` every `ms` until the returned function is called. */
export function every(clock: Clock, ms: number, callback: () => void): () => void {
  let cancel = clock.later(function tick() {
    cancel = clock.later(tick, ms);
    callback();
  }, ms);
  return () => cancel();
}
