/**
 * Which Redis the gateway talks to, as every client it opens needs it: the token store's
 * (node-redis through @keyv/redis) and the event log's (ioredis, commands and pub/sub). One
 * server or the seed nodes of a Redis Cluster; TLS for `rediss://`, with the CA of
 * REDIS_TLS_CA_FILE.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import { redisUrls, type RedisSettings } from '../config/redis.js';

export interface RedisTarget {
  /** `redis://` or `rediss://` URLs: one server, or seed nodes of a cluster. */
  readonly urls: readonly string[];
  readonly cluster: boolean;
  /** PEM of the CA that signed the servers' certificates; unset: Node's list. */
  readonly tlsCa?: string;
  /** False only when the operator said so (REDIS_TLS_REJECT_UNAUTHORIZED=false). */
  readonly tlsRejectUnauthorized?: boolean;
}

/** `TOKEN_STORE` (one URL, or comma-separated seed URLs of a cluster) and the Redis settings. */
export function redisTarget(
  spec: string,
  settings: Partial<Pick<RedisSettings, 'cluster' | 'tlsCa' | 'tlsRejectUnauthorized'>> = {},
): RedisTarget {
  const urls = redisUrls(spec);
  return {
    urls,
    cluster: settings.cluster ?? false,
    ...(settings.tlsCa === undefined ? {} : { tlsCa: settings.tlsCa }),
    tlsRejectUnauthorized: settings.tlsRejectUnauthorized ?? true,
  };
}

export function usesTls(target: RedisTarget): boolean {
  return target.urls.some((url) => url.startsWith('rediss://'));
}

function tlsOptions(target: RedisTarget): ConnectionOptions {
  return {
    ...(target.tlsCa === undefined ? {} : { ca: target.tlsCa }),
    rejectUnauthorized: target.tlsRejectUnauthorized ?? true,
  };
}

/** node-redis socket options for TLS (the `rediss://` scheme alone would not take our CA). */
export function nodeRedisTls(
  target: RedisTarget,
): { tls?: undefined } | ({ tls: true } & ConnectionOptions) {
  return usesTls(target) ? { tls: true, ...tlsOptions(target) } : {};
}

export interface SeedNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** A seed URL as host, port and credentials (a cluster uses the same ones on every node). */
export function seedNode(url: string): SeedNode {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(parsed.port || 6379),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
  };
}

/** The per-connection options of an ioredis client, for one server or every cluster node. */
type PerConnection = Omit<RedisOptions, 'host' | 'port' | 'path' | 'retryStrategy'>;

/**
 * An ioredis client of the target, not yet connected (`lazyConnect`). `perConnection` applies to
 * every connection; `retryStrategy` and `enableOfflineQueue` to the client as a whole.
 */
export function openIoredis(
  target: RedisTarget,
  options: {
    perConnection: PerConnection;
    retryStrategy: (attempt: number) => number;
    enableOfflineQueue?: boolean;
  },
): Redis | Cluster {
  const tls = usesTls(target) ? { tls: tlsOptions(target) } : {};
  if (!target.cluster) {
    const [url = ''] = target.urls;
    return new Redis(url, {
      ...options.perConnection,
      ...tls,
      lazyConnect: true,
      retryStrategy: options.retryStrategy,
      ...(options.enableOfflineQueue === undefined
        ? {}
        : { enableOfflineQueue: options.enableOfflineQueue }),
    });
  }
  const seeds = target.urls.map(seedNode);
  const [first] = seeds;
  const clusterOptions: ClusterOptions = {
    lazyConnect: true,
    clusterRetryStrategy: options.retryStrategy,
    redisOptions: {
      ...options.perConnection,
      ...tls,
      ...(first?.username === undefined ? {} : { username: first.username }),
      ...(first?.password === undefined ? {} : { password: first.password }),
    },
    ...(options.enableOfflineQueue === undefined
      ? {}
      : { enableOfflineQueue: options.enableOfflineQueue }),
  };
  return new Cluster(
    seeds.map(({ host, port }) => ({ host, port })),
    clusterOptions,
  );
}
