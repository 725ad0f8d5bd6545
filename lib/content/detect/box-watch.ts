/**
 * Tells the watcher when a flagged or held-back prompt's box appears, disappears or
 * collapses, at the cost of what changed: the browser computes intersections and sizes
 * after its own layout, so nothing here forces one (a re-check on a timer did, on a busy
 * page, twice a second). Callbacks come from the browser alone: a page cannot forge them.
 */
export interface BoxWatch {
  /**
   * `size`: also report the element collapsing to no width or height. Asked for prompts,
   * not for the containers around them: a page-sized container resizes with every row a
   * busy page adds, and would call back every frame.
   */
  watch(element: Element, size: boolean): void;
  unwatch(element: Element): void;
  disconnect(): void;
}

/** `onChange` runs when a watched element's box may have been shown or hidden. */
export type BoxWatchFactory = (onChange: () => void) => BoxWatch;

/**
 * The intersection thresholds: 0 reports a box appearing or leaving (display:none, detached,
 * scrolled away); a sliver above 0 reports it clipped to nothing by an ancestor (a 0-height
 * panel with overflow hidden still "intersects" at its edge, with no area).
 */
const THRESHOLDS = [0, 0.001];

type BoxState = string;

/**
 * IntersectionObserver (shown, gone, clipped away) and ResizeObserver (collapsed to no
 * width or height, or out of it). Only a change of state is reported: a prompt that grows
 * or scrolls is not re-checked. The first report for an element is always passed on, so a
 * change between the re-check that flagged it and the browser's next frame is not lost.
 */
export function browserBoxWatch(onChange: () => void): BoxWatch {
  const seen = new WeakMap<Element, { box?: BoxState; size?: BoxState }>();
  const report = (element: Element, key: 'box' | 'size', state: BoxState): boolean => {
    let states = seen.get(element);
    if (!states) {
      states = {};
      seen.set(element, states);
    }
    const changed = states[key] !== state;
    states[key] = state;
    return changed;
  };
  const intersections = new IntersectionObserver(
    (entries) => {
      let changed = false;
      for (const entry of entries) {
        const { width, height } = entry.intersectionRect;
        const state = entry.isIntersecting ? (width > 0 && height > 0 ? 'shown' : 'edge') : 'out';
        if (report(entry.target, 'box', state)) changed = true;
      }
      if (changed) onChange();
    },
    { threshold: THRESHOLDS },
  );
  const sizes = new ResizeObserver((entries) => {
    let changed = false;
    for (const entry of entries) {
      const { width, height } = entry.contentRect;
      if (report(entry.target, 'size', width > 0 && height > 0 ? 'sized' : 'empty')) changed = true;
    }
    if (changed) onChange();
  });
  return {
    watch(element, size) {
      intersections.observe(element);
      if (size) sizes.observe(element, { box: 'border-box' });
    },
    unwatch(element) {
      intersections.unobserve(element);
      sizes.unobserve(element);
      seen.delete(element);
    },
    disconnect() {
      intersections.disconnect();
      sizes.disconnect();
    },
  };
}
