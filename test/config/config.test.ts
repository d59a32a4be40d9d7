import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bitsPerCharacter, credentialWeakness } from '../../src/config/access.js';
import { loadConfig } from '../../src/config/config.js';
import { ADMIN_KEY, SERVICE_KEY, SESSION_SECRET } from '../support/harness.js';
import { problemsOf } from '../support/config-problems.js';

describe('loadConfig', () => {
  it('starts in sandbox mode with documented defaults when no credentials are set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      logLevel: 'info',
      graphiql: true,
      introspection: true,
      tokenStore: 'memory',
      tokens: {},
      wechat: { mode: 'sandbox', defaultApp: 'official', tokenMode: 'stable' },
      warnings: [],
    });
  });

  it('configures one live app from WECHAT_APP_ID / WECHAT_APP_SECRET', () => {
    const config = loadConfig({
      WECHAT_APP_ID: 'wx1234567890abcdef',
      WECHAT_APP_SECRET: 'secret-value',
      WECHAT_TOKEN_MODE: 'legacy',
      PORT: '8080',
      NODE_ENV: 'production',
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.graphiql).toBe(false);
    expect(config.introspection).toBe(false);
    expect(config.tokenStore).toBe('file:.data/tokens');
    expect(config.wechat).toEqual({
      mode: 'live',
      baseUrl: 'https://api.weixin.qq.com',
      defaultApp: 'default',
      apps: [
        {
          name: 'default',
          kind: 'official',
          appId: 'wx1234567890abcdef',
          appSecret: 'secret-value',
          tokenMode: 'legacy',
        },
      ],
    });
  });

  it('adds apps of both kinds from WECHAT_APPS with a chosen default', () => {
    const config = loadConfig({
      WECHAT_APPS: JSON.stringify([
        { name: 'shop', kind: 'official', appId: 'wxa', appSecret: 'sa' },
        { name: 'mini', kind: 'miniprogram', appId: 'wxb', appSecret: 'sb', tokenMode: 'legacy' },
      ]),
      WECHAT_DEFAULT_APP: 'mini',
      WECHAT_API_BASE_URL: 'http://127.0.0.1:9999/',
      GRAPHIQL: 'off',
      INTROSPECTION: 'on',
      TOKEN_STORE: 'redis://127.0.0.1:6379',
      TOKEN_REFRESH_AHEAD_SECONDS: '300',
      TOKEN_CREDENTIAL_COOLDOWN_SECONDS: '120',
      TOKEN_QUOTA_WARN_THRESHOLD: '50',
      ADMIN_API_KEY: 'a-long-enough-admin-key-0123456789abcdef',
    });
    expect(config.wechat).toMatchObject({
      mode: 'live',
      baseUrl: 'http://127.0.0.1:9999',
      defaultApp: 'mini',
      apps: [
        { name: 'shop', kind: 'official', tokenMode: 'stable' },
        { name: 'mini', kind: 'miniprogram', tokenMode: 'legacy' },
      ],
    });
    expect(config.graphiql).toBe(false);
    expect(config.introspection).toBe(true);
    expect(config.tokenStore).toBe('redis://127.0.0.1:6379');
    expect(config.access.adminApiKey).toBe('a-long-enough-admin-key-0123456789abcdef');
    expect(config.tokens).toEqual({
      refreshAheadMs: 300_000,
      credentialCooldownMs: 120_000,
      quotaWarnThreshold: 50,
    });
  });

  it('reads the user batch window and the user cache (off by default)', () => {
    expect(loadConfig({}).users).toEqual({
      batchWindowMs: 2,
      cache: { ttlMs: 0, maxEntries: 20_000 },
    });
    const users = loadConfig({
      USER_BATCH_WINDOW_MS: '2',
      USER_CACHE_TTL: '30',
      USER_CACHE_MAX_ENTRIES: '500',
    }).users;
    expect(users).toEqual({ batchWindowMs: 2, cache: { ttlMs: 30_000, maxEntries: 500 } });
    expect(
      problemsOf({
        USER_BATCH_WINDOW_MS: '101',
        USER_CACHE_TTL: '-1',
        USER_CACHE_MAX_ENTRIES: '0',
      }),
    ).toEqual([
      'USER_BATCH_WINDOW_MS: must be at most 100',
      'USER_CACHE_TTL: must be at least 0',
      'USER_CACHE_MAX_ENTRIES: must be at least 1',
    ]);
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        WECHAT_APP_ID: 'wx1',
        WECHAT_TOKEN_MODE: 'fast',
        ADMIN_API_KEY: 'short',
        GRAPHIQL: 'maybe',
        TOKEN_STORE: 'postgres://x',
        TOKEN_REFRESH_AHEAD_SECONDS: '-1',
      }),
    ).toEqual([
      'PORT: must be a whole number',
      expect.stringMatching(/^LOG_LEVEL: /),
      expect.stringMatching(/^WECHAT_TOKEN_MODE: /),
      'TOKEN_STORE: must be "memory", "file:<path>", "redis://…" or "rediss://…"',
      'ADMIN_API_KEY: must be at least 32 characters: generate one with `openssl rand -base64 32`',
      'GRAPHIQL: must be true or false',
      'TOKEN_REFRESH_AHEAD_SECONDS: must be at least 1',
      'WECHAT_APP_SECRET: is required when WECHAT_APP_ID is set',
    ]);
  });

  it('reports bad WECHAT_APPS entries by path and never echoes a secret', () => {
    const problems = problemsOf({
      WECHAT_APPS: JSON.stringify([
        { name: 'ok', kind: 'official', appId: 'wxa', appSecret: 'TOP-SECRET-1' },
        { name: 'bad name', kind: 'web', appId: '', appSecret: 'TOP-SECRET-2' },
        { name: 'ok', kind: 'official', appId: 'wxa', appSecret: 'TOP-SECRET-3' },
      ]),
    });
    expect(problems).toEqual([
      'WECHAT_APPS[1].name: must be 1–64 letters, digits, "-" or "_"',
      expect.stringMatching(/^WECHAT_APPS\[1\]\.kind: /),
      'WECHAT_APPS[1].appId: is required',
    ]);
    const duplicates = problemsOf({
      WECHAT_APPS: JSON.stringify([
        { name: 'ok', kind: 'official', appId: 'wxa', appSecret: 'TOP-SECRET-1' },
        { name: 'ok', kind: 'official', appId: 'wxa', appSecret: 'TOP-SECRET-3' },
      ]),
      WECHAT_DEFAULT_APP: 'missing',
    });
    expect(duplicates).toEqual([
      'app name "ok" is configured twice',
      'appId wxa is configured twice',
      'WECHAT_DEFAULT_APP: "missing" is not a configured app (configured: ok, ok)',
    ]);
    const broken = problemsOf({ WECHAT_APPS: '[{"name":"x","appSecret":"TOP-SECRET-4"' });
    expect(broken).toEqual([expect.stringMatching(/^WECHAT_APPS: is not valid JSON/)]);
    expect(JSON.stringify([problems, duplicates, broken])).not.toContain('TOP-SECRET');
  });

  it('rejects a WeChat base URL that carries credentials, without echoing it', () => {
    const problems = problemsOf({
      WECHAT_APP_ID: 'wx1',
      WECHAT_APP_SECRET: 'secret-value',
      WECHAT_API_BASE_URL: 'https://user:TOP-SECRET@proxy.example.com',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^WECHAT_API_BASE_URL: must be an http\(s\) base URL without credentials/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('TOP-SECRET');
  });

  it('rejects an admin key with spaces', () => {
    expect(problemsOf({ ADMIN_API_KEY: 'a key with spaces in it 0123456789abcdef' })).toEqual([
      'ADMIN_API_KEY: must not contain spaces (it travels in an Authorization header)',
    ]);
  });

  it('warns about settings sandbox mode ignores', () => {
    const config = loadConfig({ WECHAT_API_BASE_URL: 'https://api.weixin.qq.com' });
    expect(config.wechat.mode).toBe('sandbox');
    expect(config.warnings).toEqual([
      'WECHAT_API_BASE_URL is ignored in sandbox mode (no WeChat credentials configured)',
    ]);
  });

  it('lets the sandbox default to the mini program', () => {
    expect(loadConfig({ WECHAT_DEFAULT_APP: 'miniprogram' }).wechat.defaultApp).toBe('miniprogram');
    expect(problemsOf({ WECHAT_DEFAULT_APP: 'shop' })).toEqual([
      'WECHAT_DEFAULT_APP: "shop" is not a configured app (configured: official, miniprogram)',
    ]);
  });
});

