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
      '',
    ];
    const build = (parent: Element | ShadowRoot, depth: number) => {
      const count = depth > 3 ? 0 : 1 + Math.floor(rand() * 4);
      for (let i = 0; i < count; i++) {
        const el = document.createElement(pick(TAGS));
        for (let a = Math.floor(rand() * 3); a > 0; a--) {
          const [name, value] = pick(ATTRS);
          el.setAttribute(name, value);
        }
        if (el.localName !== 'input' && el.localName !== 'img' && el.localName !== 'iframe') {
          el.append(pick(TEXTS));
          if ((el.localName === 'div' || el.localName === 'x-card') && rand() < 0.2)
            build(el.attachShadow({ mode: 'open' }), depth + 1);
          build(el, depth + 1);
        }
        parent.append(el);
      }
    };
    for (let round = 0; round < 150; round++) {
      const root = document.createElement(pick(['div', 'section', 'tr', 'x-panel']));
      build(root, 0);
      document.body.replaceChildren(root);
      const { whole, small, shadows } = bothWays(root);
      expect(small, root.outerHTML).toEqual(whole);
      expect(shadows[1]).toBe(shadows[0]);
    }
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
