/**
 * Whether a clinician can see an element. Only what is rendered is a prompt: a copy in a
 * `<template>`, a dialog not yet opened, a panel behind `hidden` or `display:none` is not.
 * Injected into the engine (scan, watcher) so unit tests, which have no layout, can drive
 * it; checked only on candidate evidence and containers, never on every node.
 */
export type RenderedCheck = (element: Element) => boolean;

/** Parent in the flat sense: a shadow root's host stands in for the root. */
function parentAcross(element: Element): Element | null {
  const parent = element.parentElement;
  if (parent) return parent;
  const root = element.parentNode;
  return root && root.nodeType === 11 ? ((root as ShadowRoot).host ?? null) : null;
}

function popoverShown(element: Element): boolean {
  try {
    return element.matches(':popover-open');
  } catch {
    // No Popover API here: the attribute hides nothing, the element renders as usual.
    return true;
  }
}

const INLINE_HIDDEN =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!important\s*)?(?:;|$)/i;

/**
 * What markup alone says: `hidden`, `inert`, a `<template>`, a closed `<dialog>` or
 * popover, an inline `display:none` / `visibility:hidden`, on the element or any
 * ancestor (across shadow roots). Needs no layout; a loop, so depth cannot throw.
 * `popoverOpen` answers for popovers (tests without a Popover API inject it).
 */
export function structuralCheck(popoverOpen: (element: Element) => boolean = popoverShown): RenderedCheck {
  return (element) => {
    for (let current: Element | null = element; current; current = parentAcross(current)) {
      const tag = current.localName;
      if (tag === 'template') return false;
      if (current.hasAttribute('hidden') || current.hasAttribute('inert')) return false;
      if (tag === 'dialog' && !current.hasAttribute('open')) return false;
      if (current.hasAttribute('popover') && !popoverOpen(current)) return false;
      const style = current.getAttribute('style');
      if (style && INLINE_HIDDEN.test(style)) return false;
    }
    return true;
  };
}

export const structurallyRendered: RenderedCheck = structuralCheck();

interface VisibilityCheckable {
  checkVisibility?: (options?: { visibilityProperty?: boolean; checkVisibilityCSS?: boolean }) => boolean;
}

/**
 * Markup, then the browser's own answer (`checkVisibility()`: style sheets, classes,
 * `content-visibility`), where it has one. No sizes: pages without layout report 0.
 */
export function styledCheck(structural: RenderedCheck = structurallyRendered): RenderedCheck {
  return (element) => {
    if (!structural(element)) return false;
    const check = (element as Element & VisibilityCheckable).checkVisibility;
    return (
      typeof check !== 'function' ||
      check.call(element, { visibilityProperty: true, checkVisibilityCSS: true })
    );
  };
}

export const styledRendered: RenderedCheck = styledCheck();

/**
 * For a page with layout (the content script): also not collapsed to nothing. A box of
 * no width or no height that clips its content (itself or any ancestor: a collapsed
 * panel, a 0×0 frame) shows nothing of what it holds.
 */
export const renderedWithLayout: RenderedCheck = (element) => {
  if (!styledRendered(element)) return false;
  const view = element.ownerDocument.defaultView;
  for (let current: Element | null = element; current; current = parentAcross(current)) {
    const box = current.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) continue;
    // No box of its own: its content still shows unless it clips it.
    const overflow = view ? view.getComputedStyle(current).overflow : 'visible';
    if (overflow !== 'visible' && overflow !== 'visible visible') return false;
  }
  return true;
};
