import { storage } from '@wxt-dev/storage';
import { browser } from 'wxt/browser';
import { type Settings, settingsSchema } from '../lib/settings/schema';
import { type EffectiveSettings, type FieldProblem, repairSettings, resolveSettings } from '../lib/settings/validate';

/**
 * Settings as stored (versioned, migrated, repaired field by field) and as in force
 * (local settings overridden field by field by enterprise policy).
 */

export const SETTINGS_VERSION = 1;

export const settingsItem = storage.defineItem<unknown>('local:settings', {
  fallback: undefined,
  version: SETTINGS_VERSION,
});

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

/** Validates before writing: an invalid value is refused and the stored one stays. */
export async function writeLocalSettings(next: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  const parsed = settingsSchema.safeParse(next);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  await settingsItem.setValue(parsed.data);
  return { ok: true };
}

/** Enterprise policy. Firefox throws when no policy exists; Chrome may have no managed area in tests. */
export async function readPolicy(): Promise<unknown> {
  try {
    return (await browser.storage.managed?.get()) ?? {};
  } catch {
    return {};
  }
}

export async function readEffectiveSettings(): Promise<EffectiveSettings> {
  const [local, policy] = await Promise.all([readLocalSettings(), readPolicy()]);
  return resolveSettings(local, policy);
}

/** Calls `onChange` whenever local settings or the policy change. Returns an unsubscribe. */
export function watchSettingsSources(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && 'settings' in changes)) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
