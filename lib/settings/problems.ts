import type { z } from 'zod';

/**
 * Validation problems in plain words for practice IT leads: what is wrong, the value
 * found, and a suggested fix where one is obvious. zod's own messages ("Invalid input:
 * expected string, received number") never reach a person.
 */

/** A problem with one field, said so a person can fix it. */
export interface FieldProblem {
  /** Dotted path, e.g. "allowList.2.toolId". */
  field: string;
  reason: string;
  /** The value found, shortened for display, when showing it helps. */
  value?: string;
  /** A likely correction, e.g. "https://emis.example.nhs.uk/*" or "scriptswitch". */
  suggestion?: string;
}

const MAX_SHOWN = 80;

/** A value as a person would recognise it in their file, never longer than a line. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'true/false';
  if (typeof value === 'object') return 'a group of settings';
  return typeof value;
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text in quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false (without quotes)',
  object: 'a group of settings in { }',
  array: 'a list in [ ]',
};

/** The value at a path inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** Levenshtein distance, small inputs only (ids are at most 64 characters). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The known id a mistyped one most likely meant ("scriptswtich" → "scriptswitch"), or
 * undefined when none is close (at most a third of the letters differ).
 */
export function closestId(typed: string, known: readonly string[]): string | undefined {
  const wanted = typed
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  let best: { id: string; d: number } | undefined;
  for (const id of known) {
    const d = distance(wanted, id);
    if (!best || d < best.d) best = { id, d };
  }
  if (!best) return undefined;
  return best.d <= Math.max(1, Math.floor(Math.max(wanted.length, best.id.length) / 3)) ? best.id : undefined;
}

/** A host written without its path or scheme, repaired to the match pattern meant. */
export function suggestHostPattern(
  value: unknown,
  isValid: (pattern: string) => boolean,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const candidates = [
    `${text.replace(/\/+$/, '')}/*`,
    `${text}*`,
    `https://${text.replace(/^\/+/, '').replace(/\/+$/, '')}/*`,
  ];
  return candidates.find((c) => c !== text && isValid(c));
}

/** "31/03/2027" (how dates are written in England) → "2027-03-31". */
export function suggestIsoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  if (!m) return undefined;
  const [, d, mo, y] = m;
  const iso = `${y}-${mo?.padStart(2, '0')}-${d?.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** One zod issue as a sentence an IT lead can act on. `value` is what was found at its path. */
export function plainReason(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return 'is missing: this value is required';
      const expected = EXPECTED_WORDS[issue.expected] ?? issue.expected;
      return `should be ${expected}, but is ${kindOf(value)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return `is too short: at least ${min} characters`;
      if (issue.origin === 'array') return `needs at least ${min} ${min === 1 ? 'entry' : 'entries'}`;
      return `is too small: the lowest allowed is ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `is too long: at most ${max} characters`;
      if (issue.origin === 'array') return `has too many entries: at most ${max}`;
      return `is too large: the highest allowed is ${max}`;
    }
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'date') return 'must be a date written YYYY-MM-DD, e.g. 2027-03-31';
      if (issue.format === 'url') return 'must be a full https:// link';
      return ownWords(issue.message) ?? 'is not written in the expected form';
    case 'invalid_union':
      return 'is not one of the shapes this setting accepts';
    case 'unrecognized_keys':
      return `has settings this extension does not know: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return ownWords(issue.message) ?? 'is not valid here';
  }
}

/** Messages written in the schemas for people ("a match pattern such as …"), as a sentence; zod's own are not. */
function ownWords(message: string): string | undefined {
  if (/^Invalid\b/.test(message)) return undefined;
  return /^(a|an) /.test(message) ? `must be ${message}` : message;
}
