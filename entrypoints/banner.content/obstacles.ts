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

function visibleRect(element: Element, viewport: Size): Rect | undefined {
  const box = element.getBoundingClientRect();
  if (box.width <= 0 || box.height <= 0) return undefined;
  if (box.right <= 0 || box.bottom <= 0 || box.left >= viewport.width || box.top >= viewport.height)
    return undefined;
  const check = (element as Element & { checkVisibility?(options?: object): boolean }).checkVisibility;
  if (check && !check.call(element, { visibilityProperty: true })) return undefined;
  return {
    left: box.left - OBSTACLE_PADDING,
    top: box.top - OBSTACLE_PADDING,
    width: box.width + 2 * OBSTACLE_PADDING,
    height: box.height + 2 * OBSTACLE_PADDING,
  };
}

/** The document and every open shadow root in it, except `ownHost`'s. */
function searchRoots(doc: Document, ownHost: Element | undefined): ParentNode[] {
  const roots: ParentNode[] = [doc];
  const all = doc.getElementsByTagName('*');
  if (all.length > SHADOW_SEARCH_LIMIT) return roots;
  const visit = (root: ParentNode) => {
    for (const element of root.querySelectorAll('*')) {
      if (element === ownHost) continue;
      const shadow = element.shadowRoot;
      if (shadow) {
        roots.push(shadow);
        visit(shadow);
      }
    }
  };
  visit(doc);
  return roots;
}

export function collectObstacles(doc: Document, ownHost: Element | undefined, viewport: Size): Rect[] {
  const rects: Rect[] = [];
  const viewportArea = viewport.width * viewport.height;
  for (const root of searchRoots(doc, ownHost)) {
    for (const element of root.querySelectorAll(`${INTERACTIVE_SELECTOR},${MODAL_SELECTOR}`)) {
      if (element === ownHost) continue;
      const rect = visibleRect(element, viewport);
      if (rect) rects.push(rect);
    }
    for (const element of root.querySelectorAll(PROMPT_LIKE_SELECTOR)) {
      if (element === ownHost) continue;
      const rect = visibleRect(element, viewport);
      if (rect && rect.width * rect.height <= viewportArea * LARGE_CONTAINER_SHARE) rects.push(rect);
    }
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
