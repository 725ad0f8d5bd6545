// @ts-check
/**
 * Writes the deployment kit (ADMX/ADML for Chrome and Edge, a .reg per browser, Intune
 * steps, Linux JSON policies) under docs/deploy/, from docs/managed_schema.json (which a
 * unit test keeps equal to the one built from lib/settings/schema.ts).
 *
 * Usage: npm run gen:policy-templates [-- --chrome-id <id> --edge-id <id> --out <folder>]
 * Without ids, the committed placeholder kit is written (tests/unit/policy-templates.test.ts
 * fails when it drifts from the schema).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PLACEHOLDER_IDS, policyTemplates } from './lib/policy-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { 'chrome-id': { type: 'string' }, 'edge-id': { type: 'string' }, out: { type: 'string' } },
});
const ID = /^[a-p]{32}$/;
for (const key of /** @type {const} */ (['chrome-id', 'edge-id'])) {
  const id = values[key];
  if (id !== undefined && !ID.test(id)) {
    console.error(
      `--${key} ${id}: an extension id is 32 letters a-p (see chrome://extensions or edge://extensions)`,
    );
    process.exit(1);
  }
}
const schema = JSON.parse(readFileSync(path.join(root, 'docs/managed_schema.json'), 'utf8'));
const files = policyTemplates(schema, {
  chrome: values['chrome-id'] ?? PLACEHOLDER_IDS.chrome,
  edge: values['edge-id'] ?? PLACEHOLDER_IDS.edge,
});
const out = path.resolve(root, values.out ?? 'docs/deploy');
for (const [name, text] of Object.entries(files)) {
  const file = path.join(out, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
