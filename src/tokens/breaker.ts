import { nextWechatDayStart, type Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';
import { errcodeRow } from '../wechat/errcodes.js';
import type { WechatApiError } from '../wechat/errors.js';
import { TokenUnavailableError } from './errors.js';
import { parseJsonObject } from '../shared/json.js';
import type { TokenStore } from '../store/store.js';
import type { BreakerState } from './types.js';

interface StoredBreaker {
  errcode: number;
  reason: string;
  rid: string | null;
  /** The opener's wall clock; shown to admins, never compared with ours. */
  openedAt: number;
}

function parseStored(json: string): StoredBreaker | undefined {
  const parsed = parseJsonObject(json);
  if (parsed === undefined) return undefined;
  const { errcode, reason, rid, openedAt } = parsed;
  if (typeof errcode !== 'number' || typeof reason !== 'string' || typeof openedAt !== 'number') {
    return undefined;
  }
  return { errcode, reason, rid: typeof rid === 'string' ? rid : null, openedAt };
}

type OpenBreaker = StoredBreaker & { until: number };

/**
 * What a token call meets while the breaker is open. A breaker key without a TTL (set by hand, or
 * by a tool that forgot PX) has no end: it stays open until an admin resets it, rather than being
 * guessed to expire.
 */
function openBreakerError(appName: string, open: OpenBreaker): TokenUnavailableError {
  const known = Number.isFinite(open.until);
  const until = known
    ? `until ${new Date(open.until).toISOString()}`
    : 'until an admin resets the breaker';
  return new TokenUnavailableError(
    appName,
    'breaker-open',
    `token calls for app "${appName}" are paused ${until}: ${open.reason}`,
    {
      errcode: open.errcode,
      ...(open.rid === null ? {} : { rid: open.rid }),
      ...(known ? { retryAt: open.until } : {}),
    },
  );
}

/**
 * The breaker `error` opens now, if any: only errors a retry cannot fix open it, until a person
 * has fixed the credentials (a cool-down) or the WeChat day has ended.
 */
function breakerFor(
  error: WechatApiError,
  clock: Clock,
  credentialCooldownMs: number,
): OpenBreaker | undefined {
  const { action, name } = errcodeRow(error.errcode);
  if (action !== 'breaker-cooldown' && action !== 'breaker-until-tomorrow') return undefined;
  const now = clock.now();
  const untilTomorrow = action === 'breaker-until-tomorrow';
  const until = untilTomorrow ? nextWechatDayStart(now) : now + credentialCooldownMs;
  const reason = untilTomorrow
    ? `WeChat answered ${error.errcode} (${name}) to the token request; token calls resume at the next WeChat day (00:00 UTC+8) or when an admin resets the breaker`
    : `WeChat answered ${error.errcode} (${name}) to the token request; check the app's credentials and IP whitelist`;
  return { errcode: error.errcode, reason, rid: error.rid ?? null, openedAt: now, until };
}

/** What an admin sees of an open (or closed: undefined) breaker. */
function breakerState(open: OpenBreaker | undefined): BreakerState {
  if (open === undefined) {
    return { open: false, errcode: null, reason: null, openedAt: null, until: null };
  }
  return {
    open: true,
    errcode: open.errcode,
    reason: open.reason,
    openedAt: open.openedAt,
    until: Number.isFinite(open.until) ? open.until : null,
  };
}

export interface Breaker {
  /** Throws TokenUnavailableError('breaker-open') while the breaker is open. */
  assertClosed(): Promise<void>;
  /** Opens the breaker when `error` is one no retry can fix; returns until when (local ms). */
  trip(error: WechatApiError): Promise<number | undefined>;
  state(): Promise<BreakerState>;
  reset(): Promise<void>;
}

/**
 * The per-app circuit breaker, kept in the shared store so the whole fleet stops calling the
 * token endpoint together. Its deadline is the key's TTL (measured by the store), so no host
 * compares its clock with another's.
 */
export function createBreaker(deps: {
  appName: string;
  key: string;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  credentialCooldownMs: number;
}): Breaker {
  const { appName, key, store, clock, logger } = deps;
  /** Only set when the store could not take the breaker: then this instance keeps it alone. */
  let local: OpenBreaker | undefined;
  /** The shared state as last read from the store; only shown to admins during an outage. */
  let lastShared: OpenBreaker | undefined;

  /** `reachable` false: the store failed and `open` is this instance's own breaker only. */
  async function read(): Promise<{ open: OpenBreaker | undefined; reachable: boolean }> {
    if (local !== undefined && clock.now() >= local.until) local = undefined;
    let entry;
    try {
      entry = await store.get(key);
    } catch (error) {
      // Without the store the fleet-wide state is unknown: keep calling (WeChat repeats the
      // error, the provider's backoff bounds the calls) rather than stop every instance.
      logger.warn({ err: error }, 'token store unavailable: shared breaker state unknown');
      return { open: local, reachable: false };
    }
    const stored = entry === undefined ? undefined : parseStored(entry.value);
    if (entry === undefined || stored === undefined) {
      lastShared = undefined;
      return { open: local, reachable: true };
    }
    const until = entry.ttlMs === null ? Number.POSITIVE_INFINITY : clock.now() + entry.ttlMs;
    lastShared = { ...stored, until };
    return { open: lastShared, reachable: true };
  }

  return {
    async assertClosed() {
      const { open } = await read();
      if (open !== undefined) throw openBreakerError(appName, open);
    },

    async trip(error) {
      const opened = breakerFor(error, clock, deps.credentialCooldownMs);
      if (opened === undefined) return undefined;
      const { until, ...stored } = opened;
      try {
        await store.set(key, JSON.stringify(stored), until - stored.openedAt);
      } catch (storeError) {
        local = opened;
        logger.warn(
          { err: storeError },
          'token store unavailable: breaker kept by this instance only',
        );
      }
      // Credentials rejected: live mode's credential check (src/apps/credential-check.ts) writes
      // the one ERROR line an operator acts on, naming the app and the fix; this one explains.
      const level = errcodeRow(error.errcode)?.kind === 'credentials' ? 'warn' : 'error';
      logger[level](
        { errcode: error.errcode, rid: error.rid, until: new Date(until).toISOString() },
        'circuit breaker opened: no token calls until then',
      );
      return until;
    },

    async state() {
      const { open: current, reachable } = await read();
      let open = current;
      if (!reachable && open === undefined && lastShared !== undefined) {
        // Status during an outage: what the fleet's breaker was when last seen, until its end.
        open = clock.now() < lastShared.until ? lastShared : undefined;
      }
      return breakerState(open);
    },

    async reset() {
      local = undefined;
      lastShared = undefined;
      await store.delete(key);
      logger.info('circuit breaker reset by an admin');
    },
  };
}
