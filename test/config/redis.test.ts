/**
 * The Redis variables (REDIS_KEY_PREFIX, REDIS_CLUSTER, REDIS_TLS_CA_FILE,
 * REDIS_TLS_REJECT_UNAUTHORIZED) as loadConfig reads them against TOKEN_STORE: defaults that keep
 * old deployments' keys, every problem named, no URL echoed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { problemsOf } from '../support/config-problems.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-redis-config-'));
  await writeFile(join(dir, 'ca.pem'), PEM);
  await writeFile(join(dir, 'not-a-ca.txt'), 'hello');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Redis settings', () => {
  it('default to the prefix wgg, one server, verified TLS', () => {
    expect(loadConfig({ TOKEN_STORE: 'redis://:pw@10.0.0.1:6379' }).redis).toEqual({
      keyPrefix: 'wgg',
      cluster: false,
      tlsRejectUnauthorized: true,
    });
  });

  it('read a prefix, a cluster of seed URLs and a CA file', () => {
    const config = loadConfig({
      TOKEN_STORE: 'rediss://:pw@10.0.0.1:6379,rediss://:pw@10.0.0.2:6379',
      REDIS_CLUSTER: 'true',
      REDIS_KEY_PREFIX: 'shop-a:prod',
      REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
    });
    expect(config.redis).toEqual({
      keyPrefix: 'shop-a:prod',
      cluster: true,
      tlsCa: PEM,
      tlsRejectUnauthorized: true,
    });
    expect(config.warnings).toEqual([]);
  });

  it('name each problem without echoing a URL', () => {
    const problems = problemsOf({
      TOKEN_STORE: 'redis://:hunter2@10.0.0.1:6379,redis://:hunter2@10.0.0.2:6379',
      REDIS_KEY_PREFIX: 'a{b}',
    });
    expect(problems).toEqual([
      'REDIS_KEY_PREFIX: must be 1-64 letters, digits, "_", "-", "." or ":"',
      'TOKEN_STORE: several Redis URLs are the seed nodes of a Redis Cluster: set REDIS_CLUSTER=true, or give one URL',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(
      problemsOf({
        TOKEN_STORE: 'rediss://10.0.0.1:6379,redis://10.0.0.2:6379',
        REDIS_CLUSTER: 'yes',
      }),
    ).toEqual(['TOKEN_STORE: use redis:// or rediss:// for every node, not both']);
    expect(
      problemsOf({
        TOKEN_STORE: 'redis://10.0.0.1:6379,memory',
        REDIS_CLUSTER: 'yes',
      }),
    ).toEqual(['TOKEN_STORE: every comma-separated entry must be a redis:// or rediss:// URL']);
  });

  it('refuse a CA file that cannot be read or holds no certificate', () => {
    const tls = { TOKEN_STORE: 'rediss://10.0.0.1:6379' };
    expect(problemsOf({ ...tls, REDIS_TLS_CA_FILE: join(dir, 'missing.pem') })).toEqual([
      `REDIS_TLS_CA_FILE: cannot read "${join(dir, 'missing.pem')}" (ENOENT)`,
    ]);
    expect(problemsOf({ ...tls, REDIS_TLS_CA_FILE: join(dir, 'not-a-ca.txt') })).toEqual([
      `REDIS_TLS_CA_FILE: "${join(dir, 'not-a-ca.txt')}" holds no PEM certificate`,
    ]);
  });

  it('turn verification off only when told, with a warning', () => {
    const config = loadConfig({
      TOKEN_STORE: 'rediss://10.0.0.1:6379',
      REDIS_TLS_REJECT_UNAUTHORIZED: 'false',
    });
    expect(config.redis.tlsRejectUnauthorized).toBe(false);
    expect(config.warnings).toEqual([
      'REDIS_TLS_REJECT_UNAUTHORIZED=false: the Redis server certificate is not verified (anyone on the path can read the tokens)',
    ]);
  });

  it('warn about settings the store does not use', () => {
    expect(
      loadConfig({ REDIS_KEY_PREFIX: 'x', REDIS_TLS_CA_FILE: join(dir, 'ca.pem') }).warnings,
    ).toEqual([
      'REDIS_KEY_PREFIX, REDIS_TLS_CA_FILE are ignored: TOKEN_STORE is not a redis:// or rediss:// URL',
    ]);
    const plain = loadConfig({
      TOKEN_STORE: 'redis://10.0.0.1:6379',
      REDIS_TLS_REJECT_UNAUTHORIZED: 'false',
    });
    expect(plain.warnings).toEqual([
      'REDIS_TLS_REJECT_UNAUTHORIZED is ignored: TOKEN_STORE is not a rediss:// URL',
    ]);
    expect(plain.redis.keyPrefix).toBe('wgg');
  });
});
