import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceSchema } from '../../lib/catalogue/schema';
import { matchesPattern, originPatternFor, withoutPort } from '../../lib/match-pattern';
import {
  contentToBackgroundSchema,
  pickerToBackgroundSchema,
  popupToBackgroundSchema,
} from '../../lib/messages';
import { clinicalHostSchema, HOST_PATTERN } from '../../lib/settings/schema';

/**
 * The background parses every message with these schemas and ignores what fails. Junk
 * and near-misses must never throw, and nothing that parses may carry free text: a
 * message that could hold a patient's name or NHS number could end up in storage.
 */

const SEED = 0x5afe_0029;
const RUNS = 3000;

/** Fake patient identifiers and page text, as a hostile or buggy sender might put them. */
const pageText = fc.constantFrom(
  'Jane Smith',
  'SMITH, Jane (Mrs)',
  '943 476 5919',
  '9434765919',
  'DOB 14-Mar-1961',
  '1 Acacia Avenue, Leeds LS1 1AA',
  'Esomeprazole 40mg',
  'https://clinical.example.nhs.uk/patient/9434765919',
  'ScriptSwitch: switch Jane to omeprazole',
);
const idLike = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('scriptswitch', 'optimiserx', 'local-tool', 'scriptswitch-recommendation'),
  },
  { weight: 1, arbitrary: pageText },
  { weight: 1, arbitrary: fc.string() },
);
const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  pageText,
  fc.constantFrom(null, undefined, Number.NaN, -1, 1e9, '', []),
);

/** Mostly valid values (so whole messages often parse), sometimes junk or page text. */
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: junk });
const toolReport = fc.record(
  {
    toolId: mostly(idLike),
    signatureIds: mostly(fc.array(idLike, { maxLength: 3 })),
    confidence: mostly(fc.constantFrom('high', 'moderate')),
    count: mostly(fc.integer({ min: 1, max: 20 })),
    evidenceKinds: mostly(
      fc.array(
        fc.oneof(fc.constantFrom('brand', 'controls', 'container'), pageText, fc.string({ maxLength: 20 })),
        { maxLength: 4 },
      ),
    ),
    pageText: pageText,
    url: pageText,
  },
  { requiredKeys: ['toolId', 'signatureIds', 'confidence', 'count', 'evidenceKinds'] },
);
const contentTypes = [
  'frame/findings',
  'frame/route',
  'frame/config',
  'banner/get-state',
  'banner/dismiss',
  'banner/snooze',
];
const popupTypes = ['popup/get-state', 'popup/reshow-banner', 'popup/watch-site'];
const pickerTypes = ['picker/get-signatures', 'picker/add-signature'];
/** Near-valid messages: a real type with valid, junk or text-carrying fields and extra keys. */
const nearMessage = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...contentTypes, ...popupTypes, ...pickerTypes), fc.string()),
    tools: fc.oneof(fc.array(toolReport, { maxLength: 3 }), junk),
    first: fc.oneof(fc.boolean(), junk),
    toolId: fc.oneof(idLike, junk),
    tabId: fc.oneof(fc.integer({ min: -1, max: 1e6 }), junk),
    pattern: fc.oneof(
      fc.constantFrom('https://clinical.example.nhs.uk/*', 'http://127.0.0.1/*'),
      pageText,
      junk,
    ),
    text: pageText,
    html: fc.constant('<p>Jane Smith 943 476 5919</p>'),
  },
  { requiredKeys: ['type'] },
);
const anyMessage = fc.oneof({ weight: 3, arbitrary: nearMessage }, { weight: 1, arbitrary: junk });

const EVIDENCE_KINDS = new Set<string>([
  ...evidenceSchema.options.map((o) => o.shape.kind.value),
  'container',
]);
const ID = /^[a-z0-9][a-z0-9-]*$/;

