// @ts-check
/**
 * Builds a package variant into its own directory, leaving the store packages alone:
 * `.output/chrome-mv3` (Chromium e2e, `npm run build[:e2e]`) and `.output/firefox-mv2`
 * (`npm run build:firefox`, zipped for AMO) are never touched.
 *
 * CLI: `node scripts/build-firefox-e2e.mjs` builds the Firefox e2e variant (WXT_E2E=1:
 * loopback hosts granted, detector declared for them) into `.output/firefox-mv2-e2e`.
 * Tests import `buildVariant()` to build a production package into a temporary folder.
 *
 * `wxt build` has no --outDir flag; its JS API takes `outDir`/`outDirTemplate` as
 * inline config, which wins over wxt.config.ts (hooks and manifest still apply).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the Firefox e2e variant goes (relative to the repository root). */
export const FIREFOX_E2E_DIR = '.output/firefox-mv2-e2e';

/**
 * Builds one variant in a child process: wxt.config.ts reads WXT_E2E when it is loaded,
 * so each variant needs a fresh process with its own environment.
 * @param {{ browser: 'chrome' | 'firefox', e2e: boolean, outDir: string, manifestVersion?: 2 | 3 }} options
 *   outDir: absolute, or relative to the repository root; the package lands directly in it.
 *   manifestVersion: WXT's default per browser (Firefox 2, Chrome 3) unless given.
 * @returns {Promise<string>} the absolute package directory (holds manifest.json)
 */
export async function buildVariant({ browser, e2e, outDir, manifestVersion }) {
  const target = path.resolve(REPO_ROOT, outDir);
  const code = [
    "const { build } = await import('wxt');",
    'const [browser, base, name, mv] = process.argv.slice(1);',
    'await build({ browser, outDir: base, outDirTemplate: name, manifestVersion: mv ? Number(mv) : undefined });',
  ].join('\n');
  const env = { ...process.env };
  if (e2e) env.WXT_E2E = '1';
  else delete env.WXT_E2E;
  // Under vitest NODE_ENV is "test": Vite would then compile JSX for react's dev runtime
  // (jsxDEV) while bundling react's production build, and the banner would throw.
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete env[key];
  await new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        code,
        browser,
        path.dirname(target),
        path.basename(target),
        ...(manifestVersion ? [String(manifestVersion)] : []),
      ],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) =>
      status === 0
        ? resolve(undefined)
        : reject(new Error(`wxt build (${browser}, e2e=${e2e}) failed with status ${status}:\n${output}`)),
    );
  });
  return target;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await buildVariant({ browser: 'firefox', e2e: true, outDir: FIREFOX_E2E_DIR });
  console.log(`Firefox e2e variant built in ${path.relative(process.cwd(), dir) || dir}`);
}
