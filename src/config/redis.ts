/**
 * How the gateway reaches Redis beyond `TOKEN_STORE` (README, "Several instances on one Redis or
 * a Redis Cluster"): the key prefix, a Redis Cluster, and the CA of a `rediss://` server.
 * config.ts reads the environment; the schema and rules live here. Problems never quote a URL.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { flag, trimmed } from './env-values.js';

export interface RedisSettings {
  /** Every key starts with `<keyPrefix>:` (`REDIS_KEY_PREFIX`, default `wgg`). */
  readonly keyPrefix: string;
  /** `TOKEN_STORE` lists seed nodes of a Redis Cluster (`REDIS_CLUSTER`). */
  readonly cluster: boolean;
  /** `rediss://` only: the CA (PEM) that signed the server certificates; unset: Node's CA list. */
  readonly tlsCa?: string;
  /** `rediss://` only: false only when `REDIS_TLS_REJECT_UNAUTHORIZED=false` was set. */
  readonly tlsRejectUnauthorized: boolean;
}

/** The store's namespace, kept from before REDIS_KEY_PREFIX existed: old keys stay readable. */
export const DEFAULT_KEY_PREFIX = 'wgg';

/** No `{` or `}`: a prefix must not become the Redis Cluster hash tag of every key. */
export const KEY_PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const KEY_PREFIX_RULE = 'must be 1-64 letters, digits, "_", "-", "." or ":"';

export const redisSchema = z.object({
  REDIS_KEY_PREFIX: trimmed(z.string().regex(KEY_PREFIX_PATTERN, KEY_PREFIX_RULE)),
  REDIS_CLUSTER: flag,
  REDIS_TLS_CA_FILE: trimmed(z.string()),
  REDIS_TLS_REJECT_UNAUTHORIZED: flag,
});

type RedisVars = z.infer<typeof redisSchema>;

const REDIS_URL = /^rediss?:\/\/\S+$/;

/** `TOKEN_STORE` split into its URLs when it names Redis (several only for a cluster). */
export function redisUrls(spec: string): string[] {
  return spec.split(',').map((url) => url.trim());
}

export function isRedisSpec(spec: string): boolean {
  return spec.startsWith('redis://') || spec.startsWith('rediss://');
}

/** A PEM bundle is small: anything larger is the wrong file. */
const MAX_CA_BYTES = 1024 * 1024;

function readCa(path: string, problems: string[]): string | undefined {
  try {
    const pem = readFileSync(path, 'utf8');
    if (pem.length > MAX_CA_BYTES || !pem.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push(`REDIS_TLS_CA_FILE: "${path}" holds no PEM certificate`);
      return undefined;
    }
    return pem;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(`REDIS_TLS_CA_FILE: cannot read "${path}" (${code})`);
    return undefined;
  }
}

/** Checks the Redis variables against `TOKEN_STORE` (already validated as a spec). */
export function redisSettings(
  vars: RedisVars,
  storeSpec: string,
  problems: string[],
  warnings: string[],
): RedisSettings {
  const redis = isRedisSpec(storeSpec);
  const urls = redis ? redisUrls(storeSpec) : [];
  const cluster = vars.REDIS_CLUSTER ?? false;
  if (urls.some((url) => !REDIS_URL.test(url))) {
    problems.push('TOKEN_STORE: every comma-separated entry must be a redis:// or rediss:// URL');
  } else if (urls.length > 1 && !cluster) {
    problems.push(
      'TOKEN_STORE: several Redis URLs are the seed nodes of a Redis Cluster: set REDIS_CLUSTER=true, or give one URL',
    );
  } else if (new Set(urls.map((url) => url.split(':')[0])).size > 1) {
    problems.push('TOKEN_STORE: use redis:// or rediss:// for every node, not both');
  }
  const tls = urls.some((url) => url.startsWith('rediss://'));
  const tlsVars = ['REDIS_TLS_CA_FILE', 'REDIS_TLS_REJECT_UNAUTHORIZED'] as const;
  const ignored = [
    ...(redis ? [] : (['REDIS_KEY_PREFIX', 'REDIS_CLUSTER'] as const)),
    ...(tls ? [] : tlsVars),
  ].filter((name) => vars[name] !== undefined);
  if (ignored.length > 0) {
    warnings.push(
      `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored: TOKEN_STORE is not a ${redis ? 'rediss://' : 'redis:// or rediss://'} URL`,
    );
  }
  const rejectUnauthorized = vars.REDIS_TLS_REJECT_UNAUTHORIZED ?? true;
  if (tls && !rejectUnauthorized) {
    warnings.push(
      'REDIS_TLS_REJECT_UNAUTHORIZED=false: the Redis server certificate is not verified (anyone on the path can read the tokens)',
    );
  }
  const tlsCa =
    tls && vars.REDIS_TLS_CA_FILE !== undefined
      ? readCa(vars.REDIS_TLS_CA_FILE, problems)
      : undefined;
  return {
    keyPrefix: (redis ? vars.REDIS_KEY_PREFIX : undefined) ?? DEFAULT_KEY_PREFIX,
    cluster: redis && cluster,
    ...(tlsCa === undefined ? {} : { tlsCa }),
    tlsRejectUnauthorized: rejectUnauthorized,
  };
}
