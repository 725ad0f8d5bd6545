/**
 * Where the banner goes: pure rectangle arithmetic, no DOM. The banner is
 * `position: fixed`, so it never shifts the page's layout. This module lists the few
 * places worth trying, best first, and the points at which the caller tests what lies
 * under each; the caller (entrypoints/banner.content/obstacles.ts) answers "is this
 * rectangle free?" by hit-testing those points, so a choice costs what lies under the
 * candidates, never what the rest of the page holds.
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

/**
 * The banner's three forms, calmest that fits first:
 * - `expanded`: everything (asked for by the clinician);
 * - `compact`: heading, the advisory sentence and the actions (the default);
 * - `tab`: a small labelled tab against an edge, for screens with no free corner
 *   (the details are in the toolbar popup).
 */
export type BannerForm = 'expanded' | 'compact' | 'tab';

/** A candidate position for one form. */
export interface Candidate {
  form: BannerForm;
  spot: Spot | 'edge';
  anchor: Anchor;
  rect: Rect;
}

export type Placement = Candidate;

export const DEFAULT_MARGIN = 8;
export const MAX_BANNER_WIDTH = 420;
/**
 * Step of the hit-test grid, CSS px. A control at least this wide and tall is always
 * hit; a smaller one is found through its container (see obstacles.ts).
 */
export const GRID_STEP = 16;
/** Step of the positions tried for the tab along each edge, CSS px. */
export const TAB_EDGE_STEP = 24;

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

function anchorOf(spot: Spot): Anchor {
  const [vertical, horizontal] = spot.split('-') as ['top' | 'bottom', 'left' | 'right' | 'centre'];
  return { x: horizontal, y: vertical };
}

/** Whether a form of `size` fits the viewport at all (a banner is never clipped by it). */
export function fitsViewport(size: Size, viewport: Size, margin = DEFAULT_MARGIN): boolean {
  return size.width + 2 * margin <= viewport.width && size.height + 2 * margin <= viewport.height;
}

/** Step of the positions a panel slides through along the edges, CSS px. */
export const PANEL_EDGE_STEP = 24;

/**
 * Positions for a panel (expanded or compact) of `size`, best first: the six named
 * spots, then slid along the configured side's edge (bottom to top), the other side's
 * edge, the bottom edge and the top edge (from the configured side). A hundred or so
 * at most: the count follows the viewport, never the page.
 */
export function panelCandidates(
  form: 'expanded' | 'compact',
  size: Size,
  viewport: Size,
  corner: Corner = 'bottom-right',
  margin = DEFAULT_MARGIN,
): Candidate[] {
  if (!fitsViewport(size, viewport, margin)) return [];
  const out: Candidate[] = spotOrder(corner).map((spot) => ({
    form,
    spot,
    anchor: anchorOf(spot),
    rect: spotRect(spot, size, viewport, margin),
  }));
  const { width, height } = size;
  const side = corner.endsWith('right') ? 'right' : 'left';
  const otherSide = side === 'right' ? 'left' : 'right';
  const xOf = (s: 'left' | 'right') => (s === 'left' ? margin : viewport.width - margin - width);
  const lowest = viewport.height - margin - height;
  for (const s of [side, otherSide] as const)
    for (let top = lowest - PANEL_EDGE_STEP; top > margin; top -= PANEL_EDGE_STEP)
      out.push({
        form,
        spot: 'edge',
        anchor: { x: s, y: 'top' },
        rect: { left: xOf(s), top, width, height },
      });
  const rightmost = viewport.width - margin - width;
  const lefts: number[] = [];
  for (let left = rightmost - PANEL_EDGE_STEP; left > margin; left -= PANEL_EDGE_STEP) lefts.push(left);
  if (side === 'left') lefts.reverse();
  for (const y of ['bottom', 'top'] as const)
    for (const left of lefts)
      out.push({
        form,
        spot: 'edge',
        anchor: { x: 'left', y },
        rect: { left, top: y === 'bottom' ? lowest : margin, width, height },
      });
  return out;
}

/**
 * Positions for the tab, against the edges (no margin: it sits on the edge): the
 * configured side from bottom to top, the other side, then the bottom and top edges
 * from the configured side. At most a few dozen, whatever the page.
 */
export function tabCandidates(size: Size, viewport: Size, corner: Corner = 'bottom-right'): Candidate[] {
  if (size.width > viewport.width || size.height > viewport.height) return [];
  const out: Candidate[] = [];
  const side = corner.endsWith('right') ? 'right' : 'left';
  const otherSide = side === 'right' ? 'left' : 'right';
  const xOf = (s: 'left' | 'right') => (s === 'left' ? 0 : viewport.width - size.width);
  const lowest = viewport.height - size.height;
  const tops: number[] = [];
  for (let top = lowest; top >= 0; top -= TAB_EDGE_STEP) tops.push(top);
  if (tops.at(-1) !== 0) tops.push(0);
  for (const s of [side, otherSide] as const)
    for (const top of tops)
      out.push({
        form: 'tab',
        spot: 'edge',
        anchor: { x: s, y: 'top' },
        rect: { left: xOf(s), top, width: size.width, height: size.height },
      });
  const rightmost = viewport.width - size.width;
  const lefts: number[] = [];
  for (let left = rightmost - TAB_EDGE_STEP; left > 0; left -= TAB_EDGE_STEP) lefts.push(left);
  if (side === 'left') lefts.reverse();
  for (const y of ['bottom', 'top'] as const)
    for (const left of lefts)
      out.push({
        form: 'tab',
        spot: 'edge',
        anchor: { x: 'left', y },
        rect: { left, top: y === 'bottom' ? lowest : 0, width: size.width, height: size.height },
      });
  return out;
}

/**
 * Points that sample a rectangle for hit-testing: a grid at most `step` apart, edges
 * included (1 px inside, so a neighbour that only touches the edge is not hit).
 */
export function gridPoints(rect: Rect, step = GRID_STEP): { x: number; y: number }[] {
  const axis = (start: number, length: number): number[] => {
    const from = start + 1;
    const to = start + length - 1;
    if (to <= from) return [start + length / 2];
    const n = Math.max(1, Math.ceil((to - from) / step));
    return Array.from({ length: n + 1 }, (_, i) => from + ((to - from) * i) / n);
  };
  const xs = axis(rect.left, rect.width);
  const ys = axis(rect.top, rect.height);
  const points: { x: number; y: number }[] = [];
  for (const y of ys) for (const x of xs) points.push({ x, y });
  return points;
}

/**
 * The first free candidate, trying the forms in `forms` order. `isFree` is asked about
 * each candidate in turn and the search stops at the first yes; undefined when no
 * candidate of any form is free.
 */
export function firstFree(
  lists: readonly (readonly Candidate[])[],
  isFree: (candidate: Candidate) => boolean,
): Placement | undefined {
  for (const list of lists) for (const candidate of list) if (isFree(candidate)) return candidate;
  return undefined;
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
