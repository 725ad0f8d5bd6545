import { storage } from '@wxt-dev/storage';
import { browser } from 'wxt/browser';
import { isRecord } from '../lib/schema-atoms';
import { SETTINGS_VERSION, settingsMigrations } from '../lib/settings/migrations';
import {
  type EffectiveSettings,
  type PolicyMemory,
  readPolicyMemory,
  rememberPolicy,
  resolveSettings,
  samePolicy,
} from '../lib/settings/policy';
import { type Settings, settingsSchema } from '../lib/settings/schema';
import { describeIssues, type FieldProblem, repairSettings } from '../lib/settings/validate';

/**
 * Settings as stored (versioned, migrated, repaired field by field) and as in force
 * (local settings overridden field by field by enterprise policy).
 */

export { SETTINGS_VERSION };

/**
 * The stored settings (`local:settings`, meta `settings$` = `{ v: SETTINGS_VERSION }`).
 * Defining the item runs any pending migration (lib/settings/migrations.ts); a step
 * that fails leaves the value as it was and the field-by-field repair on read takes
 * over, so nothing is wiped wholesale. A factory so tests can define it over seeded storage.
 */
export function defineSettingsItem() {
  return storage.defineItem<unknown>('local:settings', {
    fallback: undefined,
    version: SETTINGS_VERSION,
    migrations: settingsMigrations,
  });
}

export const settingsItem = defineSettingsItem();

/** Why stored settings were repaired, for the options page. Kept until the next repair. */
export const repairLogItem = storage.defineItem<FieldProblem[]>('local:settingsRepairs', { fallback: [] });

export async function readLocalSettings(): Promise<Settings> {
  const raw = await settingsItem.getValue();
  const { settings, repairs } = repairSettings(raw ?? {});
  if (repairs.length > 0) {
    await repairLogItem.setValue(repairs);
    await settingsItem.setValue(settings);
  }
  return settings;
}

export type WriteResult =
  | { ok: true; settings: Settings }
  | { ok: false; error: string; problems: FieldProblem[] };

/** Validates before writing: an invalid value is refused, field by field, and the stored one stays. */
export async function writeLocalSettings(next: unknown): Promise<WriteResult> {
  const parsed = settingsSchema.safeParse(next);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error, '');
    return { ok: false, error: problems.map((p) => `${p.field}: ${p.reason}`).join('; '), problems };
  }
  await settingsItem.setValue(parsed.data);
  return { ok: true, settings: parsed.data };
}

/** Repairs recorded by the last read that needed one, for the options page. */
export function readRepairs(): Promise<FieldProblem[]> {
  return repairLogItem.getValue();
}

export async function clearRepairs(): Promise<void> {
  await repairLogItem.removeValue();
}

/**
 * Enterprise policy as the browser hands it over. Firefox rejects `storage.managed.get`
 * when policies.json has no block for the add-on ("Managed storage manifest not found");
 * some browsers have no managed area at all. Both mean: no policy.
 */
export async function readPolicy(): Promise<Record<string, unknown>> {
  try {
    const policy: unknown = await browser.storage.managed?.get();
    return isRecord(policy) ? policy : {};
  } catch {
    return {};
  }
}

/**
 * What was remembered of policy (lib/settings/policy.ts): the last policy read, settings
 * only, and the mandates of the last policy that set an allow-list.
 */
export const policyMemoryItem = storage.defineItem<unknown>('local:policyMemory', { fallback: null });

export async function readRememberedPolicy(): Promise<PolicyMemory | undefined> {
  return readPolicyMemory(await policyMemoryItem.getValue().catch(() => null));
}

/** Reads storage.managed (waiting for it), remembers what it said, and resolves against local settings. */
export async function readEffectiveSettings(): Promise<EffectiveSettings> {
  const [local, policy, previous] = await Promise.all([
    readLocalSettings(),
    readPolicy(),
    readRememberedPolicy(),
  ]);
  const memory = rememberPolicy(previous, policy, Date.now());
  // Best effort: a failed write only means the next start waits for storage.managed.
  await policyMemoryItem.setValue(memory).catch(() => undefined);
  return resolveSettings(local, policy, memory);
}

/**
 * Settings for the first verdicts after a start, without waiting for storage.managed
 * when a policy was read before: the remembered one is used at once, and `onFresh` is
 * called when storage.managed answers with something different (the caller re-decides,
 * withdrawing any flag the fresh policy does not allow). With no policy ever read, this
 * waits for storage.managed as before. Hazard log: H-POLICY-MEMORY.
 */
export async function startEffectiveSettings(onFresh: () => void): Promise<EffectiveSettings> {
  const [local, remembered] = await Promise.all([readLocalSettings(), readRememberedPolicy()]);
  if (!remembered) return readEffectiveSettings();
  void (async () => {
    const policy = await readPolicy();
    const fresh = rememberPolicy(remembered, policy, Date.now());
    await policyMemoryItem.setValue(fresh).catch(() => undefined);
    if (!samePolicy(remembered, fresh)) onFresh();
  })();
  return { ...resolveSettings(local, remembered.raw, remembered), policyFromMemory: true };
}

/**
 * The options page decided about mandates of a policy that is gone: they are forgotten
 * (no longer "not confirmed"; the practice's own allow-list decides from now on).
 */
export async function forgetRememberedMandates(): Promise<void> {
  const memory = await readRememberedPolicy();
  if (memory) await policyMemoryItem.setValue({ ...memory, mandates: [] });
}

/** Calls `onChange` whenever local settings or the policy change. Returns an unsubscribe. */
export function watchSettingsSources(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && 'settings' in changes)) onChange();
    // Another page decided about remembered mandates (forgotten), which changes verdicts.
    else if (area === 'local' && 'policyMemory' in changes && mandatesChanged(changes.policyMemory))
      onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/** The same policy, different mandates: the options page decided (a policy read is seen as area "managed"). */
function mandatesChanged(change: unknown): boolean {
  const { oldValue, newValue } = (change ?? {}) as { oldValue?: unknown; newValue?: unknown };
  const [before, after] = [readPolicyMemory(oldValue), readPolicyMemory(newValue)];
  return (
    JSON.stringify(before?.raw) === JSON.stringify(after?.raw) &&
    JSON.stringify(before?.mandates ?? []) !== JSON.stringify(after?.mandates ?? [])
  );
}
