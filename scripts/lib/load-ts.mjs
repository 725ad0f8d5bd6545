// @ts-check
/**
 * Loads a dependency-free TypeScript module (such as sim/pages.ts) from plain Node,
 * which cannot strip types: transpiles it with the project's TypeScript and imports
 * the result from a data: URL. The module must have no runtime imports.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * @param {string | URL} file
 * @returns {Promise<Record<string, unknown>>}
 */
export async function importTs(file) {
  const filePath = file instanceof URL ? fileURLToPath(file) : file;
  const source = await readFile(filePath, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filePath,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  });
  if (/^\s*import\s.+from\s/m.test(outputText)) {
    throw new Error(`${filePath}: importTs() only supports modules without runtime imports`);
  }
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
}

/**
 * The sim page manifest (sim/pages.ts).
 * @returns {Promise<{ simPages: ReadonlyArray<{ path: string, title: string, expect: Record<string, 'flagged'>, promptSelector?: string, readySelector?: string, notes: string }> }>}
 */
export async function loadSimPages() {
  const mod = await importTs(new URL('../../sim/pages.ts', import.meta.url));
  return /** @type {any} */ (mod);
}
