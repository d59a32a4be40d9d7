/**
 * The gateway's configuration: the only reader of `process.env`. Everything is validated at once
 * and every problem is reported in one error, without echoing secret values.
 */
import { z } from 'zod';
import type { TokenMode, WechatAppConfig } from './wechat/types.js';

export const SANDBOX_APP_NAMES = { official: 'official', miniprogram: 'miniprogram' } as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TokenTuning {
  refreshAheadMs?: number;
  credentialCooldownMs?: number;
  quotaWarnThreshold?: number;
}

export type WechatTarget =
  /** No credentials: an in-process emulator plays WeChat with its two sandbox apps. */
  | { mode: 'sandbox'; defaultApp: string; tokenMode: TokenMode }
  | { mode: 'live'; baseUrl: string; apps: WechatAppConfig[]; defaultApp: string };

export interface GatewayConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  production: boolean;
  adminApiKey: string | undefined;
  graphiql: boolean;
  introspection: boolean;
  tokenStore: string;
  /** Browser origins allowed to call the gateway (CORS): '*' for any, [] for none. */
  corsOrigins: '*' | string[];
  tokens: TokenTuning;
  wechat: WechatTarget;
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

const optionalString = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
  z.string().optional(),
);

const flag = z.preprocess(
  (value) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim().toLowerCase() : undefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      errorMap: () => ({ message: 'must be true or false' }),
    })
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value))
    .optional(),
);

const integer = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : undefined),
    z
      .number({ invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .optional(),
  );

const tokenStore = optionalString.refine(
  (value) =>
    value === undefined ||
    value === 'memory' ||
    /^file:.+/.test(value) ||
    /^rediss?:\/\/.+/.test(value),
  { message: 'must be "memory", "file:<path>", "redis://…" or "rediss://…"' },
);

const envSchema = z.object({
  NODE_ENV: optionalString,
  PORT: integer(0, 65535),
  HOST: optionalString,
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
    z.enum(LOG_LEVELS).optional(),
  ),
  WECHAT_APP_ID: optionalString,
  WECHAT_APP_SECRET: optionalString,
  WECHAT_APP_NAME: optionalString.refine((v) => v === undefined || APP_NAME.test(v), APP_NAME_RULE),
  WECHAT_APP_KIND: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
    z.enum(['official', 'miniprogram']).optional(),
  ),
  WECHAT_API_BASE_URL: optionalString.refine(
    // No `@`: credentials in the URL would end up in error messages and logs.
    (value) => value === undefined || /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(value),
    {
      message:
        'must be an http(s) base URL without credentials, query or fragment, such as https://api.weixin.qq.com',
    },
  ),
  WECHAT_TOKEN_MODE: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined),
    z.enum(['stable', 'legacy']).optional(),
  ),
  WECHAT_APPS: optionalString,
  WECHAT_DEFAULT_APP: optionalString,
  TOKEN_STORE: tokenStore,
  ADMIN_API_KEY: optionalString
    .refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters (e.g. `openssl rand -hex 32`)',
    })
    .refine((v) => v === undefined || !/\s/.test(v), {
      message: 'must not contain spaces (it travels in an Authorization header)',
    }),
  GRAPHIQL: flag,
  INTROSPECTION: flag,
  CORS_ORIGINS: optionalString,
  TOKEN_REFRESH_AHEAD_SECONDS: integer(1, 7000),
  TOKEN_CREDENTIAL_COOLDOWN_SECONDS: integer(1, 86_400),
  TOKEN_QUOTA_WARN_THRESHOLD: integer(1, 1_000_000),
});

const ORIGIN = /^https?:\/\/[^\s/?#@]+$/;

/** `*` (the default): any origin; `none`: no cross-origin browser calls; else a comma list. */
function parseCorsOrigins(value: string | undefined, problems: string[]): '*' | string[] {
  if (value === undefined || value === '*') return '*';
  if (value.toLowerCase() === 'none') return [];
  const origins = value.split(',').map((origin) => origin.trim().replace(/\/+$/, ''));
  const bad = origins.filter((origin) => !ORIGIN.test(origin));
  if (bad.length > 0) {
    problems.push(
      `CORS_ORIGINS: ${bad.map((o) => JSON.stringify(o)).join(', ')} ${bad.length === 1 ? 'is not an origin' : 'are not origins'} (expected "*", "none" or a comma-separated list such as https://shop.example.com,http://localhost:5173)`,
    );
  }
  return origins;
}

const appEntrySchema = z
  .object({
    name: z.string().regex(APP_NAME, APP_NAME_RULE),
    kind: z.enum(['official', 'miniprogram']),
    appId: z.string().trim().min(1, 'is required'),
    appSecret: z.string().trim().min(1, 'is required'),
    tokenMode: z.enum(['stable', 'legacy']).optional(),
  })
  .strict();

function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) =>
      typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
    '',
  );
}

