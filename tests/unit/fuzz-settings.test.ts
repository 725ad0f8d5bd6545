import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { builtInSignatures } from '../../lib/catalogue';
import { signatureSchema } from '../../lib/catalogue/schema';
import { migrateStoredSettings, SETTINGS_VERSION } from '../../lib/settings/migrations';
import { parsePolicy, resolveSettings } from '../../lib/settings/policy';
import {
  SETTINGS_FIELDS,
  type Settings,
  type SettingsField,
  settingsSchema,
} from '../../lib/settings/schema';
import { parseSettingsImport, repairSettings } from '../../lib/settings/validate';
import { defineSettingsItem, readLocalSettings, writeLocalSettings } from '../../platform/settings-store';

/**
 * Property-based tests over every settings parser: import, stored-value repair,
 * enterprise policy, migrations and the validated write. Random and adversarial
 * input must never throw, never produce an invalid value, and never lose a good one.
 * Fixed seeds: a failure prints its seed and counterexample and replays identically.
 */

const SEED = 0x5afe_0009;
const RUNS = 2000;

// ---------------------------------------------------------------------------
// Valid, already-normalised field values (parse(x) deep-equals x): these must
// survive every repair and every policy merge bit for bit.
// ---------------------------------------------------------------------------

const idChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split(''));
const toolIdArb = fc
  .tuple(fc.constantFrom(...'abcxyz019'.split('')), fc.string({ unit: idChars, minLength: 1, maxLength: 20 }))
  .map(([head, rest]) => head + rest);
const trimmedText = (max: number) =>
  fc
    .string({ maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length <= max);
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const allowEntryArb = fc.record(
  { toolId: toolIdArb, reason: trimmedText(300), reference: trimmedText(300), reviewBy: isoDate },
  { requiredKeys: ['toolId'] },
);
const hostLabel = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')),
  minLength: 1,
  maxLength: 12,
});
const hostArb = fc
  .record({
    scheme: fc.constantFrom('https', 'http', '*'),
    wildcard: fc.boolean(),
    labels: fc.array(hostLabel, { minLength: 1, maxLength: 4 }),
    port: fc.option(fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.constant('*')), {
      nil: undefined,
    }),
    path: fc.constantFrom('/*', '/', '/clinical/*', '/app/prescribing'),
  })
  .map(
    ({ scheme, wildcard, labels, port, path }) =>
      `${scheme}://${wildcard ? '*.' : ''}${labels.join('.')}${port ? `:${port}` : ''}${path}`,
  );
const customToolArb = fc.record(
  {
    id: toolIdArb,
    name: fc
      .string({ minLength: 2, maxLength: 80 })
      .map((s) => s.trim())
      .filter((s) => s.length >= 2),
    vendor: trimmedText(120),
  },
  { requiredKeys: ['id', 'name'] },
);
/** Real, schema-valid signatures (parse output, so normalised): the built-in ones under new ids. */
const signatureArb = fc
  .tuple(fc.constantFrom(...builtInSignatures), toolIdArb)
  .map(([s, id]) => signatureSchema.parse({ ...s, id }));

const validField: { [K in SettingsField]: fc.Arbitrary<Settings[K]> } = {
  allowList: fc.array(allowEntryArb, { maxLength: 8 }),
  clinicalHosts: fc.array(hostArb, { maxLength: 6 }),
  customSignatures: fc.array(signatureArb, { maxLength: 3 }),
  customTools: fc.array(customToolArb, { maxLength: 5 }),
  banner: fc.record({
    showMandatedNote: fc.boolean(),
    snoozeMinutes: fc.integer({ min: 5, max: 1440 }),
    corner: fc.constantFrom('bottom-right' as const, 'bottom-left' as const),
  }),
  lmcGuidanceUrl: fc
    .webUrl({ validSchemes: ['https'] })
    .filter((u) => settingsSchema.shape.lmcGuidanceUrl.safeParse(u).success),
  tally: fc.record({ enabled: fc.boolean(), retentionDays: fc.integer({ min: 1, max: 366 }) }),
};

/** A complete valid settings object (every field present, normalised). */
const settingsArb: fc.Arbitrary<Settings> = fc
  .record({ ...validField, lmcGuidanceUrl: fc.option(validField.lmcGuidanceUrl, { nil: undefined }) })
  .map((s) => {
    const out = { ...s } as Settings;
    if (out.lmcGuidanceUrl === undefined) delete out.lmcGuidanceUrl;
    return out;
  });

