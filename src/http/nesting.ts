/**
 * How deeply a payload nests, measured without parsing it. graphql-js's parser and the code that
 * walks parsed values recurse once per level: a few thousand levels (4 KB of `[`) overflow the
 * stack. These scans are loops, linear in the input and stopping as soon as the limit is passed,
 * so they can run on anything a client sends before a parser does.
 */

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);

/** Index just past the comment starting at `i` (`#` to the end of the line). */
function skipComment(source: string, i: number): number {
  let j = i + 1;
  while (j < source.length && source[j] !== '\n' && source[j] !== '\r') j += 1;
  return j;
}

/** Index just past the block string opening at `i` (`"""`; `\"""` inside is escaped). */
function skipBlockString(source: string, i: number): number {
  let j = i + 3;
  while (j < source.length && !source.startsWith('"""', j)) {
    j += source.startsWith('\\"""', j) ? 4 : 1;
  }
  return j + 3;
}

/**
 * Index just past the string opening at `i` (`"`, backslash escapes). GraphQL strings cannot span
 * lines: a line break ends an unterminated one, as the lexer will report.
 */
function skipString(source: string, i: number, lineBreakEnds: boolean): number {
  let j = i + 1;
  while (j < source.length) {
    const c = source[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    j += 1;
    if (c === '"' || (lineBreakEnds && (c === '\n' || c === '\r'))) break;
  }
  return j;
}

/**
 * True when brackets, braces and parentheses in a GraphQL document nest deeper than `limit`.
 * Those inside strings, block strings and comments do not count; a stray closing one never
 * lowers the depth below zero (it could otherwise hide the openings that follow it).
 */
export function graphqlNestsDeeperThan(source: string, limit: number): boolean {
  let depth = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === '#') {
      i = skipComment(source, i);
    } else if (c === '"') {
      i = source.startsWith('"""', i) ? skipBlockString(source, i) : skipString(source, i, true);
    } else {
      if (OPEN.has(c) && (depth += 1) > limit) return true;
      if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
      i += 1;
    }
  }
  return false;
}

/** True when arrays and objects in a JSON text nest deeper than `limit` (strings skipped). */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i, false);
      continue;
    }
    if ((c === '{' || c === '[') && (depth += 1) > limit) return true;
    if (c === '}' || c === ']') depth = Math.max(0, depth - 1);
    i += 1;
  }
  return false;
}

/** True when arrays and objects in an already parsed value nest deeper than `limit`. */
export function valueNestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