/** Every key path present in `value` (objects and arrays, depth first). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

const ALLOWED_CONTENT_KEYS = new Set([
  'type',
  'tools',
  'first',
  'toolId',
  'tools.[]toolId',
  'tools.[]signatureIds',
  'tools.[]confidence',
  'tools.[]count',
  'tools.[]evidenceKinds',
]);
const ALLOWED_POPUP_KEYS = new Set(['type', 'tabId', 'pattern']);

describe('fuzz: message schemas (the one checked door)', { timeout: 30_000 }, () => {
  it('never throw on junk or near-misses', () => {
    fc.assert(
      fc.property(anyMessage, (raw) => {
        contentToBackgroundSchema.safeParse(raw);
        popupToBackgroundSchema.safeParse(raw);
        pickerToBackgroundSchema.safeParse(raw);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('drop every key the schema does not name (extra "text", "html", "url" never get through)', () => {
    fc.assert(
      fc.property(anyMessage, (raw) => {
        const content = contentToBackgroundSchema.safeParse(raw);
        if (content.success)
          for (const path of keyPaths(content.data)) expect(ALLOWED_CONTENT_KEYS).toContain(path);
        const popup = popupToBackgroundSchema.safeParse(raw);
        if (popup.success)
          for (const path of keyPaths(popup.data)) expect(ALLOWED_POPUP_KEYS).toContain(path);
        // The picker's only request without a signature carries nothing but its type.
        const picker = pickerToBackgroundSchema.safeParse(raw);
        if (picker.success && picker.data.type === 'picker/get-signatures')
          expect(keyPaths(picker.data)).toEqual(['type']);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a parsed content message holds only ids, enums, counts and known evidence kinds: no free text', () => {
    fc.assert(
      fc.property(anyMessage, (raw) => {
        const parsed = contentToBackgroundSchema.safeParse(raw);
        if (!parsed.success) return;
        const m = parsed.data;
        expect(contentTypes).toContain(m.type);
        if (m.type === 'banner/dismiss') expect(m.toolId).toMatch(ID);
        if (m.type !== 'frame/findings') return;
        for (const t of m.tools) {
          expect(t.toolId).toMatch(ID);
          for (const s of t.signatureIds) expect(s).toMatch(ID);
          expect(['high', 'moderate']).toContain(t.confidence);
          expect(Number.isInteger(t.count)).toBe(true);
          for (const k of t.evidenceKinds) expect(EVIDENCE_KINDS, `evidence kind "${k}"`).toContain(k);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a parsed popup message holds a tab id and, at most, a host match pattern: no free text', () => {
    fc.assert(
      fc.property(anyMessage, (raw) => {
        const parsed = popupToBackgroundSchema.safeParse(raw);
        if (!parsed.success) return;
        const m = parsed.data;
        expect(Number.isInteger(m.tabId) && m.tabId >= 0).toBe(true);
        if (m.type === 'popup/watch-site')
          expect(clinicalHostSchema.safeParse(m.pattern).success, m.pattern).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

/**
 * Runs `fn` with a hard time limit (a separate V8 context's watchdog); returns ms or
 * Infinity. A slow run is repeated and the fastest kept: load on a shared machine adds
 * noise to one run, a backtracking blow-up is slow every time.
 */
function timed(fn: () => unknown, limitMs: number): number {
  const context = vm.createContext({ fn });
  const once = () => {
    const start = performance.now();
    try {
      vm.runInContext('fn()', context, { timeout: limitMs });
    } catch {
      return Number.POSITIVE_INFINITY;
    }
    return performance.now() - start;
  };
  let best = once();
  for (let retry = 0; retry < 2 && best > 20; retry += 1) best = Math.min(best, once());
  return best;
}

describe('fuzz: host match patterns', { timeout: 30_000 }, () => {
  const host = fc.constantFrom(
    'clinical.example.nhs.uk',
    '*.example.nhs.uk',
    '*',
    '127.0.0.1',
    'localhost',
    '[::1]',
    '',
  );
  const path = fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('*', 'a', '*a') },
        { weight: 1, arbitrary: fc.constantFrom('/', '.', '?', '%', '\\', '(', '[', '$', '^', '+', '{') },
      ),
      { maxLength: 16 },
    )
    .map((p) => `/${p.join('')}`);
  const pattern = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('https', 'http', '*', 'file', 'ftp'),
        host,
        fc.option(fc.constantFrom(':8080', ':*', ':x'), { nil: '' }),
        path,
      )
      .map(([s, h, p, pa]) => `${s}://${h}${p}${pa}`),
    fc.string(),
  );
  const url = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.string(),
    fc.constantFrom('about:blank', 'chrome://settings', 'data:text/html,x'),
  );

  it('matchesPattern, originPatternFor and withoutPort never throw', () => {
    fc.assert(
      fc.property(pattern, url, (p, u) => {
        expect(typeof matchesPattern(p, u)).toBe('boolean');
        const origin = originPatternFor(u);
        if (origin !== undefined) expect(origin).toMatch(HOST_PATTERN);
        expect(typeof withoutPort(p)).toBe('string');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('matches exactly like a glob: "*" is any run of characters, everything else literal', () => {
    // Reference semantics on short inputs, where a regex cannot blow up.
    const reference = (p: string, u: string) => {
      const m = /^(?:\*|https?):\/\/[^/]*(\/.*)$/.exec(p);
      if (!m) return undefined;
      let target: URL;
      try {
        target = new URL(u);
      } catch {
        return undefined;
      }
      const glob = (m[1] ?? '/*').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      return new RegExp(`^${glob}$`, 's').test(target.pathname + target.search);
    };
    const shortUrl = fc
      .array(fc.constantFrom('a', '/', '.', '?', 'b=1', '%20', '*'), { maxLength: 10 })
      .map((p) => `https://clinical.example.nhs.uk/${p.join('')}`);
    fc.assert(
      fc.property(path, shortUrl, (p, u) => {
        const candidate = `https://clinical.example.nhs.uk${p}`;
        const expected = reference(candidate, u);
        if (expected === undefined) return;
        expect(matchesPattern(candidate, u), `${candidate} vs ${u}`).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a pattern the settings accept matches a long URL in bounded time', () => {
    const longUrl = `https://clinical.example.nhs.uk/${'a'.repeat(2000)}!`;
    fc.assert(
      fc.property(path, (p) => {
        const candidate = `https://clinical.example.nhs.uk${p}`;
        if (!clinicalHostSchema.safeParse(candidate).success) return;
        expect(
          timed(() => matchesPattern(candidate, longUrl), 2000),
          candidate,
          // A hang guard, not a speed budget: the glob matcher is linear; a backtracking one hangs.
        ).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 1000, endOnFailure: true },
    );
  });
});
