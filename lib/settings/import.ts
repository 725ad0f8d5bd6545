import type { FieldProblem } from './problems';
import { showValue } from './problems';
import { SETTINGS_FIELDS, type Settings, type SettingsField } from './schema';
import { parsePartialSettings, parseSettingsImport } from './validate';

/**
 * Importing a settings file without losing anything: by default the file applies only
 * the keys it holds (absent keys keep their values); "replace all settings" must be
 * chosen explicitly. Every change is listed before anything is written.
 */

export type ImportMode = 'merge' | 'replace';

export interface SettingsChange {
  kind: 'added' | 'changed' | 'removed';
  /** Top-level field, for grouping and linking. */
  field: SettingsField;
  /** What inside the field, e.g. a tool id, a host, "snoozeMinutes"; empty for the whole field. */
  item: string;
  before?: string;
  after?: string;
}

export type ImportPlan =
  | { ok: true; next: Settings; changes: SettingsChange[] }
  | { ok: false; problems: FieldProblem[] };

/** Parses a file's JSON for `current`: nothing is written here. */
export function planImport(current: Settings, raw: unknown, mode: ImportMode): ImportPlan {
  if (mode === 'replace') {
    const parsed = parseSettingsImport(raw);
    if (!parsed.ok) return parsed;
    return { ok: true, next: parsed.settings, changes: diffSettings(current, parsed.settings) };
  }
  const parsed = parsePartialSettings(raw);
  if (!parsed.ok) return parsed;
  const next = { ...current, ...parsed.fields };
  return { ok: true, next, changes: diffSettings(current, next) };
}

/** How each list's entries are told apart: the same key in both is "changed", not removed and added. */
const LIST_KEYS: Partial<Record<SettingsField, (item: unknown) => string>> = {
  allowList: (e) => String((e as { toolId?: unknown }).toolId),
  clinicalHosts: (e) => String(e),
  customSignatures: (e) => String((e as { id?: unknown }).id),
  customTools: (e) => String((e as { id?: unknown }).id),
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every difference between two settings, entry by entry for lists and value by value for groups. */
export function diffSettings(before: Settings, after: Settings): SettingsChange[] {
  const changes: SettingsChange[] = [];
  for (const field of SETTINGS_FIELDS) {
    const a: unknown = before[field];
    const b: unknown = after[field];
    if (same(a, b)) continue;
    const keyOf = LIST_KEYS[field];
    if (keyOf && Array.isArray(a) && Array.isArray(b)) {
      const oldByKey = new Map(a.map((x) => [keyOf(x), x]));
      const newByKey = new Map(b.map((x) => [keyOf(x), x]));
      for (const [key, item] of newByKey) {
        const old = oldByKey.get(key);
        if (old === undefined) changes.push({ kind: 'added', field, item: key, after: showValue(item) });
        else if (!same(old, item))
          changes.push({ kind: 'changed', field, item: key, before: showValue(old), after: showValue(item) });
      }
      for (const [key, item] of oldByKey)
        if (!newByKey.has(key)) changes.push({ kind: 'removed', field, item: key, before: showValue(item) });
      continue;
    }
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
      const ra = a as Record<string, unknown>;
      const rb = b as Record<string, unknown>;
      for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
        if (!same(ra[key], rb[key]))
          changes.push({
            kind: 'changed',
            field,
            item: key,
            before: showValue(ra[key]),
            after: showValue(rb[key]),
          });
      }
      continue;
    }
    if (a === undefined) changes.push({ kind: 'added', field, item: '', after: showValue(b) });
    else if (b === undefined) changes.push({ kind: 'removed', field, item: '', before: showValue(a) });
    else changes.push({ kind: 'changed', field, item: '', before: showValue(a), after: showValue(b) });
  }
  return changes;
}
