import { nextWechatDayStart, type Clock } from '../shared/clock.js';
import { TokenUnavailableError } from './errors.js';
import type { QuotaLedger } from './ledger.js';
import type { TokenStore } from '../store/store.js';

/** WeChat's limits on stable_token force_refresh (wechat-api.md §2.3). */
export const FORCE_DAILY_LIMIT = 20;
export const FORCE_SPACING_MS = 30_000;

/**
 * Checks and spends WeChat's force_refresh budget before any call, fleet-wide: the day's count
 * lives in the quota ledger, the 30 s spacing in a store key whose TTL is the spacing (so the
 * store's clock decides, not ours).
 */
export function createForceBudget(deps: {
  appName: string;
  spacingKey: string;
  owner: string;
  store: TokenStore;
  ledger: QuotaLedger;
  clock: Clock;
}): { reserve(): Promise<void> } {
  const { appName, store, ledger, clock } = deps;
  const refuse = (message: string, retryAt: number): TokenUnavailableError =>
    new TokenUnavailableError(appName, 'force-budget', message, { retryAt });

  return {
    async reserve() {
      const now = clock.now();
      const nextDay = nextWechatDayStart(now);
      const spent = `app "${appName}" used all ${FORCE_DAILY_LIMIT} forced refreshes WeChat allows today; next after ${new Date(nextDay).toISOString()}`;
      if ((await ledger.forceRefreshesToday()) >= FORCE_DAILY_LIMIT) throw refuse(spent, nextDay);
      if (!(await store.setIfAbsent(deps.spacingKey, deps.owner, FORCE_SPACING_MS))) {
        const remaining = (await store.get(deps.spacingKey))?.ttlMs ?? FORCE_SPACING_MS;
        throw refuse(
          `forced refreshes for app "${appName}" must be ${FORCE_SPACING_MS / 1000} s apart; retry in ${Math.ceil(remaining / 1000)} s`,
          now + remaining,
        );
      }
      // Two admins at once: the atomic count settles who is over the limit.
      if ((await ledger.reserveForceRefresh()) > FORCE_DAILY_LIMIT) throw refuse(spent, nextDay);
    },
  };
}
