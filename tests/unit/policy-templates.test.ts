import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManagedSchema } from '../../lib/settings/managed-schema';
import { parsePolicy } from '../../lib/settings/policy';
import { SETTINGS_FIELDS } from '../../lib/settings/schema';
import { BROWSERS, PLACEHOLDER_IDS, policyTemplates } from '../../scripts/lib/policy-templates.mjs';

/** The deployment kit under docs/deploy/: generated from the schema, checked here. */
const DEPLOY = path.resolve('docs/deploy');
const REGENERATE = 'npm run gen:policy-templates, review and commit docs/deploy/';
const files = policyTemplates(buildManagedSchema());

function xmlDocument(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  expect(doc.getElementsByTagName('parsererror').length).toBe(0);
  return doc;
}

/** Values of one key of a .reg file: name → string data (REG_SZ only, which is all the kit writes). */
function regValues(text: string, key: string): Record<string, string> {
  const lines = text.split(/\r\n/);
  const start = lines.indexOf(`[${key}]`);
  expect(start, `${key} in the .reg file`).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('[') || line === '') break;
    const m = /^"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"$/.exec(line);
    expect(m, line).not.toBeNull();
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2].replace(/\\(.)/g, '$1');
  }
  return out;
}

describe('deployment kit (docs/deploy)', () => {
  it.each(Object.keys(files))('%s is committed and equals what the schema generates', (name) => {
    const file = path.join(DEPLOY, name);
    expect(existsSync(file), `${name} is missing: run ${REGENERATE}`).toBe(true);
    expect(
      readFileSync(file, 'utf8'),
      `${name} has drifted from the settings schema: run ${REGENERATE}`,
    ).toBe(files[name]);
  });

  it.each(['chrome', 'edge'] as const)(
    '%s ADMX: one policy per setting, under its own registry path, every string in the ADML',
    (browser) => {
      const b = BROWSERS[browser];
      const admx = xmlDocument(files[`${browser}/${b.file}.admx`] ?? '');
      const adml = xmlDocument(files[`${browser}/en-US/${b.file}.adml`] ?? '');
      const policies = [...admx.getElementsByTagName('policy')];
      expect(policies.map((p) => p.getAttribute('name')).sort()).toEqual([...SETTINGS_FIELDS].sort());
      for (const p of policies) {
        expect(p.getAttribute('key')).toBe(
          `${b.registryRoot}\\3rdparty\\extensions\\${PLACEHOLDER_IDS[browser]}\\policy`,
        );
      }
      const strings = new Set([...adml.getElementsByTagName('string')].map((s) => s.getAttribute('id')));
      const presentations = new Set(
        [...adml.getElementsByTagName('presentation')].map((s) => s.getAttribute('id')),
      );
      const text = files[`${browser}/${b.file}.admx`] ?? '';
      for (const [, id] of text.matchAll(/\$\(string\.([\w]+)\)/g))
        expect(strings.has(id ?? ''), id).toBe(true);
      for (const [, id] of text.matchAll(/\$\(presentation\.([\w]+)\)/g))
        expect(presentations.has(id ?? ''), id).toBe(true);
    },
  );

  it('Chrome and Edge use different registry roots and different placeholder ids', () => {
    expect(BROWSERS.chrome.registryRoot).not.toBe(BROWSERS.edge.registryRoot);
    expect(PLACEHOLDER_IDS.chrome).not.toBe(PLACEHOLDER_IDS.edge);
    expect(files['chrome/mo-prompt-advisor-chrome.reg']).not.toContain(PLACEHOLDER_IDS.edge);
    expect(files['edge/mo-prompt-advisor-edge.reg']).not.toContain(PLACEHOLDER_IDS.chrome);
  });

  it.each(['chrome', 'edge'] as const)(
    '%s .reg values are read by the extension without a single problem',
    (browser) => {
      const b = BROWSERS[browser];
      const values = regValues(
        files[`${browser}/${b.file}.reg`] ?? '',
        `HKEY_LOCAL_MACHINE\\${b.registryRoot}\\3rdparty\\extensions\\${PLACEHOLDER_IDS[browser]}\\policy`,
      );
      // What Chrome does with REG_SZ for a list or group: JSON.parse by the schema's type.
      const schema = buildManagedSchema().properties ?? {};
      const policy = Object.fromEntries(
        Object.entries(values).map(([k, v]) => {
          const type = schema[k]?.type;
          return [k, type === 'array' || type === 'object' ? JSON.parse(v) : v];
        }),
      );
      const parsed = parsePolicy(policy);
      expect(parsed.problems).toEqual([]);
      expect(Object.keys(parsed.policy).sort()).toEqual(['allowList', 'clinicalHosts', 'lmcGuidanceUrl']);
    },
  );

  it.each(['chrome', 'edge'] as const)(
    '%s Linux JSON policy is read by the extension without a single problem',
    (browser) => {
      const b = BROWSERS[browser];
      const file = JSON.parse(files[`${browser}/linux/${b.file}.json`] ?? '{}');
      const block = file['3rdparty'].extensions[PLACEHOLDER_IDS[browser]];
      const parsed = parsePolicy(block);
      expect(parsed.problems).toEqual([]);
      expect(parsed.policy.allowList?.[0]?.toolId).toBe('scriptswitch');
    },
  );

  it('Intune steps name the ADMX ingestion OMA-URI and one OMA-URI per example setting, per browser', () => {
    const intune = files['intune.md'] ?? '';
    for (const app of ['MOPromptAdvisorChrome', 'MOPromptAdvisorEdge']) {
      expect(intune).toContain(
        `./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/${app}/Policy/${app}`,
      );
      for (const field of ['allowList', 'clinicalHosts', 'lmcGuidanceUrl'])
        expect(intune).toContain(`./Device/Vendor/MSFT/Policy/Config/${app}~Policy~MOPromptAdvisor/${field}`);
    }
  });
});
