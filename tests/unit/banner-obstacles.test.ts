import { afterEach, describe, expect, it, vi } from 'vitest';
import { coarseFirst, newProbeCache, probeRect, stillFree } from '../../entrypoints/banner.content/obstacles';
import { GRID_STEP, gridPoints, type Rect, type Size } from '../../lib/content/placement';

/**
 * probeRect against a page whose geometry the test sets: happy-dom has no layout, so
 * every element gets a box and the document a hit test (topmost = added last).
 */

const viewport: Size = { width: 1280, height: 800 };
const boxes = new Map<Element, Rect>();

function place<T extends Element>(el: T, r: Rect): T {
  boxes.set(el, r);
  el.getBoundingClientRect = () => new DOMRect(r.left, r.top, r.width, r.height);
  return el;
}

function add(html: string, r: Rect, parent: Element = document.body): HTMLElement {
  const t = document.createElement('template');
  t.innerHTML = html.trim();
  const el = t.content.firstElementChild as HTMLElement;
  parent.append(el);
  return place(el, r);
}

const hitTests = vi.fn((x: number, y: number): Element[] => {
  const hits = [...boxes].filter(
    ([el, r]) => el.isConnected && x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height,
  );
  return hits.map(([el]) => el).reverse();
});

Object.defineProperty(document, 'elementsFromPoint', { value: hitTests, configurable: true });
Object.defineProperty(document, 'elementFromPoint', {
  value: (x: number, y: number) => hitTests(x, y)[0] ?? null,
  configurable: true,
});

afterEach(() => {
  boxes.clear();
  hitTests.mockClear();
  document.body.innerHTML = '';
});

const corner: Rect = { left: 852, top: 592, width: 420, height: 200 };

