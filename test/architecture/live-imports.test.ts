/**
 * Live mode must not load the emulator: main.ts reaches src/sandbox (and through it src/emulator)
 * only with a dynamic import in sandbox mode. This walks the static import graph from main.ts as
 * Node runs it: `import type` is erased (verbatimModuleSyntax), every other import is loaded.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Relative specifiers a module loads at run time, static imports and re-exports only. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    const loaded =
      (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) ||
      (ts.isExportDeclaration(statement) && !statement.isTypeOnly);
    const specifier = loaded ? statement.moduleSpecifier : undefined;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      specifiers.push(specifier.text);
    }
  }
  return specifiers;
}

/** Every source file reachable from `entry` (paths relative to the repository root). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const name = relative(ROOT, file);
    if (seen.has(name)) continue;
    seen.add(name);
    for (const specifier of staticImports(file)) {
      pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

describe('live mode imports', () => {
  it('never statically reaches src/emulator or src/sandbox from src/main.ts', () => {
    const graph = staticGraph('src/main.ts');
    expect(graph).toContain('src/app/app.ts');
    expect(graph).toContain('src/apps/gateway-apps.ts');
    expect([...graph].filter((file) => /^src\/(emulator|sandbox)\//.test(file))).toEqual([]);
  });

  it('does reach the emulator from the sandbox entry (the walk itself works)', () => {
    expect(staticGraph('src/sandbox/index.ts')).toContain('src/emulator/index.ts');
  });

  it('loads the sandbox with a dynamic import', () => {
    expect(readFileSync(resolve(ROOT, 'src/main.ts'), 'utf8')).toContain(
      "await import('./sandbox/index.js')",
    );
  });
});
