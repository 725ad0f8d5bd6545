import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileUserRegex, MAX_REGEX_PROGRAM_SIZE, regexProblem } from '../../lib/patterns';

/**
 * The detector's own linear-time matcher (lib/patterns.ts) against `re2js`, a port of
 * RE2 (dev dependency only): same syntax, same answers, on patterns practices write and
 * on thousands of generated ones.
 */

const SEED = 0x2e2_0021;
const re2 = (source: string) => RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);

describe('practice regexes on the linear-time matcher', () => {
  it('matches like RE2 and the browser on the patterns practices write (case-insensitive, anywhere)', () => {
    const cases: [string, string, boolean][] = [
      ['\\bscript ?switch\\b', 'ScriptSwitch recommendation', true],
      ['\\bscript ?switch\\b', 'postscriptswitch', false],
      ['\\boptimise ?rx\\b', 'optimise rx message', true],
      ['formulary (nudge|hint)', 'a FORMULARY hint here', true],
      ['^advice$', 'advice', true],
      ['^advice$', 'more advice', false],
      ['\\d{2} items?', 'switch 12 items', true],
      ['café', 'CAFÉ', true],
      ['caf\\x{e9}', 'café', true],
      ['[^a]x', 'Ax', false],
      ['[a-c]+\\.', 'ABC.', true],
      ['a.c', 'a\nc', false],
    ];
    for (const [source, text, expected] of cases) {
      expect(regexProblem(source), source).toBeUndefined();
      expect(compileUserRegex(source)(text), `/${source}/ on "${text}"`).toBe(expected);
      expect(re2(source).test(text), `RE2 /${source}/ on "${text}"`).toBe(expected);
    }
  });

  it('names what the engine cannot do, for the IT lead', () => {
    expect(regexProblem('(a)\\1')).toMatch(/back-references .* not supported/);
    expect(regexProblem('x(?!y)')).toMatch(/look-ahead and look-behind .* not supported/);
    expect(regexProblem('\\u00e9')).toMatch(/\\x\{00e9\}/);
    expect(regexProblem('a'.repeat(121))).toMatch(/longer than 120/);
    expect(regexProblem('(')).toMatch(/missing closing \)/);
    expect(regexProblem('a**')).toMatch(/repeat of a repeat/);
  });

  it(`refuses a pattern whose repeats multiply past ${MAX_REGEX_PROGRAM_SIZE} instructions`, () => {
    expect(regexProblem('.{0,30}.{0,30}.{0,30}.{0,30}.{0,30}x')).toBeUndefined();
    expect(regexProblem('(?:[a-z]{0,30} ?){0,30}')).toMatch(/too complex/);
  });

  it('throws when asked to compile what regexProblem refuses (never silently matches nothing)', () => {
    expect(() => compileUserRegex('(?=a)')).toThrow();
  });

  const atom = fc.constantFrom(
    'a',
    'b',
    'A',
    ' ',
    'x',
    '.',
    '\\s',
    '\\S',
    '\\w',
    '\\W',
    '\\d',
    '\\D',
    '[a-c]',
    '[^a]',
    '[^\\s]',
    '[ab_1]',
    '\\.',
    '\\b',
    '\\B',
    '^',
    '$',
    'é',
    '\\x{41}',
  );
  const quantifier = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{0,3}', '{1,}', '*?', '??');
  const term: fc.Arbitrary<string> = fc.letrec<{ term: string }>((tie) => ({
    term: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(atom, quantifier).map(([a, q]) => (['^', '$', '\\b', '\\B'].includes(a) ? a : a + q)),
      fc
        .tuple(
          fc.constantFrom('(', '(?:'),
          fc.array(tie('term'), { minLength: 1, maxLength: 3 }),
          fc.constantFrom('', '|'),
          fc.array(tie('term'), { maxLength: 2 }),
          quantifier,
        )
        .map(([open, left, bar, right, q]) => `${open}${left.join('')}${bar}${right.join('')})${q}`),
    ),
  })).term;
  const pattern = fc.array(term, { minLength: 1, maxLength: 5 }).map((t) => t.join(''));
  const text = fc
    .array(fc.constantFrom('a', 'b', 'A', 'B', ' ', 'x', '_', '1', '.', 'é', 'É', '\n', 'c'), {
      maxLength: 12,
    })
    .map((c) => c.join(''));

  it('gives RE2’s answer on generated patterns and texts, and accepts only what RE2 accepts', () => {
    let compared = 0;
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 6 }), (source, texts) => {
        if (regexProblem(source) !== undefined) return;
        const reference = re2(source); // throws, failing the property, if RE2 refuses what we accept
        const ours = compileUserRegex(source);
        for (const t of texts) {
          compared += 1;
          expect(ours(t), `/${source}/ on ${JSON.stringify(t)}`).toBe(reference.test(t));
        }
      }),
      { seed: SEED, numRuns: 4000 },
    );
    expect(compared).toBeGreaterThan(5000);
  });
});
