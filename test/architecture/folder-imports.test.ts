/**
 * The shape of src/: main.ts alone at the top, folders by concern, and folders that import
 * downwards only. Every relative import counts, `import type` included: a type is a dependency
 * too. LAYERS lists the folders from the bottom up; a file may import its own folder and the
 * folders listed before it, nothing else. A new folder must be placed here (the test says so).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Bottom first. `generated` (codegen output: the resolvers' types, whose mappers and context type
 * live in resolvers/) ranks with `resolvers`: the two import each other's types by design.
 */
const LAYERS = [
  'shared',
  'observability',
  'wechat',
  'config',
  'store',
  'tokens',
  'apps',
  'auth',
  'events',
  'http',
  'resolvers',
  'graphiql',
  'app',
  'emulator',
  'sandbox',
] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative specifiers of every import, re-export and dynamic import in a file. */
function relativeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier =
      ts.isImportDeclaration(node) || ts.isExportDeclaration(node)
        ? node.moduleSpecifier
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
          ? node.arguments[0]
          : undefined;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      found.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const folderOf = (path: string): string => {
  const parts = relative(SRC, path).split(sep);
  return parts.length === 1 ? '' : (parts[0] ?? '');
};

interface Edge {
  from: string;
  to: string;
  fromFolder: string;
  toFolder: string;
}

function crossFolderImports(): Edge[] {
  return sourceFiles(SRC).flatMap((file) =>
    relativeImports(file).flatMap((specifier) => {
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      const edge = {
        from: relative(SRC, file),
        to: relative(SRC, target),
        fromFolder: folderOf(file),
        toFolder: folderOf(target),
      };
      return edge.fromFolder === edge.toFolder ? [] : [edge];
    }),
  );
}

const isCodegenPair = (edge: Edge) =>
  [edge.fromFolder, edge.toFolder].sort().join(' ') === 'generated resolvers';

describe('src/ layout', () => {
  it('holds main.ts alone at the top, next to the folders', () => {
    const loose = readdirSync(SRC).filter((name) => !statSync(join(SRC, name)).isDirectory());
    expect(loose).toEqual(['main.ts']);
  });

  it('places every folder in a layer', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    const unplaced = folders.filter(
      (name) => name !== 'generated' && !(LAYERS as readonly string[]).includes(name),
    );
    expect(unplaced, 'add new folders to LAYERS in this test, below what imports them').toEqual([]);
  });

  it('imports downwards only: a folder never imports one above it (so no loops)', () => {
    const rank = (folder: string) =>
      folder === ''
        ? LAYERS.length
        : (LAYERS as readonly string[]).indexOf(folder === 'generated' ? 'resolvers' : folder);
    const sameLayer = (edge: Edge) => rank(edge.toFolder) === rank(edge.fromFolder);
    const upwards = crossFolderImports()
      .filter(
        (edge) =>
          rank(edge.toFolder) > rank(edge.fromFolder) || (sameLayer(edge) && !isCodegenPair(edge)),
      )
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(upwards).toEqual([]);
  });

  it('keeps shared/ free of the project: it imports nothing outside itself', () => {
    const fromShared = crossFolderImports().filter((edge) => edge.fromFolder === 'shared');
    expect(fromShared).toEqual([]);
  });
});
