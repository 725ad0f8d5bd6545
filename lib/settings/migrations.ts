import { isRecord } from '../schema-atoms';

/**
 * Stored-settings versions and the steps between them. `@wxt-dev/storage` runs every
 * step from the stored version (meta key "settings$", `{ v: N }`) up to
 * SETTINGS_VERSION when the item is defined; platform/settings-store.ts wires these in.
 *
 * A step is a pure function of the stored value. It never throws and never drops data
 * it cannot place: a value it does not recognise passes through unchanged, and the
 * field-by-field repair on read (repairSettings) decides what to keep, with reasons.
 *
 * v1 (pre-release, 0.0.x):
 *   allowList: string[]                    tool ids only, no basis
 *   banner.position: 'left' | 'right'      the bottom corner, by side
 * v2 (current):
 *   allowList: { toolId, reason?, reference?, reviewBy? }[]   the policy shape admins write
 *   banner.corner: 'bottom-left' | 'bottom-right'
 *
 * Adding v3: write `migrateV2toV3`, add it as `3`, bump SETTINGS_VERSION, add
 * tests/fixtures/settings/v3.json; the replay test picks every fixture up.
 */

export const SETTINGS_VERSION = 2;

type Migration = (stored: unknown) => unknown;

const V1_POSITION_TO_CORNER: Record<string, string> = { left: 'bottom-left', right: 'bottom-right' };

/** v1 → v2: allow-list ids become entries; banner.position becomes banner.corner. */
export function migrateV1toV2(stored: unknown): unknown {
  if (!isRecord(stored)) return stored;
  const next: Record<string, unknown> = { ...stored };
  if (Array.isArray(stored.allowList)) {
    next.allowList = stored.allowList.map((entry) => (typeof entry === 'string' ? { toolId: entry } : entry));
  }
  if (isRecord(stored.banner) && 'position' in stored.banner) {
    const { position, ...banner } = stored.banner;
    const corner = typeof position === 'string' ? V1_POSITION_TO_CORNER[position] : undefined;
    // An unknown position is left out: the default corner applies.
    next.banner = corner && !('corner' in banner) ? { ...banner, corner } : banner;
  }
  return next;
}

/** Keyed by the version each step produces, as `@wxt-dev/storage` expects. */
export const settingsMigrations: Record<number, Migration> = {
  2: migrateV1toV2,
};

/** Replays every step from `fromVersion` to SETTINGS_VERSION (what the storage item does on load). */
export function migrateStoredSettings(stored: unknown, fromVersion: number): unknown {
  let value = stored;
  for (let v = fromVersion + 1; v <= SETTINGS_VERSION; v += 1)
    value = settingsMigrations[v]?.(value) ?? value;
  return value;
}
