import { RE2JS } from 're2js';
import { MAX_PATTERN_LENGTH } from './catalogue/constants';

/**
 * Regular expressions written by a practice (options page, import, enterprise policy)
 * run on RE2 (the `re2js` port), never on the browser's backtracking engine. RE2 matches
 * in time linear in the text for a given pattern (an automaton, no backtracking), so no
 * pattern can stall the clinical system's tab; the price is that back-references and
 * look-around, which need backtracking, are not available.
 * https://github.com/google/re2/wiki/Syntax
 */

/**
 * RE2's measure of a compiled pattern's size (roughly its automaton's states). Matching
 * costs at most text length times this; bounded repeats multiply it (`.{0,30}` five times
 * is about 300), so a cap keeps the worst case on a label small. Plain patterns are < 50.
 */
export const MAX_REGEX_PROGRAM_SIZE = 1000;

/** Why a practice's regex cannot be used, in words an IT lead can act on; undefined when it can. */
export function regexProblem(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  // Name the constructs people bring from JavaScript before RE2's terser parser error.
  if (/\\[1-9]|\\k</.test(source))
    return 'back-references (\\1, \\k<name>) are not supported: patterns run on a linear-time engine that cannot repeat earlier text';
  if (/\(\?<?[=!]/.test(source))
    return 'look-ahead and look-behind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns run on a linear-time engine';
  if (/\\u/.test(source))
    return 'write a Unicode character as \\x{00e9} (or the character itself), not \\u00e9';
  let compiled: RE2JS;
  try {
    compiled = compileRe2(source);
  } catch (error) {
    return `not a valid pattern (${re2Reason(error)})`;
  }
  if (compiled.programSize() > MAX_REGEX_PROGRAM_SIZE)
    return 'too complex: its repeats multiply into a very large pattern; use fewer or smaller {m,n} counts';
  return undefined;
}

/** A case-insensitive test for any part of `text`, in linear time. Throws on a pattern regexProblem refuses. */
export function compileUserRegex(source: string): (text: string) => boolean {
  const compiled = compileRe2(source);
  return (text) => compiled.test(text);
}

function compileRe2(source: string): RE2JS {
  return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
}

/** RE2's message without its "error parsing regexp:" preamble. */
function re2Reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error parsing regexp:\s*/, '');
}
