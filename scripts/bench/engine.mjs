// @ts-check
/**
 * Bundles the detection engine (lib/content/detect + lib/catalogue, through engine-entry.ts)
 * into one IIFE that defines `window.__moEngine`, with rolldown (the bundler that
 * ships with Vite 8 / WXT). `libDir` swaps the repository's lib/ for another copy,
 * so a patch to the engine can be measured before it lands.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_LIB = path.resolve(HERE, '../../lib');

/**
 * @param {{ libDir?: string, minify?: boolean }} [options]
 * @returns {Promise<string>} the bundle's source
 */
export async function bundleEngine({ libDir, minify = true } = {}) {
  const altLib = libDir ? path.resolve(libDir) : undefined;
  /** @type {import('rolldown').Plugin[]} */
  const plugins = altLib
    ? [
        {
          name: 'bench-alt-lib',
          async resolveId(source, importer, extra) {
            const resolved = await this.resolve(source, importer, { ...extra, skipSelf: true });
            if (!resolved?.id.startsWith(REPO_LIB + path.sep)) return resolved;
            return { ...resolved, id: path.join(altLib, path.relative(REPO_LIB, resolved.id)) };
          },
        },
      ]
    : [];
  const result = await build({
    input: path.join(HERE, 'engine-entry.ts'),
    plugins,
    logLevel: 'warn',
    write: false,
    output: { format: 'iife', name: '__moEngine', minify },
  });
  const chunk = result.output.find((o) => o.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error('engine bundle: rolldown produced no chunk');
  return chunk.code;
}
