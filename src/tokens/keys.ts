import { createHash } from 'node:crypto';
import type { TokenMode } from '../wechat/types.js';

/**
 * Bump when the layout or the record format changes: old and new gateways then stop reading
 * each other's entries instead of misreading them.
 */
export const KEY_LAYOUT_VERSION = 'v1';

/** First 12 hex chars of SHA-256: enough to tell secrets (or tokens) apart, useless to recover them. */
export function fingerprint(secretOrToken: string): string {
  return createHash('sha256').update(secretOrToken).digest('hex').slice(0, 12);
}

export interface CredentialKeys {
  /** The cached record (value, generation, lifetime). */
  readonly record: string;
  /** Who may fetch right now (owner id, TTL). */
  readonly lease: string;
  /** Generation counter, so a slow writer never overwrites a newer record. */
  readonly generation: string;
  /**
   * The fleet's budget of refreshes caused by a rejection: a key whose remaining TTL is the
   * budget's debt (rejection-budget.ts).
   */
  readonly rejectedRefreshBudget: string;
}

export interface AppKeys {
  readonly token: CredentialKeys;
  readonly ticket: CredentialKeys;
  readonly breaker: string;
  readonly forceSpacing: string;
  ledger(day: string): string;
}

function credential(base: string): CredentialKeys {
  return {
    record: base,
    lease: `${base}:lease`,
    generation: `${base}:gen`,
    rejectedRefreshBudget: `${base}:refresh-budget`,
  };
}

/**
 * Keys of one app, relative to the store's namespace. They hold the appid and a fingerprint of
 * the secret (a rotated secret starts from fresh entries), never the secret. The `{…}` part is
 * a Redis Cluster hash tag: every multi-key script of an app touches a single slot.
 */
export function appKeys(appId: string, appSecret: string, mode: TokenMode): AppKeys {
  const app = `${KEY_LAYOUT_VERSION}:{${appId}.${fingerprint(appSecret)}}`;
  return {
    token: credential(`${app}:token:${mode}`),
    ticket: credential(`${app}:ticket:jsapi`),
    breaker: `${app}:breaker`,
    forceSpacing: `${app}:force-spacing`,
    // WeChat counts quota per account, whatever secret was used: the ledger is per appid.
    ledger: (day) => `${KEY_LAYOUT_VERSION}:{${appId}}:ledger:${day}`,
  };
}
