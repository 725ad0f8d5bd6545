import type { Clock } from '../../entrypoints/banner.content/clock';

/** Milliseconds between the virtual clock's animation frames. */
export const FRAME_MS = 16;

/**
 * A clock the test drives: nothing runs until time is advanced. Frames (and so the
 * page's layouts) come every FRAME_MS of virtual time, like a 60 Hz display.
 */
export function virtualClock(): Clock & {
  /** Moves time on by `ms`, running every timer and frame that falls due, in order. */
  tick(ms: number): void;
  /** Moves time on by `ms` without running anything (work that takes that long). */
  spend(ms: number): void;
} {
  let time = 0;
  let serial = 0;
  let queue: { at: number; order: number; callback: () => void }[] = [];
  const schedule = (callback: () => void, at: number) => {
    const task = { at, order: serial++, callback };
    queue.push(task);
    return () => {
      queue = queue.filter((t) => t !== task);
    };
  };
  return {
    now: () => time,
    later: (callback, ms) => schedule(callback, time + Math.max(0, ms)),
    afterLayout: (callback) => schedule(callback, (Math.floor(time / FRAME_MS) + 1) * FRAME_MS),
    tick(ms) {
      const until = time + ms;
      for (;;) {
        const due = queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
        if (!due) break;
        queue = queue.filter((t) => t !== due);
        time = Math.max(time, due.at);
        due.callback();
      }
      time = until;
    },
    spend(ms) {
      time += ms;
    },
  };
}
