/**
 * Refuses payloads nested deep enough to overflow a recursive parser, before anything parses
 * them: the JSON of a POST body (before JSON.parse), the `variables` and `extensions` of a GET or
 * of a form body (before JSON.parse), and the GraphQL document (before graphql-js's parser, and
 * before the token limit, which counts tokens inside that parser). Parsed variables and
 * extensions are walked again, whatever the content type they came in, before graphql-js
 * coerces them.
 *
 * Also refuses, with 400 BAD_REQUEST, `variables` or `extensions` of a GET or a form body that
 * are not JSON: yoga's parsers for those would throw a SyntaxError, which becomes a 500.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { malformedRequest, queryTooComplex } from '../shared/graphql-errors.js';
import type { Logger } from '../observability/logger.js';
import { graphqlNestsDeeperThan, jsonNestsDeeperThan, valueNestsDeeperThan } from './nesting.js';

const JSON_BODY = /^application\/(graphql\+)?json\b/i;
/** What yoga reads as a form body (its own, case-sensitive test). */
const FORM_BODY = /^application\/x-www-form-urlencoded(;|$)/;

type Part = 'body' | 'query' | 'variables' | 'extensions';

function isConnectionReset(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'ECONNRESET'
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

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

  /** The JSON-valued parameters of a GET or a form body, checked as yoga is about to parse them. */
  function checkJsonParams(params: URLSearchParams, method: string): void {
    for (const part of ['variables', 'extensions'] as const) {
      // Yoga skips an empty value.
      const text = params.get(part) || undefined;
      if (text === undefined) continue;
      if (jsonNestsDeeperThan(text, maxNesting)) throw refuse(part, method);
      if (!isJson(text)) throw malformedRequest(`The request's ${part} are not valid JSON.`);
    }
  }

  return {
    onRequestParse({ request, url, requestParser, setRequestParser, fetchAPI }) {
      if (request.method === 'GET') {
        checkJsonParams(url.searchParams, 'GET');
        return;
      }
      const contentType = request.headers.get('content-type') ?? '';
      if (request.method !== 'POST' || !requestParser) return;
      const parse = requestParser;
      const rebuilt = (incoming: Request, text: string) =>
        new fetchAPI.Request(incoming.url, {
          method: incoming.method,
          headers: incoming.headers,
          body: text,
        });
      // Each reads the body as text (yoga's size limit wraps these parsers, so it still applies),
      // scans it, then lets yoga's own parser read the same text.
      let parseBody = parse;
      if (FORM_BODY.test(contentType.split(',')[0] ?? '')) {
        parseBody = async (incoming) => {
          const text = await incoming.text();
          checkJsonParams(new URLSearchParams(text), 'POST');
          return parse(rebuilt(incoming, text));
        };
      } else if (JSON_BODY.test(contentType)) {
        parseBody = async (incoming) => {
          const text = await incoming.text();
          if (jsonNestsDeeperThan(text, maxNesting)) throw refuse('body', 'POST');
          return parse(rebuilt(incoming, text));
        };
      }
      setRequestParser(async (incoming) => {
        try {
          return await parseBody(incoming);
        } catch (error) {
          // A client that hangs up mid-body is not the gateway's failure: no "unexpected error".
          if (incoming.signal.aborted || isConnectionReset(error)) {
            throw malformedRequest(
              'The request body was cut off: the client closed the connection.',
            );
          }
          throw error;
        }
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
