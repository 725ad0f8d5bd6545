import { builtInTools } from '../catalogue';
import { isRecord } from '../schema-atoms';
import { closestId, type FieldProblem, showValue } from './problems';
import { type AllowListEntry, SETTINGS_FIELDS, type Settings, type SettingsField } from './schema';
import { repairField, unknownKeys } from './validate';

/**
 * Enterprise policy, read item by item. Chrome keeps every item (the managed schema is
 * deliberately loose, see managed-schema.ts); this module decides what of it is usable,
 * repairs what it can, and says what it refused and why, for the IT lead.
 *
 * It also remembers the last policy read (settings only), so that:
 * - verdicts need not wait for `storage.managed` at start (it answers ~3 s late);
 * - a tool the last policy mandated is never shown as "may be switched off" merely
 *   because the policy vanished or became unreadable: it is "not confirmed" until a
 *   policy or the options page decides.
 */

/** What is remembered of policy between starts (storage.local): settings only. */
export interface PolicyMemory {
  /** The last policy storage.managed gave, its settings keys only. */
  raw: Record<string, unknown>;
  /** When storage.managed gave it (epoch ms). */
  readAt: number;
  /** The allow-list of the last policy that set one. */
  mandates: AllowListEntry[];
}

export interface EffectiveSettings {
  settings: Settings;
  /** Fields set by enterprise policy: shown locked in the options page. */
  locked: SettingsField[];
  /** Every value of the policy refused or repaired, and why. */
  policyProblems: FieldProblem[];
  /** Tools the last policy mandated that nothing in force confirms now. Never flagged. */
  unconfirmedMandates: AllowListEntry[];
  /** When policy was last read (epoch ms), if ever. */
  policyReadAt?: number;
  /** True while the policy in force is the remembered one (storage.managed has not answered yet). */
  policyFromMemory?: boolean;
}

/**
 * Reads an enterprise policy field by field and item by item: what is valid (or can be
 * repaired) is taken, the rest is refused with its reason; a field refused whole leaves
 * the practice's own value in force.
 */
export function parsePolicy(raw: unknown): { policy: Partial<Settings>; problems: FieldProblem[] } {
  const policy: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  if (!isRecord(raw)) return { policy, problems };
  for (const [key, value] of Object.entries(raw)) {
    if (!SETTINGS_FIELDS.includes(key as SettingsField)) {
      const [problem] = unknownKeys(
        { [key]: value },
        Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, 0])),
        '',
      );
      problems.push({
        ...(problem ?? { field: key }),
        field: key || '(empty key)',
        reason: 'is not a setting this extension knows (ignored)',
      });
      continue;
    }
    const field = key as SettingsField;
    const repaired = repairField(field, value, "ignored: the practice's own setting applies");
    problems.push(...repaired.problems);
    // A list whose every entry was refused is not "the policy sets an empty list": an
    // emptied allow-list would flag the tools it meant to mandate.
    const emptied =
      repaired.ok &&
      Array.isArray(value) &&
      value.length > 0 &&
      Array.isArray(repaired.value) &&
      repaired.value.length === 0;
    if (emptied)
      problems.push({ field, reason: "has no usable entry: ignored, the practice's own setting applies" });
    else if (repaired.ok) policy[field] = repaired.value;
  }
  return { policy: policy as Partial<Settings>, problems };
}

/** Ids a policy allow-list entry can meaningfully name: built-in tools and the practice's own. */
export function knownToolIds(settings: Settings): string[] {
  return [
    ...new Set([
      ...builtInTools.map((t) => t.id),
      ...settings.customTools.map((t) => t.id),
      ...settings.customSignatures.map((s) => s.toolId),
    ]),
  ];
}

/** Policy allow-list entries naming no known tool: kept (harmless) but reported with the closest id. */
function unknownToolProblems(settings: Settings): FieldProblem[] {
  const known = knownToolIds(settings);
  return settings.allowList.flatMap((entry, index) => {
    if (known.includes(entry.toolId)) return [];
    const problem: FieldProblem = {
      field: `allowList.${index}.toolId`,
      reason: 'is not a tool this extension knows, so this entry mandates nothing',
      value: showValue(entry.toolId),
    };
    const near = closestId(entry.toolId, known);
    if (near) problem.suggestion = near;
    return [problem];
  });
}

/**
 * Policy wins field by field over local settings. `memory` is what was remembered of
 * earlier policy: its mandates stay "not confirmed" while no policy sets an allow-list.
 */
export function resolveSettings(
  local: Settings,
  policyRaw: unknown,
  memory?: PolicyMemory,
): EffectiveSettings {
  const { policy, problems } = parsePolicy(policyRaw);
  const locked = Object.keys(policy) as SettingsField[];
  const settings = { ...local, ...policy };
  if (locked.includes('allowList')) problems.push(...unknownToolProblems(settings));
  const unconfirmedMandates = locked.includes('allowList')
    ? []
    : (memory?.mandates ?? []).filter((m) => !settings.allowList.some((e) => e.toolId === m.toolId));
  return {
    settings,
    locked,
    policyProblems: problems,
    unconfirmedMandates,
    ...(memory ? { policyReadAt: memory.readAt } : {}),
  };
}

/** The settings keys of a policy, nothing else (what may be remembered). */
export function policySettingsOnly(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) return {};
  return Object.fromEntries(
    Object.entries(raw).filter(([k]) => SETTINGS_FIELDS.includes(k as SettingsField)),
  );
}

/**
 * The memory after storage.managed answered with `raw`: the policy and its time
 * replace the old ones; the mandates change only when this policy sets an allow-list
 * (it decides), so a vanished or unreadable policy leaves the last mandates standing.
 */
export function rememberPolicy(previous: PolicyMemory | undefined, raw: unknown, now: number): PolicyMemory {
  const { policy } = parsePolicy(raw);
  return {
    raw: policySettingsOnly(raw),
    readAt: now,
    mandates: policy.allowList ?? previous?.mandates ?? [],
  };
}

/** Whether two memories differ in anything that changes a verdict or the options page (not the time). */
export function samePolicy(a: PolicyMemory | undefined, b: PolicyMemory | undefined): boolean {
  return JSON.stringify([a?.raw, a?.mandates]) === JSON.stringify([b?.raw, b?.mandates]);
}

/** A stored memory as read back: anything malformed is no memory (the start-up wait applies). */
export function readPolicyMemory(stored: unknown): PolicyMemory | undefined {
  if (!isRecord(stored) || !isRecord(stored.raw) || typeof stored.readAt !== 'number') return undefined;
  const mandates = repairField('allowList', stored.mandates);
  return {
    raw: policySettingsOnly(stored.raw),
    readAt: stored.readAt,
    mandates: mandates.ok ? (mandates.value as AllowListEntry[]) : [],
  };
}
