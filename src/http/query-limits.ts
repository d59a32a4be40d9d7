/**
 * Static limits on an operation's shape, checked once per document (yoga caches validation),
 * through graphql-armor's rules. The schema is shallow (the deepest useful path is four fields),
 * so the bounds are tight; the cost that matters upstream (users per operation, followers per
 * page) is bounded while the operation runs (see `maxUsers` and the resolvers).
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import type { ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooComplex } from '../shared/graphql-errors.js';

export interface QueryLimits {
  /** Deepest field nesting; introspection fields are not counted. */
  maxDepth: number;
  /** Aliased fields in one operation (fragments included). */
  maxAliases: number;
  /** Lexical tokens in a document, checked while parsing. */
  maxTokens: number;
  /**
   * Brackets, braces and parentheses nested in the document, and arrays and objects nested in
   * the request's JSON (body, variables, extensions): checked before anything parses them
   * (src/payload-limits.ts). GraphiQL's introspection query nests 10 levels.
   */
  maxNesting: number;
  /**
   * Distinct users one operation may load, checked while it runs (100 users per batchget call);
   * the default allows one full `followers(first: 10000) { nodes }` page.
   */
  maxUsers: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 8,
  maxAliases: 50,
  maxTokens: 3000,
  maxNesting: 32,
  maxUsers: 10_000,
};

const ARMOR_PREFIX = /^Syntax Error: /;

/**
 * graphql-armor reports a plain "Syntax Error: …" with no code; clients get QUERY_TOO_COMPLEX
 * and our own wording instead.
 */
const reportAsTooComplex: GraphQLArmorRejectCallback = (context, error) => {
  context?.reportError(queryTooComplex(error.message.replace(ARMOR_PREFIX, '')));
};

export function createQueryLimitRules(
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): ValidationRule[] {
  const common = {
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [reportAsTooComplex],
  };
  return [
    maxDepthRule({
      ...common,
      n: limits.maxDepth,
      ignoreIntrospection: true,
      errorMessage: `The operation nests fields deeper than ${limits.maxDepth} levels.`,
    }),
    maxAliasesRule({
      ...common,
      n: limits.maxAliases,
      errorMessage: `The operation uses more than ${limits.maxAliases} aliases.`,
    }),
  ];
}

/** Parse-time token limit: a huge document is refused before it is even fully parsed. */
export function useMaxTokens(limits: QueryLimits = DEFAULT_QUERY_LIMITS): Plugin {
  return maxTokensPlugin({
    n: limits.maxTokens,
    exposeLimits: false,
    errorMessage: `The operation has more than ${limits.maxTokens} tokens.`,
    // Thrown from inside the parser: replaces armor's "Syntax Error" (GRAPHQL_PARSE_FAILED).
    onReject: [
      (_context, error) => {
        throw queryTooComplex(error.message.replace(ARMOR_PREFIX, ''));
      },
    ],
  });
}
