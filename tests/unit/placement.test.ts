import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BannerSizes,
  bannerMaxHeight,
  bannerWidth,
  candidates,
  choosePlacement,
  EDGE_STEP,
  freeHeight,
  intersectionArea,
  intersects,
  MIN_SHORTENED_BODY,
  overlapWith,
  type Placement,
  placementStyle,
  type Rect,
  type Size,
  spotOrder,
  spotRect,
} from '../../lib/placement';

const viewport: Size = { width: 1280, height: 800 };
const sizes: BannerSizes = { expanded: { width: 420, height: 300 }, collapsed: { width: 420, height: 48 } };
const M = 8;

function rect(left: number, top: number, width: number, height: number): Rect {
  return { left, top, width, height };
}

/** A small control sitting inside the given spot's expanded rectangle. */
function controlInside(r: Rect): Rect {
  return rect(r.left + 10, r.top + 10, 40, 20);
}

function inViewport(r: Rect, v: Size): boolean {
  return r.left >= 0 && r.top >= 0 && r.left + r.width <= v.width && r.top + r.height <= v.height;
}

describe('spotOrder', () => {
  it('tries the configured corner, its mirror, the top corners, then the centres', () => {
    expect(spotOrder('bottom-right')).toEqual([
      'bottom-right',
      'bottom-left',
      'top-right',
      'top-left',
      'bottom-centre',
      'top-centre',
    ]);
    expect(spotOrder('bottom-left')).toEqual([
      'bottom-left',
      'bottom-right',
      'top-left',
      'top-right',
      'bottom-centre',
      'top-centre',
    ]);
  });
});

describe('spotRect', () => {
  it('puts each spot against the right edges with the margin', () => {
    const s = sizes.expanded;
    expect(spotRect('bottom-right', s, viewport)).toEqual(rect(1280 - M - 420, 800 - M - 300, 420, 300));
    expect(spotRect('bottom-left', s, viewport)).toEqual(rect(M, 800 - M - 300, 420, 300));
    expect(spotRect('top-right', s, viewport)).toEqual(rect(1280 - M - 420, M, 420, 300));
    expect(spotRect('top-left', s, viewport)).toEqual(rect(M, M, 420, 300));
    expect(spotRect('bottom-centre', s, viewport)).toEqual(rect(430, 800 - M - 300, 420, 300));
    expect(spotRect('top-centre', s, viewport)).toEqual(rect(430, M, 420, 300));
  });

  it('clamps a banner bigger than the viewport into it', () => {
    const small = { width: 300, height: 200 };
    const r = spotRect('bottom-right', { width: 420, height: 900 }, small);
    expect(r).toEqual(rect(M, M, 300 - 2 * M, 200 - 2 * M));
    expect(inViewport(r, small)).toBe(true);
  });
});

describe('rectangle arithmetic', () => {
  it('measures intersections; touching edges do not intersect', () => {
    expect(intersectionArea(rect(0, 0, 10, 10), rect(5, 5, 10, 10))).toBe(25);
    expect(intersectionArea(rect(0, 0, 10, 10), rect(10, 0, 10, 10))).toBe(0);
    expect(intersects(rect(0, 0, 10, 10), rect(20, 20, 5, 5))).toBe(false);
    expect(overlapWith(rect(0, 0, 10, 10), [rect(5, 5, 10, 10), rect(0, 0, 2, 2)])).toBe(29);
  });

  it('sizes the banner to at most 420px wide and the viewport less its margins', () => {
    expect(bannerWidth(viewport)).toBe(420);
    expect(bannerWidth({ width: 300, height: 400 })).toBe(284);
    expect(bannerMaxHeight({ width: 640, height: 400 })).toBe(384);
  });
});

