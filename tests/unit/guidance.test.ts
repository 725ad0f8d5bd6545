import { describe, expect, it } from 'vitest';
import { builtInTools } from '../../lib/catalogue';
import {
  guidance,
  guidanceAnchorFor,
  guidanceUrlFor,
  NOT_DOCUMENTED,
  toolGuidanceFor,
} from '../../lib/guidance';
import { guidanceSchema, guidanceSourceSchema } from '../../lib/guidance/schema';
import { sources } from '../../lib/guidance/sources';

/** Every [path, value] pair in a JSON-like value. */
function* walk(value: unknown, path: string[] = []): Generator<[string[], unknown]> {
  yield [path, value];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* walk(item, [...path, String(i)]);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* walk(item, [...path, key]);
  }
}

const REVIEW_DATE = '2026-11-24';

describe('guidance data', () => {
  it('passes its schema', () => {
    expect(guidanceSchema.safeParse(guidance).success).toBe(true);
  });

  it('every source passes its schema, also those used outside the guidance (the banner links one directly)', () => {
    // The banner reads sources.ts without zod: this is where its data is checked.
    for (const [key, source] of Object.entries(sources)) {
      expect(guidanceSourceSchema.safeParse(source).success, key).toBe(true);
    }
  });

  it('has only https links, each a well-formed URL', () => {
    const urls = [...walk(guidance)].filter(([path]) => path.at(-1) === 'url').map(([, v]) => v);
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) {
      expect(typeof url).toBe('string');
      expect(url).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
      expect(new URL(url as string).protocol).toBe('https:');
    }
  });

  it('gives every step, tool and link at least one source and a last-reviewed date', () => {
    const items = [...guidance.steps, ...guidance.tools, ...guidance.links];
    expect(items.length).toBe(3 + guidance.tools.length + guidance.links.length);
    for (const item of items) {
      expect(item.sources.length, JSON.stringify(item).slice(0, 80)).toBeGreaterThan(0);
      expect(item.lastReviewed).toBe(REVIEW_DATE);
      for (const source of item.sources) {
        expect(source.title.length).toBeGreaterThan(2);
        expect(source.publisher.length).toBeGreaterThan(1);
        expect(source.accessed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    expect(guidance.lastReviewed).toBe(REVIEW_DATE);
    expect(guidance.lmcPosition.sources.length).toBeGreaterThan(0);
  });

  it('has the three immediate steps of the campaign, with the locally commissioned exception', () => {
    expect(guidance.steps.map((s) => s.id)).toEqual(['mo-software', 'data-sharing', 'icb-letter']);
    const [mo, dsa, letter] = guidance.steps;
    expect(mo?.summary).toMatch(
      /switch off or ignore non-contractual medicines optimisation software for new prescriptions/,
    );
    expect(mo?.exception).toMatch(/locally commissioned service/);
    expect(mo?.exception).toMatch(/Enhanced Service Offer \(ESO\)/);
    expect(dsa?.summary).toMatch(/stop signing new voluntary data sharing agreements .*secondary uses/);
    expect(letter?.summary).toMatch(/template letter .*review of existing automated data extractions/);
  });

  it('has guidance for every built-in tool, under the same name', () => {
    expect(builtInTools.length).toBeGreaterThan(0);
    for (const tool of builtInTools) {
      const g = toolGuidanceFor(tool.id);
      expect(g, `guidance for ${tool.id}`).toBeDefined();
      expect(g?.name).toBe(tool.name);
      expect(g?.systems.length).toBeGreaterThan(0);
    }
  });

  it('marks switch-off steps as not publicly documented unless a source documents them', () => {
    const systems = guidance.tools.flatMap((t) => t.systems);
    for (const s of systems) {
      if (s.switchOff.status === 'documented') {
        expect(s.switchOff.sources.length).toBeGreaterThan(0);
        expect(s.switchOff.steps.length).toBeGreaterThan(0);
      }
    }
    // The domain notes record no public switch-off steps for any system.
    expect(systems.every((s) => s.switchOff.status === 'not-documented')).toBe(true);
    expect(NOT_DOCUMENTED).toBe(
      'Steps not publicly documented: ask your ICB medicines optimisation team or the supplier.',
    );
    const vision = toolGuidanceFor('scriptswitch')?.systems.find((s) => s.system === 'Vision 3');
    expect(vision?.inThePrompt?.text).toMatch(/Prescribe Original saves the prescription as you entered it/);
    expect(vision?.inThePrompt?.sources[0]?.url).toMatch(/^https:\/\/help\.cegedim-healthcare\.co\.uk\//);
  });

  it('links the BMA and LMC pages named in the domain notes', () => {
    const hosts = new Set(guidance.links.map((l) => new URL(l.url).hostname.replace(/^www\./, '')));
    for (const host of [
      'bma.org.uk',
      'blmc.co.uk',
      'wiganlmc.org.uk',
      'kernowlmc.co.uk',
      'nwlmcs.org',
      'sslmcs.co.uk',
      'llrlmc.co.uk',
      'pulsetoday.co.uk',
    ]) {
      expect(hosts, host).toContain(host);
    }
    expect(guidance.links.filter((l) => l.kind === 'bma').length).toBeGreaterThan(0);
    expect(guidance.links.filter((l) => l.kind === 'lmc').length).toBeGreaterThan(3);
  });

  it('has unique ids and anchors', () => {
    const ids = [...guidance.steps.map((s) => s.id), ...guidance.links.map((l) => l.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const tools = guidance.tools.map((t) => t.toolId);
    expect(new Set(tools).size).toBe(tools.length);
  });
});

describe('guidanceUrlFor', () => {
  it('gives the popup anchor of a tool with guidance', () => {
    expect(guidanceUrlFor('scriptswitch')).toBe('popup.html#guidance-scriptswitch');
    expect(guidanceUrlFor('optimiserx')).toBe('popup.html#guidance-optimiserx');
    expect(guidanceAnchorFor('optimiserx')).toBe('guidance-optimiserx');
  });

  it('falls back to the general guidance for tools without their own (e.g. a practice-defined tool)', () => {
    expect(guidanceUrlFor('practice-tool')).toBe('popup.html#guidance');
  });
});

describe('the schema refuses what the guidance may not contain', () => {
  const valid = structuredClone(guidance);

  it('an http link', () => {
    const bad = structuredClone(valid);
    (bad.links[0] as { url: string }).url = 'http://www.bma.org.uk/';
    expect(guidanceSchema.safeParse(bad).success).toBe(false);
  });

  it('an item without sources', () => {
    const bad = structuredClone(valid);
    (bad.steps[0] as { sources: unknown[] }).sources = [];
    expect(guidanceSchema.safeParse(bad).success).toBe(false);
  });

  it('an item without a review date', () => {
    const bad = structuredClone(valid) as unknown as { tools: Record<string, unknown>[] };
    delete bad.tools[0]?.lastReviewed;
    expect(guidanceSchema.safeParse(bad).success).toBe(false);
  });

  it('"documented" switch-off steps without a source', () => {
    const bad = structuredClone(valid) as unknown as { tools: { systems: { switchOff: unknown }[] }[] };
    const system = bad.tools[0]?.systems[0];
    if (system) system.switchOff = { status: 'documented', steps: ['Open the settings.'], sources: [] };
    expect(guidanceSchema.safeParse(bad).success).toBe(false);
  });

  it('a duplicate link id', () => {
    const bad = structuredClone(valid);
    bad.links.push(structuredClone(bad.links[0] as (typeof bad.links)[number]));
    expect(guidanceSchema.safeParse(bad).success).toBe(false);
  });
});

describe('wording (the legal position in the domain notes)', () => {
  /** Text shown to users, minus quotations (a quoted "must" is the source's word, not ours). */
  function shownText(): { path: string; text: string }[] {
    return [...walk(guidance)]
      .filter(
        ([path, v]) =>
          typeof v === 'string' &&
          !['url', 'accessed', 'lastReviewed', 'id', 'toolId', 'kind', 'status'].includes(path.at(-1) ?? ''),
      )
      .map(([path, v]) => ({ path: path.join('.'), text: (v as string).replace(/[“"‘][^”"’]*[”"’]/g, '') }));
  }

  it('never says "must" or "you must" (outside quotations)', () => {
    const texts = shownText();
    expect(texts.length).toBeGreaterThan(50);
    const offending = texts.filter((t) => /\bmust\b/i.test(t.text));
    expect(offending).toEqual([]);
  });

  it('does not instruct: no "you have to", "you need to" or "required to" in our own words', () => {
    const offending = shownText().filter((t) =>
      /\b(you have to|you need to|are required to|is mandatory)\b/i.test(t.text),
    );
    expect(offending).toEqual([]);
  });

  it('says LMCs support but do not call for action beyond the BMA’s', () => {
    expect(guidance.lmcPosition.text).toMatch(/support the BMA’s collective action/);
    expect(guidance.lmcPosition.text).toMatch(/do not call for action beyond the BMA’s/);
  });

  it('the wording check catches a "must" (so the test can fail)', () => {
    const text = 'Practices must switch this off.'.replace(/[“"‘][^”"’]*[”"’]/g, '');
    expect(/\bmust\b/i.test(text)).toBe(true);
    const quoted = 'The BMA said practices “must not breach their contract”.'.replace(
      /[“"‘][^”"’]*[”"’]/g,
      '',
    );
    expect(/\bmust\b/i.test(quoted)).toBe(false);
  });
});
