import type { z } from 'zod';
import { SETTINGS_FIELDS, type Settings, type SettingsField, settingsSchema } from './schema';

/** A problem with one field, said so a person can fix it. */
export interface FieldProblem {
  /** Dotted path, e.g. "allowList.2.toolId". */
  field: string;
  reason: string;
}

export function describeIssues(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
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
  const unknownKeys = Object.keys(raw).filter((k) => !SETTINGS_FIELDS.includes(k as SettingsField));
  if (unknownKeys.length > 0) {
    return {
      ok: false,
      problems: unknownKeys.map((k) => ({ field: k, reason: 'not a setting this extension knows' })),
    };
  }
  const result = settingsSchema.safeParse(raw);
  if (!result.success) return { ok: false, problems: describeIssues(result.error, '') };
  return { ok: true, settings: result.data };
}

/**
 * Repair, don't wipe: a stored value that fails validation is repaired field by field
 * (array items one by one); each repair is recorded with its reason.
 */
export function repairSettings(raw: unknown): { settings: Settings; repairs: FieldProblem[] } {
  const repairs: FieldProblem[] = [];
  const defaults = settingsSchema.parse({});
  if (!isRecord(raw)) {
    if (raw !== undefined && raw !== null) repairs.push({ field: '(settings)', reason: 'not an object: defaults used' });
    return { settings: defaults, repairs };
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const field of SETTINGS_FIELDS) {
    if (!(field in raw)) continue;
    const fieldSchema = settingsSchema.shape[field];
    const value = raw[field];
    const parsed = fieldSchema.safeParse(value);
    if (parsed.success) {
      out[field] = parsed.data;
      continue;
    }
    if (Array.isArray(value)) {
      const itemSchema = (fieldSchema as unknown as { unwrap(): z.ZodArray<z.ZodType> }).unwrap().element;
      const kept: unknown[] = [];
      value.forEach((item, index) => {
        const r = itemSchema.safeParse(item);
        if (r.success) kept.push(r.data);
        else repairs.push(...describeIssues(r.error, `${field}.${index}`).map((p) => ({ ...p, reason: `${p.reason} (item removed)` })));
      });
      const again = fieldSchema.safeParse(kept);
      out[field] = again.success ? again.data : defaults[field];
      continue;
    }
    repairs.push(...describeIssues(parsed.error, field).map((p) => ({ ...p, reason: `${p.reason} (default used)` })));
  }
  for (const key of Object.keys(raw)) {
    if (!SETTINGS_FIELDS.includes(key as SettingsField)) repairs.push({ field: key, reason: 'unknown setting dropped' });
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
      problems.push({ field: key, reason: 'not a setting this extension knows (ignored)' });
      continue;
    }
    const field = key as SettingsField;
    const parsed = settingsSchema.shape[field].safeParse(value);
    if (parsed.success) (policy as Record<string, unknown>)[field] = parsed.data;
    else problems.push(...describeIssues(parsed.error, field));
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
