import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInSignatures, globalExclusions, toolFamilies } from '../../lib/catalogue';
import { exclusionSchema, regexProblem, signatureSchema, toolFamilySchema } from '../../lib/catalogue/schema';

/** Catalogue hygiene: valid data, unique ids, sources, and fixtures for every signature. */

describe('built-in catalogue', () => {
  it.each(toolFamilies.map((f) => [f.tool.id, f]))('%s passes the schema unchanged', (_id, family) => {
    const parsed = toolFamilySchema.safeParse(family);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    // Data files spell out every default, so what ships is exactly what was reviewed.
    expect(parsed.data).toEqual(family);
  });

  it('has unique tool ids and signature ids', () => {
    const toolIds = toolFamilies.map((f) => f.tool.id);
    const signatureIds = builtInSignatures.map((s) => s.id);
    expect(new Set(toolIds).size).toBe(toolIds.length);
    expect(new Set(signatureIds).size).toBe(signatureIds.length);
  });

  it('covers the tools the domain notes require', () => {
    expect(toolFamilies.map((f) => f.tool.id)).toEqual(
      expect.arrayContaining(['optimiserx', 'scriptswitch']),
    );
  });

  it('gives every tool and signature public https sources', () => {
    for (const family of toolFamilies) {
      expect(family.tool.sources.length).toBeGreaterThan(0);
      for (const signature of family.signatures) expect(signature.sources.length).toBeGreaterThan(0);
    }
    const urls = toolFamilies.flatMap((f) => [...f.tool.sources, ...f.signatures.flatMap((s) => s.sources)]);
    for (const source of urls) expect(source.url).toMatch(/^https:\/\//);
  });

  it.each(builtInSignatures.map((s) => [s.id]))('%s has positive and negative fixtures', (id) => {
    const dir = join(__dirname, '../fixtures/signatures', id);
    expect(existsSync(dir)).toBe(true);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.startsWith('positive-')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith('negative-')).length).toBeGreaterThan(0);
  });

  it('needs more than one weak cue: no single non-documented evidence reaches a threshold', () => {
    for (const signature of builtInSignatures) {
      for (const evidence of signature.evidence) {
        if (evidence.basis === 'inferred') expect(evidence.weight).toBeLessThan(signature.threshold);
      }
    }
  });

  it('keeps the false-positive traps as global exclusions', () => {
    const ids = globalExclusions.map((e) => e.id);
    expect(ids).toEqual(
      expect.arrayContaining(['emis-prescribing-decision-support', 'optimizerx-us-namesake']),
    );
    for (const exclusion of globalExclusions) expect(exclusionSchema.safeParse(exclusion).success).toBe(true);
  });
});

describe('signature schema', () => {
  const base = {
    id: 'practice-nudge',
    toolId: 'formulary-nudge',
    description: 'A practice-defined signature',
    threshold: 0.8,
    evidence: [{ kind: 'attribute', name: 'data-vendor', contains: 'nudge', weight: 0.5, basis: 'inferred' }],
  };

  it('accepts a minimal practice signature and fills defaults', () => {
    const parsed = signatureSchema.parse(base);
    expect(parsed.exclusions).toEqual([]);
  });

  it('refuses an unreachable threshold, naming the field', () => {
    const result = signatureSchema.safeParse({ ...base, threshold: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['threshold']);
  });

  it('refuses positional selectors', () => {
    const result = signatureSchema.safeParse({
      ...base,
      evidence: [{ kind: 'selector', selector: 'div > p:nth-child(3)', weight: 0.6, basis: 'inferred' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/positional/);
  });

  it('refuses a bad id with the reason', () => {
    const result = signatureSchema.safeParse({ ...base, id: 'Bad Id!' });
    expect(result.error?.issues[0]?.path).toEqual(['id']);
  });

  it.each([
    ['(a)\\1', /back-references/],
    ['(?<n>a)\\k<n>', /named groups are not supported/],
    ['(a)\\k<n>', /back-references/],
    ['(?=a)b', /look-ahead/],
    ['(?<!a)b', /look-ahead and look-behind/],
    ['\\u00e9', /\\x\{00e9\}/],
    ['[a', /missing closing \]/],
    ['(?:a{0,30}){0,30}', /too complex/],
  ])('refuses regex %s the linear-time engine cannot run, naming the field and reason', (value, reason) => {
    expect(regexProblem(value)).toMatch(reason);
    const result = signatureSchema.safeParse({
      ...base,
      evidence: [{ kind: 'brand', text: { match: 'regex', value }, weight: 0.6, basis: 'inferred' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['evidence', 0, 'text', 'value']);
    expect(result.error?.issues[0]?.message).toMatch(reason);
  });

  // Catastrophic on a backtracking engine, harmless on RE2: accepted now (the fuzz suite times them).
  it.each(['(a+)+$', '(x|x?)*y', '(.*a){20}', '(\\w+\\s?)*$', '.{0,30}.{0,30}.{0,30}.{0,30}.{0,30}x'])(
    'accepts %s: it runs on the linear-time engine',
    (value) => {
      expect(regexProblem(value)).toBeUndefined();
    },
  );

  it.each(['\\bscript ?switch\\b', 'formulary (nudge|hint)', '^advice$'])(
    'accepts safe regex %s',
    (value) => {
      expect(regexProblem(value)).toBeUndefined();
    },
  );
});