describe('loadConfig: the access variables', () => {
  const LIVE = { WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'secret-value' };
  const KEY_A = 'service-key-A-0123456789abcdefghijklmn';
  const KEY_B = 'service-key-B-0123456789abcdefghijklmn';
  const SECRET_A = 'session-secret-A-0123456789abcdefghijklmnop';
  const SECRET_B = 'session-secret-B-0123456789abcdefghijklmnop';
  const ADMIN = 'admin-key-C-0123456789abcdefghijklmnopq';

  it('defaults: no keys or secrets, 24 h sessions, 30 and 120 a minute, no proxy trusted', () => {
    expect(loadConfig({}).access).toEqual({
      adminApiKey: undefined,
      serviceApiKeys: [],
      sessionSecrets: [],
      sessionTtlMs: 24 * 60 * 60 * 1000,
      trustProxyHops: 0,
      rateLimits: { login: 30, jsapiConfig: 120 },
      jssdkAllowedHosts: 'any',
      globalRateLimits: { login: 3000, jsapiConfig: 12_000 },
      ipv6PrefixBits: 64,
      keyFailureLimit: 10,
      sessionRevocationFailOpenMs: undefined,
    });
    // Live mode signs no JS-SDK page until told which hosts are its own.
    expect(loadConfig(LIVE).access.jssdkAllowedHosts).toBeUndefined();
  });

  it('reads lists for rotation, durations, hop counts, limits and hosts', () => {
    const { access } = loadConfig({
      ...LIVE,
      ADMIN_API_KEY: ADMIN,
      SERVICE_API_KEYS: ` ${KEY_A} , ${KEY_B} `,
      SESSION_SECRET: `${SECRET_A},${SECRET_B}`,
      SESSION_TTL: '2h',
      TRUST_PROXY: '2',
      LOGIN_RATE_LIMIT: '10',
      JSAPI_CONFIG_RATE_LIMIT: '0',
      LOGIN_GLOBAL_RATE_LIMIT: '600',
      JSAPI_CONFIG_GLOBAL_RATE_LIMIT: '0',
      RATE_LIMIT_IPV6_PREFIX: '56',
      KEY_FAILURE_LIMIT: '0',
      SESSION_REVOCATION_FAIL_OPEN_MS: '0',
      JSSDK_ALLOWED_HOSTS: 'Shop.Example.com, example.org',
    });
    expect(access).toEqual({
      adminApiKey: ADMIN,
      serviceApiKeys: [KEY_A, KEY_B],
      sessionSecrets: [SECRET_A, SECRET_B],
      sessionTtlMs: 2 * 60 * 60 * 1000,
      trustProxyHops: 2,
      rateLimits: { login: 10, jsapiConfig: 0 },
      jssdkAllowedHosts: ['shop.example.com', 'example.org'],
      globalRateLimits: { login: 600, jsapiConfig: 0 },
      ipv6PrefixBits: 56,
      keyFailureLimit: 0,
      sessionRevocationFailOpenMs: 0,
    });
    expect(
      loadConfig({ SESSION_REVOCATION_FAIL_OPEN_MS: '30000' }).access.sessionRevocationFailOpenMs,
    ).toBe(30_000);
    expect(loadConfig({ SESSION_TTL: '3600' }).access.sessionTtlMs).toBe(3_600_000);
    expect(loadConfig({ SESSION_TTL: '7d' }).access.sessionTtlMs).toBe(7 * 86_400_000);
    expect(loadConfig({ TRUST_PROXY: 'true' }).access.trustProxyHops).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'off' }).access.trustProxyHops).toBe(0);
  });

  it('lists every problem without echoing a key or a secret', () => {
    const problems = problemsOf({
      ADMIN_API_KEY: KEY_A,
      SERVICE_API_KEYS: `${KEY_A},short-KEY,${KEY_B},${KEY_B}`,
      SESSION_SECRET: 'too-short-SECRET',
      SESSION_TTL: '30s',
      SESSION_REVOCATION_FAIL_OPEN_MS: '-5',
      KEY_FAILURE_LIMIT: 'many',
      TRUST_PROXY: 'sometimes',
      LOGIN_RATE_LIMIT: '-1',
      LOGIN_GLOBAL_RATE_LIMIT: '-1',
      RATE_LIMIT_IPV6_PREFIX: '129',
      JSSDK_ALLOWED_HOSTS: 'https://shop.example.com, *.example.org, ok.example.org',
    });
    expect(problems).toEqual([
      'SERVICE_API_KEYS: every key must be at least 32 characters: generate one with `openssl rand -base64 32`',
      'SERVICE_API_KEYS: lists the same key twice',
      'SESSION_SECRET: every secret must be at least 32 characters: generate one with `openssl rand -base64 32`',
      'SESSION_TTL: must be a duration from 60 s to 30 days: seconds or a number with s, m, h or d (e.g. 24h)',
      'SESSION_REVOCATION_FAIL_OPEN_MS: must be at least 0 (0 refuses sessions at once)',
      'KEY_FAILURE_LIMIT: must be a whole number',
      'TRUST_PROXY: must be true, false or the number of proxies in front of the gateway (1–10)',
      'LOGIN_RATE_LIMIT: must be at least 0 (0 turns the limit off)',
      'LOGIN_GLOBAL_RATE_LIMIT: must be at least 0 (0 turns the limit off)',
      'RATE_LIMIT_IPV6_PREFIX: must be at most 128',
      'JSSDK_ALLOWED_HOSTS: "https://shop.example.com", "*.example.org" are not host names (expected a comma-separated list such as shop.example.com,example.org; a host allows its subdomains; no scheme, port, path or wildcard)',
    ]);
    const same = problemsOf({ ADMIN_API_KEY: KEY_A, SERVICE_API_KEYS: `${KEY_B},${KEY_A}` });
    expect(same).toEqual([
      'SERVICE_API_KEYS: must not contain ADMIN_API_KEY (use a different key)',
    ]);
    const text = [...problems, ...same].join('\n');
    for (const secret of [KEY_A, KEY_B, 'short-KEY', 'too-short-SECRET']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('loadConfig: key and secret strength', () => {
  const ADVICE = 'generate one with `openssl rand -base64 32`';

  it('refuses keys and secrets that are short or mostly one or a few characters repeated, never quoting them', () => {
    const weak = {
      ADMIN_API_KEY: 'a'.repeat(40),
      SERVICE_API_KEYS: `${'passwordpassword'.repeat(3)},${'0123456789abcdef'.repeat(3)}`,
      SESSION_SECRET: 'ab'.repeat(24),
    };
    const problems = problemsOf(weak);
    expect(problems).toEqual([
      `ADMIN_API_KEY: must be random characters, not a word or a few characters repeated: ${ADVICE}`,
      `SERVICE_API_KEYS: every key must be random characters, not a word or a few characters repeated: ${ADVICE}`,
      `SESSION_SECRET: every secret must be random characters, not a word or a few characters repeated: ${ADVICE}`,
    ]);
    for (const value of ['aaaaaaaa', 'passwordpassword', 'abab']) {
      expect(problems.join('\n')).not.toContain(value);
    }
    expect(problemsOf({ ADMIN_API_KEY: 'x7Q-'.repeat(7) + 'abc' })).toEqual([
      `ADMIN_API_KEY: must be at least 32 characters: ${ADVICE}`,
    ]);
  });

  it("accepts what `openssl rand -base64 32` and `-hex 32` make, and the sandbox's throw-away keys", () => {
    for (let i = 0; i < 50; i += 1) {
      for (const key of [
        randomBytes(32).toString('base64'),
        randomBytes(32).toString('hex'),
        randomBytes(24).toString('base64url'),
      ]) {
        expect(credentialWeakness(key), key).toBeUndefined();
      }
    }
    expect(bitsPerCharacter('a'.repeat(40))).toBe(0);
    expect(bitsPerCharacter('ab'.repeat(20))).toBe(1);
  });

  it('keeps the test keys strong enough for the check', () => {
    for (const key of [ADMIN_KEY, SERVICE_KEY, SESSION_SECRET]) {
      expect(credentialWeakness(key)).toBeUndefined();
    }
  });

  it('refuses an admin key with a comma (two credentials in one header)', () => {
    expect(problemsOf({ ADMIN_API_KEY: `${randomBytes(32).toString('hex')},x` })).toEqual([
      'ADMIN_API_KEY: must not contain commas (a comma in Authorization reads as two credentials)',
    ]);
  });
});