describe('probeRect: what lies under a candidate place', () => {
  it('free over plain text; not free over a button, a link, a field or a same-page control role', () => {
    add('<p>Journal entry</p>', { left: 800, top: 560, width: 480, height: 240 });
    expect(probeRect(document, corner, undefined, viewport).free).toBe(true);
    for (const html of [
      '<button>Issue</button>',
      '<a href="#x">Results</a>',
      '<input>',
      '<div role="tab">Tab</div>',
    ]) {
      const el = add(html, { left: 1000, top: 700, width: 60, height: 24 });
      expect(probeRect(document, corner, undefined, viewport).free, html).toBe(false);
      el.remove();
    }
  });

  it('finds a control smaller than the grid through the small element it sits in', () => {
    const cell = add('<td></td>', { left: 900, top: 650, width: 80, height: 30 });
    // A 6×6 checkbox placed between two grid points: no point lands on it.
    const points = gridPoints(corner);
    const gapX = (points[0]?.x ?? 0) + GRID_STEP / 2 - 3;
    const box = place(document.createElement('input'), { left: gapX, top: 651.5, width: 6, height: 6 });
    boxes.delete(box); // not hit-testable at any grid point
    cell.append(box);
    expect(probeRect(document, corner, undefined, viewport).free).toBe(false);
    box.remove();
    expect(probeRect(document, corner, undefined, viewport).free).toBe(true);
  });

  it('a small dialog or prompt panel is an obstacle for a panel, but not for the tab (only its controls are)', () => {
    add('<aside aria-label="OptimiseRx">Formulary message</aside>', {
      left: 700,
      top: 500,
      width: 500,
      height: 300,
    });
    expect(probeRect(document, corner, undefined, viewport).free).toBe(false);
    expect(probeRect(document, corner, undefined, viewport, newProbeCache(), false, false).free).toBe(true);
  });

  it('a container filling most of the screen is layout: only its controls count', () => {
    add('<div role="dialog" aria-label="Screen">Text</div>', { left: 0, top: 0, width: 1280, height: 800 });
    expect(probeRect(document, corner, undefined, viewport).free).toBe(true);
  });

  it("a control under the page's own backdrop still counts; the backdrop of a modal <dialog> does not", () => {
    add('<button>Sign out</button>', { left: 1100, top: 700, width: 80, height: 30 });
    add('<div class="backdrop"></div>', { left: 0, top: 0, width: 1280, height: 800 });
    expect(probeRect(document, corner, undefined, viewport).free).toBe(false);
    document.body.innerHTML = '';
    boxes.clear();
    const dialog = add('<dialog open>Hi <button>OK</button></dialog>', {
      left: 500,
      top: 300,
      width: 200,
      height: 100,
    });
    // Outside its box, hit tests answer with the dialog itself (its ::backdrop).
    hitTests.mockImplementation((x, y) => {
      const inside = x >= 500 && x < 700 && y >= 300 && y < 400;
      return inside ? [dialog] : [dialog, document.body];
    });
    try {
      expect(probeRect(document, corner, undefined, viewport).free).toBe(true);
    } finally {
      hitTests.mockReset();
      hitTests.mockImplementation((x: number, y: number) =>
        [...boxes]
          .filter(
            ([el, r]) =>
              el.isConnected && x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height,
          )
          .map(([el]) => el)
          .reverse(),
      );
    }
  });

  it("skips the banner's own host, and collects what lies under the place when asked to", () => {
    const own = add('<mo-advisor-banner></mo-advisor-banner>', corner);
    const row = add('<div class="row">Text</div>', { left: 800, top: 600, width: 480, height: 40 });
    const probe = probeRect(document, corner, own, viewport, newProbeCache(), true);
    expect(probe.free).toBe(true);
    expect(probe.under.has(row)).toBe(true);
    expect(probe.under.has(own)).toBe(false);
  });

  it('costs the same on a page of 10 or 10,000 controls away from the place: no page-wide query', () => {
    const spy = vi.spyOn(document, 'querySelectorAll');
    const measure = () => {
      hitTests.mockClear();
      const probe = probeRect(document, corner, undefined, viewport);
      return { free: probe.free, points: probe.points, hitTests: hitTests.mock.calls.length };
    };
    for (let i = 0; i < 10; i++) add('<button>x</button>', { left: 10, top: 10 + i, width: 10, height: 10 });
    const small = measure();
    for (let i = 0; i < 10_000; i++) {
      const b = document.createElement('button');
      document.body.append(b); // no box: never hit
    }
    const large = measure();
    expect(large).toEqual(small);
    expect(small.free).toBe(true);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('tests the grid coarse to fine: a control near the far edge refuses the place in a few hit tests', () => {
    // A page of text under the whole place (the root and body too large to search for
    // controls), and a button near the place's bottom edge.
    const page = { left: 0, top: 0, width: 1280, height: 800 };
    place(document.documentElement, page);
    place(document.body, page);
    try {
      add('<p>Journal entry</p>', { left: 0, top: 0, width: 1280, height: 800 });
      add('<button>Issue</button>', { left: 1100, top: 760, width: 60, height: 24 });
      const probe = probeRect(document, corner, undefined, viewport);
      expect(probe.free).toBe(false);
      // Row by row from the top it took a hit test for point after point above the button (325 here).
      expect(probe.points).toBeLessThan(gridPoints(corner).length / 4);
    } finally {
      Reflect.deleteProperty(document.body, 'getBoundingClientRect');
      Reflect.deleteProperty(document.documentElement, 'getBoundingClientRect');
    }
  });

  it('coarse to fine keeps every grid point, once', () => {
    for (const rect of [
      corner,
      { left: 0, top: 0, width: 40, height: 600 },
      { left: 5, top: 5, width: 1, height: 1 },
    ]) {
      const all = gridPoints(rect);
      const ordered = coarseFirst(all);
      expect(ordered).toHaveLength(all.length);
      expect(new Set(ordered)).toEqual(new Set(all));
    }
  });

  it('within one layout, a candidate over a control already found is refused without a hit test', () => {
    add('<button>Issue</button>', { left: 1000, top: 700, width: 60, height: 24 });
    const cache = newProbeCache();
    expect(probeRect(document, corner, undefined, viewport, cache).free).toBe(false);
    hitTests.mockClear();
    // Slid up the edge, still over the button.
    const slid = probeRect(document, { ...corner, top: corner.top - 24 }, undefined, viewport, cache);
    expect(slid.free).toBe(false);
    expect(slid.points).toBe(0);
    expect(hitTests).not.toHaveBeenCalled();
    // Clear of it, the candidate is hit-tested as usual.
    expect(probeRect(document, { ...corner, left: 8 }, undefined, viewport, cache).free).toBe(true);
    expect(hitTests).toHaveBeenCalled();
  });

  it('a prompt panel found for the compact panel does not refuse the tab (only controls do)', () => {
    add('<aside aria-label="OptimiseRx">Formulary message</aside>', {
      left: 900,
      top: 600,
      width: 200,
      height: 100,
    });
    const cache = newProbeCache();
    expect(probeRect(document, corner, undefined, viewport, cache, false, true).free).toBe(false);
    const tab = { left: 1000, top: 650, width: 80, height: 30 };
    expect(probeRect(document, tab, undefined, viewport, cache, false, false).free).toBe(true);
  });
});

describe('stillFree: a re-check told from the elements under the banner', () => {
  const rect: Rect = { left: 852, top: 592, width: 420, height: 120 };

  function freePlace() {
    const cell = add('<td>Amlodipine</td>', { left: 840, top: 600, width: 300, height: 30 });
    const text = add('<p>Journal</p>', { left: 840, top: 630, width: 440, height: 100 });
    const probe = probeRect(document, rect, undefined, viewport, newProbeCache(), true);
    expect(probe.free).toBe(true);
    return { cell, text, hits: probe.hits };
  }

  it('is certain when nothing under it moved and no change reaches into it', () => {
    const { hits } = freePlace();
    const far = add('<tr><td><button>Issue</button></td></tr>', {
      left: 0,
      top: 2000,
      width: 1280,
      height: 30,
    });
    expect(hits?.size).toBeGreaterThan(0);
    expect(stillFree(rect, hits, [far, document.createTextNode('x')])).toBe(true);
  });

  it('stays certain when an element under it only grew outside the place', () => {
    const { text, hits } = freePlace();
    place(text, { left: 840, top: 630, width: 440, height: 5000 });
    expect(stillFree(rect, hits, [])).toBe(true);
  });

  it('is not certain when an element under it moved, went, or a change reaches into it', () => {
    const first = freePlace();
    place(first.cell, { left: 840, top: 640, width: 300, height: 30 }); // a row inserted above
    expect(stillFree(rect, first.hits, [])).toBeUndefined();
    document.body.innerHTML = '';
    boxes.clear();

    const second = freePlace();
    second.cell.remove();
    expect(stillFree(rect, second.hits, [])).toBeUndefined();
    document.body.innerHTML = '';
    boxes.clear();

    const third = freePlace();
    const toast = add('<div class="toast"><button>Undo</button></div>', {
      left: 1100,
      top: 680,
      width: 160,
      height: 40,
    });
    expect(stillFree(rect, third.hits, [toast])).toBeUndefined();
  });

  it('is never certain without a record of what lay there', () => {
    expect(stillFree(rect, undefined, [])).toBeUndefined();
    expect(stillFree(rect, new Map(), [])).toBeUndefined();
  });
});
