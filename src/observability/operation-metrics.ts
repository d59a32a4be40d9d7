/**
 * Operation metrics from yoga's Prometheus plugin, in the gateway's registry: operations executed
 * (`graphql_envelop_request`), their duration (`graphql_envelop_request_duration`) and HTTP
 * requests by status (`graphql_yoga_http_duration`), labelled by operation type and name.
 *
 * The plugin's own error counter is off: it counts a failed validation once, without its errors'
 * codes, and sees execution errors before they are masked, so it cannot label errors by the
 * `extensions.code` a client receives; `graphql_errors_total` (access-log.ts) does.
 * The plugin's `/metrics` route is off too: metrics.ts serves it behind the admin access rule.
 *
 * The operation name is a label only for authenticated callers (gateway-metrics.ts): the caller's
 * kind is read when the labels are filled, after the access rules identified it.
 */
import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { IdentifiedCaller } from './access-log.js';
import type { GatewayMetrics } from './gateway-metrics.js';

interface OperationParams {
  operationName?: string;
  operationType?: string;
}

/** What the envelop metrics get as context: the GraphQL context (src/resolvers/context.ts). */
interface CallerContext {
  request?: Request;
  auth?: IdentifiedCaller;
}

/** The caller's kind once identified, else what the header alone says (as the access log). */
function callerKind(request: Request | undefined, auth: IdentifiedCaller | undefined): string {
  const kind = auth?.identified();
  if (kind !== undefined) return kind;
  return request?.headers.has('authorization') ? 'unidentified' : 'anonymous';
}

const OPERATION_LABELS = ['operationType', 'operationName'] as const;

/** Operations take milliseconds; one waiting on a slow upstream call or a lease takes seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function useOperationMetrics(metrics: GatewayMetrics): Plugin {
  const { registry } = metrics;
  // The HTTP histogram is filled from the request alone: its operation's caller, kept here.
  const callers = new WeakMap<Request, IdentifiedCaller>();
  const operation = (params: OperationParams, caller: string) => ({
    operationType: params.operationType ?? 'unknown',
    operationName: metrics.operationName(params.operationName, caller),
  });
  const ofContext = (params: OperationParams, context: CallerContext) =>
    operation(params, callerKind(context.request, context.auth));
  const remember = ({ args }: { args: { contextValue: unknown } }) => {
    const { request, auth } = args.contextValue as CallerContext;
    if (request !== undefined && auth !== undefined) callers.set(request, auth);
  };
  const prometheus = usePrometheus({
    registry,
    endpoint: false,
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_request',
          help: 'GraphQL operations executed (queries, mutations, subscriptions), failed or not.',
          labelNames: [...OPERATION_LABELS],
        },
        fillLabelsFn: ofContext,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Seconds from the start of execution to its result, by operation.',
          labelNames: [...OPERATION_LABELS],
          buckets: DURATION_BUCKETS,
        },
        fillLabelsFn: ofContext,
      }),
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Seconds from request to response of parsed GraphQL requests, by operation, method and HTTP status.',
          labelNames: [...OPERATION_LABELS, 'method', 'statusCode'],
          buckets: DURATION_BUCKETS,
        },
        fillLabelsFn: (params: OperationParams & { request: Request; response: Response }) => ({
          ...operation(params, callerKind(params.request, callers.get(params.request))),
          method: params.request.method,
          statusCode: params.response.status,
        }),
      }),
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_error_result: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  });
  return {
    onPluginInit: ({ addPlugin }) => addPlugin(prometheus),
    onExecute: remember,
    onSubscribe: remember,
  };
}
