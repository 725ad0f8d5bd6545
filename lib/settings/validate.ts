import { z } from 'zod';
import { builtInTools } from '../catalogue';
import { type Signature, signatureSchema } from '../catalogue/schema';
import { isRecord, parseJsonText } from '../schema-atoms';
import {
  closestId,
  type FieldProblem,
  plainReason,
  showValue,
  suggestHostPattern,
  suggestIsoDate,
  valueAt,
} from './problems';
import { HOST_PATTERN, SETTINGS_FIELDS, type Settings, type SettingsField, settingsSchema } from './schema';

export type { EffectiveSettings } from './policy';
export type { FieldProblem } from './problems';

const BUILT_IN_IDS = builtInTools.map((t) => t.id);

/** The obvious fix for a refused value, where there is one. */
function suggestionFor(issue: z.core.$ZodIssue, path: readonly string[], value: unknown): string | undefined {
  const [top] = path;
  const last = path[path.length - 1];
  if (issue.code === 'invalid_format' && issue.format === 'date') return suggestIsoDate(value);
  if (issue.code === 'invalid_format' && issue.format === 'url' && typeof value === 'string') {
    const https = value.trim().replace(/^http:\/\//i, 'https://');
    return https !== value && z.url({ protocol: /^https$/ }).safeParse(https).success ? https : undefined;
  }
  if (top === 'clinicalHosts' && path.length === 2) {
    return suggestHostPattern(value, (p) => HOST_PATTERN.test(p));
  }
  if ((last === 'toolId' || (top === 'allowList' && path.length === 2)) && typeof value === 'string') {
    return closestId(value, BUILT_IN_IDS);
  }
  return undefined;
}

/**
 * Every issue of a failed parse as a problem a person can act on: where (dotted path
 * under `prefix`), why (plain words), the value found and a suggested fix. `input` is
 * what was parsed, so the value can be shown.
 */
export function describeIssues(error: z.ZodError, prefix: string, input?: unknown): FieldProblem[] {
  const prefixPath = prefix ? prefix.split('.') : [];
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    const value = input === undefined ? undefined : valueAt(input, issue.path);
    const full = [...prefixPath, ...path];
    const problem: FieldProblem = {
      field: full.join('.') || '(top level)',
      reason: plainReason(issue, value),
    };
    if (value !== undefined && !isRecord(value) && !Array.isArray(value)) problem.value = showValue(value);
    const suggestion = suggestionFor(issue, full, value);
    if (suggestion) problem.suggestion = suggestion;
    return problem;
  });
}

/** Whole policy files are a common mistake: say what to import instead. */
function unknownKeyProblem(key: string, value: unknown): FieldProblem {
  if (key === '3rdparty' || key === 'policies') {
    return {
      field: key,
      reason:
        "is not a setting: this looks like a whole policy file. Import only the extension's own block (the object with allowList, clinicalHosts…)",
    };
  }
  const problem: FieldProblem = {
    field: key || '(empty key)',
    reason: 'is not a setting this extension knows',
    value: showValue(value),
  };
  const near = closestId(
    key.toLowerCase(),
    SETTINGS_FIELDS.map((f) => f.toLowerCase()),
  );
  const meant = SETTINGS_FIELDS.find((f) => f.toLowerCase() === near);
  if (meant) problem.suggestion = meant;
  return problem;
}

/**
 * Strict parse of a whole settings file: all or nothing. A bad file changes nothing
 * and says which field is wrong and why.
 */
export function parseSettingsImport(
  raw: unknown,
): { ok: true; settings: Settings } | { ok: false; problems: FieldProblem[] } {
  if (!isRecord(raw)) {
    return { ok: false, problems: [{ field: '(file)', reason: 'should be a JSON object in { }' }] };
  }
  const strangers = Object.keys(raw).filter((k) => !SETTINGS_FIELDS.includes(k as SettingsField));
  if (strangers.length > 0) {
    return { ok: false, problems: strangers.map((k) => unknownKeyProblem(k, raw[k])) };
  }
  const result = settingsSchema.safeParse(raw);
  if (!result.success) return { ok: false, problems: describeIssues(result.error, '', raw) };
  // A misspelt nested key ("snoozeMinuts") would otherwise vanish without a word.
  const nested = unknownKeys(raw, result.data, '').map((p) => ({ ...p, field: p.field.replace(/^\./, '') }));
  if (nested.length > 0) return { ok: false, problems: nested };
  return { ok: true, settings: result.data };
}

/**
 * Strict parse of only the fields a file holds: each present field must be valid (all
 * or nothing); absent fields are not in the result, so an import keeps their values.
 */
