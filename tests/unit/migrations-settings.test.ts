import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  migrateStoredSettings,
  migrateV1toV2,
  SETTINGS_VERSION,
  settingsMigrations,
} from '../../lib/settings/migrations';
import { settingsSchema } from '../../lib/settings/schema';
import { parseSettingsImport, repairSettings } from '../../lib/settings/validate';
import { defineSettingsItem, readLocalSettings, readRepairs } from '../../platform/settings-store';

/**
 * Replays every migration from every stored-settings fixture (tests/fixtures/settings/vN.json)
 * through the real @wxt-dev/storage item on fakeBrowser storage, then validates the result.
 * All fixtures describe the same practice set-up, so every replay must end equal.
 */

// vitest runs from the repository root (happy-dom gives import.meta.url an http: scheme).
const FIXTURE_DIR = path.resolve('tests/fixtures/settings');

interface Fixture {
  version: number;
  settings: Record<string, unknown>;
}

const fixtures: Fixture[] = readdirSync(FIXTURE_DIR)
  .map((name) => /^v(\d+)\.json$/.exec(name))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({
    version: Number(m[1]),
    settings: JSON.parse(readFileSync(path.join(FIXTURE_DIR, m[0]), 'utf8')).settings,
  }))
  .sort((a, b) => a.version - b.version);

/** Seeds storage as that version left it, defines the item (which migrates), reads back. */
async function replay(fixture: Fixture): Promise<{ value: unknown; meta: unknown }> {
  await fakeBrowser.storage.local.set({ settings: fixture.settings, settings$: { v: fixture.version } });
  const item = defineSettingsItem();
  const value = await item.getValue();
  const { settings$: meta } = await fakeBrowser.storage.local.get('settings$');
  return { value, meta };
}

describe('settings fixtures', () => {
  it('there is one fixture for every version from 1 to the current one', () => {
    expect(fixtures.map((f) => f.version)).toEqual(Array.from({ length: SETTINGS_VERSION }, (_, i) => i + 1));
  });

  it('there is one migration step for every version after 1', () => {
    expect(Object.keys(settingsMigrations).map(Number).sort()).toEqual(
      Array.from({ length: SETTINGS_VERSION - 1 }, (_, i) => i + 2),
    );
  });

  it('the current-version fixture is valid as it stands (no migration, no repair)', () => {
    const current = fixtures.at(-1);
    expect(current?.version).toBe(SETTINGS_VERSION);
    const parsed = parseSettingsImport(current?.settings);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });
});

describe.each(fixtures)('replaying every migration from v$version', (fixture) => {
  it('ends at the current version, valid with no repair, equal to the current fixture', async () => {
    const { value, meta } = await replay(fixture);
    expect(meta).toEqual({ v: SETTINGS_VERSION });

    const strict = parseSettingsImport(value);
    expect(strict.ok ? [] : strict.problems).toEqual([]);
    const { repairs } = repairSettings(value);
    expect(repairs).toEqual([]);

    const current = fixtures.at(-1);
    expect(settingsSchema.parse(value)).toEqual(settingsSchema.parse(current?.settings));
  });

  it('the storage item and the pure replay agree', async () => {
    const { value } = await replay(fixture);
    expect(value).toEqual(migrateStoredSettings(fixture.settings, fixture.version));
  });

  it('readLocalSettings after migration records no repairs', async () => {
    await fakeBrowser.storage.local.set({ settings: fixture.settings, settings$: { v: fixture.version } });
    defineSettingsItem();
    // readLocalSettings uses the module's own item, already defined: migrate it explicitly.
    await defineSettingsItem().migrate();
    const settings = await readLocalSettings();
    expect(settings.allowList.map((e) => e.toolId)).toEqual(['scriptswitch']);
    expect(await readRepairs()).toEqual([]);
  });
});

describe('v1 → v2 step', () => {
  it('turns bare tool ids into entries and keeps entries that already are objects', () => {
    expect(migrateV1toV2({ allowList: ['scriptswitch', { toolId: 'optimiserx', reason: 'ESO' }] })).toEqual({
      allowList: [{ toolId: 'scriptswitch' }, { toolId: 'optimiserx', reason: 'ESO' }],
    });
  });

  it('maps banner.position left/right to the bottom corners', () => {
    expect(migrateV1toV2({ banner: { position: 'right', snoozeMinutes: 15 } })).toEqual({
      banner: { corner: 'bottom-right', snoozeMinutes: 15 },
    });
  });

  it('drops an unknown position so the default corner applies, keeping the other banner fields', async () => {
    const migrated = migrateV1toV2({ banner: { position: 'top', showMandatedNote: true } });
    expect(migrated).toEqual({ banner: { showMandatedNote: true } });
    expect(settingsSchema.parse(migrated).banner).toEqual({
      showMandatedNote: true,
      snoozeMinutes: 60,
      corner: 'bottom-right',
    });
  });

  it('passes through values it does not recognise, leaving them to the field-by-field repair', () => {
    expect(migrateV1toV2('garbage')).toBe('garbage');
    expect(migrateV1toV2(null)).toBe(null);
    expect(migrateV1toV2({ allowList: 'scriptswitch' })).toEqual({ allowList: 'scriptswitch' });
  });

  it('a v1 value with a bad entry migrates, then the read repairs only that entry, with its reason', async () => {
    await fakeBrowser.storage.local.set({
      settings: { allowList: ['scriptswitch', 'Not An Id!'], banner: { position: 'left' } },
      settings$: { v: 1 },
    });
    await defineSettingsItem().migrate();
    const settings = await readLocalSettings();
    expect(settings.allowList).toEqual([{ toolId: 'scriptswitch' }]);
    expect(settings.banner.corner).toBe('bottom-left');
    const repairs = await readRepairs();
    expect(repairs).toHaveLength(1);
    expect(repairs[0]?.field).toBe('allowList.1.toolId');
    expect(repairs[0]?.reason).toMatch(/entry left out/);
  });
});

describe('fresh install', () => {
  it('a first write records the current version', async () => {
    const item = defineSettingsItem();
    await item.setValue(settingsSchema.parse({}));
    const { settings$: meta } = await fakeBrowser.storage.local.get('settings$');
    expect(meta).toEqual({ v: SETTINGS_VERSION });
  });

  it('refuses a downgrade: a newer stored version is left untouched (never wiped)', async () => {
    const future = { allowList: [{ toolId: 'scriptswitch' }], futureField: 1 };
    await fakeBrowser.storage.local.set({ settings: future, settings$: { v: SETTINGS_VERSION + 1 } });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      await defineSettingsItem().getValue();
    } finally {
      console.error = original;
    }
    expect(errors.length).toBeGreaterThan(0);
    const { settings } = await fakeBrowser.storage.local.get('settings');
    expect(settings).toEqual(future);
  });
});