describe('choosePlacement', () => {
  it('uses the configured corner, expanded, on an empty page', () => {
    const p = choosePlacement({ viewport, sizes, obstacles: [] });
    expect(p).toMatchObject({ spot: 'bottom-right', collapsed: false, overlap: 0 });
    expect(choosePlacement({ viewport, sizes, obstacles: [], corner: 'bottom-left' }).spot).toBe(
      'bottom-left',
    );
  });

  it('moves to the next free corner when a control sits in the configured one', () => {
    const blocker = controlInside(spotRect('bottom-right', sizes.expanded, viewport));
    const p = choosePlacement({ viewport, sizes, obstacles: [blocker] });
    expect(p.spot).toBe('bottom-left');
    expect(p.collapsed).toBe(false);
    expect(intersects(p.rect, blocker)).toBe(false);
  });

  it('skips every corner a control occupies and falls back to a centre', () => {
    const corners = (['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const).map((s) =>
      controlInside(spotRect(s, sizes.expanded, viewport)),
    );
    const p = choosePlacement({ viewport, sizes, obstacles: corners });
    expect(p).toMatchObject({ spot: 'bottom-centre', collapsed: false, overlap: 0 });
  });

  it('collapses to the one-line bar when no spot fits the expanded banner', () => {
    // A band of controls across the middle of the screen blocks every expanded spot,
    // but leaves the bottom 60px free for the bar.
    const obstacles = [rect(0, 300, 1280, 430)];
    const p = choosePlacement({ viewport, sizes, obstacles });
    expect(p).toMatchObject({ spot: 'bottom-right', collapsed: true, overlap: 0 });
    expect(p.rect.height).toBe(48);
  });

  it('picks the least overlap when even the bar cannot be free, preferring the bar on a tie', () => {
    // Everything is covered, except that the top-left strip is only half covered.
    const obstacles = [rect(0, 0, 1280, 800), rect(0, 0, 200, 30)];
    const p = choosePlacement({ viewport, sizes, obstacles });
    expect(p.collapsed).toBe(true);
    expect(p.overlap).toBeGreaterThan(0);
    const allOverlaps = [sizes.expanded, sizes.collapsed].flatMap((s) =>
      candidates(s, viewport).map((c) => overlapWith(c.rect, obstacles)),
    );
    expect(p.overlap).toBe(Math.min(...allOverlaps));
  });

  it('slides along an edge when every named spot is taken (a page full of controls)', () => {
    // Like the sim's web-component page: header controls across the top, a full-width
    // prompt across the bottom, a control in the middle of each side; free: the right
    // edge between y=330 and y=680.
    const obstacles = [
      rect(0, 0, 1280, 60),
      rect(0, 680, 1280, 120),
      rect(0, 200, 1280, 40),
      rect(600, 240, 80, 440),
    ];
    const p = choosePlacement({ viewport, sizes, obstacles });
    expect(p).toMatchObject({ spot: 'edge', collapsed: false, overlap: 0, anchor: { x: 'right', y: 'top' } });
    expect(p.rect.left).toBe(1280 - M - 420);
    expect(p.rect.top).toBeGreaterThanOrEqual(240);
    expect(p.rect.top + p.rect.height).toBeLessThanOrEqual(680);
    // The lowest free position on the edge (tried bottom-up).
    expect(p.rect.top + p.rect.height).toBeGreaterThan(680 - EDGE_STEP);
    expect(placementStyle(p, viewport)).toEqual({ right: M, top: p.rect.top });
  });

  it('tries the configured side first when sliding', () => {
    const obstacles = [rect(0, 0, 1280, 60), rect(0, 680, 1280, 120), rect(0, 200, 1280, 40)];
    expect(choosePlacement({ viewport, sizes, obstacles }).anchor.x).toBe('right');
    expect(choosePlacement({ viewport, sizes, obstacles, corner: 'bottom-left' }).anchor.x).toBe('left');
  });

  it('never collapses when the user expanded it, and never expands when the user collapsed it', () => {
    const obstacles = [rect(0, 300, 1280, 430)];
    const expanded = choosePlacement({ viewport, sizes, obstacles, mode: 'expanded' });
    expect(expanded.collapsed).toBe(false);
    const collapsed = choosePlacement({ viewport, sizes, obstacles: [], mode: 'collapsed' });
    expect(collapsed).toMatchObject({ spot: 'bottom-right', collapsed: true });
  });

  it('when the clinician expands it and nothing is free, it is shortened to the tallest free space', () => {
    // A modal over the middle, page controls low on the left, 130px free along the bottom right.
    const obstacles = [rect(360, 120, 560, 262), rect(0, 200, 1170, 40), rect(0, 460, 660, 210)];
    const p = choosePlacement({
      viewport,
      sizes: { ...sizes, expanded: { width: 420, height: 530 } },
      obstacles,
      mode: 'expanded',
    });
    expect(p.collapsed).toBe(false);
    expect(p.shortened).toBe(true);
    expect(p.overlap).toBe(0);
    for (const o of obstacles) expect(intersects(p.rect, o)).toBe(false);
    expect(p.rect.height).toBeGreaterThanOrEqual(sizes.collapsed.height + MIN_SHORTENED_BODY);
    // The tallest free column: bottom right, from just below the modal.
    expect(p.rect.left).toBe(1280 - M - 420);
    expect(p.rect.top).toBe(382);
  });

  it('when even a shortened banner would be too small, the clinician gets the least-overlap spot', () => {
    const obstacles = [rect(0, 0, 1280, 700)];
    const p = choosePlacement({
      viewport,
      sizes: { ...sizes, expanded: { width: 420, height: 530 } },
      obstacles,
      mode: 'expanded',
    });
    expect(p.shortened).toBeFalsy();
    expect(p.overlap).toBeGreaterThan(0);
    expect(p.rect.height).toBe(530);
  });

  it('freeHeight measures up from a bottom anchor and down from a top anchor', () => {
    const [bottomRight] = candidates({ width: 420, height: 300 }, viewport);
    if (!bottomRight) throw new Error('no candidates');
    expect(freeHeight(bottomRight, 784, [])).toBe(784);
    expect(freeHeight(bottomRight, 784, [rect(900, 100, 50, 100)])).toBe(792 - 200);
    expect(freeHeight(bottomRight, 784, [rect(0, 100, 100, 100)])).toBe(784); // not above it
    expect(freeHeight(bottomRight, 784, [rect(900, 780, 50, 40)])).toBe(0); // on its edge
    const topLeft = {
      spot: 'top-left' as const,
      anchor: { x: 'left' as const, y: 'top' as const },
      rect: rect(8, 8, 420, 300),
    };
    expect(freeHeight(topLeft, 784, [rect(100, 500, 10, 10)])).toBe(492);
  });

  it('property: the chosen spot is inside the viewport; it is free whenever any candidate was free', () => {
    const obstacle = fc
      .record({
        left: fc.integer({ min: -50, max: 1300 }),
        top: fc.integer({ min: -50, max: 820 }),
        width: fc.integer({ min: 1, max: 600 }),
        height: fc.integer({ min: 1, max: 400 }),
      })
      .map((r) => r as Rect);
    fc.assert(
      fc.property(
        fc.array(obstacle, { maxLength: 12 }),
        fc.integer({ min: 200, max: 1600 }),
        fc.integer({ min: 150, max: 1000 }),
        fc.constantFrom('bottom-right' as const, 'bottom-left' as const),
        (obstacles, width, height, corner) => {
          const v = { width, height };
          const s: BannerSizes = {
            expanded: { width: bannerWidth(v), height: Math.min(320, bannerMaxHeight(v)) },
            collapsed: { width: bannerWidth(v), height: 48 },
          };
          const p: Placement = choosePlacement({ viewport: v, sizes: s, obstacles, corner });
          expect(inViewport(p.rect, v)).toBe(true);
          expect(p.overlap).toBe(overlapWith(p.rect, obstacles));
          const anyFree = [s.expanded, s.collapsed].some((size) =>
            candidates(size, v, corner).some((c) => overlapWith(c.rect, obstacles) === 0),
          );
          if (anyFree) {
            expect(p.overlap).toBe(0);
            for (const o of obstacles) expect(intersects(p.rect, o)).toBe(false);
          }
          // The expanded banner is preferred whenever some expanded spot is free.
          const expandedFree = candidates(s.expanded, v, corner).some(
            (c) => overlapWith(c.rect, obstacles) === 0,
          );
          if (expandedFree) expect(p.collapsed).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('placementStyle', () => {
  it('anchors the named spots to their nearest edges', () => {
    const at = (spot: string) => {
      const c = candidates(sizes.expanded, viewport).find((x) => x.spot === spot);
      if (!c) throw new Error(spot);
      return placementStyle({ ...c, collapsed: false, overlap: 0 }, viewport);
    };
    expect(at('bottom-right')).toEqual({ bottom: M, right: M });
    expect(at('top-left')).toEqual({ top: M, left: M });
    expect(at('bottom-centre')).toEqual({ bottom: M, left: 430 });
  });
});
