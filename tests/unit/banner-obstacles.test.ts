import { afterEach, describe, expect, it } from 'vitest';
import {
  collectObstacles,
  INTERACTIVE_SELECTOR,
  LARGE_CONTAINER_SHARE,
  MODAL_SELECTOR,
  OBSTACLE_PADDING,
  PROMPT_LIKE_SELECTOR,
  prefilterSelector,
} from '../../entrypoints/banner.content/obstacles';
import type { Rect, Size } from '../../lib/placement';

afterEach(() => {
  document.body.innerHTML = '';
});

/**
 * The straightforward version (two full-selector passes per root, every open shadow
 * root found by querySelectorAll('*')), kept here as the reference the faster one must
 * match exactly, order included.
 */
function referenceObstacles(doc: Document, ownHost: Element | undefined, viewport: Size): Rect[] {
  const visibleRect = (element: Element): Rect | undefined => {
    const box = element.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return undefined;
    if (box.right <= 0 || box.bottom <= 0 || box.left >= viewport.width || box.top >= viewport.height)
      return undefined;
    const check = (element as Element & { checkVisibility?(o?: object): boolean }).checkVisibility;
    if (check && !check.call(element, { visibilityProperty: true })) return undefined;
    return {
      left: box.left - OBSTACLE_PADDING,
      top: box.top - OBSTACLE_PADDING,
      width: box.width + 2 * OBSTACLE_PADDING,
      height: box.height + 2 * OBSTACLE_PADDING,
    };
  };
  const roots: ParentNode[] = [doc];
  const visit = (root: ParentNode) => {
    for (const element of root.querySelectorAll('*')) {
      if (element === ownHost) continue;
      if (element.shadowRoot) {
        roots.push(element.shadowRoot);
        visit(element.shadowRoot);
      }
    }
  };
  visit(doc);
  const rects: Rect[] = [];
  const area = viewport.width * viewport.height;
  for (const root of roots) {
    for (const element of root.querySelectorAll(`${INTERACTIVE_SELECTOR},${MODAL_SELECTOR}`)) {
      if (element === ownHost) continue;
      const rect = visibleRect(element);
      if (rect) rects.push(rect);
    }
    for (const element of root.querySelectorAll(PROMPT_LIKE_SELECTOR)) {
      if (element === ownHost) continue;
      const rect = visibleRect(element);
      if (rect && rect.width * rect.height <= area * LARGE_CONTAINER_SHARE) rects.push(rect);
    }
  }
  return rects;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '<button type="button">Issue</button>',
  '<a href="#x">Link</a>',
  '<a>Not a link</a>',
  '<input type="hidden">',
  '<input type="checkbox">',
  '<select><option>1</option></select>',
  '<textarea></textarea>',
  '<details><summary>More</summary></details>',
  '<div role="button">Role button</div>',
  '<div role="dialog" aria-label="Prompt">Dialog</div>',
  '<div aria-modal="true">Modal</div>',
  '<div tabindex="0">Focusable</div>',
  '<div tabindex="-1">Focus target</div>',
  '<div contenteditable="true">Edit</div>',
  '<div contenteditable="false">No edit</div>',
  '<aside>Aside</aside>',
  '<section aria-label="Results">Section</section>',
  '<section>Plain section</section>',
  '<div role="region" aria-label="Region">Region</div>',
  '<div role="region">Unlabelled region</div>',
  '<div role="status">Status</div>',
  '<aside role="dialog"><button type="button">Both</button></aside>',
  '<span>Text</span>',
  '<p>Para</p>',
  '<video controls></video>',
  '<video></video>',
];

const VIEWPORT: Size = { width: 1280, height: 800 };

