import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parsePolicy } from '../../lib/settings/policy';
import { settingsSchema } from '../../lib/settings/schema';
import { parseSettingsImport, parseSignatureText, repairSettings } from '../../lib/settings/validate';
import {
  clearRepairs,
  readLocalSettings,
  readRepairs,
  writeLocalSettings,
} from '../../platform/settings-store';

const GOOD = {
  allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
  clinicalHosts: ['https://*.clinical.example.nhs.uk/*'],
};

describe('writeLocalSettings', () => {
  it('writes a valid value (defaults filled in)', async () => {
    const result = await writeLocalSettings(GOOD);
    expect(result.ok).toBe(true);
    expect(await readLocalSettings()).toEqual({ ...settingsSchema.parse({}), ...GOOD });
  });

  it('refuses an invalid value field by field and keeps the stored one', async () => {
    await writeLocalSettings(GOOD);
    const result = await writeLocalSettings({
      ...GOOD,
      clinicalHosts: ['<all_urls>'],
      tally: { retentionDays: 0 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['clinicalHosts.0', 'tally.retentionDays']);
    expect(result.error).toMatch(/clinicalHosts\.0: /);
    expect((await readLocalSettings()).clinicalHosts).toEqual(GOOD.clinicalHosts);
  });
});

describe('readLocalSettings repairs, never wipes', () => {
  it('keeps every valid field and item, repairs the rest, records why, and stores the repair', async () => {
    await fakeBrowser.storage.local.set({
      settings: {
        allowList: [{ toolId: 'scriptswitch' }, { toolId: '!!' }],
        clinicalHosts: ['https://ok.example/*'],
        banner: 'loud',
        mystery: true,
      },
      settings$: { v: 2 },
    });
    const settings = await readLocalSettings();
    expect(settings.allowList).toEqual([{ toolId: 'scriptswitch' }]);
    expect(settings.clinicalHosts).toEqual(['https://ok.example/*']);
    expect(settings.banner).toEqual(settingsSchema.parse({}).banner);
    const repairs = await readRepairs();
    expect(repairs.map((r) => r.field)).toEqual(['allowList.1.toolId', 'banner', 'mystery']);
    expect(repairs.every((r) => r.reason.length > 0)).toBe(true);
    const { settings: stored } = await fakeBrowser.storage.local.get('settings');
    expect(stored).toEqual(settings);
    await clearRepairs();
    expect(await readRepairs()).toEqual([]);
  });
});

describe('parseSettingsImport (all or nothing)', () => {
  it('accepts an export', () => {
    const result = parseSettingsImport({ ...settingsSchema.parse({}), ...GOOD });
    expect(result.ok).toBe(true);
  });

  it('names every bad field with its reason', () => {
    const result = parseSettingsImport({
      allowList: [{ toolId: 'Script Switch' }],
      lmcGuidanceUrl: 'ftp://x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['allowList.0.toolId', 'lmcGuidanceUrl']);
  });

  it('explains a whole policy file pasted in place of the extension block', () => {
    const result = parseSettingsImport({ '3rdparty': { extensions: {} } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.field).toBe('3rdparty');
    expect(result.problems[0]?.reason).toMatch(/whole policy file/);
  });

  it('refuses what is not an object', () => {
    expect(parseSettingsImport([1, 2])).toEqual({
      ok: false,
      problems: [{ field: '(file)', reason: 'should be a JSON object in { }' }],
    });
  });
});

describe('parseSignatureText', () => {
  it('reports JSON syntax errors', () => {
    const result = parseSignatureText('{ "id": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.field).toBe('(JSON)');
  });

  it('reports schema problems by field', () => {
    const result = parseSignatureText(
      JSON.stringify({
        id: 'mine',
        toolId: 'mine',
        description: 'mine',
        evidence: [{ kind: 'selector', selector: 'div:nth-child(2)', weight: 0.5, basis: 'inferred' }],
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toContain('evidence.0.selector');
  });
});

describe('unknown and oversized input', () => {
  it('import refuses a misspelt nested key, naming it', () => {
    const result = parseSettingsImport({
      banner: { snoozeMinuts: 5 },
      allowList: [{ toolId: 'scriptswitch', reasn: 'x' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field).sort()).toEqual(['allowList.0.reasn', 'banner.snoozeMinuts']);
  });

  it('policy applies a field with a misspelt nested key but reports the key', () => {
    const { policy, problems } = parsePolicy({ banner: { corner: 'bottom-left', snoozeMinuts: 5 } });
    expect(policy.banner?.corner).toBe('bottom-left');
    expect(problems).toEqual([
      {
        field: 'banner.snoozeMinuts',
        reason: expect.stringMatching(/not a setting.*ignored/),
        value: '5',
        suggestion: 'snoozeMinutes',
      },
    ]);
  });

  it('repair records a dropped nested key and keeps the rest of the field', () => {
    const { settings, repairs } = repairSettings({ banner: { snoozeMinutes: 30, loud: true } });
    expect(settings.banner.snoozeMinutes).toBe(30);
    expect(repairs).toEqual([
      { field: 'banner.loud', reason: expect.stringMatching(/not a setting/), value: 'true' },
    ]);
  });

  it('repair keeps the first 100 allow-list entries of 101 instead of emptying the list', () => {
    const entries = Array.from({ length: 101 }, (_, i) => ({ toolId: `tool-${i}` }));
    const { settings, repairs } = repairSettings({ allowList: entries });
    expect(settings.allowList).toEqual(entries.slice(0, 100));
    expect(repairs).toEqual([
      { field: 'allowList', reason: 'has more than 100 entries: the first 100 were kept' },
    ]);
  });

  it('repair of a non-list field holding an array uses the default, with a reason', () => {
    const { settings, repairs } = repairSettings({ lmcGuidanceUrl: [0], tally: [] });
    expect(settings.lmcGuidanceUrl).toBeUndefined();
    expect(settings.tally).toEqual(settingsSchema.parse({}).tally);
    expect(repairs.map((r) => r.field)).toEqual(['lmcGuidanceUrl', 'tally']);
  });
});
