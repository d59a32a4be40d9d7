/**
 * One gateway's Prometheus registry (never prom-client's global one: tests and several gateways in
 * one process each have their own) and the metrics its parts report into it: upstream latency and
 * errcodes by endpoint (the http client's observer), where tokens came from (the token providers'
 * observer), and GraphQL errors by code (the access-log plugin). Yoga's Prometheus plugin adds the
 * operation metrics to the same registry (operation-metrics.ts); process metrics come from
 * process-metrics.ts. main.ts makes one and hands it to the http client, the apps and createApp.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import type {
  TokenCacheObserver,
  TokenCacheResult,
  UpstreamObserver,
  UpstreamOutcome,
  UserLookupObserver,
} from './observers.js';

/**
 * Distinct operation names kept as label values per kind of authenticated caller; later names
 * are counted as "other".
 */
export const MAX_OPERATION_NAMES = 100;
/**
 * The callers whose operation names become label values, each kind with its own
 * MAX_OPERATION_NAMES: anyone can log in, so sessions cannot use up the services' slots.
 */
export const NAMED_CALLER_KINDS: readonly string[] = ['session', 'service', 'admin'];
/** Longer operation names (GraphQL allows any length) are counted as "other": labels stay small. */
export const MAX_OPERATION_NAME_LENGTH = 64;

export interface GatewayMetrics {
  readonly registry: Registry;
  /** For createWechatHttp: each request's latency and errcode, by endpoint. */
  readonly upstream: UpstreamObserver;
  /** For one app's token provider: memory hits, store hits and fetches. */
  tokenCache(app: string): TokenCacheObserver;
  /** For one app's user batcher: user cache hits, and the users each batchget call carried. */
  userLookups(app: string): UserLookupObserver;
  /** One GraphQL error sent to a client, by its `extensions.code`. */
  countError(operation: OperationLabels, code: string): void;
  /**
   * The operation name as a label value. A client chooses it, so only authenticated callers'
   * names are kept, the first MAX_OPERATION_NAMES distinct ones per kind of caller (the series
   * stay bounded), then "other"; "Anonymous" for an operation without a name. An anonymous
   * caller's operations are all "anonymous", and those of a caller not (yet) identified (a bad
   * credential, or refused before it was read) all "unidentified": they take no slot.
   * `caller` is the caller's kind: anonymous, session, service, admin, invalid or unidentified.
   */
  operationName(name: string | null | undefined, caller: string): string;
}

export interface OperationLabels {
  operationType: string;
  operationName: string;
}

/** Users per batchget call: one lone look-up up to WeChat's 100. */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100];

/** WeChat answers in tens of milliseconds; a timeout takes seconds. */
const UPSTREAM_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const upstreamSeconds = new Histogram({
    name: 'wechat_upstream_request_duration_seconds',
    help: 'Requests to WeChat (each attempt of a retried call) by endpoint path and outcome: ok, errcode, timeout, network, bad-response.',
    labelNames: ['endpoint', 'outcome'],
    buckets: UPSTREAM_BUCKETS,
    registers: [registry],
  });
  const upstreamErrcodes = new Counter({
    name: 'wechat_upstream_errcodes_total',
    help: 'Non-zero errcodes WeChat answered, by endpoint path and errcode.',
    labelNames: ['endpoint', 'errcode'],
    registers: [registry],
  });
  const tokenCache = new Counter({
    name: 'wechat_token_cache_total',
    help: 'Where credentials came from: memory_hit (a lookup served from this process), store_hit (a load answered by the shared store), upstream_fetch (a load that fetched from WeChat).',
    labelNames: ['app', 'credential', 'result'],
    registers: [registry],
  });
  const userLookups = new Counter({
    name: 'wechat_user_lookups_total',
    help: 'User look-ups (distinct users of an operation) by result: cache_hit (served by the user cache, USER_CACHE_TTL) or upstream (sent to batchget).',
    labelNames: ['app', 'result'],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'wechat_user_batch_size',
    help: 'Distinct users per batchget call, look-ups of concurrent operations merged (halvings after an unknown openid not counted).',
    labelNames: ['app'],
    buckets: BATCH_SIZE_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors sent to clients, by operation and extensions.code (request, validation and execution errors alike).',
    labelNames: ['operationType', 'operationName', 'code'],
    registers: [registry],
  });

  // Children are bound once per label set: every upstream call and token lookup increments one.
  const upstreamChildren = new Map<string, Histogram.Internal<'endpoint' | 'outcome'>>();
  const upstream: UpstreamObserver = {
    observe(endpoint, seconds, outcome: UpstreamOutcome, errcode) {
      const key = `${endpoint} ${outcome}`;
      let child = upstreamChildren.get(key);
      if (child === undefined) {
        child = upstreamSeconds.labels({ endpoint, outcome });
        upstreamChildren.set(key, child);
      }
      child.observe(seconds);
      if (errcode !== undefined) upstreamErrcodes.inc({ endpoint, errcode: String(errcode) });
    },
  };

  const names = new Map(NAMED_CALLER_KINDS.map((kind) => [kind, new Set<string>()]));
  return {
    registry,
    upstream,
    tokenCache: (app) => (credential) => {
      const children: Record<TokenCacheResult, Counter.Internal> = {
        memory_hit: tokenCache.labels({ app, credential, result: 'memory_hit' }),
        store_hit: tokenCache.labels({ app, credential, result: 'store_hit' }),
        upstream_fetch: tokenCache.labels({ app, credential, result: 'upstream_fetch' }),
      };
      return (result) => children[result].inc();
    },
    userLookups(app) {
      const hits = userLookups.labels({ app, result: 'cache_hit' });
      const misses = userLookups.labels({ app, result: 'upstream' });
      const sizes = batchSize.labels({ app });
      return {
        looked: (cached, upstream) => {
          if (cached > 0) hits.inc(cached);
          if (upstream > 0) misses.inc(upstream);
        },
        batched: (users) => sizes.observe(users),
      };
    },
    countError: (operation, code) => errors.inc({ ...operation, code }),
    operationName(name, caller) {
      const kept = names.get(caller);
      if (kept === undefined) return caller === 'anonymous' ? 'anonymous' : 'unidentified';
      if (name === null || name === undefined || name === '') return 'Anonymous';
      if (kept.has(name)) return name;
      if (kept.size >= MAX_OPERATION_NAMES || name.length > MAX_OPERATION_NAME_LENGTH) {
        return 'other';
      }
      kept.add(name);
      return name;
    },
  };
}
