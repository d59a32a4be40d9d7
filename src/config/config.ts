/**
 * The gateway's configuration: the only reader of `process.env`. One schema per concern; every
 * variable is checked, and every problem reported in one error, without echoing secret values.
 */
import { z } from 'zod';
import { accessConfig, anonymousSchema, credentialsSchema, type AccessConfig } from './access.js';
import { flag, integer, optionalString, trimmed } from './env-values.js';
import type { LogFormat } from '../observability/logger.js';
import { attributeProblems, readSecretFiles } from './secret-files.js';
import { callbackEntryShape, eventsConfig, eventsSchema, type EventsConfig } from './events.js';
import { redisSchema, redisSettings, type RedisSettings } from './redis.js';
import type { AppKind, TokenMode, WechatAppConfig } from '../wechat/types.js';
import { DEFAULT_USER_BATCH_WINDOW_MS } from '../wechat/user-batcher.js';
import { DEFAULT_USER_CACHE_MAX_ENTRIES, type UserCacheOptions } from '../wechat/user-cache.js';

/**
 * The apps sandbox mode serves, by kind. Config owns these names because it validates
 * WECHAT_DEFAULT_APP against them before anything starts (and live mode never loads src/sandbox).
 */
export const SANDBOX_APP_NAMES = {
  official: 'official',
  miniprogram: 'miniprogram',
} as const satisfies Record<AppKind, string>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TokenTuning {
  refreshAheadMs?: number;
  credentialCooldownMs?: number;
  quotaWarnThreshold?: number;
  rejectedRefreshBurst?: number;
  rejectedRefreshRefillMs?: number;
}

export type WechatTarget =
  /** No credentials: an in-process emulator plays WeChat with its two sandbox apps. */
  | { mode: 'sandbox'; defaultApp: string; tokenMode: TokenMode }
  | { mode: 'live'; baseUrl: string; apps: WechatAppConfig[]; defaultApp: string };

export interface GatewayConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Unset: pretty on a terminal, JSON otherwise (decided by the logger). */
  logFormat: LogFormat | undefined;
  production: boolean;
  /** Keys, sessions, abuse limits and the JS-SDK host allowlist (README, "Access"). */
  access: AccessConfig;
  graphiql: boolean;
  introspection: boolean;
  tokenStore: string;
  /** Key prefix, cluster and TLS of a Redis token store (and event log). */
  redis: RedisSettings;
  /** Browser origins allowed to call the gateway (CORS): '*' for any, [] for none. */
  corsOrigins: '*' | string[];
  /** SIGTERM: how long /readyz answers 503 before the listener closes (load balancers notice). */
  shutdownDelayMs: number;
  /** Live mode: check each app's credentials with one token call at start (default on). */
  checkCredentialsAtStart: boolean;
  /** Sandbox: where the throw-away keys are written for curl (0600); undefined: nowhere. */
  sandboxKeysFile: string | undefined;
  tokens: TokenTuning;
  /** Only the upstream limits that are set: createApp fills in the rest (http/query-limits.ts). */
  queryLimits: { upstreamBudget?: number; upstreamConcurrency?: number };
  wechat: WechatTarget;
  /** Server push: callback settings per app, log size (README, "Events"). */
  events: EventsConfig;
  /** User look-ups: the batch window and the optional cache (README, "Batching and the user cache"). */
  users: { batchWindowMs: number; cache: UserCacheOptions };
  /** Settings that were ignored, for the log. */
  warnings: string[];
}

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

const APP_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const APP_NAME_RULE = 'must be 1–64 letters, digits, "-" or "_"';
const appKind = z.enum(['official', 'miniprogram']);
const tokenMode = z.enum(['stable', 'legacy']);

/**
 * zod's own wording for the two problems a person meets most ("Invalid enum value. Expected
 * 'a' | 'b', received 'c'", "Required") read as sentences; every other message is ours already.
 */