/** A page of random fragments (some inside open shadow roots), with random boxes. */
function buildPage(seed: number): { host: Element } {
  const rnd = random(seed);
  const pick = () => FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)] ?? '';
  document.body.innerHTML = Array.from({ length: 60 }, pick).join('');
  for (let i = 0; i < 3; i++) {
    const shadowHost = document.createElement(i === 0 ? 'div' : `x-widget-${i}`);
    const shadow = shadowHost.attachShadow({ mode: 'open' });
    shadow.innerHTML = Array.from({ length: 10 }, pick).join('');
    if (i === 2) {
      // A shadow root inside a shadow root.
      const inner = document.createElement('x-inner');
      inner.attachShadow({ mode: 'open' }).innerHTML = Array.from({ length: 5 }, pick).join('');
      shadow.append(inner);
    }
    document.body.insertBefore(shadowHost, document.body.children[Math.floor(rnd() * 40)] ?? null);
  }
  // The banner's own host, with controls in its shadow root: never an obstacle.
  const host = document.createElement('mo-advisor-banner');
  host.attachShadow({ mode: 'open' }).innerHTML =
    '<section aria-label="Banner"><button>Dismiss</button></section>';
  document.body.append(host);

  const boxes = new Map<Element, DOMRect>();
  const hidden = new Set<Element>();
  const all = (root: ParentNode): Element[] =>
    [...root.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e, ...all(e.shadowRoot)] : [e]));
  for (const element of all(document)) {
    const r = rnd();
    // Off screen (most of a long record), empty, huge, or an ordinary on-screen box.
    const [left, top, width, height] =
      r < 0.45
        ? [rnd() * 1200, 900 + rnd() * 5000, 80, 24]
        : r < 0.5
          ? [10, 10, 0, 20]
          : r < 0.55
            ? [0, 0, 1280, 800]
            : r < 0.6
              ? [-200, rnd() * 700, 150, 30]
              : [rnd() * 1300 - 20, rnd() * 820 - 10, 10 + rnd() * 500, 10 + rnd() * 400];
    boxes.set(element, new DOMRect(left, top, width, height));
    if (rnd() < 0.1) hidden.add(element);
  }
  for (const [element, box] of boxes) {
    Object.defineProperty(element, 'getBoundingClientRect', { value: () => box, configurable: true });
    Object.defineProperty(element, 'checkVisibility', {
      value: () => !hidden.has(element),
      configurable: true,
    });
  }
  return { host };
}

describe('obstacles the banner must keep clear of', () => {
  it('the prefilter is derived from every selector part (no fallback to the full lists)', () => {
    const prefilter = prefilterSelector(INTERACTIVE_SELECTOR, MODAL_SELECTOR, PROMPT_LIKE_SELECTOR);
    expect(prefilter.split(',').length).toBeLessThan(25);
    for (const key of prefilter.split(',')) expect(key).toMatch(/^([a-z]+|\[[a-z-]+\])$/);
    expect(prefilter).toContain('[role]');
    expect(prefilter).toContain('button');
  });

  it('the prefilter falls back to the full lists for a part it cannot reduce', () => {
    for (const odd of ['.toolbar button', 'div > button', '*[data-x]', ':is(a, b)', '[aria-label="a b"]']) {
      expect(prefilterSelector('button', odd)).toBe(`button,${odd}`);
    }
    expect(prefilterSelector('input:not([type="hidden"]),[role="tab"]', 'section[aria-label]')).toBe(
      'input,[role],section',
    );
  });

  it('the prefilter matches every element the full selectors match', () => {
    buildPage(1);
    const prefilter = prefilterSelector(INTERACTIVE_SELECTOR, MODAL_SELECTOR, PROMPT_LIKE_SELECTOR);
    const full = `${INTERACTIVE_SELECTOR},${MODAL_SELECTOR},${PROMPT_LIKE_SELECTOR}`;
    const matched = [...document.querySelectorAll(full)];
    expect(matched.length).toBeGreaterThan(20);
    for (const element of matched) expect(element.matches(prefilter), element.outerHTML).toBe(true);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'finds exactly what the straightforward search finds (page %i)',
    (seed) => {
      const { host } = buildPage(seed);
      const expected = referenceObstacles(document, host, VIEWPORT);
      expect(expected.length).toBeGreaterThan(5);
      expect(collectObstacles(document, host, VIEWPORT)).toEqual(expected);
    },
  );
});
