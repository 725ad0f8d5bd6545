import { z } from 'zod';
import { type Signature, signatureSchema } from '../catalogue/schema';
import { SETTINGS_FIELDS, type Settings, type SettingsField, settingsSchema } from './schema';

/** A problem with one field, said so a person can fix it. */
export interface FieldProblem {
  /** Dotted path, e.g. "allowList.2.toolId". */
  field: string;
  reason: string;
}

export function describeIssues(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(top level)',
    reason: issue.message,
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strict parse for imports: all or nothing. A bad import changes nothing and says
 * which field is wrong and why.
 */
export function parseSettingsImport(
  raw: unknown,
): { ok: true; settings: Settings } | { ok: false; problems: FieldProblem[] } {
  if (!isRecord(raw)) return { ok: false, problems: [{ field: '(file)', reason: 'expected a JSON object' }] };
  const strangers = Object.keys(raw).filter((k) => !SETTINGS_FIELDS.includes(k as SettingsField));
  if (strangers.length > 0) {
    return {
      ok: false,
      problems: strangers.map((k) => ({ field: k || '(empty key)', reason: unknownKeyReason(k) })),
    };
  }
  const result = settingsSchema.safeParse(raw);
  if (!result.success) return { ok: false, problems: describeIssues(result.error, '') };
  // A misspelt nested key ("snoozeMinuts") would otherwise vanish without a word.
  const nested = unknownKeys(raw, result.data, '').map((p) => ({ ...p, field: p.field.replace(/^\./, '') }));
  if (nested.length > 0) return { ok: false, problems: nested };
  return { ok: true, settings: result.data };
}

/** Whole policy files are a common mistake: say what to import instead. */
function unknownKeyReason(key: string): string {
  if (key === '3rdparty' || key === 'policies') {
    return "not a setting: this looks like a whole policy file; import only the extension's own block (the object with allowList, clinicalHosts…)";
  }
  return 'not a setting this extension knows';
}

/**
 * Parses one signature as typed in the options page's JSON editor: the JSON syntax
 * first, then the signature schema, each problem with its field and reason.
 */
export function parseSignatureText(
  text: string,
): { ok: true; signature: Signature } | { ok: false; problems: FieldProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ field: '(JSON)', reason: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const parsed = signatureSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error, '') };
  return { ok: true, signature: parsed.data };
}

/** The item schema of a list field (`z.array(...).default([])`), or undefined for other fields. */
function listItemSchema(fieldSchema: z.ZodType): z.ZodType | undefined {
  const inner = fieldSchema instanceof z.ZodDefault ? fieldSchema.unwrap() : fieldSchema;
  return inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
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
  return Object.keys(input).flatMap((key) =>
    Object.hasOwn(output, key)
      ? unknownKeys(input[key], output[key], `${path}.${key}`)
      : [{ field: `${path}.${key || '(empty key)'}`, reason: 'not a setting this extension knows' }],
  );
}

/**
 * Repair, don't wipe: a stored value that fails validation is repaired field by field
 * (list items one by one; a list over its limit keeps its first entries); each repair
 * is recorded with its reason.
 */
export function repairSettings(raw: unknown): { settings: Settings; repairs: FieldProblem[] } {
  const repairs: FieldProblem[] = [];
  const defaults = settingsSchema.parse({});
  if (!isRecord(raw)) {
    if (raw !== undefined && raw !== null) {
      repairs.push({ field: '(settings)', reason: 'not an object: defaults used' });
    }
    return { settings: defaults, repairs };
  }
  const out: Record<string, unknown> = { ...defaults };
  const defaultUsed = (p: FieldProblem) => ({ ...p, reason: `${p.reason} (default used)` });
  for (const field of SETTINGS_FIELDS) {
    if (!Object.hasOwn(raw, field)) continue;
    const fieldSchema = settingsSchema.shape[field] as z.ZodType;
    const value = raw[field];
    const parsed = fieldSchema.safeParse(value);
    if (parsed.success) {
      out[field] = parsed.data;
      repairs.push(
        ...unknownKeys(value, parsed.data, field).map((p) => ({ ...p, reason: 'unknown setting dropped' })),
      );
      continue;
    }
    const itemSchema = listItemSchema(fieldSchema);
    if (!itemSchema || !Array.isArray(value)) {
      repairs.push(...describeIssues(parsed.error, field).map(defaultUsed));
      out[field] = defaults[field];
      continue;
    }
    const kept: unknown[] = [];
    value.forEach((item, index) => {
      const r = itemSchema.safeParse(item);
      if (r.success) {
        kept.push(r.data);
        repairs.push(
          ...unknownKeys(item, r.data, `${field}.${index}`).map((p) => ({
            ...p,
            reason: 'unknown setting dropped',
          })),
        );
      } else {
        repairs.push(
          ...describeIssues(r.error, `${field}.${index}`).map((p) => ({
            ...p,
            reason: `${p.reason} (item removed)`,
          })),
        );
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
      repairs.push({ field, reason: `more than ${max} entries: kept the first ${max}` });
      again = fieldSchema.safeParse(kept.slice(0, max));
    }
    if (!again.success) repairs.push(...describeIssues(again.error, field).map(defaultUsed));
    out[field] = again.success ? again.data : defaults[field];
  }
  for (const key of Object.keys(raw)) {
    if (!SETTINGS_FIELDS.includes(key as SettingsField)) {
      repairs.push({ field: key || '(empty key)', reason: 'unknown setting dropped' });
    }
  }
  return { settings: out as Settings, repairs };
}

/**
 * Reads an enterprise policy: each field is taken only when valid; a bad field is
 * refused with its reason and the local value stays in force for it.
 */
export function parsePolicy(raw: unknown): {
  policy: Partial<Settings>;
  problems: FieldProblem[];
} {
  const policy: Partial<Settings> = {};
  const problems: FieldProblem[] = [];
  if (!isRecord(raw)) return { policy, problems };
  for (const [key, value] of Object.entries(raw)) {
    if (!SETTINGS_FIELDS.includes(key as SettingsField)) {
      problems.push({ field: key || '(empty key)', reason: 'not a setting this extension knows (ignored)' });
      continue;
    }
    const field = key as SettingsField;
    const parsed = settingsSchema.shape[field].safeParse(value);
    if (parsed.success) {
      (policy as Record<string, unknown>)[field] = parsed.data;
      // Applied without them: said so, so the admin can fix a misspelt key.
      problems.push(
        ...unknownKeys(value, parsed.data, field).map((p) => ({ ...p, reason: `${p.reason} (ignored)` })),
      );
    } else problems.push(...describeIssues(parsed.error, field));
  }
  return { policy, problems };
}

export interface EffectiveSettings {
  settings: Settings;
  /** Fields set by enterprise policy: shown locked in the options page. */
  locked: SettingsField[];
  policyProblems: FieldProblem[];
}

/** Policy wins field by field over local settings. */
export function resolveSettings(local: Settings, policyRaw: unknown): EffectiveSettings {
  const { policy, problems } = parsePolicy(policyRaw);
  const locked = Object.keys(policy) as SettingsField[];
  return { settings: { ...local, ...policy }, locked, policyProblems: problems };
}