export function parsePartialSettings(
  raw: unknown,
): { ok: true; fields: Partial<Settings> } | { ok: false; problems: FieldProblem[] } {
  if (!isRecord(raw)) {
    return { ok: false, problems: [{ field: '(file)', reason: 'should be a JSON object in { }' }] };
  }
  const problems: FieldProblem[] = [];
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!SETTINGS_FIELDS.includes(key as SettingsField)) {
      problems.push(unknownKeyProblem(key, value));
      continue;
    }
    const parsed = settingsSchema.shape[key as SettingsField].safeParse(value);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error, key, value));
      continue;
    }
    problems.push(...unknownKeys(value, parsed.data, key));
    fields[key] = parsed.data;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, fields: fields as Partial<Settings> };
}

/**
 * Parses one signature as typed in the options page's JSON editor: the JSON syntax
 * first, then the signature schema, each problem with its field and reason.
 */
export function parseSignatureText(
  text: string,
): { ok: true; signature: Signature } | { ok: false; problems: FieldProblem[] } {
  const json = parseJsonText(text, '(JSON)');
  if (!json.ok) return json;
  const raw = json.value;
  const parsed = signatureSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error, '', raw) };
  return { ok: true, signature: parsed.data };
}

function unwrapDefault(fieldSchema: z.ZodType): z.ZodType {
  return fieldSchema instanceof z.ZodDefault ? (fieldSchema.unwrap() as z.ZodType) : fieldSchema;
}

/** The item schema of a list field (`z.array(...).default([])`), or undefined for other fields. */
function listItemSchema(fieldSchema: z.ZodType): z.ZodType | undefined {
  const inner = unwrapDefault(fieldSchema);
  return inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
}

/** The shape of a group field (banner, tally), or undefined for other fields. */
function groupShape(fieldSchema: z.ZodType): Record<string, z.ZodType> | undefined {
  const inner = unwrapDefault(fieldSchema);
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}

/**
 * Keys a person wrote that the schema does not know. zod drops them silently, which
 * would hide a typo such as "snoozeMinuts"; callers refuse or report them instead.
 */
export function unknownKeys(input: unknown, output: unknown, path: string): FieldProblem[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    if (input.length !== output.length) return [];
    return input.flatMap((item, i) => unknownKeys(item, output[i], `${path}.${i}`));
  }
  if (!isRecord(input) || !isRecord(output)) return [];
  return Object.keys(input).flatMap((key) => {
    if (Object.hasOwn(output, key)) return unknownKeys(input[key], output[key], `${path}.${key}`);
    const problem: FieldProblem = {
      field: `${path}.${key || '(empty key)'}`,
      reason: 'is not a setting this extension knows',
      value: showValue(input[key]),
    };
    const near = closestId(
      key.toLowerCase(),
      Object.keys(output).map((k) => k.toLowerCase()),
    );
    const meant = Object.keys(output).find((k) => k.toLowerCase() === near);
    if (meant) problem.suggestion = meant;
    return [problem];
  });
}

/** Why a repair happened and what it did, appended to the reason. */
const withOutcome = (outcome: string) => (p: FieldProblem) => ({ ...p, reason: `${p.reason} (${outcome})` });

/**
 * One field repaired item by item: a list keeps its valid entries (and its first ones
 * when too long); a group (banner, tally) keeps its valid values, defaults filling the
 * rest; an allow-list entry written as a bare id is read as `{ toolId }`. Every repair
 * is a problem with its reason. `ok: false` when nothing of the value can be used.
 */
