/**
 * Static limits on an operation's shape, checked once per document (yoga caches validation),
 * through graphql-armor's rules. The schema is shallow (the deepest useful path is four fields),
 * so the bounds are tight. The cost that matters upstream is estimated before the operation runs
 * (`upstreamBudget`, upstream-budget.ts) and bounded again while it runs (`maxUsers`).
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
   * Distinct users one operation may load, checked while it runs (100 users per batchget call).
   * The upstream budget refuses most operations that would come near it first; this bound holds
   * whatever the estimate missed.
   */
  maxUsers: number;
  /**
   * WeChat calls one operation may make, estimated before it runs (UPSTREAM_BUDGET_PER_OPERATION,
   * upstream-budget.ts). 20: every single field fits many times over (a send is 1, `users` of
   * 1000 openids 10, a follower page of 1900 users with their records 20), while aliases cannot
   * multiply a field past it (40 `followers` were 40 calls, 50 `tagUsers` of 300 openids 300).
   */
  upstreamBudget: number;
  /**
   * WeChat calls of one caller in flight at once, the rest waiting in its queue
   * (UPSTREAM_CONCURRENCY_PER_CALLER, src/tokens/caller-gate.ts). 8: an operation within the
   * budget needs at most three rounds of WeChat latency; at ~100 ms a call one caller still
   * sustains ~80 calls a second; and a flood by one key or address queues behind its own 8
   * instead of holding the connections every other caller needs.
   */
  upstreamConcurrency: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 8,
  maxAliases: 50,
  maxTokens: 3000,
  maxNesting: 32,
  maxUsers: 10_000,
  upstreamBudget: 20,
  upstreamConcurrency: 8,
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