function describeIssue(issue: z.ZodIssue): string {
  // Our schemas' own messages (an errorMap, a refine) are kept as they are.
  if (
    issue.code === z.ZodIssueCode.invalid_enum_value &&
    issue.message.startsWith('Invalid enum value')
  ) {
    return `must be one of ${issue.options.map(String).join(', ')} (not "${String(issue.received)}")`;
  }
  if (
    issue.code === z.ZodIssueCode.invalid_type &&
    issue.received === 'undefined' &&
    issue.message === 'Required'
  ) {
    return 'is required';
  }
  return issue.message;
}

function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
    '',
  );
}

/**
 * Parses one concern's variables one by one: a bad value is reported and left undefined (every
 * variable is optional), so the cross-field checks still run on the good ones and one run lists
 * every problem.
 */
function parseSection<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: NodeJS.ProcessEnv,
  problems: string[],
): z.infer<z.ZodObject<Shape>> {
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const result = field.safeParse(env[key]);
    if (result.success) {
      values[key] = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      problems.push(`${formatPath([key, ...issue.path])}: ${describeIssue(issue)}`);
    }
  }
  // Every field was parsed by its own schema above; only the object around them is assembled.
  return values as z.infer<z.ZodObject<Shape>>;
}

// --- One schema per concern. ---

const serverSchema = z.object({
  NODE_ENV: optionalString,
  PORT: integer(0, 65535),
  HOST: optionalString,
  SHUTDOWN_DELAY_MS: integer(0, 600_000),
  SANDBOX_KEYS_FILE: optionalString,
  /** With NODE_ENV=production the sandbox starts only when asked for by name. */
  SANDBOX: flag,
  /** Live mode: one token call per app at start, /readyz 503 while WeChat rejects one. */
  CHECK_CREDENTIALS_AT_START: flag,
});

const loggingSchema = z.object({
  LOG_LEVEL: trimmed(z.enum(LOG_LEVELS)),
  LOG_FORMAT: trimmed(z.enum(['pretty', 'json'])),
});

const appEntrySchema = z
  .object({
    name: z.string().regex(APP_NAME, APP_NAME_RULE),
    kind: appKind,
    appId: z.string().trim().min(1, 'is required'),
    appSecret: z.string().trim().min(1, 'is required'),
    tokenMode: tokenMode.optional(),
    ...callbackEntryShape,
  })
  .strict();

const appList = z
  .string()
  .transform((raw, ctx): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      // The parser's message quotes the input, which holds secrets.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'is not valid JSON (expected [{"name", "kind", "appId", "appSecret"}])',
      });
      return z.NEVER;
    }
  })
  .pipe(z.array(appEntrySchema).min(1, 'must list at least one app'));

const wechatSchema = z.object({
  WECHAT_APP_ID: optionalString,
  WECHAT_APP_SECRET: optionalString,
  WECHAT_APP_NAME: optionalString.refine((v) => v === undefined || APP_NAME.test(v), APP_NAME_RULE),
  WECHAT_APP_KIND: trimmed(appKind),
  WECHAT_API_BASE_URL: optionalString.refine(
    // No `@`: credentials in the URL would end up in error messages and logs.
    (value) => value === undefined || /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(value),
    {
      message:
        'must be an http(s) base URL without credentials, query or fragment, such as https://api.weixin.qq.com',
    },
  ),
  WECHAT_TOKEN_MODE: trimmed(tokenMode),
  WECHAT_APPS: trimmed(appList),
  WECHAT_DEFAULT_APP: optionalString,
});

const tokenStoreSchema = z.object({
  TOKEN_STORE: optionalString.refine(
    (value) =>
      value === undefined ||
      value === 'memory' ||
      /^file:.+/.test(value) ||
      /^rediss?:\/\/.+/.test(value),
    { message: 'must be "memory", "file:<path>", "redis://…" or "rediss://…"' },
  ),
});

