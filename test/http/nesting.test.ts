import fc from 'fast-check';
import { getIntrospectionQuery, Lexer, Source, TokenKind } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  graphqlNestsDeeperThan,
  jsonNestsDeeperThan,
  valueNestsDeeperThan,
} from '../../src/http/nesting.js';

const OPENING: readonly string[] = [TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L];
const CLOSING: readonly string[] = [TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R];

/** The reference: graphql-js's own lexer, counting bracket tokens (never below zero). */
function lexedDepth(source: string): number {
  const lexer = new Lexer(new Source(source));
  let depth = 0;
  let max = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (OPENING.includes(token.kind)) max = Math.max(max, (depth += 1));
    if (CLOSING.includes(token.kind)) depth = Math.max(0, depth - 1);
  }
  return max;
}

/** The smallest limit the scan accepts: its idea of the document's depth. */
function scannedDepth(source: string): number {
  let limit = 0;
  while (graphqlNestsDeeperThan(source, limit)) limit += 1;
  return limit;
}

describe('graphqlNestsDeeperThan', () => {
  it('counts braces, brackets and parentheses, up to the limit and not beyond', () => {
    const doc = '{ users(openids: [["x"]]) { openid } }';
    expect(graphqlNestsDeeperThan(doc, 4)).toBe(false);
    expect(graphqlNestsDeeperThan(doc, 3)).toBe(true);
    const deep = `{ users(openids: ${'['.repeat(2000)}"x"${']'.repeat(2000)}) { openid } }`;
    expect(graphqlNestsDeeperThan(deep, 32)).toBe(true);
  });

  it('ignores brackets inside strings, block strings and comments', () => {
    const doc = [
      '# {{{{{{ [[[[[',
      '{ a(s: "{{{{ \\" [[[[", b: """ {{{{ \\""" [[[[ """) }',
      '{ c(s: "unterminated [[[[',
      '}',
    ].join('\n');
    expect(scannedDepth(doc)).toBe(2);
  });

  it('is not fooled by stray closing brackets in front of deep openings', () => {
    expect(graphqlNestsDeeperThan(`${']'.repeat(100)}${'['.repeat(40)}`, 32)).toBe(true);
  });

  it('lets GraphiQL introspection query through (10 levels)', () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    expect(scannedDepth(query)).toBe(10);
    expect(graphqlNestsDeeperThan(query, 32)).toBe(false);
  });

  it("agrees with graphql-js's lexer on any document the lexer reads", () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '(',
      ')',
      ' a ',
      '\n',
      '"s{["',
      '"\\"["',
      '"""b{ \\""" ["""',
      '"""\n]]\n"""',
      '# c{[(\n',
      '$v',
      ': ',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const source = parts.join('');
        let expected: number;
        try {
          expected = lexedDepth(source);
        } catch {
          return; // not a sequence of GraphQL tokens: the parser refuses it anyway
        }
        expect(scannedDepth(source)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('jsonNestsDeeperThan', () => {
  it('counts arrays and objects, skipping strings with escaped quotes', () => {
    const text = JSON.stringify({ query: '{{{{[[[[', variables: { a: [['\\"[[[[']] } });
    expect(jsonNestsDeeperThan(text, 4)).toBe(false);
    expect(jsonNestsDeeperThan(text, 3)).toBe(true);
  });

  it('scans a 100 000-deep body without recursion', () => {
    const depth = 100_000;
    const body = `{"variables":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    expect(jsonNestsDeeperThan(body, 32)).toBe(true);
    expect(jsonNestsDeeperThan(body, depth + 2)).toBe(false);
  });

  it('agrees with the parsed value for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 14 }), (value, n) => {
        expect(jsonNestsDeeperThan(JSON.stringify(value), n)).toBe(valueNestsDeeperThan(value, n));
      }),
      { numRuns: 500 },
    );
  });
});

describe('valueNestsDeeperThan', () => {
  it('walks parsed values iteratively, however deep', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(valueNestsDeeperThan({ a: deep }, 32)).toBe(true);
    expect(valueNestsDeeperThan({ a: [[1]], b: { c: 'x' } }, 3)).toBe(false);
    expect(valueNestsDeeperThan({ a: [[1]] }, 2)).toBe(true);
    expect(valueNestsDeeperThan(undefined, 0)).toBe(false);
    expect(valueNestsDeeperThan('[[[[', 0)).toBe(false);
  });
});