// ---------------------------------------------------------------------------
// Adversarial values: wrong types, near misses, hostile strings, prototype keys.
// ---------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '<all_urls>',
    '*',
    '*://*/*',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://',
    'https://example.nhs.uk',
    'Bad Id!',
    'ScriptSwitch',
    '943 476 5919',
    '__proto__',
    'constructor',
    '2026-02-30',
    '\u0000',
    '\ud800',
    'a'.repeat(5000),
  ),
);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.anything({
      maxDepth: 3,
      withNullPrototype: true,
      withBoxedValues: true,
      withSparseArray: true,
    }),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(null, undefined, Number.NaN, Infinity, -1, 0, 1e308, true, [], {}),
  },
);
const hostileKey = fc.oneof(
  fc.constantFrom(...SETTINGS_FIELDS),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '3rdparty',
    'policies',
    'allowlist',
    'AllowList',
    '',
  ),
  fc.string({ maxLength: 12 }),
);

/** Per field: a valid value, an array mixing valid and invalid items, or junk. */
function mixedFieldValue(field: SettingsField): fc.Arbitrary<unknown> {
  const valid = validField[field] as fc.Arbitrary<unknown>;
  const arrays: fc.Arbitrary<unknown>[] = [];
  if (field === 'allowList')
    arrays.push(fc.array(fc.oneof(allowEntryArb, junk, fc.constantFrom('scriptswitch')), { maxLength: 6 }));
  if (field === 'clinicalHosts') arrays.push(fc.array(fc.oneof(hostArb, junk), { maxLength: 6 }));
  if (field === 'customTools') arrays.push(fc.array(fc.oneof(customToolArb, junk), { maxLength: 6 }));
  if (field === 'customSignatures') arrays.push(fc.array(fc.oneof(signatureArb, junk), { maxLength: 3 }));
  if (field === 'banner') {
    arrays.push(
      fc.record(
        { showMandatedNote: junk, snoozeMinutes: fc.oneof(junk, fc.integer()), corner: hostileString },
        { requiredKeys: [] },
      ),
    );
  }
  return fc.oneof(valid, junk, ...arrays);
}

/** A raw settings-like object: some real fields (valid, mixed or junk), some hostile keys. */
const rawSettingsObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, mixedFieldValue(f)])) as Record<
        SettingsField,
        fc.Arbitrary<unknown>
      >,
      {
        requiredKeys: [],
      },
    ),
    fc.dictionary(hostileKey, junk, { maxKeys: 3 }),
    fc.boolean(),
  )
  .map(([fields, extra, withExtra]) => {
    // JSON.parse creates own "__proto__" keys: reproduce that shape, not a prototype change.
    const out: Record<string, unknown> = JSON.parse('{}');
    for (const [k, v] of Object.entries(fields)) out[k] = v;
    if (withExtra)
      for (const [k, v] of Object.entries(extra))
        Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
    return out;
  });

const anyRaw: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: rawSettingsObject },
  { weight: 1, arbitrary: junk },
);

const options = (extra: Partial<fc.Parameters<unknown>> = {}) => ({ seed: SEED, numRuns: RUNS, ...extra });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('fuzz: parseSettingsImport (all or nothing)', { timeout: 30_000 }, () => {
  it('never throws; ok ⇒ schema-valid; refused ⇒ every problem names a field that exists in the input', () => {
    fc.assert(
      fc.property(anyRaw, (raw) => {
        const result = parseSettingsImport(raw);
        if (result.ok) {
          expect(settingsSchema.safeParse(result.settings).success).toBe(true);
          // Idempotent: importing an export of the result gives the same settings.
          const again = parseSettingsImport(JSON.parse(JSON.stringify(result.settings)));
          expect(again).toEqual({ ok: true, settings: result.settings });
          return;
        }
        expect(result.problems.length).toBeGreaterThan(0);
        for (const problem of result.problems) {
          expect(problem.field.length).toBeGreaterThan(0);
          expect(problem.reason.length).toBeGreaterThan(0);
          if (problem.field === '(file)') {
            expect(isRecord(raw)).toBe(false);
            continue;
          }
          // "allowList.2.toolId" → "allowList": a key the person wrote, so they can find it.
          expect(isRecord(raw)).toBe(true);
          const keys = Object.keys(raw as object);
          const named =
            keys.includes(problem.field) || // an unknown key, named as written (it may hold dots)
            keys.includes(problem.field.split('.')[0] ?? '') ||
            (problem.field === '(empty key)' && keys.includes(''));
          expect(named, `"${problem.field}" names a key of ${JSON.stringify(keys)}`).toBe(true);
        }
      }),
      options(),
    );
  });

  it('accepts every complete valid settings object unchanged', () => {
    fc.assert(
      fc.property(settingsArb, (settings) => {
        expect(parseSettingsImport(JSON.parse(JSON.stringify(settings)))).toEqual({ ok: true, settings });
      }),
      options({ numRuns: 1000 }),
    );
  });

  it('refuses a valid object with any one field broken, naming that field', () => {
    const breakable = SETTINGS_FIELDS.filter((f) => f !== 'lmcGuidanceUrl');
    fc.assert(
      fc.property(
        settingsArb,
        fc.constantFrom(...breakable),
        fc.constantFrom('x', 42, null, [{ bad: true }], { a: 1 }),
        (settings, field, bad) => {
          const raw = { ...settings, [field]: bad };
          if (settingsSchema.shape[field].safeParse(bad).success) return; // e.g. [] never arrives here; defensive
          const result = parseSettingsImport(raw);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.problems.map((p) => p.field.split('.')[0])).toContain(field);
        },
      ),
      options({ numRuns: 1000 }),
    );
  });
});

