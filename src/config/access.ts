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

/** Attempts per minute from all client addresses together, per field; 0: no cap. */
export type GlobalRateLimits = RateLimits;

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
  // Optional below: createAccessControl applies the defaults (loadConfig always sets them).
  /** Every address together, per field (RATE_LIMIT defaults × 100). */
  globalRateLimits?: GlobalRateLimits;
  /** IPv6 clients are counted by this prefix (bits): one /64 is one client. Default 64. */
  ipv6PrefixBits?: number;
  /** Wrong keys from one client within a day before it is locked out; 0: never. Default 10. */
  keyFailureLimit?: number;
  /**
   * How long (ms) an instance that cannot read the store keeps accepting sessions not known to be
   * logged out, from its first failed read; 0: refuse them at once. Undefined: for the whole outage.
   */
  sessionRevocationFailOpenMs?: number;
}

export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_RATE_LIMITS: RateLimits = { login: 30, jsapiConfig: 120 };
/**
 * A hundred addresses at their full limit: a flood from many addresses (each a /64 for IPv6)
 * cannot grow without bound (each `login` costs a WeChat call, each call a store write), while
 * one site's real peak stays well below it (3000 logins a minute is over four million a day
 * with sessions that last 24 h). Raise it for a bigger audience; 0 turns it off.
 */
export const DEFAULT_GLOBAL_RATE_LIMITS: GlobalRateLimits = {
  login: DEFAULT_RATE_LIMITS.login * 100,
  jsapiConfig: DEFAULT_RATE_LIMITS.jsapiConfig * 100,
};
/** What an ISP hands one customer (RFC 6177): anyone has a whole /64 to rotate through. */
export const DEFAULT_IPV6_PREFIX_BITS = 64;
export const DEFAULT_KEY_FAILURE_LIMIT = 10;

/** Keys and secrets alike: at least 32 characters that are not mostly one or a few characters. */
export const MIN_CREDENTIAL_LENGTH = 32;
/**
 * Shannon entropy of the characters, in bits per character: a random hex string has about 3.7
 * (the maximum for 16 symbols is 4), base64 about 4.5; `aaaa…` has 0, `passwordpassword…` 2.75.
 */
export const MIN_BITS_PER_CHARACTER = 3;
const STRONG_EXAMPLE = '`openssl rand -base64 32`';

/** Bits per character of `value`'s character distribution (a simple entropy estimate). */
export function bitsPerCharacter(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const count of counts.values()) bits -= (count / length) * Math.log2(count / length);
  return bits;
}

/** Why `value` is too weak to guard the gateway, or undefined; never quotes the value. */
export function credentialWeakness(value: string): string | undefined {
  if (value.length < MIN_CREDENTIAL_LENGTH) {
    return `at least ${MIN_CREDENTIAL_LENGTH} characters`;
  }
  if (bitsPerCharacter(value) < MIN_BITS_PER_CHARACTER) {
    return 'random characters, not a word or a few characters repeated';
  }
  return undefined;
}

/** A comma-separated list of credentials; problems never quote a value. */
function credentialList(what: string) {
  return z.string().transform((raw, ctx) => {
    const items = raw.split(',').map((item) => item.trim());
    const fail = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (items.some((item) => item === '')) fail('has an empty entry (check the commas)');
    const weakness = items.map((item) => (item === '' ? undefined : credentialWeakness(item)));
    for (const reason of new Set(weakness.filter((why) => why !== undefined))) {
      fail(`every ${what} must be ${reason}: generate one with ${STRONG_EXAMPLE}`);
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

const adminKey = trimmed(
  z.string().superRefine((value, ctx) => {
    const reason = credentialWeakness(value);
    if (reason === undefined) return;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be ${reason}: generate one with ${STRONG_EXAMPLE}`,
    });
  }),
)
  .refine((v) => v === undefined || !/\s/.test(v), {
    message: 'must not contain spaces (it travels in an Authorization header)',
  })
  .refine((v) => v === undefined || !v.includes(','), {
    message: 'must not contain commas (a comma in Authorization reads as two credentials)',
  });

/** Milliseconds, 0 included (for SESSION_REVOCATION_FAIL_OPEN_MS). */
const failOpenMs = integer(0, 30 * 86_400_000, 'must be at least 0 (0 refuses sessions at once)');

/** Keys and sessions: who the caller is. */
export const credentialsSchema = z.object({
  ADMIN_API_KEY: adminKey,
  SERVICE_API_KEYS: trimmed(credentialList('key')),
  SESSION_SECRET: trimmed(credentialList('secret')),
  SESSION_TTL: trimmed(duration(60_000, 30 * 86_400_000, '24h')),
  SESSION_REVOCATION_FAIL_OPEN_MS: failOpenMs,
  KEY_FAILURE_LIMIT: integer(0, 10_000, 'must be at least 0 (0 never locks an address out)'),
});

/** What anonymous callers can reach, and how much of it. */
export const anonymousSchema = z.object({
  TRUST_PROXY: trimmed(trustProxy),
  LOGIN_RATE_LIMIT: perMinute,
  JSAPI_CONFIG_RATE_LIMIT: perMinute,
  LOGIN_GLOBAL_RATE_LIMIT: perMinute,
  JSAPI_CONFIG_GLOBAL_RATE_LIMIT: perMinute,
  RATE_LIMIT_IPV6_PREFIX: integer(16, 128),
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
    globalRateLimits: {
      login: anonymous.LOGIN_GLOBAL_RATE_LIMIT ?? DEFAULT_GLOBAL_RATE_LIMITS.login,
      jsapiConfig:
        anonymous.JSAPI_CONFIG_GLOBAL_RATE_LIMIT ?? DEFAULT_GLOBAL_RATE_LIMITS.jsapiConfig,
    },
    ipv6PrefixBits: anonymous.RATE_LIMIT_IPV6_PREFIX ?? DEFAULT_IPV6_PREFIX_BITS,
    keyFailureLimit: credentials.KEY_FAILURE_LIMIT ?? DEFAULT_KEY_FAILURE_LIMIT,
    // Unset: as long as the outage lasts (a session still ends at its expiry).
    sessionRevocationFailOpenMs: credentials.SESSION_REVOCATION_FAIL_OPEN_MS,
  };
}
