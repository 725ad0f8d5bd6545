import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import { signatureSchema } from '../../lib/catalogue/schema';
import { compileCatalogue } from '../../lib/content/detect/compile';
import {
  openShadowRoot,
  type RawHit,
  scan,
  searchSmallTree,
  searchTree,
} from '../../lib/content/detect/scan';
import { createWatcher } from '../../lib/content/detect/watcher';
import { loadFixture } from '../support/fixtures';

/**
 * The engine finds evidence two ways: a whole tree with one query per evidence kind and
 * a walk (page load, re-scores), a small inserted tree with a few combined queries (the
 * watcher's rows and prompts). Both must find exactly the same evidence.
 */

const FIXTURES = join(__dirname, '../fixtures');
const practiceSignature = signatureSchema.parse({
  id: 'practice-widget',
  toolId: 'practice-tool',
  description: 'A practice-defined widget',
  threshold: 0.8,
  evidence: [
    { kind: 'selector', selector: '[data-widget="mo"]', weight: 0.5, basis: 'inferred' },
    { kind: 'attribute', name: 'data-vendor-id', contains: 'ACME', weight: 0.4, basis: 'inferred' },
    { kind: 'url', elements: ['a', 'img'], contains: 'acme.example', weight: 0.4, basis: 'inferred' },
  ],
  exclusions: [],
  sources: [],
});
const catalogue = compileCatalogue([...builtInSignatures, practiceSignature], globalExclusions, document);

const allFixtures = [
  ...builtInSignatures.flatMap((s) =>
    readdirSync(join(FIXTURES, 'signatures', s.id)).map((f) => join(FIXTURES, 'signatures', s.id, f)),
  ),
  ...readdirSync(join(FIXTURES, 'negatives')).map((f) => join(FIXTURES, 'negatives', f)),
];

/** Hits as comparable keys: which probe, on which element (by position in the walk). */
function keysOf(hits: RawHit[], order: Map<Element, number>): string[] {
  return [
    ...new Set(
      hits.map((h) => `${h.signatureIndex}/${h.evidenceIndex}@${order.get(h.element)}:${h.label ?? ''}`),
    ),
  ].sort();
}

function elementOrder(root: Element): Map<Element, number> {
  const order = new Map<Element, number>();
  const visit = (node: Element | ShadowRoot) => {
    if (node instanceof Element) order.set(node, order.size);
    for (const child of node.children) {
      visit(child);
      if (child.shadowRoot) visit(child.shadowRoot);
    }
  };
  visit(root);
  return order;
}

function bothWays(root: Element) {
  const whole = searchTree(catalogue, root, openShadowRoot);
  const small = searchSmallTree(catalogue, root, openShadowRoot, Number.POSITIVE_INFINITY);
  const order = elementOrder(root);
  return {
    whole: keysOf(whole.hits, order),
    small: keysOf(small?.hits ?? [], order),
    shadows: [whole.shadowRoots.length, small?.shadowRoots.length],
  };
}

