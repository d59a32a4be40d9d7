/**
 * `GET /metrics` in Prometheus text format: the gateway's registry (operations, errors by code,
 * upstream latency and errcodes, token cache results: gateway-metrics.ts; the token gauges of
 * src/tokens/metrics.ts) and the process's metrics (process-metrics.ts). Guarded like an admin
 * field (the same access rule): metrics reveal which apps exist and how they are doing.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { processMetricsRegistry } from './process-metrics.js';

export const METRICS_PATH = '/metrics';

export interface Metrics {
  readonly contentType: string;
  /** Reads what the gauges show once (`refresh`), then renders every metric. */
  render(): Promise<string>;
}

export function createMetrics(deps: {
  /** The gateway's registry (gateway-metrics.ts). */
  registry: Registry;
  /** Reads what the registry's gauges show at this scrape (the token gauges). */
  refresh: () => Promise<void>;
}): Metrics {
  const { registry } = deps;
  // Made now, not at the first scrape: the CPU counters count from the gateway's start.
  const processRegistry = processMetricsRegistry();
  return {
    contentType: registry.contentType,
    async render() {
      await deps.refresh();
      return Registry.merge([registry, processRegistry]).metrics();
    },
  };
}

export function useMetricsRoute(deps: {
  metrics: Metrics;
  /** The error that refuses this caller, if any (the access rule of an ADMIN field). */
  authorize: (authorization: string | null) => Promise<GraphQLError | undefined>;
}): Plugin {
  return {
    // Not async: every request passes through here, and a returned promise would make the server
    // adapter wait a microtask for each one. Only GET /metrics does asynchronous work.
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== METRICS_PATH) return;
      if (request.method !== 'GET') {
        endResponse(new fetchAPI.Response('use GET\n', { status: 405, headers: { allow: 'GET' } }));
        return;
      }
      return deps.authorize(request.headers.get('authorization')).then(async (refusal) => {
        if (refusal) {
          const status = refusal.extensions['code'] === 'FORBIDDEN' ? 403 : 401;
          endResponse(new fetchAPI.Response(`${refusal.message}\n`, { status }));
          return;
        }
        const body = await deps.metrics.render();
        endResponse(
          new fetchAPI.Response(body, { headers: { 'content-type': deps.metrics.contentType } }),
        );
      });
    },
  };
}