describe('fuzz: repairSettings (repair, do not wipe)', { timeout: 30_000 }, () => {
  it('never throws and always returns schema-valid settings', () => {
    fc.assert(
      fc.property(anyRaw, (raw) => {
        const { settings, repairs } = repairSettings(raw);
        const parsed = settingsSchema.safeParse(settings);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(settings);
        for (const r of repairs) expect(r.field.length).toBeGreaterThan(0);
      }),
      options(),
    );
  });

  it('keeps every field that is valid on its own, exactly as parsed, whatever its neighbours hold', () => {
    fc.assert(
      fc.property(rawSettingsObject, (raw) => {
        const { settings } = repairSettings(raw);
        for (const field of SETTINGS_FIELDS) {
          if (!Object.hasOwn(raw, field)) continue;
          const own = settingsSchema.shape[field].safeParse(raw[field]);
          if (own.success) expect(settings[field], field).toEqual(own.data);
        }
      }),
      options(),
    );
  });

  it('keeps normalised valid values bit for bit beside junk fields and unknown keys', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.subarray([...SETTINGS_FIELDS]),
        fc.dictionary(hostileKey, junk, { maxKeys: 3 }),
        (good, brokenFields, extra) => {
          const raw: Record<string, unknown> = { ...good };
          for (const f of brokenFields) raw[f] = 'broken';
          for (const [k, v] of Object.entries(extra))
            if (!SETTINGS_FIELDS.includes(k as SettingsField)) raw[k] = v;
          const { settings, repairs } = repairSettings(raw);
          const defaults = settingsSchema.parse({});
          for (const f of SETTINGS_FIELDS) {
            if (brokenFields.includes(f)) {
              expect(settings[f], f).toEqual(defaults[f]);
              expect(
                repairs.some((r) => r.field === f || r.field.startsWith(`${f}.`)),
                `repair recorded for ${f}`,
              ).toBe(true);
            } else {
              expect(settings[f], f).toEqual(good[f]);
            }
          }
        },
      ),
      options({ numRuns: 1000 }),
    );
  });

  it('keeps the valid items of a list field when some items are bad (within the list limit)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            allowEntryArb.map((e) => ({ ok: true as const, e })),
            junk.map((e) => ({ ok: false as const, e })),
          ),
          { maxLength: 20 },
        ),
        (items) => {
          const raw = { allowList: items.map((i) => i.e) };
          const kept = repairSettings(raw).settings.allowList;
          const element = settingsSchema.shape.allowList.unwrap().element;
          const valid = items
            .map((i) => i.e)
            .flatMap((e) => {
              const r = element.safeParse(e);
              return r.success ? [r.data] : [];
            });
          // Every valid entry is kept, in order; the others are kept only when repaired
          // (a bare id, an id in capitals, bad details left out), and all that is kept is valid.
          const keptValid = kept.filter((k) => valid.some((v) => JSON.stringify(v) === JSON.stringify(k)));
          expect(keptValid).toEqual(valid);
          for (const k of kept) expect(element.safeParse(k).success).toBe(true);
          expect(kept.length).toBeLessThanOrEqual(items.length);
        },
      ),
      options(),
    );
  });

  // Clinical safety: an allow-list with one entry too many must not wipe the mandated
  // tools (they would then show as "may be switched off").
  it('keeps the first 100 valid allow-list entries when more than 100 are stored', () => {
    const entries = Array.from({ length: 101 }, (_, i) => ({ toolId: `tool-${i}` }));
    const { settings, repairs } = repairSettings({ allowList: entries });
    expect(settings.allowList).toEqual(entries.slice(0, 100));
    expect(repairs.map((r) => r.field)).toContain('allowList');
  });
});

