import { describe, expect, it } from 'vitest';
import { diffSettings, planImport } from '../../lib/settings/import';
import { type Settings, settingsSchema } from '../../lib/settings/schema';

/** A partial import must not wipe hosts or the LMC link: absent keys keep their values. */
const SAVED: Settings = {
  ...settingsSchema.parse({}),
  allowList: [{ toolId: 'scriptswitch', reason: 'BSol ESO 2026/27' }],
  clinicalHosts: ['https://emis.example.nhs.uk/*'],
  lmcGuidanceUrl: 'https://lmc.example.org.uk/',
};

describe('planImport', () => {
  it('merge (the default): a partial file changes only the keys it holds, and lists each change', () => {
    const plan = planImport(SAVED, { allowList: [{ toolId: 'optimiserx', reason: 'test' }] }, 'merge');
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.next.clinicalHosts).toEqual(SAVED.clinicalHosts);
    expect(plan.next.lmcGuidanceUrl).toBe(SAVED.lmcGuidanceUrl);
    expect(plan.next.allowList).toEqual([{ toolId: 'optimiserx', reason: 'test' }]);
    expect(plan.changes.map((c) => `${c.kind} ${c.field} ${c.item}`)).toEqual([
      'added allowList optimiserx',
      'removed allowList scriptswitch',
    ]);
  });

  it('replace: absent keys return to their defaults, and every removal is listed', () => {
    const plan = planImport(SAVED, { allowList: SAVED.allowList }, 'replace');
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.next.clinicalHosts).toEqual([]);
    expect(plan.changes.map((c) => `${c.kind} ${c.field} ${c.item}`)).toEqual([
      'removed clinicalHosts https://emis.example.nhs.uk/*',
      'removed lmcGuidanceUrl ',
    ]);
  });

  it('a bad file is refused whole, in plain words with a suggested fix, and names no raw zod message', () => {
    const plan = planImport(
      SAVED,
      {
        clinicalHosts: ['https://emis.example.nhs.uk'],
        allowList: [{ toolId: 'scriptswtich', reviewBy: '31/03/2027' }],
        banner: { snoozeMinutes: '30', corner: 'top' },
        allowlist: [],
      },
      'merge',
    );
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    const byField = Object.fromEntries(plan.problems.map((p) => [p.field, p]));
    expect(byField['clinicalHosts.0']?.suggestion).toBe('https://emis.example.nhs.uk/*');
    expect(byField['allowList.0.reviewBy']?.suggestion).toBe('2027-03-31');
    expect(byField['banner.snoozeMinutes']?.reason).toBe('should be a number, but is text');
    expect(byField['banner.corner']?.reason).toBe('must be one of: bottom-right, bottom-left');
    expect(byField.allowlist?.suggestion).toBe('allowList');
    for (const p of plan.problems) expect(p.reason).not.toMatch(/Invalid|expected \w+, received/);
  });

  it('a file identical to what is saved has no changes', () => {
    const plan = planImport(SAVED, SAVED, 'merge');
    expect(plan.ok && plan.changes).toEqual([]);
  });
});

describe('diffSettings', () => {
  it('a changed entry of a list is one change, with before and after; a group value is named', () => {
    const after = {
      ...SAVED,
      allowList: [{ toolId: 'scriptswitch', reason: 'changed' }],
      banner: { ...SAVED.banner, snoozeMinutes: 30 },
    };
    expect(diffSettings(SAVED, after)).toEqual([
      expect.objectContaining({ kind: 'changed', field: 'allowList', item: 'scriptswitch' }),
      { kind: 'changed', field: 'banner', item: 'snoozeMinutes', before: '60', after: '30' },
    ]);
  });
});
