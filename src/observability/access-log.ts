/**
 * Per HTTP request: a request id (the client's `X-Request-Id` when acceptable, else a new UUID) on
 * every log line written while it is handled and in the response's `X-Request-Id` header; per
 * GraphQL operation one `access` line at info level; and `graphql_errors_total` by the codes the
 * client received. The access line names the operation, the kind of caller (never its key or
 * token), the duration, the error codes and the HTTP status: never variables or headers.
 */
import { performance } from 'node:perf_hooks';
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { Logger } from './logger.js';
import { REQUEST_ID_HEADER, requestIdFrom, runInRequest } from './request-scope.js';

/**
 * What the access line needs of a request's caller (src/auth/request-auth.ts provides it): the kind
 * once identified, never the credential. Declared here so observability imports nothing above it.
 */
export interface IdentifiedCaller {
  identified(): string | undefined;
}

interface RequestRecord {
  readonly requestId: string;
  readonly started: number;
  operationType?: string;
  operationName?: string;
  auth?: IdentifiedCaller;
  /** Set once the GraphQL result is known: this request carried an operation. */
  outcome?: { kind: 'ok' | 'error' | 'stream'; codes: string[] };
}

/** An error's `extensions.code` as the client got it (the result is already masked). */
function codeOf(error: GraphQLError | { extensions?: Record<string, unknown> }): string {
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : 'none';
}

type ResultProcessorInput = Parameters<NonNullable<Plugin['onResultProcess']>>[0]['result'];

function outcomeOf(result: ResultProcessorInput): NonNullable<RequestRecord['outcome']> {
  if (Symbol.asyncIterator in result) return { kind: 'stream', codes: [] };
  const results = Array.isArray(result) ? result : [result];
  const codes = results.flatMap((one) => (one.errors ?? []).map(codeOf));
  return { kind: codes.length === 0 ? 'ok' : 'error', codes };
}

/** Identified kind, or what the header alone says when the operation never got that far. */
function callerKind(record: RequestRecord, request: Request): string {
  const kind = record.auth?.identified();
  if (kind !== undefined) return kind;
  return request.headers.has('authorization') ? 'unidentified' : 'anonymous';
}

export function useAccessLog(deps: { logger: Logger; metrics: GatewayMetrics }): Plugin {
  const { logger, metrics } = deps;
  const records = new WeakMap<Request, RequestRecord>();
  const recordOf = (request: Request): RequestRecord => {
    let record = records.get(request);
    if (record === undefined) {
      const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
      record = { requestId, started: performance.now() };
      records.set(request, record);
    }
    return record;
  };
  const operationLabels = (record: RequestRecord, request: Request) => ({
    operationType: record.operationType ?? 'unknown',
    operationName: metrics.operationName(record.operationName, callerKind(record, request)),
  });

  return {
    instrumentation: {
      // Wraps the whole request, onRequest to onResponse: everything it starts logs its id.
      request: ({ request }, handle) =>
        runInRequest({ requestId: recordOf(request).requestId }, handle),
    },
    onParse({ context }) {
      const request = (context as { request?: Request }).request;
      if (request === undefined) return undefined;
      const params = (context as { params?: { operationName?: string | null } }).params;
      return ({ result }) => {
        if (result instanceof Error || result === null) return;
        const operation = getOperationAST(result, params?.operationName);
        const record = recordOf(request);
        record.operationType = operation?.operation;
        // The document's name only: a parsed GraphQL name, never a string the client made up.
        record.operationName = operation?.name?.value;
      };
    },
    onExecute({ args }) {
      const { request, auth } = args.contextValue as { request?: Request; auth?: IdentifiedCaller };
      if (request !== undefined) recordOf(request).auth = auth;
    },
    onSubscribe({ args }) {
      const { request, auth } = args.contextValue as { request?: Request; auth?: IdentifiedCaller };
      if (request !== undefined) recordOf(request).auth = auth;
    },
    onResultProcess({ request, result }) {
      const record = recordOf(request);
      record.outcome = outcomeOf(result);
      const labels = operationLabels(record, request);
      for (const code of record.outcome.codes) metrics.countError(labels, code);
    },
    onResponse({ request, response }) {
      const record = recordOf(request);
      response.headers.set(REQUEST_ID_HEADER, record.requestId);
      if (record.outcome === undefined) return; // Not an operation: health, metrics, GraphiQL.
      logger.info(
        {
          requestId: record.requestId,
          operationType: record.operationType ?? null,
          operationName: record.operationName ?? null,
          // Not `caller`: pino-pretty would print that key in the head line.
          callerKind: callerKind(record, request),
          durationMs: Math.round((performance.now() - record.started) * 10) / 10,
          outcome: record.outcome.kind,
          errorCodes: record.outcome.codes,
          status: response.status,
        },
        'access',
      );
    },
  };
}
