import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Signature } from '../../lib/catalogue/schema';
import { type Settings, settingsSchema } from '../../lib/settings/schema';
import { parseSettingsImport } from '../../lib/settings/validate';
import {
  applySignatureSetMerge,
  exportSignatureSet,
  mergeSignatureSet,
  parseSignatureSet,
  planSignatureSetMerge,
  signatureSetJson,
  toPolicyBlock,
} from '../../lib/signature-set';

const signature: Signature = {
  id: 'custom-formulary-nudge',
  toolId: 'formulary-nudge',
  description: 'Practice-defined: the "Formulary nudge" prompt.',
  evidence: [
    {
      kind: 'brand',
      text: { match: 'exact', value: 'Formulary nudge' },
      positions: ['label', 'heading'],
      weight: 0.45,
      basis: 'inferred',
    },
    { kind: 'attribute', name: 'data-vendor', contains: 'formularynudge', weight: 0.4, basis: 'inferred' },
  ],
  threshold: 0.8,
  exclusions: [],
  sources: [],
};
const tool = { id: 'formulary-nudge', name: 'Formulary Nudge' };
const unrelated = { id: 'other-tool', name: 'Other tool' };

describe('signature set export/import', () => {
  it('round-trips and carries only the tools its signatures use', () => {
    const set = exportSignatureSet([signature], [tool, unrelated]);
    expect(set.customTools).toEqual([tool]);
    const parsed = parseSignatureSet(signatureSetJson(set));
    expect(parsed).toEqual({ ok: true, set });
  });

  it('the policy block is valid settings and a valid settings import', () => {
    const block = toPolicyBlock(exportSignatureSet([signature], [tool]));
    expect(settingsSchema.safeParse(block).success).toBe(true);
    const imported = parseSettingsImport(block);
    expect(imported.ok).toBe(true);
    if (imported.ok) expect(imported.settings.customSignatures[0]?.id).toBe(signature.id);
  });

  it('refuses a file that is not a signature set', () => {
    expect(parseSignatureSet('{"allowList": []}')).toMatchObject({
      ok: false,
      problems: [{ field: 'format' }],
    });
    expect(parseSignatureSet('not json')).toMatchObject({ ok: false, problems: [{ field: '(file)' }] });
  });

  it('is all or nothing, naming the field and the reason', () => {
    const bad = exportSignatureSet(
      [
        signature,
        {
          ...signature,
          id: 'custom-b',
          evidence: [{ kind: 'selector', selector: 'div:nth-child(3)', weight: 1, basis: 'inferred' }],
        },
      ],
      [tool],
    );
    const result = parseSignatureSet(JSON.stringify(bad));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toContainEqual({
        field: 'customSignatures.1.evidence.0.selector',
        reason: expect.stringMatching(/positional/),
      });
    }
  });

  it('refuses unknown keys, duplicate ids and a wrong version', () => {
    const set = exportSignatureSet([signature], [tool]);
    expect(parseSignatureSet(JSON.stringify({ ...set, extra: 1 })).ok).toBe(false);
    expect(parseSignatureSet(JSON.stringify({ ...set, version: 2 })).ok).toBe(false);
    const dup = parseSignatureSet(JSON.stringify({ ...set, customSignatures: [signature, signature] }));
    expect(dup).toMatchObject({ ok: false, problems: [{ field: 'customSignatures.1.id' }] });
  });

  it('merges into settings, skipping identical items and refusing conflicting ids', () => {
    const set = exportSignatureSet([signature], [tool]);
    const first = mergeSignatureSet(settingsSchema.parse({}), set);
    expect(first).toMatchObject({ ok: true, added: 1 });
    if (!first.ok) return;
    const again = mergeSignatureSet(first.settings, set);
    expect(again).toMatchObject({ ok: true, added: 0 });
    if (again.ok) expect(again.settings.customSignatures).toHaveLength(1);
    const conflicting = mergeSignatureSet(first.settings, {
      ...set,
      customSignatures: [{ ...signature, threshold: 0.9 }],
    });
    expect(conflicting).toMatchObject({ ok: false, problems: [{ field: 'customSignatures.0.id' }] });
  });
});

describe('planSignatureSetMerge / applySignatureSetMerge (options page import)', () => {
  const base = JSON.parse(readFileSync(path.resolve('docs/examples/settings-export.json'), 'utf8')) as {
    customSignatures: Settings['customSignatures'];
    customTools: Settings['customTools'];
  };
  const set = exportSignatureSet(base.customSignatures, base.customTools);

  it('new items are added, identical ones skipped; a conflict is kept as ours unless replacing is confirmed', () => {
    const first = base.customSignatures[0];
    if (!first) throw new Error('the example has a custom signature');
    const ours: Settings = {
      ...settingsSchema.parse({}),
      customSignatures: [{ ...first, description: 'Our own wording of this signature' }],
    };
    const plan = planSignatureSetMerge(ours, set);
    expect(plan.conflicts.signatures).toEqual([first.id]);
    expect(plan.added.tools).toEqual(set.customTools.map((t) => t.id));
    const kept = applySignatureSetMerge(ours, set, { replaceConflicts: false });
    expect(kept.customSignatures.find((s) => s.id === first.id)?.description).toBe(
      'Our own wording of this signature',
    );
    expect(kept.customTools).toEqual(set.customTools);
    const replaced = applySignatureSetMerge(ours, set, { replaceConflicts: true });
    expect(replaced.customSignatures.find((s) => s.id === first.id)).toEqual(first);
    const again = planSignatureSetMerge(replaced, set);
    expect(again.identical.signatures.length).toBe(set.customSignatures.length);
    expect(again.added.signatures).toEqual([]);
  });
});
