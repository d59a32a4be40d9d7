// Lists the functions in a source tree that are longer than a limit (issue 18).
//
// A function's length is its full line span, first line to last, nested functions included:
// a 40-line factory returning a 90-line closure is a 130-line function. So only outermost
// functions are measured — a function nested in another is counted as part of its parent.
// Generated code (a `generated` directory) is skipped.
//
// Run directly to print the list: `npx tsx test/architecture/function-length.ts [root] [maxLines]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export interface LongFunction {
  /** The file, as `root` joined with its path below root (posix separators). */
  file: string;
  /** The function's name, or what it is assigned to; `<anonymous>` when it has neither. */
  name: string;
  lines: number;
}

const SKIPPED_DIRECTORIES = new Set(['generated', 'node_modules']);

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) files.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files.sort();
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** The function's own name, else the name of the variable / property / class member it is assigned to. */
function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name
  ) {
    return parent.name.getText(source);
  }
  if (ts.isExportAssignment(parent)) return 'default';
  return '<anonymous>';
}

export function longFunctions(root: string, maxLines: number): LongFunction[] {
  const found: LongFunction[] = [];
  for (const path of sourceFiles(root)) {
    const text = readFileSync(path, 'utf8');
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const file = join(root, relative(root, path)).split(sep).join('/');
    const visit = (node: ts.Node): void => {
      if (isFunction(node)) {
        // Outermost function: measure it whole and do not descend (its closures are part of it).
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > maxLines) found.push({ file, name: functionName(node, source), lines });
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2] ?? 'src';
  const maxLines = Number(process.argv[3] ?? 100);
  for (const f of longFunctions(root, maxLines)) console.log(`${f.lines}\t${f.file}\t${f.name}`);
}
