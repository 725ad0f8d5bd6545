import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

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
