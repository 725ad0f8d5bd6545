/**
 * Where the banner goes: pure rectangle arithmetic, no DOM. The banner is
 * `position: fixed`, so it never shifts the page's layout; this module only chooses
 * the spot that covers none of the page's controls or prompts (the clinical system's
 * own rects, measured by the caller).
 */

export interface Size {
  width: number;
  height: number;
}

/** A rectangle in viewport (client) coordinates. */
export interface Rect extends Size {
  left: number;
  top: number;
}

export type Corner = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
export type Spot = Corner | 'bottom-centre' | 'top-centre';

/** Which viewport edges a placement is anchored to (for its CSS offsets). */
export interface Anchor {
  x: 'left' | 'right' | 'centre';
  y: 'top' | 'bottom';
}

/** A candidate position: one of the named spots, or a position slid along an edge. */
export interface Candidate {
  spot: Spot | 'edge';
  anchor: Anchor;
  rect: Rect;
}

/** The banner's expanded size and its one-line (collapsed) size. */
export interface BannerSizes {
  expanded: Size;
  collapsed: Size;
}

/**
 * - `auto`: expanded where it fits, else the one-line bar.
 * - `expanded` / `collapsed`: the user chose; placement only moves the banner.
 */
export type SizeMode = 'auto' | 'expanded' | 'collapsed';

export interface PlacementInput {
  /** Visible viewport (documentElement.clientWidth/clientHeight: scrollbars excluded). */
  viewport: Size;
  sizes: BannerSizes;
  /** The page's controls and prompt-like containers (the banner's own rect excluded). */
  obstacles: readonly Rect[];
  /** The practice's configured corner: tried first. */
  corner?: Corner;
  mode?: SizeMode;
  /** Gap to the viewport edge, CSS px. */
  margin?: number;
}

export interface Placement extends Candidate {
  collapsed: boolean;
  /** Shorter than its content (it scrolls inside itself) to stay clear of the page. */
  shortened?: boolean;
  /** Total area of obstacles covered (0 = free). */
  overlap: number;
}

export const DEFAULT_MARGIN = 8;
export const MAX_BANNER_WIDTH = 420;
/** A shortened banner must show at least this much of its body below the bar, CSS px. */
export const MIN_SHORTENED_BODY = 96;
/** Step, in CSS px, of the positions tried along the edges after the named spots. */
export const EDGE_STEP = 8;

/** The configured corner first, then the other corners (bottom before top), then the centres. */
export function spotOrder(corner: Corner = 'bottom-right'): Spot[] {
  const [vertical, horizontal] = corner.split('-') as ['bottom' | 'top', 'left' | 'right'];
  const otherVertical = vertical === 'bottom' ? 'top' : 'bottom';
  const otherHorizontal = horizontal === 'right' ? 'left' : 'right';
  return [
    corner,
    `${vertical}-${otherHorizontal}` as Corner,
    `${otherVertical}-${horizontal}` as Corner,
    `${otherVertical}-${otherHorizontal}` as Corner,
    `${vertical}-centre` as Spot,
    `${otherVertical}-centre` as Spot,
  ];
}

/** The banner's width for a viewport: at most MAX_BANNER_WIDTH, never wider than the viewport allows. */
export function bannerWidth(viewport: Size, margin = DEFAULT_MARGIN): number {
  return Math.max(0, Math.min(MAX_BANNER_WIDTH, viewport.width - 2 * margin));
}

/** The banner's height limit: it scrolls inside itself beyond this. */
export function bannerMaxHeight(viewport: Size, margin = DEFAULT_MARGIN): number {
  return Math.max(0, viewport.height - 2 * margin);
}

/** The rectangle a banner of `size` occupies at `spot` (clamped into the viewport). */
export function spotRect(spot: Spot, size: Size, viewport: Size, margin = DEFAULT_MARGIN): Rect {
  const width = Math.min(size.width, Math.max(0, viewport.width - 2 * margin));
  const height = Math.min(size.height, Math.max(0, viewport.height - 2 * margin));
  const [vertical, horizontal] = spot.split('-');
  const top = vertical === 'top' ? margin : viewport.height - margin - height;
  let left: number;
  if (horizontal === 'left') left = margin;
  else if (horizontal === 'right') left = viewport.width - margin - width;
  else left = Math.round((viewport.width - width) / 2);
  return { left, top, width, height };
}

export function intersectionArea(a: Rect, b: Rect): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

export function intersects(a: Rect, b: Rect): boolean {
  return intersectionArea(a, b) > 0;
}

/** Sum of the areas of `obstacles` that `rect` covers. */
export function overlapWith(rect: Rect, obstacles: readonly Rect[]): number {
  let total = 0;
  for (const o of obstacles) total += intersectionArea(rect, o);
  return total;
}

function anchorOf(spot: Spot): Anchor {
  const [vertical, horizontal] = spot.split('-') as ['top' | 'bottom', 'left' | 'right' | 'centre'];
  return { x: horizontal, y: vertical };
}

/**
 * Every position to try for a banner of `size`, best first: the named spots in
 * `spotOrder`, then positions slid along the configured side's edge (bottom to top),
 * the other side's edge, the bottom edge and the top edge (from the configured side).
 */
