import { GRID_STEP, gridPoints, type Rect, type Size } from '../../lib/content/placement';
import { ALERT_CONTAINERS, MODAL_CONTAINERS, REGION_CONTAINERS } from '../../lib/dom-vocabulary';

/**
 * Tests what lies under a candidate rectangle by hit-testing a small grid of points in
 * it (`elementFromPoint`, the browser's own spatial index), never by walking the page:
 * the cost of a test follows the rectangle's size, not the page's. Read-only: it never
 * touches a page element.
 *
 * At each point the topmost page element (through open shadow roots) is what a click
 * there would reach; the rectangle is not free when that element is, or is inside, a
 * control, a dialog or a small prompt-like container. Controls smaller than the grid
 * step are found through the element that was hit: when it is small (a table cell, a
 * toolbar), its controls are measured too.
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
  'label',
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

/** Dialogs and modals: obstacles (their text too) unless they fill most of the screen. */
export const MODAL_SELECTOR = MODAL_CONTAINERS.join(',');

/** Prompt-like containers: obstacles unless they fill most of the viewport (then they are
 * layout, and only the controls inside them count). */
export const PROMPT_LIKE_SELECTOR = [...REGION_CONTAINERS, ...ALERT_CONTAINERS].join(',');

/** Containers covering more than this share of the viewport are layout, not prompts. */
export const LARGE_CONTAINER_SHARE = 0.5;
/** A hit element this small (× the grid cell) has its controls measured one by one. */
const SMALL_HIT_CELLS = 64;
/** At most this many controls are measured inside one small hit element (cost cap). */
const SMALL_HIT_CONTROLS = 32;
/** Breathing room kept around a control found inside a hit element, CSS px. */
export const OBSTACLE_PADDING = 2;

const CONTAINER_SELECTOR = `${MODAL_SELECTOR},${PROMPT_LIKE_SELECTOR}`;

export interface Probe {
  /** Whether `rect` is free (covers nothing the clinician may need). */
  free: boolean;
  /** Page elements hit inside the rectangle, with their ancestors: a change to one of
   * them may change what lies under the banner. */
  under: Set<Node>;
  /**
   * The elements hit-tests answered with inside a free rectangle (not their ancestors),
   * each with the part of its box inside the rectangle; undefined where that is not
   * enough to tell a later change (an element inside a frame). See `stillFree`.
   */
  hits?: Map<Element, Rect>;
  /** Points hit-tested (for tests and the benchmark). */
  points: number;
}

/** A box found to hold a control (or, `prompt`, a small prompt-like container). */
interface Blocker {
  box: Rect;
  prompt: boolean;
}

/**
 * Per-measure cache: what each element already looked at is (an obstacle wherever it
 * is, a prompt-like container, clear, or a small container with these controls in it),
 * and the boxes of the obstacles found so far. A layout asks about many overlapping
 * candidates: one that overlaps a known obstacle is refused without a hit test, so a
 * page's controls are each found once per layout, not once per candidate.
 */
export interface ProbeCache {
  kinds: Map<Element, boolean | 'prompt' | readonly DOMRect[]>;
  blockers: Blocker[];
}

export function newProbeCache(): ProbeCache {
  return { kinds: new Map(), blockers: [] };
}

function overlaps(box: Rect, rect: Rect, pad = 0): boolean {
  return (
    box.left - pad < rect.left + rect.width &&
    box.left + box.width + pad > rect.left &&
    box.top - pad < rect.top + rect.height &&
    box.top + box.height + pad > rect.top
  );
}

function rectOf(box: DOMRect): Rect {
  return { left: box.left, top: box.top, width: box.width, height: box.height };
}

