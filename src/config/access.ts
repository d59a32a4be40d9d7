/**
 * The variables of the access model (README, "Access"): keys, session signing, the abuse limits of
 * the anonymous fields and the JS-SDK host allowlist. Only the schemas and the rules between them
 * live here; config.ts reads the environment and reports every problem at once.
 */
import { z } from 'zod';
import { integer, trimmed } from './env-values.js';

export interface RateLimits {
  /** `login` attempts per client address per minute; 0: no limit. */
  login: number;
  /** `jsapiConfig` calls per client address per minute; 0: no limit. */
  jsapiConfig: number;
}

export interface AccessConfig {
  /** Undefined: admin fields are disabled (FORBIDDEN), never open. */
  adminApiKey: string | undefined;
  /** Every key is accepted (rotation); empty: only the admin key reaches service fields. */
  serviceApiKeys: string[];
  /** The first signs new sessions, all verify (rotation); empty: login is disabled. */
  sessionSecrets: string[];
  sessionTtlMs: number;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entries are believed; 0: none. */
  trustProxyHops: number;
  rateLimits: RateLimits;
  /** Hosts (and their subdomains) whose pages jsapiConfig signs; 'any' in sandbox mode. */
  jssdkAllowedHosts: string[] | 'any' | undefined;
}

export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RATE_LIMITS: RateLimits = { login: 30, jsapiConfig: 120 };

const MIN_KEY_LENGTH = 16;
const MIN_SECRET_LENGTH = 32;

/** A comma-separated list of credentials; problems never quote a value. */
function credentialList(minLength: number, what: string) {
  return z.string().transform((raw, ctx) => {
    const items = raw.split(',').map((item) => item.trim());
    const fail = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (items.some((item) => item === '')) fail('has an empty entry (check the commas)');
    if (items.some((item) => item !== '' && item.length < minLength)) {
      fail(
        `every ${what} must be at least ${minLength} characters (e.g. \`openssl rand -hex 32\`)`,
      );
    }
    if (items.some((item) => /\s/.test(item))) fail(`a ${what} must not contain spaces`);
    if (new Set(items).size !== items.length) fail(`lists the same ${what} twice`);
    return items;
  });
}

const DURATION = /^(\d+)\s*(s|m|h|d)?$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Seconds, or a number with a unit: `86400`, `90m`, `24h`, `7d`. */
const duration = (minMs: number, maxMs: number, example: string) =>
  z.string().transform((raw, ctx) => {
    const match = DURATION.exec(raw);
    const ms = match ? Number(match[1]) * (UNIT_MS[(match[2] ?? 's').toLowerCase()] ?? 1000) : NaN;
    if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be a duration from ${minMs / 1000} s to ${maxMs / 86_400_000} days: seconds or a number with s, m, h or d (e.g. ${example})`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** `true`/`false` or how many proxies append to X-Forwarded-For (1–10). */
const trustProxy = z.string().transform((raw, ctx) => {
  const word = raw.toLowerCase();
  if (['false', '0', 'no', 'off'].includes(word)) return 0;
  if (['true', 'yes', 'on'].includes(word)) return 1;
  const hops = Number(word);
  if (Number.isInteger(hops) && hops >= 1 && hops <= 10) return hops;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: 'must be true, false or the number of proxies in front of the gateway (1–10)',
  });
  return z.NEVER;
});

const perMinute = integer(0, 1_000_000, 'must be at least 0 (0 turns the limit off)');

/** A host as WeChat's JS-SDK secure domain setting has it: no scheme, port, path or wildcard. */
function normalizeHost(entry: string): string | undefined {
  if (!/^[^\s/:?#@*]+$/.test(entry)) return undefined;
  try {
    const host = new URL(`http://${entry}`).hostname;
    return host.includes('.') || host === 'localhost' ? host : undefined;
  } catch {
    return undefined;
  }
}

const hostList = z.string().transform((raw, ctx) => {
  const entries = raw.split(',').map((entry) => entry.trim());
  const hosts = entries.map(normalizeHost);
  const bad = entries.filter((_, i) => hosts[i] === undefined);
  if (bad.length > 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not a host name' : 'are not host names'} (expected a comma-separated list such as shop.example.com,example.org; a host allows its subdomains; no scheme, port, path or wildcard)`,
    });
  }
  return hosts.filter((host): host is string => host !== undefined);
});

const adminKey = trimmed(z.string())
  .refine((v) => v === undefined || v.length >= MIN_KEY_LENGTH, {
    message: `must be at least ${MIN_KEY_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`,
  })
  .refine((v) => v === undefined || !/\s/.test(v), {
    message: 'must not contain spaces (it travels in an Authorization header)',
  });

/** Keys and sessions: who the caller is. */
export const credentialsSchema = z.object({
  ADMIN_API_KEY: adminKey,
  SERVICE_API_KEYS: trimmed(credentialList(MIN_KEY_LENGTH, 'key')),
  SESSION_SECRET: trimmed(credentialList(MIN_SECRET_LENGTH, 'secret')),
  SESSION_TTL: trimmed(duration(60_000, 30 * 86_400_000, '24h')),
});

/** What anonymous callers can reach, and how much of it. */
export const anonymousSchema = z.object({
  TRUST_PROXY: trimmed(trustProxy),
  LOGIN_RATE_LIMIT: perMinute,
  JSAPI_CONFIG_RATE_LIMIT: perMinute,
  JSSDK_ALLOWED_HOSTS: trimmed(hostList),
});

export function accessConfig(
  credentials: z.infer<typeof credentialsSchema>,
  anonymous: z.infer<typeof anonymousSchema>,
  sandbox: boolean,
  problems: string[],
): AccessConfig {
  const serviceApiKeys = credentials.SERVICE_API_KEYS ?? [];
  const adminApiKey = credentials.ADMIN_API_KEY;
  // One credential, one kind: otherwise a request's rights would depend on the order of checks.
  if (adminApiKey !== undefined && serviceApiKeys.includes(adminApiKey)) {
    problems.push('SERVICE_API_KEYS: must not contain ADMIN_API_KEY (use a different key)');
  }
  return {
    adminApiKey,
    serviceApiKeys,
    sessionSecrets: credentials.SESSION_SECRET ?? [],
    sessionTtlMs: credentials.SESSION_TTL ?? DEFAULT_SESSION_TTL_MS,
    trustProxyHops: anonymous.TRUST_PROXY ?? 0,
    rateLimits: {
      login: anonymous.LOGIN_RATE_LIMIT ?? DEFAULT_RATE_LIMITS.login,
      jsapiConfig: anonymous.JSAPI_CONFIG_RATE_LIMIT ?? DEFAULT_RATE_LIMITS.jsapiConfig,
    },
    jssdkAllowedHosts: anonymous.JSSDK_ALLOWED_HOSTS ?? (sandbox ? 'any' : undefined),
  };
}