export function candidates(
  size: Size,
  viewport: Size,
  corner: Corner = 'bottom-right',
  margin = DEFAULT_MARGIN,
): Candidate[] {
  const out: Candidate[] = spotOrder(corner).map((spot) => ({
    spot,
    anchor: anchorOf(spot),
    rect: spotRect(spot, size, viewport, margin),
  }));
  const { width, height } = spotRect('top-left', size, viewport, margin);
  const side = corner.endsWith('right') ? 'right' : 'left';
  const otherSide = side === 'right' ? 'left' : 'right';
  const xOf = (s: 'left' | 'right') => (s === 'left' ? margin : viewport.width - margin - width);
  const lowest = viewport.height - margin - height;
  for (const s of [side, otherSide] as const) {
    for (let top = lowest - EDGE_STEP; top > margin; top -= EDGE_STEP) {
      out.push({ spot: 'edge', anchor: { x: s, y: 'top' }, rect: { left: xOf(s), top, width, height } });
    }
  }
  const rightmost = viewport.width - margin - width;
  const lefts: number[] = [];
  for (let left = rightmost - EDGE_STEP; left > margin; left -= EDGE_STEP) lefts.push(left);
  if (side === 'left') lefts.reverse();
  for (const y of ['bottom', 'top'] as const) {
    const top = y === 'bottom' ? lowest : margin;
    for (const left of lefts)
      out.push({ spot: 'edge', anchor: { x: 'left', y }, rect: { left, top, width, height } });
  }
  return out;
}

/**
 * The first free candidate for the expanded banner; if none is free, the first free
 * candidate for the one-line bar; if still none, the candidate (and size) with the
 * least overlap, ties going to the bar and then to the earlier candidate.
 */
export function choosePlacement(input: PlacementInput): Placement {
  const {
    viewport,
    sizes,
    obstacles,
    corner = 'bottom-right',
    mode = 'auto',
    margin = DEFAULT_MARGIN,
  } = input;
  const sizesToTry: boolean[] = mode === 'expanded' ? [false] : mode === 'collapsed' ? [true] : [false, true];

  const options: Placement[] = [];
  for (const collapsed of sizesToTry) {
    const size = collapsed ? sizes.collapsed : sizes.expanded;
    for (const candidate of candidates(size, viewport, corner, margin)) {
      const overlap = overlapWith(candidate.rect, obstacles);
      const placement: Placement = { ...candidate, collapsed, overlap };
      if (overlap === 0) return placement;
      options.push(placement);
    }
  }
  if (mode === 'expanded') {
    // The clinician asked for the full banner: rather than cover the page, show it
    // shorter (scrolling inside itself) where the most height is free.
    const shortened = tallestFree(
      candidates(sizes.expanded, viewport, corner, margin),
      sizes.expanded.height,
      obstacles,
    );
    if (shortened && shortened.rect.height >= sizes.collapsed.height + MIN_SHORTENED_BODY) return shortened;
  }
  // Nothing free: least overlap; on a tie prefer the bar (it hides less), then candidate order.
  return options.reduce((best, option) =>
    option.overlap < best.overlap ||
    (option.overlap === best.overlap && option.collapsed && !best.collapsed && mode === 'auto')
      ? option
      : best,
  );
}

/**
 * How tall a banner at `candidate` can grow from its anchored edge (up from a bottom
 * anchor, down from a top anchor) before it meets an obstacle; 0 when an obstacle
 * sits on that edge.
 */
export function freeHeight(candidate: Candidate, maxHeight: number, obstacles: readonly Rect[]): number {
  const { left, width } = candidate.rect;
  const fromBottom = candidate.anchor.y === 'bottom';
  const edge = fromBottom ? candidate.rect.top + candidate.rect.height : candidate.rect.top;
  let room = maxHeight;
  for (const o of obstacles) {
    if (o.left >= left + width || o.left + o.width <= left) continue;
    const oBottom = o.top + o.height;
    if (fromBottom) {
      if (o.top >= edge) continue; // below the banner
      if (oBottom > edge) return 0;
      room = Math.min(room, edge - oBottom);
    } else {
      if (oBottom <= edge) continue; // above the banner
      if (o.top < edge) return 0;
      room = Math.min(room, o.top - edge);
    }
  }
  return Math.max(0, room);
}

/** The candidate with the most free height, shortened to it (first one on a tie). */
function tallestFree(
  list: readonly Candidate[],
  maxHeight: number,
  obstacles: readonly Rect[],
): Placement | undefined {
  let best: Placement | undefined;
  for (const c of list) {
    const height = Math.min(maxHeight, freeHeight(c, maxHeight, obstacles));
    if (height <= 0 || (best && height <= best.rect.height)) continue;
    const bottom = c.rect.top + c.rect.height;
    const top = c.anchor.y === 'bottom' ? bottom - height : c.rect.top;
    best = {
      ...c,
      rect: { ...c.rect, top, height },
      collapsed: false,
      overlap: 0,
      shortened: height < maxHeight,
    };
  }
  return best;
}

/**
 * CSS offsets for a placement, anchored to its edges so that a small change in the
 * banner's height keeps it against them until the next layout.
 */
export function placementStyle(
  placement: Placement,
  viewport: Size,
): { left?: number; right?: number; top?: number; bottom?: number } {
  const { rect, anchor } = placement;
  const style: { left?: number; right?: number; top?: number; bottom?: number } = {};
  if (anchor.y === 'top') style.top = rect.top;
  else style.bottom = viewport.height - (rect.top + rect.height);
  if (anchor.x === 'right') style.right = viewport.width - (rect.left + rect.width);
  else style.left = rect.left;
  return style;
}
