import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManagedSchema, type ManagedSchemaNode } from '../../lib/settings/managed-schema';
import { parsePolicy } from '../../lib/settings/policy';
import { parseSettingsImport } from '../../lib/settings/validate';
import { GECKO_ID } from '../../wxt.config';

/**
 * Every example an admin may copy (docs/examples/* and the JSON blocks of
 * docs/admin-guide.md) must be accepted, key for key, by the extension's own policy
 * parser and by the managed schema Chrome checks policy against.
 */

const DOCS = path.resolve('docs');
const read = (file: string) => readFileSync(path.join(DOCS, file), 'utf8');
const CHROME_ID = /^[a-p]{32}$/;

/** What Chrome's schema check does with a value (the subset buildManagedSchema emits). */
function schemaProblems(value: unknown, schema: ManagedSchemaNode, at = ''): string[] {
  const here = at || '(policy)';
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${here}: not an object`];
      const record = value as Record<string, unknown>;
      const missing = (schema.required ?? [])
        .filter((k) => !(k in record))
        .map((k) => `${here}.${k}: required`);
      return [
        ...missing,
        ...Object.entries(record).flatMap(([k, v]) => {
          const child = schema.properties?.[k];
          return child
            ? schemaProblems(v, child, at ? `${at}.${k}` : k)
            : [`${at ? `${at}.` : ''}${k}: unknown`];
        }),
      ];
    }
    case 'array':
      if (!Array.isArray(value)) return [`${here}: not a list`];
      return value.flatMap((item, i) =>
        schema.items ? schemaProblems(item, schema.items, `${here}.${i}`) : [],
      );
    case 'string':
      if (typeof value !== 'string') return [`${here}: not a string`];
      if (schema.enum && !schema.enum.includes(value))
        return [`${here}: not one of ${schema.enum.join(', ')}`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        return [`${here}: does not match the pattern`];
      return [];
    case 'integer':
      if (!Number.isInteger(value)) return [`${here}: not an integer`];
      if (schema.minimum !== undefined && (value as number) < schema.minimum)
        return [`${here}: below minimum`];
      if (schema.maximum !== undefined && (value as number) > schema.maximum)
        return [`${here}: above maximum`];
      return [];
    case 'number':
      return typeof value === 'number' ? [] : [`${here}: not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${here}: not a boolean`];
  }
}

/** The policy as the extension receives it: accepted in full by both checks. */
function expectValidPolicy(block: unknown) {
  expect(schemaProblems(block, buildManagedSchema()), 'managed schema (Chrome/Edge)').toEqual([]);
  const { policy, problems } = parsePolicy(block);
  expect(problems, 'extension policy parser').toEqual([]);
  expect(Object.keys(policy).sort()).toEqual(Object.keys(block as object).sort());
  expect(policy.allowList?.length, 'every example sets an allow-list').toBeGreaterThan(0);
}

/** The extension blocks of a Chrome/Chromium/Edge policy file (Linux JSON). */
function chromeBlocks(file: unknown): [string, unknown][] {
  const extensions = (file as { '3rdparty'?: { extensions?: Record<string, unknown> } })['3rdparty']
    ?.extensions;
  return Object.entries(extensions ?? {});
}

/**
 * A minimal .reg reader: keys, REG_SZ values ("name"="text" with \" and \\ escapes) and
 * dword values. Lists of strings as numbered values in a subkey, objects and lists of
 * objects as JSON strings: the two forms Chrome's registry policy loader accepts.
 */
function readRegFile(text: string): Map<string, Map<string, string | number>> {
  const keys = new Map<string, Map<string, string | number>>();
  let current: Map<string, string | number> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('Windows Registry Editor')) continue;
    const key = /^\[(.+)\]$/.exec(line);
    if (key?.[1]) {
      current = new Map();
      keys.set(key[1], current);
      continue;
    }
    const sz = /^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$/.exec(line);
    const dword = /^"((?:[^"\\]|\\.)*)"=dword:([0-9a-f]{8})$/i.exec(line);
    const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
    if (sz && current) current.set(unquote(sz[1] ?? ''), unquote(sz[2] ?? ''));
    else if (dword && current) current.set(unquote(dword[1] ?? ''), Number.parseInt(dword[2] ?? '0', 16));
    else throw new Error(`windows.reg: cannot read line "${line}"`);
  }
  return keys;
}

/** Rebuilds the policy object Chrome would read from one extension's `policy` key. */
function registryPolicy(
  keys: Map<string, Map<string, string | number>>,
  policyKey: string,
): Record<string, unknown> {
  const schema = buildManagedSchema();
  const out: Record<string, unknown> = {};
  for (const [name, value] of keys.get(policyKey) ?? []) {
    const type = schema.properties?.[name]?.type;
    out[name] =
      (type === 'array' || type === 'object') && typeof value === 'string' ? JSON.parse(value) : value;
  }
  for (const [key, values] of keys) {
    if (!key.startsWith(`${policyKey}\\`)) continue;
    const name = key.slice(policyKey.length + 1);
    out[name] = [...values.entries()]
      .filter(([n]) => /^\d+$/.test(n))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v);
  }
  return out;
}

describe('docs/examples', () => {
  it('chrome-linux-policy.json: the extension block is a valid policy', () => {
    const blocks = chromeBlocks(JSON.parse(read('examples/chrome-linux-policy.json')));
    expect(blocks).toHaveLength(1);
    const [id, block] = blocks[0] ?? [];
    expect(id).toMatch(CHROME_ID);
    expectValidPolicy(block);
  });

  it('firefox-policies.json: force-installs the gecko id and its 3rdparty block is a valid policy', () => {
    const { policies } = JSON.parse(read('examples/firefox-policies.json'));
    expect(policies.ExtensionSettings[GECKO_ID].installation_mode).toBe('force_installed');
    expect(Object.keys(policies['3rdparty'].Extensions)).toEqual([GECKO_ID]);
    const { policy, problems } = parsePolicy(policies['3rdparty'].Extensions[GECKO_ID]);
    expect(problems).toEqual([]);
    expect(policy.allowList?.[0]?.toolId).toBe('scriptswitch');
  });

  it('windows.reg: Chrome and Edge get the same valid policy, and the extension is force-installed in both', () => {
    const keys = readRegFile(read('examples/windows.reg'));
    const roots = [
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge',
    ];
    const policies = roots.map((root) => {
      const base = `${root}\\3rdparty\\extensions\\`;
      const policyKeys = [...keys.keys()].filter((k) => k.startsWith(base) && k.endsWith('\\policy'));
      expect(policyKeys, root).toHaveLength(1);
      const id = policyKeys[0]?.slice(base.length, -'\\policy'.length) ?? '';
      expect(id).toMatch(CHROME_ID);
      const forcelist = [...(keys.get(`${root}\\ExtensionInstallForcelist`)?.values() ?? [])];
      expect(forcelist.some((v) => String(v).startsWith(`${id};https://`))).toBe(true);
      return registryPolicy(keys, policyKeys[0] ?? '');
    });
    expectValidPolicy(policies[0]);
    expect(policies[1]).toEqual(policies[0]);
    expect(policies[0]?.clinicalHosts).toEqual([
      'https://*.clinical.example.nhs.uk/*',
      'https://vision360.example.nhs.uk/*',
    ]);
  });

  it('settings-export.json: imports as a whole, and as policy every key is accepted', () => {
    const exported = JSON.parse(read('examples/settings-export.json'));
    const imported = parseSettingsImport(exported);
    expect(imported.ok ? [] : imported.problems).toEqual([]);
    expectValidPolicy(exported);
  });
});

describe('docs/admin-guide.md', () => {
  const guide = read('admin-guide.md');
  const jsonBlocks = [...guide.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? ''));

  it('has JSON examples for Chrome/Edge and for Firefox', () => {
    expect(jsonBlocks.filter((b) => '3rdparty' in b)).toHaveLength(1);
    expect(jsonBlocks.filter((b) => 'policies' in b)).toHaveLength(1);
  });

  it('every JSON example holds valid policy blocks', () => {
    for (const block of jsonBlocks) {
      if ('3rdparty' in block) for (const [, policy] of chromeBlocks(block)) expectValidPolicy(policy);
      if ('policies' in block) {
        const { problems } = parsePolicy(block.policies['3rdparty'].Extensions[GECKO_ID]);
        expect(problems).toEqual([]);
      }
    }
  });

  it('names the registry paths, the Linux folders and the macOS domains admins need', () => {
    for (const text of [
      'Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\<id>\\policy',
      'Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\<id>\\policy',
      '/etc/opt/chrome/policies/managed/',
      '/etc/chromium/policies/managed/',
      '/etc/opt/edge/policies/managed/',
      'com.google.Chrome.extensions.<id>',
      GECKO_ID,
    ]) {
      expect(guide).toContain(text);
    }
  });
});
