/**
 * The token gauges of `GET /metrics` (src/observability/metrics-route.ts), read at each scrape:
 * per app the token's remaining lifetime, the breaker, the refresh budget and today's quota ledger.
 * The ledger lives in the token store, so with Redis these are fleet-wide numbers (every instance
 * reports the same ones: aggregate with max, not sum).
 */
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../shared/clock.js';
import type { TokenProvider, TokenStatus } from './types.js';

interface Sample {
  app: string;
  status: TokenStatus;
}

export interface TokenGaugeDeps {
  /** The apps to report, each with its token provider. */
  apps: readonly { readonly name: string; readonly tokens: Pick<TokenProvider, 'status'> }[];
  clock: Clock;
  logger: Logger;
  /** The gateway's registry (src/observability/gateway-metrics.ts); the gauges are added to it. */
  registry: Registry;
}

/** Adds the gauges to the registry; `refresh` reads every app's token status once per scrape. */
export function createTokenGauges(deps: TokenGaugeDeps): { refresh(): Promise<void> } {
  const { registry } = deps;
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
    'wechat_token_refused',
    "1 while this instance refuses the app's calls: WeChat rejected the access_token and no refresh for it is left (the breaker stays closed); 0 otherwise.",
    ['app'],
    (set, { app, status }) =>
      set({ app }, status.rejectedRefreshBudget.refusedUntil === null ? 0 : 1),
  );
  gauge(
    'wechat_ticket_calls_today',
    "jsapi_ticket fetches today (WeChat's day, UTC+8), for the whole fleet.",
    ['app'],
    (set, { app, status }) => set({ app }, status.ledger.ticketCalls),
  );

  return {
    async refresh() {
      const settled = await Promise.allSettled(deps.apps.map((app) => app.tokens.status()));
      samples = settled.flatMap((result, i) => {
        const app = deps.apps[i]?.name ?? '?';
        if (result.status === 'fulfilled') return [{ app, status: result.value }];
        // One app's store trouble must not hide the others' metrics.
        deps.logger.warn({ app, err: result.reason }, 'token status unavailable for /metrics');
        return [];
      });
    },
  };
}