/** Notes where an obstacle just found lies, so later candidates over it need no hit test. */
function noteBlocker(element: Element, doc: Document, cache: ProbeCache): void {
  // A frame's elements have boxes in the frame's coordinates: not comparable.
  if (element.ownerDocument !== doc) return;
  const kind = cache.kinds.get(element);
  if (kind === true || kind === 'prompt')
    cache.blockers.push({ box: rectOf(element.getBoundingClientRect()), prompt: kind === 'prompt' });
  else if (Array.isArray(kind))
    for (const box of kind as readonly DOMRect[]) {
      const pad = OBSTACLE_PADDING;
      cache.blockers.push({
        box: {
          left: box.left - pad,
          top: box.top - pad,
          width: box.width + 2 * pad,
          height: box.height + 2 * pad,
        },
        prompt: false,
      });
    }
}

/** What a hit test answered at one point. */
interface Topmost {
  /** The topmost page element. */
  element: Element | null;
  /** Whether the elements beneath it were read too (a backdrop, a dialog, a large element). */
  layered: boolean;
  /** Every element the hit tests answered with (not their ancestors). */
  stack: Element[];
}

/**
 * The page elements at (x, y) that matter, topmost first: the topmost element (through
 * open shadow roots and same-origin frames) and its ancestors, up to one already in
 * `seen` (its verdict is known). Where the topmost is a large element (the body, a
 * backdrop) or inside a dialog, the elements under it count too. `own` (the banner's host) is skipped.
 */
function stackAt(
  doc: Document,
  x: number,
  y: number,
  own: Element | undefined,
  viewport: Size,
  seen: Set<Node>,
  topmost: Topmost,
): Element[] {
  const out: Element[] = [];
  topmost.element = null;
  topmost.layered = false;
  topmost.stack = [];
  const large = viewport.width * viewport.height * LARGE_CONTAINER_SHARE;
  const visit = (root: Document | ShadowRoot, px: number, py: number, depth: number) => {
    // A DOM without hit testing (a unit test's) has nothing under any point.
    if (typeof root.elementFromPoint !== 'function') return;
    let top = root.elementFromPoint(px, py);
    if (top === own) top = null;
    // Under a large element (a backdrop, the body) or a page's dialog, what lies beneath
    // counts too: it is the page's again as soon as the backdrop or dialog goes.
    const beneath =
      top &&
      typeof root.elementsFromPoint === 'function' &&
      (area(top.getBoundingClientRect()) > large || top.closest(MODAL_SELECTOR))
        ? root.elementsFromPoint(px, py)
        : top
          ? [top]
          : [];
    topmost.element = top;
    if (beneath.length > 1) topmost.layered = true;
    for (const el of beneath) {
      if (el === own) continue;
      topmost.stack.push(el);
      // An open shadow root answers for the elements inside it (a closed one stays
      // opaque), and a same-origin frame for its own document (any other frame is a
      // control), at every point: the host or frame being judged already says nothing
      // of what lies inside it at this point.
      if (el.shadowRoot && depth < 8 && el.shadowRoot !== root) visit(el.shadowRoot, px, py, depth + 1);
      if (el.localName === 'iframe' && depth < 8) {
        const inner = frameDocument(el as HTMLIFrameElement);
        if (inner) {
          const box = el.getBoundingClientRect();
          visit(inner, px - box.left - el.clientLeft, py - box.top - el.clientTop, depth + 1);
          seen.add(el);
          continue;
        }
      }
      if (seen.has(el)) continue;
      // The element and its ancestors (a control may be an ancestor of what was hit).
      for (let n: Element | null = el; n && !seen.has(n); n = n.parentElement ?? hostOf(n)) {
        if (n === own) break;
        seen.add(n);
        out.push(n);
      }
    }
  };
  visit(doc, x, y, 0);
  return out;
}

