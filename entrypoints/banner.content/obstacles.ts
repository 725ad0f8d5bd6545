import type { Rect, Size } from '../../lib/placement';

/**
 * Measures what the banner must never cover: the page's controls and its prompt-like
 * containers, in viewport coordinates. Read-only: it never touches a page element.
 */

/** Things the clinician may press or type into. `[tabindex="-1"]` is left out: it marks
 * programmatic focus targets (often whole page sections), not controls. */
export const INTERACTIVE_SELECTOR = [
  'a[href]',
  'area[href]',
  'button',
  'input:not([type="hidden"])',
  'select',
  'textarea',
  'summary',
  'iframe',
  'embed',
  'object',
  'video[controls]',
  'audio[controls]',
  '[contenteditable]:not([contenteditable="false"])',
  '[role="button"]',
  '[role="link"]',
  '[role="checkbox"]',
  '[role="radio"]',
  '[role="switch"]',
  '[role="tab"]',
  '[role="menuitem"]',
  '[role="option"]',
  '[role="combobox"]',
  '[role="textbox"]',
  '[role="searchbox"]',
  '[role="slider"]',
  '[role="spinbutton"]',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** Dialogs and modals: always obstacles, whatever their size. */
export const MODAL_SELECTOR = 'dialog,[role="dialog"],[role="alertdialog"],[aria-modal="true"]';

/** Prompt-like containers: obstacles unless they fill most of the viewport (then they are
 * layout, and only the controls inside them count). */
export const PROMPT_LIKE_SELECTOR = [
  'aside',
  '[role="complementary"]',
  '[role="alert"]',
  '[role="status"]',
  '[role="region"][aria-label]',
  '[role="region"][aria-labelledby]',
  'section[aria-label]',
  'section[aria-labelledby]',
].join(',');

/** Containers covering more than this share of the viewport are layout, not prompts. */
export const LARGE_CONTAINER_SHARE = 0.5;
/** Breathing room kept around every obstacle, CSS px. */
export const OBSTACLE_PADDING = 4;
/** Above this many elements, open shadow roots are not searched (cost cap). */
const SHADOW_SEARCH_LIMIT = 20_000;

const OBSTACLE_SELECTOR = `${INTERACTIVE_SELECTOR},${MODAL_SELECTOR}`;

/**
 * A cheap superset of the given selector lists: each part of them is one compound
 * selector that starts with a type or an attribute, and so requires it. One pass with
 * these simple selectors finds every candidate; the full selectors are then matched
 * only on the candidates that are on screen (most controls of a long record are
 * scrolled out of view). A part of any other form makes it fall back to the lists
 * themselves (correct, only slower).
 */
export function prefilterSelector(...selectorLists: string[]): string {
  const keys = new Set<string>();
  for (const part of selectorLists.flatMap((list) => list.split(','))) {
    const key = /^\s*([a-z][a-z0-9-]*|\[[a-z][a-z0-9-]*)[^\s>+~]*\s*$/i.exec(part)?.[1];
    if (!key) return selectorLists.join(',');
    keys.add(key.startsWith('[') ? `${key}]` : key);
  }
  return [...keys].join(',');
}

const CANDIDATE_SELECTOR = prefilterSelector(INTERACTIVE_SELECTOR, MODAL_SELECTOR, PROMPT_LIKE_SELECTOR);

/** The element's box, when it is non-empty and reaches into the viewport. */
function onScreenBox(element: Element, viewport: Size): DOMRect | undefined {
  const box = element.getBoundingClientRect();
  if (box.width <= 0 || box.height <= 0) return undefined;
  if (box.right <= 0 || box.bottom <= 0 || box.left >= viewport.width || box.top >= viewport.height)
    return undefined;
  return box;
}

function isVisible(element: Element): boolean {
  const check = (element as Element & { checkVisibility?(options?: object): boolean }).checkVisibility;
  return !check || check.call(element, { visibilityProperty: true });
}

/** The document and every open shadow root in it, except `ownHost`'s. */
function searchRoots(doc: Document, ownHost: Element | undefined): ParentNode[] {
  const roots: ParentNode[] = [doc];
  // The live collection is walked by index: no second traversal, no copy of the list.
  const all = doc.getElementsByTagName('*');
  const count = all.length;
  if (count > SHADOW_SEARCH_LIMIT) return roots;
  const visitShadow = (shadow: ShadowRoot) => {
    roots.push(shadow);
    for (const element of shadow.querySelectorAll('*')) {
      if (element === ownHost) continue;
      const inner = element.shadowRoot;
      if (inner) visitShadow(inner);
    }
  };
  for (let i = 0; i < count; i++) {
    const element = all[i];
    if (!element || element === ownHost) continue;
    const shadow = element.shadowRoot;
    if (shadow) visitShadow(shadow);
  }
  return roots;
}

/**
 * The rects (padded) of every visible control and modal, then every visible prompt-like
 * container no larger than LARGE_CONTAINER_SHARE of the viewport, root by root.
 */
export function collectObstacles(doc: Document, ownHost: Element | undefined, viewport: Size): Rect[] {
  const rects: Rect[] = [];
  const viewportArea = viewport.width * viewport.height;
  for (const root of searchRoots(doc, ownHost)) {
    const controls: Rect[] = [];
    const containers: Rect[] = [];
    for (const element of root.querySelectorAll(CANDIDATE_SELECTOR)) {
      if (element === ownHost) continue;
      const box = onScreenBox(element, viewport);
      if (!box) continue;
      const control = element.matches(OBSTACLE_SELECTOR);
      const container = element.matches(PROMPT_LIKE_SELECTOR);
      if ((!control && !container) || !isVisible(element)) continue;
      const rect = {
        left: box.left - OBSTACLE_PADDING,
        top: box.top - OBSTACLE_PADDING,
        width: box.width + 2 * OBSTACLE_PADDING,
        height: box.height + 2 * OBSTACLE_PADDING,
      };
      if (control) controls.push(rect);
      if (container && rect.width * rect.height <= viewportArea * LARGE_CONTAINER_SHARE)
        containers.push(rect);
    }
    rects.push(...controls, ...containers);
  }
  return rects;
}

/** The visible viewport, scrollbars excluded (inner size where clientWidth/Height means
 * the document's size, as in quirks mode). */
export function viewportOf(doc: Document): Size {
  const root = doc.documentElement;
  const view = doc.defaultView;
  const pick = (client: number, inner: number) =>
    client > 0 && (inner === 0 || client <= inner) ? client : inner;
  return {
    width: pick(root?.clientWidth ?? 0, view?.innerWidth ?? 0),
    height: pick(root?.clientHeight ?? 0, view?.innerHeight ?? 0),
  };
}
