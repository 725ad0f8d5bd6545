import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Entrypoint } from 'wxt';
import config from '../../wxt.config';

/**
 * What banner.js carries. It is injected (and compiled) on the first prompt of every
 * page, so it holds only what the banner runs: no schema validation (the background
 * validates what it receives; data files are validated by the unit tests). A build
 * check (grep the built banner.js for ZodError / $ZodType) says the same after bundling;
 * this test says it before, from the source's import graph.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = 'entrypoints/banner.content/index.tsx';

/** Runtime imports of one module (type-only imports are erased by the build). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (statement.importClause?.isTypeOnly) continue;
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(candidate) && !candidate.endsWith(path.sep) && path.extname(candidate)) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** Every module of the project and every package the banner entry reaches at run time. */
function importGraph(entry: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(resolveLocal(file, specifier));
      else packages.add(specifier);
    }
  };
  visit(path.join(ROOT, entry));
  return {
    modules: [...modules].map((m) => path.relative(ROOT, m)).sort(),
    packages: [...packages].sort(),
  };
}

describe('banner.js contents', () => {
  const graph = importGraph(ENTRY);

  it('reaches the banner modules it should (the graph walk works)', () => {
    expect(graph.modules).toContain('components/Banner.tsx');
    expect(graph.modules).toContain('entrypoints/banner.content/controller.tsx');
    expect(graph.packages).toContain('react-dom/client');
  });

  it('imports no zod, directly or through a schema module', () => {
    expect(graph.packages.filter((p) => p === 'zod' || p.startsWith('zod/'))).toEqual([]);
    expect(graph.modules).not.toContain('lib/zod-setup.ts');
    expect(graph.modules.filter((m) => /schema|validate|migrations/.test(m))).toEqual([]);
  });
});

describe('banner.js runs on Preact, every other entrypoint on React', () => {
  type Alias = { find: string | RegExp; replacement: string };
  const hook = (config.hooks as Record<string, unknown> | undefined)?.['vite:build:extendConfig'] as
    | ((entrypoints: Entrypoint[], vite: unknown) => unknown)
    | undefined;
  /** Where the build of `names` resolves `specifier` (undefined: not aliased). */
  const resolved = (names: string[], specifier: string): string | undefined => {
    const vite: { resolve?: { alias?: Alias[] } } = { resolve: { alias: [] } };
    if (typeof hook !== 'function') throw new Error('no vite:build:extendConfig hook');
    void hook(
      names.map((name) => ({ name }) as Entrypoint),
      vite as never,
    );
    const hit = vite.resolve?.alias?.find((a) =>
      typeof a.find === 'string' ? a.find === specifier : a.find.test(specifier),
    );
    return hit?.replacement;
  };

  it('aliases React DOM and the JSX runtime for the banner build only', () => {
    expect(resolved(['banner'], 'react-dom/client')).toMatch(/entrypoints\/banner\.content\/preact-dom\.ts$/);
    expect(resolved(['banner'], 'react-dom')).toMatch(/preact-dom\.ts$/);
    expect(resolved(['banner'], 'react/jsx-runtime')).toBe('preact/jsx-runtime');
    for (const other of [['popup', 'options'], ['picker'], ['detector'], ['background']])
      expect(resolved(other, 'react-dom/client'), other.join()).toBeUndefined();
  });
});