const ORIGIN = /^https?:\/\/[^\s/?#@]+$/;

/** `*` (the default): any origin; `none`: no cross-origin browser calls; else a comma list. */
const corsOrigins = z.string().transform((value, ctx): '*' | string[] => {
  if (value === '*') return '*';
  if (value.toLowerCase() === 'none') return [];
  const origins = value.split(',').map((origin) => origin.trim().replace(/\/+$/, ''));
  const bad = origins.filter((origin) => !ORIGIN.test(origin));
  if (bad.length > 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${bad.map((o) => JSON.stringify(o)).join(', ')} ${bad.length === 1 ? 'is not an origin' : 'are not origins'} (expected "*", "none" or a comma-separated list such as https://shop.example.com,http://localhost:5173)`,
    });
  }
  return origins;
});

/** What browsers get: GraphiQL and introspection, allowed origins. */
const browserSchema = z.object({
  GRAPHIQL: flag,
  INTROSPECTION: flag,
  CORS_ORIGINS: trimmed(corsOrigins),
});

const tokenTuningSchema = z.object({
  TOKEN_REFRESH_AHEAD_SECONDS: integer(1, 7000),
  TOKEN_CREDENTIAL_COOLDOWN_SECONDS: integer(1, 86_400),
  TOKEN_QUOTA_WARN_THRESHOLD: integer(1, 1_000_000),
  // The budget of refreshes for rejected tokens (src/tokens/rejection-budget.ts).
  TOKEN_REFRESH_BUDGET_BURST: integer(1, 100),
  TOKEN_REFRESH_BUDGET_REFILL_SECONDS: integer(1, 86_400),
});

/** What one operation, and one caller, may ask of WeChat (src/http/upstream-budget.ts). */
const upstreamSchema = z.object({
  UPSTREAM_BUDGET_PER_OPERATION: integer(1, 10_000),
  UPSTREAM_CONCURRENCY_PER_CALLER: integer(1, 1000),
});

/** How user look-ups are merged into batchget calls and cached. */
const usersSchema = z.object({
  USER_BATCH_WINDOW_MS: integer(0, 100),
  USER_CACHE_TTL: integer(0, 86_400),
  USER_CACHE_MAX_ENTRIES: integer(1, 1_000_000),
});

// --- Cross-field rules and defaults, per concern. ---

/** Any credential setting, even an invalid one, means the operator wants real WeChat. */
function isSandbox(env: NodeJS.ProcessEnv): boolean {
  return ['WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_APPS'].every(
    (key) => (env[key] ?? '').trim() === '',
  );
}

type WechatVars = z.infer<typeof wechatSchema>;

function wechatApps(vars: WechatVars, mode: TokenMode, problems: string[]): WechatAppConfig[] {
  const apps: WechatAppConfig[] = [];
  const { WECHAT_APP_ID: appId, WECHAT_APP_SECRET: appSecret } = vars;
  if (appId !== undefined && appSecret === undefined) {
    problems.push('WECHAT_APP_SECRET: is required when WECHAT_APP_ID is set');
  } else if (appSecret !== undefined && appId === undefined) {
    problems.push('WECHAT_APP_ID: is required when WECHAT_APP_SECRET is set');
  } else if (appId !== undefined && appSecret !== undefined) {
    const name = vars.WECHAT_APP_NAME ?? 'default';
    apps.push({
      name,
      kind: vars.WECHAT_APP_KIND ?? 'official',
      appId,
      appSecret,
      tokenMode: mode,
    });
  }
  for (const { name, kind, appId, appSecret, tokenMode } of vars.WECHAT_APPS ?? []) {
    apps.push({ name, kind, appId, appSecret, tokenMode: tokenMode ?? mode });
  }
  const seenNames = new Set<string>();
  const seenAppIds = new Set<string>();
  for (const app of apps) {
    if (seenNames.has(app.name)) problems.push(`app name "${app.name}" is configured twice`);
    // Two providers for one appId would fetch tokens independently (legacy tokens even evict each other).
    if (seenAppIds.has(app.appId)) problems.push(`appId ${app.appId} is configured twice`);
    seenNames.add(app.name);
    seenAppIds.add(app.appId);
  }
  return apps;
}

