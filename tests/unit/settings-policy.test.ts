import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parsePolicy, resolveSettings } from '../../lib/settings/policy';
import { type Settings, settingsSchema } from '../../lib/settings/schema';
import {
  readEffectiveSettings,
  readPolicy,
  watchSettingsSources,
  writeLocalSettings,
} from '../../platform/settings-store';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A practice's own settings: every field differs from the defaults. */
function localSettings(): Settings {
  return {
    allowList: [{ toolId: 'optimiserx', reason: 'Local choice' }],
    clinicalHosts: ['https://gp.local.example/*'],
    customSignatures: [],
    customTools: [{ id: 'local-tool', name: 'Local tool' }],
    banner: { showMandatedNote: true, snoozeMinutes: 15, corner: 'bottom-left' },
    lmcGuidanceUrl: 'https://lmc.example.org.uk/',
    tally: { enabled: false, retentionDays: 30 },
  };
}

const POLICY_ALLOW = [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27', reviewBy: '2027-03-31' }];
const POLICY_HOSTS = ['https://*.clinical.example.nhs.uk/*'];

describe('resolveSettings: policy wins field by field', () => {
  it.each([
    ['allowList', POLICY_ALLOW],
    ['clinicalHosts', POLICY_HOSTS],
    ['customTools', [{ id: 'icb-tool', name: 'ICB tool' }]],
    ['banner', { showMandatedNote: false, snoozeMinutes: 120, corner: 'bottom-right' }],
    ['lmcGuidanceUrl', 'https://policy-lmc.example.org.uk/guidance'],
    ['tally', { enabled: true, retentionDays: 200 }],
  ] as const)(
    '%s set by policy: policy value in force, field locked, every other field local',
    (field, value) => {
      const local = localSettings();
      const { settings, locked, policyProblems } = resolveSettings(local, { [field]: value });
      expect(policyProblems).toEqual([]);
      expect(locked).toEqual([field]);
      expect(settings[field]).toEqual(value);
      for (const other of Object.keys(local) as (keyof Settings)[]) {
        if (other !== field) expect(settings[other], other).toEqual(local[other]);
      }
    },
  );

  it('an empty or absent policy locks nothing and changes nothing', () => {
    for (const policy of [{}, undefined, null, 'nonsense', []]) {
      const { settings, locked, policyProblems } = resolveSettings(localSettings(), policy);
      expect(settings).toEqual(localSettings());
      expect(locked).toEqual([]);
      expect(policyProblems).toEqual([]);
    }
  });

  it('a policy allow-list replaces (does not merge with) the local one', () => {
    const { settings } = resolveSettings(localSettings(), { allowList: POLICY_ALLOW });
    expect(settings.allowList.map((e) => e.toolId)).toEqual(['scriptswitch']);
  });

  it('a partial nested policy object is completed with defaults, not with local values', () => {
    const { settings } = resolveSettings(localSettings(), { banner: { corner: 'bottom-right' } });
    expect(settings.banner).toEqual({ ...settingsSchema.parse({}).banner, corner: 'bottom-right' });
  });

  it('policy is repaired item by item: bad entries are refused with field and reason, the rest apply', () => {
    const { settings, locked, policyProblems } = resolveSettings(localSettings(), {
      allowList: [...POLICY_ALLOW, { toolId: '!!' }],
      clinicalHosts: ['<all_urls>', ...POLICY_HOSTS],
      tally: { enabled: 'yes', retentionDays: 200 },
    });
    expect(locked).toEqual(['allowList', 'clinicalHosts', 'tally']);
    expect(settings.allowList).toEqual(POLICY_ALLOW);
    expect(settings.clinicalHosts).toEqual(POLICY_HOSTS);
    // A refused value inside a group takes its default; the valid one beside it applies.
    expect(settings.tally).toEqual({ enabled: true, retentionDays: 200 });
    expect(policyProblems.map((p) => p.field)).toEqual([
      'allowList.1.toolId',
      'clinicalHosts.0',
      'tally.enabled',
    ]);
    expect(policyProblems[1]?.reason).toMatch(/match pattern/);
    expect(policyProblems[1]?.value).toBe('"<all_urls>"');
    expect(policyProblems[2]?.reason).toMatch(/true or false/);
  });

  it('a field refused whole (or with no usable entry) leaves the local value in force, unlocked', () => {
    const { settings, locked, policyProblems } = resolveSettings(localSettings(), {
      allowList: [{ reason: 'no id' }],
      clinicalHosts: 'https://x.example/*',
    });
    expect(locked).toEqual([]);
    expect(settings.allowList).toEqual(localSettings().allowList);
    expect(settings.clinicalHosts).toEqual(localSettings().clinicalHosts);
    expect(policyProblems.map((p) => p.field)).toEqual(['allowList.0.toolId', 'allowList', 'clinicalHosts']);
  });

  it('a mandated entry with a bad reviewBy stays mandated; the bad date is reported with its fix', () => {
    const { settings, policyProblems } = resolveSettings(localSettings(), {
      allowList: [
        { toolId: 'scriptswitch', reason: 'ESO', reviewBy: '31/03/2027' },
        { toolId: 'OptimiseRx' },
      ],
    });
    expect(settings.allowList).toEqual([{ toolId: 'scriptswitch', reason: 'ESO' }, { toolId: 'optimiserx' }]);
    expect(policyProblems).toEqual([
      expect.objectContaining({
        field: 'allowList.0.reviewBy',
        value: '"31/03/2027"',
        suggestion: '2027-03-31',
        reason: expect.stringMatching(/YYYY-MM-DD.*left out; the entry is kept/),
      }),
      expect.objectContaining({ field: 'allowList.1.toolId', suggestion: 'optimiserx' }),
    ]);
  });

  it('an unknown tool id is reported with the closest known id; a misspelt key with the key meant', () => {
    const { policyProblems } = resolveSettings(localSettings(), {
      allowList: [{ toolId: 'scriptswtich' }],
      allowlist: [],
    });
    expect(policyProblems).toEqual([
      expect.objectContaining({ field: 'allowlist', suggestion: 'allowList' }),
      expect.objectContaining({
        field: 'allowList.0.toolId',
        value: '"scriptswtich"',
        suggestion: 'scriptswitch',
        reason: expect.stringMatching(/not a tool this extension knows/),
      }),
    ]);
  });
});

describe('parsePolicy', () => {
  it.each([
    ['allowList entry without toolId', 'allowList.0.toolId', { allowList: [{ reason: 'ESO' }] }],
    ['a bare "*" host', 'clinicalHosts.0', { clinicalHosts: ['*'] }],
    ['an http LMC link', 'lmcGuidanceUrl', { lmcGuidanceUrl: 'http://lmc.example.org.uk/' }],
    [
      'a custom signature with no evidence',
      'customSignatures.0.evidence',
      { customSignatures: [{ id: 'x1', toolId: 'x1', description: 'abc', evidence: [] }] },
    ],
    ['an unknown key', 'allowlist', { allowlist: [] }],
  ])('refuses %s, naming %s, and sets nothing', (_label, field, raw) => {
    const { policy, problems } = parsePolicy(raw);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(
      problems.every((p) => p.reason.length > 0 && !/Invalid input|expected \w+, received/.test(p.reason)),
    ).toBe(true);
    expect(Object.keys(policy)).toEqual([]);
  });

  it.each([
    ['snooze out of range', 'banner.snoozeMinutes', { banner: { snoozeMinutes: 1 } }, { snoozeMinutes: 60 }],
    ['the top corner', 'banner.corner', { banner: { corner: 'top' } }, { corner: 'bottom-right' }],
  ])('repairs %s to the default, naming %s', (_label, field, raw, expected) => {
    const { policy, problems } = parsePolicy(raw);
    expect(problems.map((p) => p.field)).toEqual([field]);
    expect(problems[0]?.reason).toMatch(/default .* applies/);
    expect(policy.banner).toMatchObject(expected);
  });

  it('an allow-list of bare ids is read as entries', () => {
    const { policy, problems } = parsePolicy({ allowList: ['scriptswitch'] });
    expect(policy.allowList).toEqual([{ toolId: 'scriptswitch' }]);
    expect(problems.map((p) => p.field)).toEqual(['allowList.0']);
  });

  it('accepts the keys admins write, exactly as the admin guide shows them', () => {
    const { policy, problems } = parsePolicy({
      allowList: POLICY_ALLOW,
      clinicalHosts: ['http://clinical.test/*'],
    });
    expect(problems).toEqual([]);
    expect(policy).toEqual({ allowList: POLICY_ALLOW, clinicalHosts: ['http://clinical.test/*'] });
  });
});

describe('readPolicy and readEffectiveSettings (fakeBrowser)', () => {
  it('reads the managed area (Chrome/Edge policy)', async () => {
    await fakeBrowser.storage.managed.set({ allowList: POLICY_ALLOW });
    expect(await readPolicy()).toEqual({ allowList: POLICY_ALLOW });
  });

  it('Firefox without a policies.json block: managed.get rejects, read as no policy', async () => {
    const get = vi
      .spyOn(fakeBrowser.storage.managed, 'get')
      .mockRejectedValue(new Error('Managed storage manifest not found'));
    expect(await readPolicy()).toEqual({});
    expect(get).toHaveBeenCalled();
    await writeLocalSettings(localSettings());
    const effective = await readEffectiveSettings();
    expect(effective.settings).toEqual(localSettings());
    expect(effective.locked).toEqual([]);
  });

  it('a managed area that is not an object is no policy', async () => {
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockResolvedValue(undefined as never);
    expect(await readPolicy()).toEqual({});
  });

  it('local settings plus policy: the policy field is locked and in force', async () => {
    await writeLocalSettings(localSettings());
    await fakeBrowser.storage.managed.set({ clinicalHosts: POLICY_HOSTS, bogus: 1 });
    const effective = await readEffectiveSettings();
    expect(effective.locked).toEqual(['clinicalHosts']);
    expect(effective.settings.clinicalHosts).toEqual(POLICY_HOSTS);
    expect(effective.settings.allowList).toEqual(localSettings().allowList);
    expect(effective.policyProblems).toEqual([
      expect.objectContaining({ field: 'bogus', reason: expect.stringMatching(/not a setting/) }),
    ]);
  });

  it('a policy that arrives later is noticed (storage.onChanged, area "managed")', async () => {
    const onChange = vi.fn();
    const stop = watchSettingsSources(onChange);
    await fakeBrowser.storage.managed.set({ allowList: POLICY_ALLOW });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect((await readEffectiveSettings()).locked).toEqual(['allowList']);
    stop();
    await fakeBrowser.storage.managed.set({ clinicalHosts: POLICY_HOSTS });
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
