/**
 * Refuses payloads nested deep enough to overflow a recursive parser, before anything parses
 * them: the JSON of a POST body (before JSON.parse), the `variables` and `extensions` of a GET
 * (before JSON.parse), and the GraphQL document (before graphql-js's parser, and before the
 * token limit, which counts tokens inside that parser). Parsed variables and extensions are
 * walked again, whatever the content type they came in, before graphql-js coerces them.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooComplex } from './errors.js';
import type { Logger } from './logger.js';
import { graphqlNestsDeeperThan, jsonNestsDeeperThan, valueNestsDeeperThan } from './nesting.js';

const JSON_BODY = /^application\/(graphql\+)?json\b/i;

type Part = 'body' | 'query' | 'variables' | 'extensions';

export function usePayloadLimits(options: { maxNesting: number; logger: Logger }): Plugin {
  const { maxNesting, logger } = options;

  /** The error for the client and one short line for the log; never the payload itself. */
  function refuse(part: Part, method: string): GraphQLError {
    logger.warn(
      { part, method, maxNesting },
      `request refused before parsing: its ${part} nests deeper than ${maxNesting} levels`,
    );
    return queryTooComplex(
      part === 'query'
        ? `The operation nests brackets deeper than ${maxNesting} levels.`
        : `The request's JSON (${part}) nests deeper than ${maxNesting} levels.`,
      { refusedBeforeParsing: true },
    );
  }

  return {
    onRequestParse({ request, url, requestParser, setRequestParser, fetchAPI }) {
      if (request.method === 'GET') {
        for (const part of ['variables', 'extensions'] as const) {
          const text = url.searchParams.get(part);
          if (text !== null && jsonNestsDeeperThan(text, maxNesting)) throw refuse(part, 'GET');
        }
        return;
      }
      const contentType = request.headers.get('content-type') ?? '';
      if (request.method !== 'POST' || !JSON_BODY.test(contentType) || !requestParser) return;
      const parse = requestParser;
      // Reads the body as text (yoga's size limit wraps this parser, so it still applies),
      // scans it, then lets yoga's own parser read the same text.
      setRequestParser(async (incoming) => {
        const text = await incoming.text();
        if (jsonNestsDeeperThan(text, maxNesting)) throw refuse('body', 'POST');
        return parse(
          new fetchAPI.Request(incoming.url, {
            method: incoming.method,
            headers: incoming.headers,
            body: text,
          }),
        );
      });
    },
    onParams({ params, request }) {
      if (typeof params.query === 'string' && graphqlNestsDeeperThan(params.query, maxNesting)) {
        throw refuse('query', request.method);
      }
      for (const part of ['variables', 'extensions'] as const) {
        if (valueNestsDeeperThan(params[part], maxNesting)) throw refuse(part, request.method);
      }
    },
  };
}