describe('whole-tree and small-tree search agree', () => {
  it.each(allFixtures.map((p) => [p.split('/').slice(-2).join('/'), p]))('on %s', (_name, path) => {
    const body = loadFixture(path as string).body;
    const { whole, small, shadows } = bothWays(body);
    expect(small).toEqual(whole);
    expect(shadows[1]).toBe(shadows[0]);
  });

  it('on random trees of candidates, tokens, labels, roles and shadow hosts', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const TAGS = [
      'div',
      'span',
      'section',
      'td',
      'li',
      'h2',
      'h4',
      'button',
      'input',
      'img',
      'iframe',
      'a',
      'x-card',
      'legend',
      'p',
    ];
    const ATTRS: [string, string][] = [
      ['class', 'row ss-ScriptSwitch-panel'],
      ['class', 'plain'],
      ['id', 'optimise-rx-1'],
      ['aria-label', 'ScriptSwitch recommendation'],
      ['aria-label', 'Select drug'],
      ['role', 'heading'],
      ['role', 'button'],
      ['role', 'dialog'],
      ['type', 'submit'],
      ['type', 'image'],
      ['alt', 'OptimiseRx logo'],
      ['title', 'ScriptSwitch'],
      ['src', 'https://scriptswitch.example/widget'],
      ['href', 'https://acme.example/x'],
      ['data-vendor', 'ScriptSwitch'],
      ['data-vendor-id', 'acme-7'],
      ['data-widget', 'mo'],
      ['value', 'Accept'],
    ];
    const TEXTS = [
      'Accept',
      'Edit Original',
      'Prescribe Original',
      'ScriptSwitch',
      'OptimiseRx',
      'Amlodipine',
      'Issue',
      '',
    ];
    // A control's label made of more than its own text node: an icon, a picture, a hidden
    // or unshown part, a line break, a label attribute. Both ways must read each alike.
    const LABELS = [
      '<span aria-hidden="true">✓</span> Accept',
      '<img alt="Accept" src="x.png">',
      'Acc<span hidden>x</span>ept',
      'Acc<style>.x{}</style>ept',
      'Edit<br>Original',
      'Edit-Original',
      '<i class="icon">\ue001</i>Prescribe Original',
      '<svg><title>Accept</title></svg>',
      '<input type="image" alt="Accept">',
      '<span>Script</span><span>Switch</span>',
      'ＡＣＣＥＰＴ',
    ];
    const build = (parent: Element | ShadowRoot, depth: number) => {
      const count = depth > 3 ? 0 : 1 + Math.floor(rand() * 4);
      for (let i = 0; i < count; i++) {
        const el = document.createElement(pick(TAGS));
        for (let a = Math.floor(rand() * 3); a > 0; a--) {
          const [name, value] = pick(ATTRS);
          el.setAttribute(name, value);
        }
        if (['button', 'legend'].includes(el.localName) && rand() < 0.5) {
          el.innerHTML = pick(LABELS);
          if (rand() < 0.2) el.setAttribute(pick(['aria-label', 'title']), pick(TEXTS));
        } else if (el.localName !== 'input' && el.localName !== 'img' && el.localName !== 'iframe') {
          el.append(pick(TEXTS));
          if ((el.localName === 'div' || el.localName === 'x-card') && rand() < 0.2)
            build(el.attachShadow({ mode: 'open' }), depth + 1);
          build(el, depth + 1);
        }
        parent.append(el);
      }
    };
    for (let round = 0; round < 300; round++) {
      const root = document.createElement(pick(['div', 'section', 'tr', 'x-panel']));
      build(root, 0);
      document.body.replaceChildren(root);
      const { whole, small, shadows } = bothWays(root);
      expect(small, root.outerHTML).toEqual(whole);
      expect(shadows[1]).toBe(shadows[0]);
    }
  });

  // Labels made of more than a control's own text node: each is found by both ways.
  it.each([
    ['an icon beside the label', '<span aria-hidden="true">✓</span> Accept', ''],
    ['a picture as the label', '<img alt="Accept" src="x.png">', ''],
    ['an image button as the label', '<input type="image" alt="Accept">', ''],
    ['a hidden part inside the word', 'Acc<span hidden>x</span>ept', ''],
    ['an aria-hidden part inside the word', 'Acc<span aria-hidden="true">x</span>ept', ''],
    ['a style sheet inside the word', 'Acc<style>.x{}</style>ept', ''],
    ['a label attribute', '<span>Go</span>', 'aria-label="Accept"'],
    ['a title on an empty control', '', 'title="Accept"'],
    ['words broken by a line', 'Edit<br>Original', ''],
    ['the label in capitals', 'PRESCRIBE   ORIGINAL', ''],
  ])('on a row whose control has %s', (_name, label, attributes) => {
    const table = document.createElement('table');
    table.innerHTML = `<tbody><tr><td>Amlodipine 5 mg</td><td><button ${attributes}>${label}</button> <button>Issue</button></td></tr></tbody>`;
    document.body.replaceChildren(table);
    const row = table.querySelector('tr') as Element;
    const { whole, small } = bothWays(row);
    expect(small).toEqual(whole);
    expect(whole.length).toBeGreaterThan(0);
  });

  it.each([
    ['words joined by a hyphen', 'Edit-Original'],
    ['words in two elements', '<span>Edit</span><span>Original</span>'],
    ['wide letters', 'ＡＣＣＥＰＴ'],
  ])('on a row whose control has %s (read alike, found or not)', (_name, label) => {
    const table = document.createElement('table');
    table.innerHTML = `<tbody><tr><td>Amlodipine</td><td><button>${label}</button></td></tr></tbody>`;
    document.body.replaceChildren(table);
    const { whole, small } = bothWays(table.querySelector('tr') as Element);
    expect(small).toEqual(whole);
  });

  it('hands a tree with many possible shadow hosts back to the whole-tree search', () => {
    const root = document.createElement('div');
    root.innerHTML = '<div></div>'.repeat(20);
    expect(searchSmallTree(catalogue, root, openShadowRoot, 10)).toBeUndefined();
    expect(searchSmallTree(catalogue, root, openShadowRoot, 30)).toBeDefined();
  });
});

describe('the watcher finds an inserted prompt as a page load would', () => {
  afterEach(() => document.body.replaceChildren());

  it.each(allFixtures.map((p) => [p.split('/').slice(-2).join('/'), p]))('%s', (_name, path) => {
    const fixture = loadFixture(path as string);
    const ctx = { pageUrl: document.location.href, documentTitle: document.title };
    const expected = scan(catalogue, fixture, ctx).map((f) => f.signatureId);

    document.body.replaceChildren();
    const watcher = createWatcher({
      document,
      catalogue,
      onChange: () => undefined,
      scheduler: { now: () => 0, later: () => () => undefined },
    });
    watcher.start();
    // Shadow content is attached before insertion, as a component would.
    for (const child of [...fixture.body.children]) {
      const copy = document.importNode(child, true);
      const hosts = [copy, ...copy.querySelectorAll('[data-shadow]')].filter((e) =>
        e.hasAttribute('data-shadow'),
      );
      for (const host of hosts)
        host.attachShadow({ mode: 'open' }).innerHTML = host.getAttribute('data-shadow') ?? '';
      document.body.append(copy);
    }
    return Promise.resolve().then(() => {
      watcher.flush();
      expect(watcher.findings().map((f) => f.signatureId)).toEqual(expected);
      watcher.stop();
    });
  });
});
