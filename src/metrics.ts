/**
 * `GET /metrics` in Prometheus text format: the gateway's registry (operations, errors by code,
 * upstream latency and errcodes, token cache results: gateway-metrics.ts), the process's metrics
 * (process-metrics.ts) and, read at each scrape, per app the token's remaining lifetime, the
 * breaker and today's quota ledger. The ledger lives in the token store, so with Redis these are
 * fleet-wide numbers (every instance reports the same ones: aggregate with max, not sum). Guarded
 * like an admin field (the same access rule): metrics reveal which apps exist and how they are doing.
 */
import type { Plugin } from 'graphql-yoga';
import { Gauge, Registry } from 'prom-client';
import { processMetricsRegistry } from './process-metrics.js';
import type { GraphQLError } from 'graphql';
import type { Clock } from './clock.js';
import type { GatewayApp } from './gateway-apps.js';
import type { Logger } from './logger.js';
import type { TokenStatus } from './tokens/types.js';

export const METRICS_PATH = '/metrics';

export interface Metrics {
  readonly contentType: string;
  /** Reads every app's token status once, then renders all gauges from it. */
  render(): Promise<string>;
}

interface Sample {
  app: string;
  status: TokenStatus;
}

export function createMetrics(deps: {
  apps: readonly GatewayApp[];
  clock: Clock;
  logger: Logger;
  /** The gateway's registry (gateway-metrics.ts); the token gauges are added to it. */
  registry: Registry;
}): Metrics {
  const { registry } = deps;
  // Made now, not at the first scrape: the CPU counters count from the gateway's start.
  const processRegistry = processMetricsRegistry();
  let samples: readonly Sample[] = [];

  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (set: (labels: Record<string, string>, value: number) => void, s: Sample) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const sample of samples) fill((labels, value) => this.set(labels, value), sample);
      },
    });

  gauge(
    'wechat_token_ttl_seconds',
    'Seconds until the cached access_token expires (absent while none is cached).',
    ['app', 'mode'],
    (set, { app, status }) => {
      if (status.expiresAt === null) return;
      set({ app, mode: status.mode }, Math.max(0, (status.expiresAt - deps.clock.now()) / 1000));
    },
  );
  gauge(
    'wechat_token_breaker_open',
    '1 while the circuit breaker stops token calls (errcode names the cause), else 0.',
    ['app', 'errcode'],
    (set, { app, status: { breaker } }) => {
      const errcode = breaker.open && breaker.errcode !== null ? String(breaker.errcode) : '';
      set({ app, errcode }, breaker.open ? 1 : 0);
    },
  );
  gauge(
    'wechat_token_calls_today',
    "Token fetches today (WeChat's day, UTC+8) by endpoint and reason, for the whole fleet.",
    ['app', 'endpoint', 'reason'],
    (set, { app, status }) => {
      for (const { endpoint, reason, count } of status.ledger.tokenCalls) {
        set({ app, endpoint, reason }, count);
      }
    },
  );
  gauge(
    'wechat_token_failures_today',
    "Failed token fetches today (WeChat's day, UTC+8) by errcode, for the whole fleet.",
    ['app', 'errcode'],
    (set, { app, status }) => {
      for (const { errcode, count } of status.ledger.failures)
        set({ app, errcode: `${errcode}` }, count);
    },
  );
  gauge(
    'wechat_token_rejected_refresh_budget',
    'Refreshes for a rejected access_token that may run now (a small burst refilled slowly); scope "fleet" is the budget shared through the store, "local" this instance\'s own while the store is unreachable.',
    ['app', 'scope'],
    (set, { app, status: { rejectedRefreshBudget: budget } }) =>
      set({ app, scope: budget.local ? 'local' : 'fleet' }, budget.remaining),
  );
  gauge(
    'wechat_ticket_calls_today',
    "jsapi_ticket fetches today (WeChat's day, UTC+8), for the whole fleet.",
    ['app'],
    (set, { app, status }) => set({ app }, status.ledger.ticketCalls),
  );

  return {
    contentType: registry.contentType,
    async render() {
      const settled = await Promise.allSettled(deps.apps.map((app) => app.tokens.status()));
      samples = settled.flatMap((result, i) => {
        const app = deps.apps[i]?.name ?? '?';
        if (result.status === 'fulfilled') return [{ app, status: result.value }];
        // One app's store trouble must not hide the others' metrics.
        deps.logger.warn({ app, err: result.reason }, 'token status unavailable for /metrics');
        return [];
      });
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
