import { describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import { signatureSchema } from '../../lib/catalogue/schema';
import { compileCatalogue } from '../../lib/content/detect/compile';
import {
  attributesOfSelector,
  GENERIC_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_ATTRIBUTES,
  PROMPT_CONTAINER_SELECTOR,
  STRONG_PROMPT_SELECTOR,
} from '../../lib/dom-vocabulary';

/** The test's own reading of a selector's attribute names (independent of the module's). */
function attributeNames(selector: string): string[] {
  const names: string[] = [];
  let quote = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') names.push(/^\s*([\w-]+)/.exec(selector.slice(i + 1))?.[1]?.toLowerCase() ?? '');
  }
  return names;
}

const practiceSelector = signatureSchema.parse({
  id: 'practice-nudge',
  toolId: 'practice-nudge',
  description: 'A practice-taught prompt found by a selector',
  threshold: 0.5,
  evidence: [
    {
      kind: 'selector',
      selector: 'div[data-nudge-panel="a]b"] > [data-state]',
      weight: 0.6,
      basis: 'inferred',
    },
  ],
});

describe('DOM vocabulary', () => {
  it('reads the attribute names a selector tests, not brackets inside quoted values', () => {
    expect(attributesOfSelector('section[aria-label],:not([type="hidden"]),[title="x[role]"]')).toEqual([
      'aria-label',
      'type',
      'title',
    ]);
    expect(attributeNames('a[data-x="]["] [Role=dialog]')).toEqual(['data-x', 'role']);
  });

  it('derives the container attributes from the container selectors', () => {
    expect([...PROMPT_CONTAINER_ATTRIBUTES].sort()).toEqual(
      ['aria-label', 'aria-labelledby', 'aria-live', 'aria-modal', 'popover', 'role'].sort(),
    );
  });

  it('the watcher observes every attribute the selectors use', () => {
    const catalogue = compileCatalogue([...builtInSignatures, practiceSelector], globalExclusions, document);
    expect(catalogue.rejected).toEqual([]);
    const selectors = [
      PROMPT_CONTAINER_SELECTOR,
      STRONG_PROMPT_SELECTOR,
      GENERIC_CONTAINER_SELECTOR,
      ...catalogue.queries.map((q) => q.selector),
      catalogue.candidateSelector,
      catalogue.smallTreeSelector,
      catalogue.textEvidenceSelector,
    ];
    const used = new Set(selectors.flatMap(attributeNames));
    // A vacuous pass would prove nothing: the selectors do test these.
    for (const name of ['role', 'aria-live', 'aria-label', 'class', 'data-nudge-panel', 'data-state'])
      expect(used).toContain(name);
    const watched = new Set(catalogue.watchedAttributes);
    expect([...used].filter((name) => !watched.has(name))).toEqual([]);
  });
});
