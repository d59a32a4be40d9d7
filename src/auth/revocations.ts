/**
 * Logged-out sessions, fleet-wide. Logout writes a marker to the token store (Redis for a fleet)
 * that lives as long as the token would have. Every instance remembers per session what it last
 * read and reads again at most once per `recheckMs` (1 s): a session in steady use costs no store
 * round trip on most requests, and a logout reaches every instance within about a second.
 *
 * While the store cannot be read, a logout made on another instance cannot be seen. For
 * `failOpenMs` from the first failed read (SESSION_REVOCATION_FAIL_OPEN_MS; default: the whole
 * outage) sessions not known to be logged out are accepted; after that each is refused with
 * UPSTREAM_UNAVAILABLE until a read succeeds again. 0 refuses them at the first failed read.
 */
import type { Clock } from '../shared/clock.js';
import { storeUnavailable } from '../shared/graphql-errors.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import { sessionStoreKeys } from './store-keys.js';
import { createThrottledWarning } from './throttled-warning.js';

export interface Revocations {
  /** Whether the session was logged out; synchronous while the last reading is fresh. */
  isRevoked(jti: string): boolean | Promise<boolean>;
  /** Marks the session logged out everywhere until `expiresAt`; rejects if the store fails. */
  revoke(jti: string, expiresAt: number): Promise<void>;
}

interface Reading {
  revoked: boolean;
  readAt: number;
  pending?: Promise<boolean>;
}

export const REVOCATION_RECHECK_MS = 1000;
/** The marker outlives the token a little, so clock differences cannot resurrect a session. */
const MARKER_SLACK_MS = 60_000;

export function createRevocations(deps: {
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  recheckMs?: number;
  /** Sessions remembered per instance; the oldest reading is dropped beyond this. */
  maxEntries?: number;
  /** How long sessions are accepted after the first failed read; default Infinity. */
  failOpenMs?: number;
}): Revocations {
  const { store, clock } = deps;
  const recheckMs = deps.recheckMs ?? REVOCATION_RECHECK_MS;
  const failOpenMs = deps.failOpenMs ?? Infinity;
  /** When reads started failing (cleared by a successful read). */
  let failingSince: number | undefined;
  const maxEntries = deps.maxEntries ?? 100_000;
  const readings = new Map<string, Reading>();
  const warnUnreadable = createThrottledWarning(
    deps.logger,
    clock,
    'token store unavailable: logouts made on other instances cannot be checked; sessions not known to be logged out are accepted meanwhile',
  );
  const warnRefusing = createThrottledWarning(
    deps.logger,
    clock,
    'token store unavailable: logouts cannot be checked and SESSION_REVOCATION_FAIL_OPEN_MS has passed; sessions are refused meanwhile',
  );

  const remember = (jti: string, reading: Reading): void => {
    readings.delete(jti);
    readings.set(jti, reading);
    if (readings.size > maxEntries) {
      const oldest = readings.keys().next().value;
      if (oldest !== undefined) readings.delete(oldest);
    }
  };

  const read = (jti: string, previous: Reading | undefined): Promise<boolean> => {
    const startedAt = clock.now();
    const pending = store.get(sessionStoreKeys(jti).revoked).then(
      (entry) => {
        failingSince = undefined;
        const revoked = entry !== undefined;
        remember(jti, { revoked, readAt: startedAt });
        return revoked;
      },
      (error: unknown) => {
        // Keep the last answer and ask again next time.
        const revoked = previous?.revoked ?? false;
        remember(jti, { revoked, readAt: previous?.readAt ?? -Infinity });
        failingSince ??= startedAt;
        if (clock.now() - failingSince >= failOpenMs) {
          warnRefusing(error);
          throw storeUnavailable(
            'This session cannot be checked right now (the token store, where logouts are recorded, is unreachable); retry shortly.',
          );
        }
        // Availability over a logout we cannot see, for the fail-open window.
        warnUnreadable(error);
        return revoked;
      },
    );
    remember(jti, { revoked: previous?.revoked ?? false, readAt: -Infinity, pending });
    return pending;
  };

  return {
    isRevoked(jti) {
      const reading = readings.get(jti);
      if (reading?.revoked) return true;
      if (reading?.pending) return reading.pending;
      if (reading && clock.now() - reading.readAt < recheckMs) return false;
      return read(jti, reading);
    },
    async revoke(jti, expiresAt) {
      const ttlMs = Math.max(1, expiresAt - clock.now()) + MARKER_SLACK_MS;
      await store.set(sessionStoreKeys(jti).revoked, '1', ttlMs);
      remember(jti, { revoked: true, readAt: clock.now() });
    },
  };
}