function parseAppList(raw: string, problems: string[]): z.infer<typeof appEntrySchema>[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // The parser's message quotes the input, which holds secrets.
    problems.push(
      'WECHAT_APPS: is not valid JSON (expected [{"name", "kind", "appId", "appSecret"}])',
    );
    return [];
  }
  const parsed = z.array(appEntrySchema).min(1, 'must list at least one app').safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${formatPath(['WECHAT_APPS', ...issue.path])}: ${issue.message}`);
    }
    return [];
  }
  return parsed.data;
}

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const parsed = envSchema.safeParse(env);
  const invalid = new Set<string | number>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${formatPath(issue.path)}: ${issue.message}`);
      if (issue.path[0] !== undefined) invalid.add(issue.path[0]);
    }
  }
  // Cross-field checks still run on the valid settings, so one run reports every problem.
  const e = parsed.success
    ? parsed.data
    : envSchema.parse(Object.fromEntries(Object.entries(env).filter(([key]) => !invalid.has(key))));

  const tokenMode: TokenMode = e.WECHAT_TOKEN_MODE ?? 'stable';
  const apps: WechatAppConfig[] = [];
  if (e.WECHAT_APP_ID !== undefined && e.WECHAT_APP_SECRET === undefined) {
    problems.push('WECHAT_APP_SECRET: is required when WECHAT_APP_ID is set');
  } else if (e.WECHAT_APP_SECRET !== undefined && e.WECHAT_APP_ID === undefined) {
    problems.push('WECHAT_APP_ID: is required when WECHAT_APP_SECRET is set');
  } else if (e.WECHAT_APP_ID !== undefined && e.WECHAT_APP_SECRET !== undefined) {
    apps.push({
      name: e.WECHAT_APP_NAME ?? 'default',
      kind: e.WECHAT_APP_KIND ?? 'official',
      appId: e.WECHAT_APP_ID,
      appSecret: e.WECHAT_APP_SECRET,
      tokenMode,
    });
  }
  if (e.WECHAT_APPS !== undefined) {
    for (const entry of parseAppList(e.WECHAT_APPS, problems)) {
      apps.push({
        name: entry.name,
        kind: entry.kind,
        appId: entry.appId,
        appSecret: entry.appSecret,
        tokenMode: entry.tokenMode ?? tokenMode,
      });
    }
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

  // Any credential setting, even an invalid one, means the operator wants real WeChat.
  const sandbox = ['WECHAT_APP_ID', 'WECHAT_APP_SECRET', 'WECHAT_APPS'].every(
    (key) => (env[key] ?? '').trim() === '',
  );
  const names = sandbox ? Object.values(SANDBOX_APP_NAMES) : apps.map((a) => a.name);
  const defaultApp = e.WECHAT_DEFAULT_APP ?? names[0] ?? SANDBOX_APP_NAMES.official;
  if (names.length > 0 && !names.includes(defaultApp)) {
    problems.push(
      `WECHAT_DEFAULT_APP: "${defaultApp}" is not a configured app (configured: ${names.join(', ')})`,
    );
  }
  if (sandbox) {
    for (const ignored of ['WECHAT_API_BASE_URL', 'WECHAT_APP_NAME', 'WECHAT_APP_KIND'] as const) {
      if (e[ignored] !== undefined) {
        warnings.push(`${ignored} is ignored in sandbox mode (no WeChat credentials configured)`);
      }
    }
  }

  const corsOrigins = parseCorsOrigins(e.CORS_ORIGINS, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  const production = e.NODE_ENV === 'production';
  const graphiql = e.GRAPHIQL ?? (sandbox || !production);
  return {
    port: e.PORT ?? 4000,
    // A sandbox is a laptop demo: stay on loopback unless told otherwise.
    host: e.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    logLevel: e.LOG_LEVEL ?? 'info',
    production,
    adminApiKey: e.ADMIN_API_KEY,
    graphiql,
    introspection: e.INTROSPECTION ?? graphiql,
    // Sandbox tokens die with the in-process emulator, so they are not persisted.
    tokenStore: e.TOKEN_STORE ?? (sandbox ? 'memory' : 'file:.data/tokens'),
    corsOrigins,
    // Only the knobs that are set, so the provider's own defaults apply to the rest.
    tokens: {
      ...(e.TOKEN_REFRESH_AHEAD_SECONDS === undefined
        ? {}
        : { refreshAheadMs: e.TOKEN_REFRESH_AHEAD_SECONDS * 1000 }),
      ...(e.TOKEN_CREDENTIAL_COOLDOWN_SECONDS === undefined
        ? {}
        : { credentialCooldownMs: e.TOKEN_CREDENTIAL_COOLDOWN_SECONDS * 1000 }),
      ...(e.TOKEN_QUOTA_WARN_THRESHOLD === undefined
        ? {}
        : { quotaWarnThreshold: e.TOKEN_QUOTA_WARN_THRESHOLD }),
    },
    wechat: sandbox
      ? { mode: 'sandbox', defaultApp, tokenMode }
      : {
          mode: 'live',
          baseUrl: (e.WECHAT_API_BASE_URL ?? 'https://api.weixin.qq.com').replace(/\/+$/, ''),
          apps,
          defaultApp,
        },
    warnings,
  };
}
