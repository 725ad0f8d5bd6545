import { type ComponentChild, options, render } from 'preact';

/**
 * What the banner takes from `react-dom` and `react-dom/client`, on Preact itself: the
 * banner's build aliases both here and `react/jsx-runtime` to Preact's (wxt.config.ts),
 * so the components in components/ stay React code and run on React everywhere else.
 * Preact's compat layer is not needed for what the banner draws (no hooks, no
 * portals, no controlled inputs), and its per-element prop rewriting was most of the
 * first render's cost.
 */

// React hands a handler its own event object whose `nativeEvent` is the browser's;
// Preact hands over the browser's event itself (the banner reads `nativeEvent.isTrusted`).
const previousEventHook = options.event;
options.event = (e: Event) => {
  const event: Event = previousEventHook ? previousEventHook(e) : e;
  (event as Event & { nativeEvent?: Event }).nativeEvent = event;
  return event;
};

/** `react-dom/client`'s root: Preact renders synchronously, as the banner expects. */
export function createRoot(container: Element | DocumentFragment) {
  return {
    render(children: ComponentChild): void {
      render(children, container);
    },
    unmount(): void {
      render(null, container);
    },
  };
}

/** Preact's render is synchronous already. */
export function flushSync<T>(fn: () => T): T {
  return fn();
}

export default { createRoot };
