import { MAX_PATTERN_LENGTH } from './catalogue/constants';

/**
 * Regular expressions written by a practice (options page, import, enterprise policy)
 * never run on the browser's backtracking RegExp engine. They run here, on RE2's model
 * (https://swtch.com/~rsc/regexp/regexp1.html): the pattern compiles to a Thompson NFA and
 * the matcher advances every possible state one character at a time, each state at most
 * once per character, so a test costs at most text length × program size, whatever the
 * pattern. Nothing backtracks, which is why back-references and look-around, which need
 * it, are not available.
 *
 * The syntax is a subset of RE2's (https://github.com/google/re2/wiki/Syntax), with
 * RE2's meaning (`\w`, `\d`, `\s`, `\b` are ASCII; `.` is any character but newline;
 * always case-insensitive). tests/unit/patterns.test.ts checks it against `re2js`, a
 * port of RE2, on thousands of generated patterns. Written here rather than shipping
 * re2js itself: that port would have made the content script five times larger.
 */

/**
 * Most instructions a compiled pattern may have. A test costs at most text length times
 * this; bounded repeats multiply it (`.{0,30}` five times is about 300), so the cap keeps
 * the worst case on a 320-character label to a few milliseconds. Plain patterns use < 50.
 */
export const MAX_REGEX_PROGRAM_SIZE = 1000;
/** RE2's own limit on a repeat count. */
const MAX_REPEAT = 1000;

/** Why a practice's regex cannot be used, in words an IT lead can act on; undefined when it can. */
export function regexProblem(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    compile(parse(source));
    return undefined;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}

/** A case-insensitive test for any part of `text`, in linear time. Throws on a pattern regexProblem refuses. */
export function compileUserRegex(source: string): (text: string) => boolean {
  const tree = parse(source);
  const m = machine(compile(tree));
  const required = requiredLiterals(tree);
  if (required.length === 0) return (text) => run(m, text);
  return (text) => {
    // Most labels lack the pattern's words: a native substring search says so at once.
    if (ASCII.test(text)) {
      const lower = text.toLowerCase();
      if (!required.every((word) => lower.includes(word))) return false;
    }
    return run(m, text);
  };
}

class PatternError extends Error {}

// ---------------------------------------------------------------------------------------
// Parsing: pattern text → tree.

type CharTest = (cp: number) => boolean;
type AssertKind = 'start' | 'end' | 'word' | 'notWord';
/** A set of characters; `negated` sets are complemented after case folding, as RE2 does. */
type CharNode = { t: 'char'; test: CharTest; negated: boolean; literal?: number };
type Node =
  | CharNode
  | { t: 'empty' }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'repeat'; node: Node; min: number; max: number }; // max -1: unbounded

const isDigit = (cp: number) => cp >= 48 && cp <= 57;
const isWord = (cp: number) => isDigit(cp) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95; // [0-9A-Za-z_]
const isSpace = (cp: number) => cp === 32 || (cp >= 9 && cp <= 13 && cp !== 11); // RE2: [\t\n\f\r ]
const NEWLINE = 10;