describe('fuzz: parsePolicy / resolveSettings (policy wins field by field, never with a bad value)', {
  timeout: 30_000,
}, () => {
  const policyArb = fc.oneof({ weight: 4, arbitrary: rawSettingsObject }, { weight: 1, arbitrary: junk });

  it('policy is repaired item by item: a valid field applies as is, a refused one never replaces the local value', () => {
    fc.assert(
      fc.property(settingsArb, policyArb, (local, policyRaw) => {
        const localCopy = structuredClone(local);
        const { settings, locked, policyProblems } = resolveSettings(local, policyRaw);
        expect(local, 'local settings are not mutated').toEqual(localCopy);
        expect(settingsSchema.safeParse(settings).success).toBe(true);
        for (const field of SETTINGS_FIELDS) {
          const present = isRecord(policyRaw) && Object.hasOwn(policyRaw, field);
          const own = present
            ? settingsSchema.shape[field].safeParse((policyRaw as Record<string, unknown>)[field])
            : undefined;
          const reported = policyProblems.some((p) => p.field === field || p.field.startsWith(`${field}.`));
          if (own?.success) {
            expect(settings[field], field).toEqual(own.data);
            expect(locked).toContain(field);
          } else if (locked.includes(field)) {
            // Repaired: what applies is valid (checked above) and the repair is said.
            expect(reported, field).toBe(true);
          } else {
            expect(settings[field], field).toEqual(local[field]);
            if (present) expect(reported, field).toBe(true);
          }
        }
      }),
      options({ numRuns: 1000 }),
    );
  });

  it('parsePolicy never throws and returns only known, valid fields', () => {
    fc.assert(
      fc.property(policyArb, (raw) => {
        const { policy } = parsePolicy(raw);
        for (const [k, v] of Object.entries(policy)) {
          expect(SETTINGS_FIELDS).toContain(k);
          expect(settingsSchema.shape[k as SettingsField].safeParse(v).success).toBe(true);
        }
      }),
      options(),
    );
  });

  it('a policy allow-list entry for a mandated tool always yields that tool on the effective allow-list', () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.array(allowEntryArb, { minLength: 1, maxLength: 5 }),
        junk,
        (local, allowList, other) => {
          const { settings } = resolveSettings(local, { allowList, banner: other });
          expect(settings.allowList.map((e) => e.toolId)).toEqual(allowList.map((e) => e.toolId));
        },
      ),
      options({ numRuns: 1000 }),
    );
  });
});

describe('fuzz: stored-settings migrations', { timeout: 30_000 }, () => {
  it('never throw, and migrate-then-repair always yields valid settings', () => {
    fc.assert(
      fc.property(anyRaw, fc.integer({ min: 0, max: SETTINGS_VERSION }), (raw, from) => {
        const migrated = migrateStoredSettings(raw, from);
        expect(settingsSchema.safeParse(repairSettings(migrated).settings).success).toBe(true);
      }),
      options(),
    );
  });

  it('v1 allow-lists of tool ids keep every mandated tool', () => {
    fc.assert(
      fc.property(
        fc.array(toolIdArb, { maxLength: 10 }),
        fc.constantFrom('left', 'right', 'top', undefined),
        (ids, position) => {
          const v1 = { allowList: ids, banner: position === undefined ? {} : { position } };
          const { settings } = repairSettings(migrateStoredSettings(v1, 1));
          expect(settings.allowList.map((e) => e.toolId)).toEqual(ids);
        },
      ),
      options({ numRuns: 1000 }),
    );
  });
});

describe('fuzz: the stored settings item (fake browser storage)', { timeout: 30_000 }, () => {
  it('a refused write leaves the previous good settings in storage; a stored bad value reads back repaired and valid', async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, anyRaw, async (good, next) => {
        fakeBrowser.reset();
        const item = defineSettingsItem();
        await item.setValue(good);
        const result = await writeLocalSettings(next);
        const stored = await item.getValue();
        if (result.ok) {
          expect(settingsSchema.safeParse(stored).success).toBe(true);
          expect(stored).toEqual(result.settings);
        } else {
          expect(stored, 'previous good settings kept').toEqual(good);
          expect(result.problems.length).toBeGreaterThan(0);
        }
        // A corrupt stored value (written behind the extension's back) is repaired on read.
        await item.setValue(next);
        const read = await readLocalSettings();
        expect(settingsSchema.safeParse(read).success).toBe(true);
        // What storage holds now is valid, untouched junk that reads as "no settings"
        // (null/undefined), or the value itself when it needed no repair.
        const after = await item.getValue();
        expect(after == null || after === next || settingsSchema.safeParse(after).success).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
