import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bannerWidth,
  type Candidate,
  firstFree,
  GRID_STEP,
  gridPoints,
  intersectionArea,
  panelCandidates,
  placementStyle,
  type Rect,
  type Size,
  spotOrder,
  spotRect,
  tabCandidates,
} from '../../lib/content/placement';

const viewport: Size = { width: 1280, height: 800 };
const compact: Size = { width: 420, height: 200 };
const M = 8;

function rect(left: number, top: number, width: number, height: number): Rect {
  return { left, top, width, height };
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
    expect(spotOrder('bottom-left').slice(0, 2)).toEqual(['bottom-left', 'bottom-right']);
  });
});

describe('spotRect and rectangle arithmetic', () => {
  it('puts each spot against the right edges with the margin', () => {
    expect(spotRect('bottom-right', compact, viewport)).toEqual(
      rect(1280 - M - 420, 800 - M - 200, 420, 200),
    );
    expect(spotRect('top-left', compact, viewport)).toEqual(rect(M, M, 420, 200));
    expect(spotRect('top-centre', compact, viewport).left).toBe(Math.round((1280 - 420) / 2));
  });

  it('measures intersections; touching edges do not intersect', () => {
    expect(intersectionArea(rect(0, 0, 10, 10), rect(5, 5, 10, 10))).toBe(25);
    expect(intersectionArea(rect(0, 0, 10, 10), rect(10, 0, 10, 10))).toBe(0);
  });

  it('sizes the banner to at most 420px wide and the viewport less its margins', () => {
    expect(bannerWidth(viewport)).toBe(420);
    expect(bannerWidth({ width: 320, height: 256 })).toBe(304);
  });
});

describe('candidates', () => {
  it('panels: the six named spots first, then positions slid along the edges, all inside the viewport', () => {
    const list = panelCandidates('compact', compact, viewport);
    expect(list.slice(0, 6).map((c) => c.spot)).toEqual(spotOrder('bottom-right'));
    expect(list.slice(6).every((c) => c.spot === 'edge')).toBe(true);
    for (const c of list) {
      expect(inViewport(c.rect, viewport), JSON.stringify(c)).toBe(true);
      expect(c.form).toBe('compact');
    }
    // The configured side first when sliding.
    expect(list[6]?.anchor.x).toBe('right');
    expect(panelCandidates('compact', compact, viewport, 'bottom-left')[6]?.anchor.x).toBe('left');
  });

  it('the number of candidates follows the viewport only (a few hundred at most at 4K)', () => {
    expect(panelCandidates('compact', compact, { width: 3840, height: 2160 }).length).toBeLessThan(500);
    expect(tabCandidates({ width: 200, height: 64 }, { width: 3840, height: 2160 }).length).toBeLessThan(500);
  });

  it('a panel that does not fit the viewport has no candidates (it is never clipped)', () => {
    expect(panelCandidates('expanded', { width: 304, height: 600 }, { width: 320, height: 256 })).toEqual([]);
  });

  it('the tab sits on the edges (no margin), inside the viewport, configured side first', () => {
    const v = { width: 320, height: 256 };
    const list = tabCandidates({ width: 200, height: 64 }, v);
    expect(list.length).toBeGreaterThan(4);
    expect(list[0]?.rect).toEqual(rect(120, 192, 200, 64));
    for (const c of list) {
      expect(inViewport(c.rect, v)).toBe(true);
      const r = c.rect;
      expect(
        r.left === 0 || r.top === 0 || r.left + r.width === v.width || r.top + r.height === v.height,
      ).toBe(true);
    }
  });
});

describe('gridPoints', () => {
  it('samples the rectangle at most GRID_STEP apart, 1 px inside its edges', () => {
    const r = rect(100, 50, 420, 200);
    const points = gridPoints(r);
    const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
    const ys = [...new Set(points.map((p) => p.y))].sort((a, b) => a - b);
    expect(xs[0]).toBe(101);
    expect(xs.at(-1)).toBe(519);
    expect(ys[0]).toBe(51);
    expect(ys.at(-1)).toBe(249);
    for (let i = 1; i < xs.length; i++)
      expect((xs[i] ?? 0) - (xs[i - 1] ?? 0)).toBeLessThanOrEqual(GRID_STEP);
    for (let i = 1; i < ys.length; i++)
      expect((ys[i] ?? 0) - (ys[i - 1] ?? 0)).toBeLessThanOrEqual(GRID_STEP);
  });

  it('property: any control at least GRID_STEP square that overlaps the rectangle by that much holds a point', () => {
    fc.assert(
      fc.property(
        fc.record({ w: fc.integer({ min: 40, max: 500 }), h: fc.integer({ min: 30, max: 400 }) }),
        fc.record({
          fx: fc.double({ min: 0, max: 1, noNaN: true }),
          fy: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        ({ w, h }, { fx, fy }) => {
          const r = rect(10, 20, w, h);
          // A GRID_STEP × GRID_STEP control wholly inside the rectangle, anywhere.
          const c = rect(10 + fx * (w - GRID_STEP), 20 + fy * (h - GRID_STEP), GRID_STEP, GRID_STEP);
          return gridPoints(r).some(
            (p) => p.x >= c.left && p.x <= c.left + c.width && p.y >= c.top && p.y <= c.top + c.height,
          );
        },
      ),
    );
  });
});

describe('firstFree', () => {
  it('returns the first candidate found free, trying lists in order, and stops there', () => {
    const a = panelCandidates('compact', compact, viewport);
    const b = tabCandidates({ width: 200, height: 64 }, viewport);
    const asked: Candidate[] = [];
    const chosen = firstFree([a, b], (c) => {
      asked.push(c);
      return c.form === 'tab';
    });
    expect(chosen).toBe(b[0]);
    expect(asked).toHaveLength(a.length + 1);
    expect(firstFree([a, b], () => false)).toBeUndefined();
  });
});

describe('placementStyle', () => {
  it('anchors the named spots to their nearest edges', () => {
    const [br, , tr] = panelCandidates('compact', compact, viewport);
    if (!br || !tr) throw new Error('no candidates');
    expect(placementStyle(br, viewport)).toEqual({ right: M, bottom: M });
    expect(placementStyle(tr, viewport)).toEqual({ right: M, top: M });
  });
});