/** The shadow host of an element at the top of a shadow tree. */
function hostOf(element: Element): Element | null {
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/** A frame's document when this world may read it (same origin, loaded). */
function frameDocument(frame: HTMLIFrameElement): Document | null {
  try {
    const inner = frame.contentDocument;
    return inner?.documentElement ? inner : null;
  } catch {
    return null;
  }
}

function area(box: DOMRect): number {
  return box.width * box.height;
}

/**
 * Whether `element`, at a point of `rect`, is something the clinician may need: a
 * control, a dialog or a small prompt-like container, or a small element with a
 * control inside it under `rect` (found by measuring its controls).
 */
function isObstacle(
  element: Element,
  ownerDocument: Document,
  rect: Rect,
  viewport: Size,
  cache: ProbeCache,
  avoidPrompts: boolean,
): boolean {
  let kind = cache.kinds.get(element);
  if (kind === undefined) {
    if (element.matches(INTERACTIVE_SELECTOR)) kind = true;
    else if (
      element.matches(CONTAINER_SELECTOR) &&
      area(element.getBoundingClientRect()) <= viewport.width * viewport.height * LARGE_CONTAINER_SHARE
    )
      kind = 'prompt';
    else kind = controlsInside(element);
    cache.kinds.set(element, kind);
  }
  if (kind === 'prompt') return avoidPrompts;
  if (typeof kind === 'boolean') return kind;
  // Inside a frame its controls' boxes are in the frame's coordinates, not `rect`'s:
  // a small container there that holds controls is kept clear as a whole.
  if (element.ownerDocument !== ownerDocument) return true;
  return kind.some((box) => overlaps(box, rect, OBSTACLE_PADDING));
}

/**
 * A control smaller than the grid can sit between its points; whatever was hit there
 * is its container. A small container has its controls measured (a handful at most);
 * a large one (the body, a wide table) is not searched: its small controls sit in
 * small cells that are hit themselves. `false` when there is nothing to measure.
 */
function controlsInside(element: Element): false | readonly DOMRect[] {
  if (element.childElementCount === 0) return false;
  if (area(element.getBoundingClientRect()) > GRID_STEP * GRID_STEP * SMALL_HIT_CELLS) return false;
  const controls = element.querySelectorAll(INTERACTIVE_SELECTOR);
  const boxes: DOMRect[] = [];
  const n = Math.min(controls.length, SMALL_HIT_CONTROLS);
  for (let i = 0; i < n; i++) {
    const box = controls[i]?.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) boxes.push(box);
  }
  return boxes.length > 0 ? boxes : false;
}

/**
 * A modal dialog's backdrop answers hit tests outside the dialog's box with the dialog
 * itself: that point is the backdrop (nothing to press there), not the dialog.
 */
function isBackdrop(element: Element, x: number, y: number): boolean {
  if (element.localName !== 'dialog') return false;
  const box = element.getBoundingClientRect();
  return x < box.left || x >= box.right || y < box.top || y >= box.bottom;
}

/**
 * Hit-tests `rect` on a grid, stopping at the first obstacle. With `complete`, a free
 * rectangle also reports every element under it (for the re-measure filter).
 * `avoidPrompts`: a small dialog or prompt-like container is an obstacle even where it
 * has no control (so a panel never hides the prompt's text); the tab, a last resort,
 * only keeps clear of controls.
 * `own` is the banner's host, made transparent to hit tests by the caller.
 */
