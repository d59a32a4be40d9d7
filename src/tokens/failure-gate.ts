import { errcodeRow } from '../wechat/errcodes.js';
import { UpstreamUnavailableError, WechatApiError } from '../wechat/errors.js';
import { backoffDelay } from './backoff.js';
import type { CachedCredentialConfig } from './credential-config.js';
import type { Credential } from './credential-record.js';
import { TokenUnavailableError } from './errors.js';
import type { RefreshReason } from './types.js';

/** Worth a quick retry within the same fetch: network faults and errcodes marked 'retry' (-1). */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof UpstreamUnavailableError ||
    (error instanceof WechatApiError && errcodeRow(error.errcode).action === 'retry')
  );
}

/** Another instance held the lease for the whole wait and published nothing. */
export function leaseTimeoutError(
  appName: string,
  label: CachedCredentialConfig['identity']['label'],
  waitMs: number,
  retryAt: number,
): TokenUnavailableError {
  return new TokenUnavailableError(
    appName,
    'lease-timeout',
    `no valid ${label} for app "${appName}": another instance is refreshing it and published nothing within ${waitMs} ms`,
    { retryAt, credential: label },
  );
}

export interface FailureGate {
  /** Counts a failed fetch, backs off and returns what callers are told (a TokenUnavailableError). */
  noteFailure(reason: RefreshReason, error: unknown): TokenUnavailableError;
  /** A credential was adopted: failures are over; refresh-ahead waits if it brought nothing new. */
  noteSettled(credential: Credential): void;
  /** While a failure's backoff lasts, the error cold callers fail fast with instead of refetching. */
  failFastError(): TokenUnavailableError | undefined;
  /** Is a background refresh-ahead of `held` due now (in its window, and not backing off)? */
  isAheadDue(held: Credential, now: number): boolean;
  /** Admin reset: the next caller may fetch at once. */
  clear(): void;
}

/**
 * When the next fetch of one credential may run: cold callers back off after a failed fetch,
 * refresh-ahead after any failure and after an answer that brought no fresher credential. Also
 * the one place that turns fetch errors into the TokenUnavailableError callers see.
 */
export function createFailureGate(
  config: Pick<CachedCredentialConfig, 'identity' | 'runtime' | 'timings' | 'fetchPolicy'>,
): FailureGate {
  const { appName, label } = config.identity;
  const { clock, logger, random } = config.runtime;
  const { timings } = config;
  const { backoff } = config.fetchPolicy;
  /** Set after a failed fetch: cold callers fail fast until `retryAt` instead of refetching. */
  let failure: { retryAt: number; error: TokenUnavailableError } | undefined;
  let failures = 0;
  let aheadNotBefore = 0;
  let unchangedStreak = 0;

  const inAheadWindow = (credential: Credential, now: number): boolean =>
    now >= credential.expiresAt - timings.aheadMs(credential);

  function toUnavailable(error: unknown, retryAt: number): TokenUnavailableError {
    if (error instanceof TokenUnavailableError) return error;
    const when = new Date(retryAt).toISOString();
    if (error instanceof WechatApiError) {
      return new TokenUnavailableError(
        appName,
        'upstream-failing',
        `no valid ${label} for app "${appName}": WeChat ${error.api} answered errcode ${error.errcode}; next attempt after ${when}`,
        {
          errcode: error.errcode,
          ...(error.rid ? { rid: error.rid } : {}),
          retryAt,
          cause: error,
          credential: label,
        },
      );
    }
    const detail =
      error instanceof UpstreamUnavailableError
        ? `WeChat ${error.api} unavailable (${error.kind})`
        : 'the fetch failed';
    return new TokenUnavailableError(
      appName,
      'upstream-failing',
      `no valid ${label} for app "${appName}": ${detail}; next attempt after ${when}`,
      { retryAt, cause: error, credential: label },
    );
  }

  return {
    noteFailure(reason, error) {
      const now = clock.now();
      failures += 1;
      let retryAt = now + backoffDelay(failures, backoff, random);
      if (error instanceof TokenUnavailableError && error.retryAt !== undefined) {
        // 45011 "retry next minute": never earlier than WeChat said.
        if (error.reason === 'upstream-failing') retryAt = Math.max(retryAt, error.retryAt);
      }
      const mapped = toUnavailable(error, retryAt);
      // Refresh-ahead backs off on every failure; cold callers only when a fetch really failed
      // (an open breaker is read from the store each time, so an admin reset takes effect at once).
      aheadNotBefore = retryAt;
      if (mapped.reason !== 'breaker-open') failure = { retryAt, error: mapped };
      logger.warn(
        {
          credential: label,
          reason,
          failures,
          retryInMs: Math.round(retryAt - now),
          errcode: mapped.errcode,
          failure: mapped.reason,
        },
        `${label} refresh failed`,
      );
      return mapped;
    },

    noteSettled(credential) {
      failure = undefined;
      failures = 0;
      const now = clock.now();
      if (inAheadWindow(credential, now)) {
        // Still inside the refresh-ahead window: WeChat handed back what it considers current.
        unchangedStreak += 1;
        aheadNotBefore = timings.retryUnchangedAt(credential, now, unchangedStreak);
      } else {
        unchangedStreak = 0;
        aheadNotBefore = 0;
      }
    },

    failFastError() {
      return failure !== undefined && clock.now() < failure.retryAt ? failure.error : undefined;
    },

    isAheadDue: (held, now) => inAheadWindow(held, now) && now >= aheadNotBefore,

    clear() {
      failure = undefined;
      failures = 0;
      aheadNotBefore = 0;
    },
  };
}