export function repairField(
  field: SettingsField,
  value: unknown,
  /** Said of a value that cannot be used at all, e.g. "the default applies". */
  refusedOutcome = 'not used',
):
  | { ok: true; value: Settings[SettingsField]; problems: FieldProblem[] }
  | { ok: false; problems: FieldProblem[] } {
  const fieldSchema = settingsSchema.shape[field] as z.ZodType;
  const problems: FieldProblem[] = [];
  const parsed = fieldSchema.safeParse(value);
  if (parsed.success) {
    problems.push(...unknownKeys(value, parsed.data, field).map(withOutcome('ignored')));
    return { ok: true, value: parsed.data as Settings[SettingsField], problems };
  }
  const itemSchema = listItemSchema(fieldSchema);
  if (itemSchema && Array.isArray(value)) {
    const kept: unknown[] = [];
    value.forEach((item, index) => {
      const at = `${field}.${index}`;
      const candidate = field === 'allowList' && typeof item === 'string' ? { toolId: item } : item;
      let r = itemSchema.safeParse(candidate);
      let parsedFrom: unknown = candidate;
      if (!r.success && field === 'allowList') {
        // A mandate must not be lost to a typo in its details: the entry is kept without
        // the bad optional value, and an id in capitals is read in lower case.
        const salvage = salvageAllowListEntry(candidate, r.error);
        if (salvage) {
          r = itemSchema.safeParse(salvage.entry);
          parsedFrom = salvage.entry;
          if (r.success) problems.push(...salvage.problems.map((p) => ({ ...p, field: `${at}.${p.field}` })));
        }
      }
      if (r.success) {
        kept.push(r.data);
        if (candidate !== item) {
          problems.push({
            field: at,
            reason: 'is a bare tool id: read as { "toolId": … } (repaired)',
            value: showValue(item),
          });
        }
        problems.push(...unknownKeys(parsedFrom, r.data, at).map(withOutcome('ignored')));
      } else {
        problems.push(...describeIssues(r.error, at, candidate).map(withOutcome('entry left out')));
      }
    });
    let again = fieldSchema.safeParse(kept);
    const tooBig = again.success
      ? undefined
      : again.error.issues.find((i) => i.code === 'too_big' && i.path.length === 0);
    if (tooBig?.code === 'too_big') {
      // Too many entries: keep the first ones rather than none (an emptied allow-list
      // would show mandated tools as tools the practice may switch off).
      const max = Number(tooBig.maximum);
      problems.push({ field, reason: `has more than ${max} entries: the first ${max} were kept` });
      again = fieldSchema.safeParse(kept.slice(0, max));
    }
    if (!again.success)
      return { ok: false, problems: [...problems, ...describeIssues(again.error, field, kept)] };
    return { ok: true, value: again.data as Settings[SettingsField], problems };
  }
  const shape = groupShape(fieldSchema);
  if (shape && isRecord(value)) {
    const kept: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(value)) {
      const subSchema = shape[key];
      if (!subSchema) {
        problems.push(...unknownKeys({ [key]: sub }, {}, field).map(withOutcome('ignored')));
        continue;
      }
      const r = subSchema.safeParse(sub);
      if (r.success) kept[key] = r.data;
      else {
        const fallback = subSchema.safeParse(undefined);
        const outcome = fallback.success ? `the default ${showValue(fallback.data)} applies` : 'left out';
        problems.push(...describeIssues(r.error, `${field}.${key}`, sub).map(withOutcome(outcome)));
      }
    }
    const again = fieldSchema.safeParse(kept);
    if (again.success) return { ok: true, value: again.data as Settings[SettingsField], problems };
    const refused = describeIssues(again.error, field, kept).map(withOutcome(refusedOutcome));
    return { ok: false, problems: [...problems, ...refused] };
  }
  return { ok: false, problems: describeIssues(parsed.error, field, value).map(withOutcome(refusedOutcome)) };
}

/**
 * An allow-list entry whose tool id is usable but whose details are not: the bad
 * details are left out (each said), and "ScriptSwitch" is read as "scriptswitch".
 */
function salvageAllowListEntry(
  item: unknown,
  error: z.ZodError,
): { entry: Record<string, unknown>; problems: FieldProblem[] } | undefined {
  if (!isRecord(item)) return undefined;
  const entry: Record<string, unknown> = { ...item };
  const problems: FieldProblem[] = [];
  if (typeof entry.toolId === 'string' && entry.toolId.trim().toLowerCase() !== entry.toolId) {
    const lower = entry.toolId.trim().toLowerCase();
    problems.push({
      field: 'toolId',
      reason: `is not in lower case: read as "${lower}" (repaired)`,
      value: showValue(entry.toolId),
      suggestion: lower,
    });
    entry.toolId = lower;
  }
  for (const issue of error.issues) {
    const key = issue.path[0];
    if (typeof key !== 'string' || key === 'toolId' || !(key in entry)) continue;
    const [problem] = describeIssues(new z.ZodError([issue]), '', item);
    if (problem) problems.push({ ...problem, reason: `${problem.reason} (left out; the entry is kept)` });
    delete entry[key];
  }
  return { entry, problems };
}

/**
 * Repair, don't wipe: a stored value that fails validation is repaired field by field
 * and item by item (repairField); a field that cannot be used at all falls back to its
 * default. Each repair is recorded with its reason.
 */
export function repairSettings(raw: unknown): { settings: Settings; repairs: FieldProblem[] } {
  const repairs: FieldProblem[] = [];
  const defaults = settingsSchema.parse({});
  if (!isRecord(raw)) {
    if (raw !== undefined && raw !== null) {
      repairs.push({ field: '(settings)', reason: 'is not a group of settings: defaults used' });
    }
    return { settings: defaults, repairs };
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const field of SETTINGS_FIELDS) {
    if (!Object.hasOwn(raw, field)) continue;
    const repaired = repairField(field, raw[field], 'the default applies');
    repairs.push(...repaired.problems);
    if (repaired.ok) out[field] = repaired.value;
  }
  for (const key of Object.keys(raw)) {
    if (!SETTINGS_FIELDS.includes(key as SettingsField)) {
      repairs.push({
        ...unknownKeyProblem(key, raw[key]),
        reason: 'is not a setting this extension knows (dropped)',
      });
    }
  }
  return { settings: out as Settings, repairs };
}