export function probeRect(
  doc: Document,
  rect: Rect,
  own: Element | undefined,
  viewport: Size,
  cache: ProbeCache = newProbeCache(),
  complete = false,
  avoidPrompts = true,
): Probe {
  const under = new Set<Node>();
  if (cache.blockers.some((b) => (avoidPrompts || !b.prompt) && overlaps(b.box, rect)))
    return { free: false, under, points: 0 };
  const hits = complete ? new Map<Element, Rect>() : undefined;
  let comparable = true;
  let points = 0;
  // Each element is judged once per probe: later points only bring what is new.
  const seen = new Set<Node>();
  // Boxes of small elements judged clear (their controls measured): a later point inside
  // one would hit the same element, so it is not hit-tested again. A table under the
  // banner costs a hit test per cell, not per grid point.
  const clear: DOMRect[] = [];
  const topmost: Topmost = { element: null, layered: false, stack: [] };
  const small = GRID_STEP * GRID_STEP * SMALL_HIT_CELLS;
  for (const { x, y } of coarseFirst(gridPoints(rect))) {
    if (clear.some((b) => x >= b.left && x < b.right && y >= b.top && y < b.bottom)) continue;
    points++;
    for (const hit of stackAt(doc, x, y, own, viewport, seen, topmost)) {
      if (isBackdrop(hit, x, y)) {
        seen.delete(hit); // judged again at a point inside its box
        continue;
      }
      if (complete) under.add(hit);
      if (isObstacle(hit, doc, rect, viewport, cache, avoidPrompts)) {
        noteBlocker(hit, doc, cache);
        return { free: false, under, points };
      }
    }
    for (const el of topmost.stack) {
      if (el.ownerDocument !== doc) comparable = false;
      else if (hits && !hits.has(el)) hits.set(el, clip(el.getBoundingClientRect(), rect));
    }
    const top = topmost.element;
    // Not where other elements lie beneath it (a dialog over the page): they differ by point.
    // Not inside a frame either: its box is in the frame's coordinates, not the grid's.
    if (top && top !== own && !topmost.layered && top.ownerDocument === doc) {
      const box = top.getBoundingClientRect();
      if (area(box) <= small) clear.push(box);
    }
  }
  return { free: true, under, hits: comparable ? hits : undefined, points };
}

/**
 * The grid's points, coarse to fine: every fourth row and column first, then every
 * second, then the rest. A blocked candidate is usually refused by a control or prompt
 * anywhere in it, found sooner this way than row by row from the top (on a busy page
 * the first layout tries several candidates before a free one). The set of points, and
 * so the verdict, is the same.
 */
export function coarseFirst<P extends { x: number; y: number }>(points: readonly P[]): P[] {
  const first = points[0];
  if (!first) return [];
  let columns = 0;
  while (columns < points.length && points[columns]?.y === first.y) columns++;
  const level = (i: number): number => {
    const row = Math.floor(i / columns);
    const column = i % columns;
    if (row % 4 === 0 && column % 4 === 0) return 0;
    return row % 2 === 0 && column % 2 === 0 ? 1 : 2;
  };
  const byLevel: P[][] = [[], [], []];
  points.forEach((p, i) => {
    byLevel[level(i)]?.push(p);
  });
  return byLevel.flat();
}

/** The part of `box` inside `rect` (empty: zero size). */
function clip(box: DOMRect, rect: Rect): Rect {
  const left = Math.max(box.left, rect.left);
  const top = Math.max(box.top, rect.top);
  const right = Math.min(box.right, rect.left + rect.width);
  const bottom = Math.min(box.bottom, rect.top + rect.height);
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

/**
 * Whether a rectangle found free is still free, told without a hit test where that is
 * certain: every element hit there is still in the page with the same part of its box
 * inside the rectangle, and none of `changed` (elements added or restyled near it since)
 * reaches into it. What lies under the rectangle is then what was judged free; anything
 * new there arrived by one of those changes. `undefined`: not certain, hit-test again.
 * A few box reads, whatever the size of the page.
 */
export function stillFree(
  rect: Rect,
  hits: ReadonlyMap<Element, Rect> | undefined,
  changed: Iterable<Node>,
): true | undefined {
  if (!hits || hits.size === 0) return undefined;
  for (const node of changed) {
    if (node.nodeType !== Node.ELEMENT_NODE) continue; // text holds no control; a parent's resize shows below
    if (overlaps(rectOf((node as Element).getBoundingClientRect()), rect)) return undefined;
  }
  for (const [el, was] of hits) {
    if (!el.isConnected) return undefined;
    const now = clip(el.getBoundingClientRect(), rect);
    if (now.left !== was.left || now.top !== was.top || now.width !== was.width || now.height !== was.height)
      return undefined;
  }
  return true;
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