function parse(source: string): Node {
  const chars = Array.from(source);
  let i = 0;
  const peek = () => chars[i];
  const fail = (message: string): never => {
    throw new PatternError(message);
  };

  function alternation(): Node {
    const items = [sequence()];
    while (peek() === '|') {
      i++;
      items.push(sequence());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  function sequence(): Node {
    const items: Node[] = [];
    while (i < chars.length && peek() !== '|' && peek() !== ')') items.push(quantified(atom()));
    return items.length === 1
      ? (items[0] as Node)
      : items.length === 0
        ? { t: 'empty' }
        : { t: 'cat', items };
  }

  function quantified(node: Node): Node {
    const c = peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, -1];
    else if (c === '+') [min, max] = [1, -1];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i, i + 12).join(''));
      if (!m) return fail('a "{" that is not a repeat count {n}, {n,} or {n,m}: write \\{ for the character');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT) fail(`a repeat count above ${MAX_REPEAT}`);
      if (max !== -1 && max < min) fail(`a repeat count {${min},${max}} whose maximum is below its minimum`);
      i += m[0].length - 1;
    } else return node;
    i++;
    if (peek() === '?') i++; // lazy: the same yes/no answer
    if (peek() === '*' || peek() === '+' || peek() === '?' || peek() === '{')
      fail('a repeat of a repeat (such as ** or +*): remove one');
    if (node.t === 'empty' || node.t === 'assert') fail('a repeat with nothing before it to repeat');
    return { t: 'repeat', node, min, max };
  }

  function atom(): Node {
    const c = chars[i++] as string;
    switch (c) {
      case '(':
        return group();
      case '[':
        return charClass();
      case '.':
        return { t: 'char', test: (cp) => cp === NEWLINE, negated: true };
      case '^':
        return { t: 'assert', kind: 'start' };
      case '$':
        return { t: 'assert', kind: 'end' };
      case '\\': {
        const e = escaped(false);
        return e.t === 'literal' ? literal(e.cp) : e;
      }
      case '*':
      case '+':
      case '?':
      case '{':
        return fail(`a repeat "${c}" with nothing before it to repeat`);
      case ']':
      case '}':
        return fail(`an unmatched "${c}": write \\${c} for the character`);
      default:
        return literal(c.codePointAt(0) as number);
    }
  }

  function group(): Node {
    if (peek() === '?') {
      const next = chars.slice(i, i + 3).join('');
      if (next.startsWith('?:')) i += 2;
      else if (/^\?<?[=!]/.test(next))
        fail(
          'look-ahead and look-behind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns run on a linear-time engine',
        );
      else if (next.startsWith('?<') || next.startsWith('?P'))
        fail('named groups are not supported: use (…) or (?:…)');
      else fail('flags such as (?i) are not supported: patterns are always case-insensitive');
    }
    const inner = alternation();
    if (chars[i++] !== ')') fail('missing closing )');
    return inner;
  }

  /** After a backslash: a class escape, an assertion, a control character or a literal. */
  function escaped(
    inClass: boolean,
  ): CharNode | { t: 'assert'; kind: AssertKind } | { t: 'literal'; cp: number } {
    const c = chars[i++];
    if (c === undefined) return fail('a trailing backslash');
    const set = (test: CharTest, negated: boolean): CharNode => {
      if (negated && inClass) fail(`\\${c} inside [...] is not supported: use [^...]`);
      return { t: 'char', test, negated };
    };
    switch (c) {
      case 'd':
      case 'D':
        return set(isDigit, c === 'D');
      case 'w':
      case 'W':
        return set(isWord, c === 'W');
      case 's':
      case 'S':
        return set(isSpace, c === 'S');
      case 'b':
      case 'B':
        if (inClass) return fail('\\b inside [...] is not supported');
        return { t: 'assert', kind: c === 'b' ? 'word' : 'notWord' };
      case 'n':
        return { t: 'literal', cp: 10 };
      case 't':
        return { t: 'literal', cp: 9 };
      case 'r':
        return { t: 'literal', cp: 13 };
      case 'f':
        return { t: 'literal', cp: 12 };
      case 'v':
        return { t: 'literal', cp: 11 };
      case 'x': {
        const m = /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{2}))/.exec(chars.slice(i, i + 8).join(''));
        if (!m) return fail('\\x must be followed by two hex digits or {hex}, as in \\x{00e9}');
        const cp = Number.parseInt((m[1] ?? m[2]) as string, 16);
        if (cp > 0x10ffff) fail('\\x{…} beyond the last Unicode character');
        i += m[0].length;
        return { t: 'literal', cp };
      }
      case 'u':
        return fail('write a Unicode character as \\x{00e9} (or the character itself), not \\u00e9');
    }
    if (/[1-9]/.test(c) || c === 'k')
      return fail(
        'back-references (\\1, \\k<name>) are not supported: patterns run on a linear-time engine that cannot repeat earlier text',
      );
    if (/[\p{L}\p{N}]/u.test(c)) return fail(`\\${c} is not supported`);
    // Any other escaped character (punctuation, a space, a symbol) is itself.
    return { t: 'literal', cp: c.codePointAt(0) as number };
  }

  function literal(cp: number): CharNode {
    return { t: 'char', test: (x) => x === cp, negated: false, literal: cp };
  }

  /** `[...]` after the "[": a set of characters, ranges and class escapes. */
  function charClass(): CharNode {
    const negated = peek() === '^';
    if (negated) i++;
    if (peek() === ']') fail('an empty class [] or [^]: write \\] for the character');
    const tests: CharTest[] = [];
    /** One member: a code point (it may start or end a range) or a class escape such as \d. */
    const member = (): number | CharTest => {
      const c = chars[i++];
      if (c === undefined) return fail('missing closing ]');
      if (c === '[') return fail('"[" inside [...]: write \\[ for the character');
      if (c !== '\\') return c.codePointAt(0) as number;
      const e = escaped(true);
      return e.t === 'literal' ? e.cp : (e as CharNode).test;
    };
    while (peek() !== ']') {
      if (i >= chars.length) fail('missing closing ]');
      const from = member();
      if (peek() === '-' && chars[i + 1] !== ']' && chars[i + 1] !== undefined) {
        i++;
        const to = member();
        if (typeof from !== 'number' || typeof to !== 'number')
          return fail('a range with a class such as \\d at one end');
        if (to < from) fail('a range whose end comes before its start');
        tests.push((cp) => cp >= from && cp <= to);
      } else if (typeof from === 'number') tests.push((cp) => cp === from);
      else tests.push(from);
    }
    i++;
    return { t: 'char', test: (cp) => tests.some((t) => t(cp)), negated };
  }

  const tree = alternation();
  if (i < chars.length) fail('an unmatched ")"');
  return tree;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is the point.