function wechatTarget(
  vars: WechatVars,
  sandbox: boolean,
  problems: string[],
  warnings: string[],
): WechatTarget {
  const mode: TokenMode = vars.WECHAT_TOKEN_MODE ?? 'stable';
  const apps = wechatApps(vars, mode, problems);
  const names = sandbox ? Object.values(SANDBOX_APP_NAMES) : apps.map((a) => a.name);
  const defaultApp = vars.WECHAT_DEFAULT_APP ?? names[0] ?? SANDBOX_APP_NAMES.official;
  if (names.length > 0 && !names.includes(defaultApp)) {
    problems.push(
      `WECHAT_DEFAULT_APP: "${defaultApp}" is not a configured app (configured: ${names.join(', ')})`,
    );
  }
  if (!sandbox) {
    const baseUrl = (vars.WECHAT_API_BASE_URL ?? 'https://api.weixin.qq.com').replace(/\/+$/, '');
    return { mode: 'live', baseUrl, apps, defaultApp };
  }
  for (const ignored of ['WECHAT_API_BASE_URL', 'WECHAT_APP_NAME', 'WECHAT_APP_KIND'] as const) {
    if (vars[ignored] !== undefined) {
      warnings.push(`${ignored} is ignored in sandbox mode (no WeChat credentials configured)`);
    }
  }
  return { mode: 'sandbox', defaultApp, tokenMode: mode };
}

/** Only the knobs that are set, so the provider's own defaults apply to the rest. */
function tokenTuning(vars: z.infer<typeof tokenTuningSchema>): TokenTuning {
  const tuning: TokenTuning = {};
  if (vars.TOKEN_REFRESH_AHEAD_SECONDS !== undefined) {
    tuning.refreshAheadMs = vars.TOKEN_REFRESH_AHEAD_SECONDS * 1000;
  }
  if (vars.TOKEN_CREDENTIAL_COOLDOWN_SECONDS !== undefined) {
    tuning.credentialCooldownMs = vars.TOKEN_CREDENTIAL_COOLDOWN_SECONDS * 1000;
  }
  if (vars.TOKEN_QUOTA_WARN_THRESHOLD !== undefined) {
    tuning.quotaWarnThreshold = vars.TOKEN_QUOTA_WARN_THRESHOLD;
  }
  if (vars.TOKEN_REFRESH_BUDGET_BURST !== undefined) {
    tuning.rejectedRefreshBurst = vars.TOKEN_REFRESH_BUDGET_BURST;
  }
  if (vars.TOKEN_REFRESH_BUDGET_REFILL_SECONDS !== undefined) {
    tuning.rejectedRefreshRefillMs = vars.TOKEN_REFRESH_BUDGET_REFILL_SECONDS * 1000;
  }
  return tuning;
}

/**
 * `*` in production would let any site's scripts call the gateway from its users' browsers: a
 * production deployment names the origins of its pages (or none).
 */
function corsSetting(
  value: '*' | string[] | undefined,
  production: boolean,
  problems: string[],
): '*' | string[] {
  if (!production) return value ?? '*';
  if (value === '*') {
    problems.push(
      'CORS_ORIGINS: "*" is not allowed with NODE_ENV=production: list the origins of your pages (e.g. https://shop.example.com) or set "none"',
    );
  }
  return value ?? [];
}

/**
 * Sandbox mode answers with generated data, throw-away keys and GraphiQL on: a production
 * deployment that lost its credentials must not come up looking healthy.
 */
