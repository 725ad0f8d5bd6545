import type { ContentScriptContext } from 'wxt/utils/content-script-context';

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
  /** Runs `callback` before the next frame is painted; returns a cancel function. */
  nextFrame(callback: () => void): () => void;
}

/** The page's clock, every timer and frame tied to `ctx`. */
export function contextClock(ctx: ContentScriptContext): Clock {
  return {
    now: () => performance.now(),
    later(callback, ms) {
      const id = ctx.setTimeout(callback, ms);
      return () => clearTimeout(id);
    },
    nextFrame(callback) {
      const id = ctx.requestAnimationFrame(callback);
      return () => cancelAnimationFrame(id);
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
