import { describe, expect, it } from 'vitest';
import { compileUserRegex, MAX_REGEX_PROGRAM_SIZE, regexProblem } from '../../lib/patterns';

describe('practice regexes on the linear-time engine', () => {
  it('matches like the browser on the patterns practices write (case-insensitive, anywhere in the text)', () => {
    const cases: [string, string, boolean][] = [
      ['\\bscript ?switch\\b', 'ScriptSwitch recommendation', true],
      ['\\bscript ?switch\\b', 'postscriptswitch', false],
      ['\\boptimise ?rx\\b', 'optimise rx message', true],
      ['formulary (nudge|hint)', 'a FORMULARY hint here', true],
      ['^advice$', 'advice', true],
      ['^advice$', 'more advice', false],
      ['\\d{2} items?', 'switch 12 items', true],
      ['café', 'CAFÉ', true],
    ];
    for (const [source, text, expected] of cases) {
      expect(regexProblem(source), source).toBeUndefined();
      expect(compileUserRegex(source)(text), `/${source}/ on "${text}"`).toBe(expected);
      expect(new RegExp(source, 'iu').test(text), 'reference').toBe(expected);
    }
  });

  it('names what the engine cannot do, for the IT lead', () => {
    expect(regexProblem('(a)\\1')).toMatch(/back-references .* not supported/);
    expect(regexProblem('x(?!y)')).toMatch(/look-ahead and look-behind .* not supported/);
    expect(regexProblem('a'.repeat(121))).toMatch(/longer than 120/);
    expect(regexProblem('(')).toMatch(/^not a valid pattern \(missing closing \)/);
  });

  it(`refuses a pattern whose repeats multiply past ${MAX_REGEX_PROGRAM_SIZE} states`, () => {
    expect(regexProblem('.{0,30}.{0,30}.{0,30}.{0,30}.{0,30}x')).toBeUndefined();
    expect(regexProblem('(?:[a-z]{0,30} ?){0,30}')).toMatch(/too complex|not a valid pattern/);
  });

  it('throws when asked to compile what regexProblem refuses (never silently matches nothing)', () => {
    expect(() => compileUserRegex('(?=a)')).toThrow();
  });
});