const PRODUCTION_WITHOUT_CREDENTIALS =
  'NODE_ENV=production but no WeChat credentials are set, so the gateway would start the sandbox (a local emulator with generated data). Set WECHAT_APP_ID and WECHAT_APP_SECRET (or WECHAT_APPS), and for the capabilities you use ADMIN_API_KEY, SERVICE_API_KEYS, SESSION_SECRET, JSSDK_ALLOWED_HOSTS and WECHAT_CALLBACK_TOKEN (docs/going-live.md). To run the sandbox with NODE_ENV=production on purpose, set SANDBOX=1.';

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const { env, sources } = readSecretFiles(processEnv, problems);
  const server = parseSection(serverSchema, env, problems);
  const logging = parseSection(loggingSchema, env, problems);
  const wechatVars = parseSection(wechatSchema, env, problems);
  const store = parseSection(tokenStoreSchema, env, problems);
  const credentials = parseSection(credentialsSchema, env, problems);
  const browser = parseSection(browserSchema, env, problems);
  const anonymous = parseSection(anonymousSchema, env, problems);
  const tuning = parseSection(tokenTuningSchema, env, problems);
  const eventVars = parseSection(eventsSchema, env, problems);
  const redisVars = parseSection(redisSchema, env, problems);
  const userVars = parseSection(usersSchema, env, problems);
  const upstreamVars = parseSection(upstreamSchema, env, problems);

  const sandbox = isSandbox(env);
  const wechat = wechatTarget(wechatVars, sandbox, problems, warnings);
  const singleApp =
    wechatVars.WECHAT_APP_ID === undefined ? undefined : (wechatVars.WECHAT_APP_NAME ?? 'default');
  const events = eventsConfig(
    eventVars,
    { singleApp, entries: wechatVars.WECHAT_APPS ?? [], sandbox },
    problems,
    warnings,
  );
  const access = accessConfig(credentials, anonymous, sandbox, problems);
  const production = server.NODE_ENV === 'production';
  if (production && sandbox && server.SANDBOX !== true)
    problems.push(PRODUCTION_WITHOUT_CREDENTIALS);
  const cors = corsSetting(browser.CORS_ORIGINS, production, problems);
  // Sandbox tokens die with the in-process emulator, so they are not persisted.
  const tokenStore = store.TOKEN_STORE ?? (sandbox ? 'memory' : 'file:.data/tokens');
  const redis = redisSettings(redisVars, tokenStore, problems, warnings);
  if (problems.length > 0) throw new ConfigError(attributeProblems(problems, sources));

  const graphiql = browser.GRAPHIQL ?? (sandbox || !production);
  return {
    port: server.PORT ?? 4000,
    // A sandbox is a laptop demo: stay on loopback unless told otherwise.
    host: server.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    logLevel: logging.LOG_LEVEL ?? 'info',
    logFormat: logging.LOG_FORMAT,
    production,
    access,
    graphiql,
    introspection: browser.INTROSPECTION ?? graphiql,
    tokenStore,
    redis,
    corsOrigins: cors,
    // A sandbox on a laptop has no load balancer to wait for: Ctrl+C or SIGTERM stops at once.
    shutdownDelayMs: server.SHUTDOWN_DELAY_MS ?? (sandbox ? 0 : 5000),
    checkCredentialsAtStart: server.CHECK_CREDENTIALS_AT_START ?? true,
    sandboxKeysFile:
      server.SANDBOX_KEYS_FILE === 'none'
        ? undefined
        : (server.SANDBOX_KEYS_FILE ?? '.data/sandbox-keys.json'),
    tokens: tokenTuning(tuning),
    queryLimits: {
      ...(upstreamVars.UPSTREAM_BUDGET_PER_OPERATION === undefined
        ? {}
        : { upstreamBudget: upstreamVars.UPSTREAM_BUDGET_PER_OPERATION }),
      ...(upstreamVars.UPSTREAM_CONCURRENCY_PER_CALLER === undefined
        ? {}
        : { upstreamConcurrency: upstreamVars.UPSTREAM_CONCURRENCY_PER_CALLER }),
    },
    wechat,
    events,
    users: {
      batchWindowMs: userVars.USER_BATCH_WINDOW_MS ?? DEFAULT_USER_BATCH_WINDOW_MS,
      cache: {
        ttlMs: (userVars.USER_CACHE_TTL ?? 0) * 1000,
        maxEntries: userVars.USER_CACHE_MAX_ENTRIES ?? DEFAULT_USER_CACHE_MAX_ENTRIES,
      },
    },
    warnings,
  };
}