const ASCII = /^[\u0000-\u007f]*$/;

/**
 * Runs of letters, digits and spaces every match must contain (lower-case), read from a
 * top-level sequence: `\\bscript ?switch\\b` needs "script" and "switch". Only ASCII, so
 * that on an ASCII text, lower-casing it and the pattern's words is exactly the matcher's
 * case-insensitivity; other texts skip this shortcut.
 */
function requiredLiterals(tree: Node): string[] {
  const items = tree.t === 'cat' ? tree.items : [tree];
  const words: string[] = [];
  let run = '';
  for (const item of [...items, undefined]) {
    const cp = item?.t === 'char' && !item.negated ? item.literal : undefined;
    if (cp !== undefined && /^[a-z0-9 ]$/i.test(String.fromCharCode(cp)) && cp < 128) {
      run += String.fromCharCode(cp).toLowerCase();
      continue;
    }
    if (run.length >= 2) words.push(run);
    run = '';
  }
  return words;
}

// ---------------------------------------------------------------------------------------
// Compiling: tree → instructions of a Thompson NFA.

type Inst =
  | { op: 'char'; test: CharTest; negated: boolean }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'match' };

function compile(tree: Node): Inst[] {
  const program: Inst[] = [];
  const emit = (inst: Inst) => {
    if (program.length >= MAX_REGEX_PROGRAM_SIZE)
      throw new PatternError(
        'too complex: its repeats multiply into a very large pattern; use fewer or smaller {m,n} counts',
      );
    program.push(inst);
    return program.length - 1;
  };

  function gen(node: Node): void {
    switch (node.t) {
      case 'empty':
        return;
      case 'char':
        emit({ op: 'char', test: node.test, negated: node.negated });
        return;
      case 'assert':
        emit({ op: 'assert', kind: node.kind });
        return;
      case 'cat':
        for (const item of node.items) gen(item);
        return;
      case 'alt': {
        // split L1, next; L1: a; jmp end; next: split … ; last alternative falls through.
        const jumps: number[] = [];
        node.items.forEach((item, k) => {
          if (k < node.items.length - 1) {
            const split = emit({ op: 'split', x: 0, y: 0 });
            (program[split] as { x: number }).x = program.length;
            gen(item);
            jumps.push(emit({ op: 'jmp', x: 0 }));
            (program[split] as { y: number }).y = program.length;
          } else gen(item);
        });
        for (const j of jumps) (program[j] as { x: number }).x = program.length;
        return;
      }
      case 'repeat': {
        const { min, max } = node;
        for (let k = 0; k < min; k++) gen(node.node);
        if (max === -1) {
          // L: split body, end; body; jmp L
          const split = emit({ op: 'split', x: 0, y: 0 });
          (program[split] as { x: number }).x = program.length;
          gen(node.node);
          emit({ op: 'jmp', x: split });
          (program[split] as { y: number }).y = program.length;
          return;
        }
        // (max - min) optional copies, nested: x?(x?(x?)) so each is skipped at once.
        const splits: number[] = [];
        for (let k = min; k < max; k++) {
          const split = emit({ op: 'split', x: 0, y: 0 });
          (program[split] as { x: number }).x = program.length;
          splits.push(split);
          gen(node.node);
        }
        for (const s of splits) (program[s] as { y: number }).y = program.length;
        return;
      }
    }
  }

  gen(tree);
  emit({ op: 'match' });
  return program;
}

