import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildManagedSchema,
  type ManagedSchemaNode,
  managedSchemaText,
  toChromeSchema,
} from '../../lib/settings/managed-schema';
import { SETTINGS_FIELDS } from '../../lib/settings/schema';

/** The committed copy for admins. Regenerate with: UPDATE_MANAGED_SCHEMA=1 npx vitest run tests/unit/settings-managed-schema.test.ts */
const COMMITTED = path.resolve('docs/managed_schema.json');
const REGENERATE =
  'UPDATE_MANAGED_SCHEMA=1 npx vitest run tests/unit/settings-managed-schema.test.ts (or node scripts/gen-managed-schema.mjs)';

/** Chrome's attributes per type (components/policy/core/common/schema.cc), minus id/title/$ref we never emit. */
const ALLOWED: Record<ManagedSchemaNode['type'], string[]> = {
  object: ['type', 'description', 'properties', 'required'],
  array: ['type', 'description', 'items'],
  string: ['type', 'description', 'enum', 'pattern'],
  integer: ['type', 'description', 'enum', 'minimum', 'maximum'],
  number: ['type', 'description'],
  boolean: ['type', 'description'],
};

function walk(
  node: ManagedSchemaNode,
  at: string,
  visit: (node: ManagedSchemaNode, at: string) => void,
): void {
  visit(node, at);
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${at}.${key}`, visit);
  if (node.items) walk(node.items, `${at}[]`, visit);
}

describe('managed schema (storage.managed_schema)', () => {
  if (process.env.UPDATE_MANAGED_SCHEMA === '1') {
    it('regenerates docs/managed_schema.json', () => {
      writeFileSync(COMMITTED, managedSchemaText());
    });
  }

  it('the committed docs/managed_schema.json equals the one built from the zod schema', () => {
    expect(existsSync(COMMITTED), `docs/managed_schema.json is missing: run ${REGENERATE}`).toBe(true);
    // Compared as JSON, not as text, so a formatter's line breaks are not drift.
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(
      committed,
      `docs/managed_schema.json has drifted from lib/settings/schema.ts: run ${REGENERATE}, review and commit it`,
    ).toEqual(buildManagedSchema());
  });

  it('declares every settings field at the top level, none of them required', () => {
    const schema = buildManagedSchema();
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual([...SETTINGS_FIELDS].sort());
    expect(schema.required).toBeUndefined();
    expect(schema).not.toHaveProperty('additionalProperties');
    expect(schema).not.toHaveProperty('patternProperties');
  });

  it('keeps the admin-facing keys: allowList of objects with toolId and details, clinicalHosts of strings', () => {
    const { allowList, clinicalHosts } = buildManagedSchema().properties ?? {};
    expect(allowList?.type).toBe('array');
    expect(allowList?.items?.type).toBe('object');
    expect(Object.keys(allowList?.items?.properties ?? {})).toEqual([
      'toolId',
      'reason',
      'reference',
      'reviewBy',
    ]);
    expect(clinicalHosts?.items?.type).toBe('string');
  });

  // Chrome drops a whole list (so a valid mandate beside a bad one) when an
  // item fails the schema; the extension repairs item by item instead.
  it('is loose: no required, enum, pattern, minimum or maximum anywhere, so Chrome keeps every item', () => {
    const found: string[] = [];
    walk(buildManagedSchema(), '(root)', (node, at) => {
      for (const key of ['required', 'enum', 'pattern', 'minimum', 'maximum'])
        if (key in node) found.push(`${at}: ${key}`);
    });
    expect(found).toEqual([]);
  });

  it('uses only the attributes Chrome accepts for each type, one type per node', () => {
    const problems: string[] = [];
    walk(buildManagedSchema(), '(root)', (node, at) => {
      const allowed = ALLOWED[node.type];
      if (!allowed) problems.push(`${at}: type ${String(node.type)}`);
      for (const key of Object.keys(node))
        if (!allowed?.includes(key)) problems.push(`${at}: ${key} on ${node.type}`);
      if (node.enum?.length === 0) problems.push(`${at}: empty enum`);
      for (const key of node.required ?? []) {
        if (!node.properties?.[key]) problems.push(`${at}: required ${key} is not a property`);
      }
      if (node.pattern !== undefined) {
        // Chrome runs patterns with RE2: no look-around, no back-references.
        if (/\(\?<?[=!]|\\[1-9]/.test(node.pattern)) problems.push(`${at}: pattern not RE2-safe`);
        expect(() => new RegExp(node.pattern as string)).not.toThrow();
      }
    });
    expect(problems).toEqual([]);
  });

  it("flattens the evidence union into one object holding every kind's properties", () => {
    const evidence = buildManagedSchema().properties?.customSignatures?.items?.properties?.evidence?.items;
    expect(evidence?.type).toBe('object');
    expect(evidence?.properties?.kind?.type).toBe('string');
    expect(evidence?.properties?.contains?.type).toBe('string');
    expect(evidence?.properties?.labels?.type).toBe('array');
  });
});

describe('toChromeSchema', () => {
  it('drops formats, lengths, item counts, defaults and additionalProperties', () => {
    expect(
      toChromeSchema({
        type: 'object',
        additionalProperties: false,
        properties: {
          a: { type: 'string', format: 'uri', minLength: 2, maxLength: 9, default: 'x' },
          b: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'number', minimum: 0, maximum: 1 } },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'number' } } },
    });
  });

  it('turns const into a one-value enum and drops unbounded integer limits', () => {
    expect(toChromeSchema({ type: 'string', const: 'brand' })).toEqual({ type: 'string', enum: ['brand'] });
    expect(
      toChromeSchema({ type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 }),
    ).toEqual({
      type: 'integer',
    });
  });

  it('refuses what Chrome cannot express, naming where', () => {
    expect(() => toChromeSchema({ type: ['string', 'null'] }, 'x')).toThrow(/x has no single supported type/);
    expect(() =>
      toChromeSchema(
        {
          oneOf: [
            { type: 'object', properties: { v: { type: 'string' } } },
            { type: 'object', properties: { v: { type: 'integer' } } },
          ],
        },
        'u',
      ),
    ).toThrow(/u\.v is string in one variant and integer in another/);
  });
});
