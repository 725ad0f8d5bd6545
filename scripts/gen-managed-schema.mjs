// @ts-check
/**
 * Regenerates docs/managed_schema.json (the admins' copy of the enterprise-policy schema)
 * from lib/settings/schema.ts. The build emits the same file into the extension itself
 * (wxt.config.ts, build:publicAssets); a unit test fails when the committed copy drifts.
 *
 * Usage: node scripts/gen-managed-schema.mjs
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('npx', ['vitest', 'run', 'tests/unit/settings-managed-schema.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UPDATE_MANAGED_SCHEMA: '1' },
});
process.exit(result.status ?? 1);