// ---------------------------------------------------------------------------------------
// Running: every live state advances together, one character at a time (Pike's VM
// without captures). Each state is added to a list at most once per position (the
// `seen` marks), so one position costs O(program size) and a test O(text × program).

/** A compiled pattern and the work arrays its runs reuse (runs never overlap: one thread). */
interface Machine {
  program: Inst[];
  current: Int32Array;
  next: Int32Array;
  seen: Int32Array;
  stack: Int32Array;
  generation: number;
}

function machine(program: Inst[]): Machine {
  const size = program.length;
  return {
    program,
    current: new Int32Array(size),
    next: new Int32Array(size),
    seen: new Int32Array(size).fill(-1),
    stack: new Int32Array(size * 2 + 2),
    generation: 0,
  };
}

function run(m: Machine, text: string): boolean {
  const cps = codePoints(text);
  const { program, seen, stack } = m;
  let { current, next } = m;
  let currentCount = 0;
  let nextCount = 0;
  if (m.generation > 1e9) {
    seen.fill(-1);
    m.generation = 0;
  }
  let generation = m.generation;

  /** Follows jumps, splits and assertions from `pc` at position `at`, adding char/match states to `list`. */
  const add = (list: Int32Array, count: number, pc0: number, at: number): number => {
    let top = 0;
    stack[top++] = pc0;
    while (top > 0) {
      const pc = stack[--top] as number;
      if (seen[pc] === generation) continue;
      seen[pc] = generation;
      const inst = program[pc] as Inst;
      switch (inst.op) {
        case 'jmp':
          stack[top++] = inst.x;
          break;
        case 'split':
          stack[top++] = inst.y;
          stack[top++] = inst.x;
          break;
        case 'assert':
          if (holds(inst.kind, cps, at)) stack[top++] = pc + 1;
          break;
        default:
          list[count++] = pc;
      }
    }
    return count;
  };

  try {
    for (let at = 0; ; at++) {
      // A new thread starts at every position (the pattern may match anywhere), in the same
      // generation as the states carried over, so it adds none of them twice.
      currentCount = add(current, currentCount, 0, at);
      generation++;
      nextCount = 0;
      const atEnd = at >= cps.length;
      const cp = atEnd ? -1 : (cps[at] as number);
      const lower = atEnd ? -1 : lowerOf(cp);
      const upper = atEnd ? -1 : upperOf(cp);
      for (let k = 0; k < currentCount; k++) {
        const pc = current[k] as number;
        const inst = program[pc] as Inst;
        if (inst.op === 'match') return true;
        if (atEnd || inst.op !== 'char') continue;
        // Case-insensitive: the character or either of its case forms is in the set.
        const inSet =
          inst.test(cp) || (lower !== cp && inst.test(lower)) || (upper !== cp && inst.test(upper));
        if (inSet !== inst.negated) nextCount = add(next, nextCount, pc + 1, at + 1);
      }
      if (atEnd) return false;
      [current, next] = [next, current];
      currentCount = nextCount;
    }
  } finally {
    m.generation = generation + 1;
  }
}

function codePoints(text: string): Int32Array {
  const out = new Int32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) as number;
    out[n++] = cp;
    if (cp > 0xffff) i++;
  }
  return out.subarray(0, n);
}

/** Simple case mappings, arithmetic for ASCII, cached for the rest (labels use few characters). */
const caseCache = new Map<number, [number, number]>();
function caseForms(cp: number): [number, number] {
  let forms = caseCache.get(cp);
  if (forms) return forms;
  const c = String.fromCodePoint(cp);
  const single = (s: string) => (Array.from(s).length === 1 ? (s.codePointAt(0) as number) : cp);
  forms = [single(c.toLowerCase()), single(c.toUpperCase())];
  if (caseCache.size < 4096) caseCache.set(cp, forms);
  return forms;
}
function lowerOf(cp: number): number {
  if (cp < 128) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  return caseForms(cp)[0];
}
function upperOf(cp: number): number {
  if (cp < 128) return cp >= 97 && cp <= 122 ? cp - 32 : cp;
  return caseForms(cp)[1];
}

function holds(kind: AssertKind, cps: Int32Array, at: number): boolean {
  switch (kind) {
    case 'start':
      return at === 0;
    case 'end':
      return at === cps.length;
    default: {
      const before = at > 0 && isWord(cps[at - 1] as number);
      const after = at < cps.length && isWord(cps[at] as number);
      return kind === 'word' ? before !== after : before === after;
    }
  }
}
