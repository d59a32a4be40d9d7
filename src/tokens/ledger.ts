import { wechatDay, type Clock } from '../shared/clock.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import type { QuotaLedgerDay, RefreshReason } from './types.js';

const REASONS: ReadonlySet<string> = new Set<RefreshReason>([
  'cold',
  'ahead',
  'rejected',
  'forced',
]);
// Today plus yesterday stay readable; older days expire on their own.
const LEDGER_TTL_MS = 2 * 24 * 60 * 60 * 1000;

const TOKEN_TOTAL = 'token-total';
const TICKET = 'ticket';
const FORCE = 'force-refresh';
const tokenField = (endpoint: string, reason: RefreshReason): string =>
  `token|${endpoint}|${reason}`;
const failureField = (errcode: number): string => `failure|${errcode}`;

export interface QuotaLedger {
  /** Counts one call to a token endpoint, before it is made (a timed-out call may still count at WeChat). */
  recordTokenCall(endpoint: string, reason: RefreshReason): Promise<void>;
  recordFailure(errcode: number): Promise<void>;
  recordTicketCall(): Promise<void>;
  /** stable_token force_refresh calls today; WeChat allows 20. */
  forceRefreshesToday(): Promise<number>;
  /** Counts one force_refresh and returns today's total including it. */
  reserveForceRefresh(): Promise<number>;
  today(): Promise<QuotaLedgerDay>;
}

/**
 * What this app spent of WeChat's quota per WeChat day (UTC+8), in the shared store so that the
 * whole fleet adds up into one ledger. Bookkeeping never blocks a token: store errors are logged.
 */
export function createQuotaLedger(deps: {
  key: (day: string) => string;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  warnThreshold: number;
}): QuotaLedger {
  const { store, clock, logger } = deps;
  let lastRead: QuotaLedgerDay | undefined;

  async function add(fields: readonly string[]): Promise<number[] | undefined> {
    try {
      return await store.increment(deps.key(wechatDay(clock.now())), fields, LEDGER_TTL_MS);
    } catch (error) {
      logger.warn({ err: error }, 'token store unavailable: quota ledger not updated');
      return undefined;
    }
  }

  return {
    async recordTokenCall(endpoint, reason) {
      const counts = await add([tokenField(endpoint, reason), TOKEN_TOTAL]);
      const total = counts?.[1];
      // Increments are atomic, so exactly one call (fleet-wide with Redis) sees threshold + 1.
      if (total === deps.warnThreshold + 1) {
        logger.warn(
          { day: wechatDay(clock.now()), tokenCalls: total, threshold: deps.warnThreshold },
          'token calls today passed the warning threshold',
        );
      }
    },
    async recordFailure(errcode) {
      await add([failureField(errcode)]);
    },
    async recordTicketCall() {
      await add([TICKET]);
    },
    async forceRefreshesToday() {
      const counts = await store.counters(deps.key(wechatDay(clock.now())));
      return counts[FORCE] ?? 0;
    },
    async reserveForceRefresh() {
      const [count] = await store.increment(
        deps.key(wechatDay(clock.now())),
        [FORCE],
        LEDGER_TTL_MS,
      );
      return count ?? 0;
    },
    async today() {
      const day = wechatDay(clock.now());
      let counts: Record<string, number>;
      try {
        counts = await store.counters(deps.key(day));
      } catch (error) {
        // An admin asking for the status during a store outage still gets an answer: today's
        // ledger as last read by this process, or an empty one (a new day, or never read).
        // The warning says the figures may lag behind what the fleet has spent meanwhile.
        logger.warn(
          { err: error, day },
          'token store unavailable: quota ledger shown as last read',
        );
        return { ...(lastRead?.day === day ? copy(lastRead) : empty(day)), stale: true };
      }
      const ledger = empty(day);
      for (const [field, count] of Object.entries(counts)) {
        const [kind, first, second] = field.split('|');
        if (kind === 'token' && first !== undefined && second !== undefined && isReason(second)) {
          ledger.tokenCalls.push({ endpoint: first, reason: second, count });
        } else if (kind === 'failure' && first !== undefined && Number.isInteger(Number(first))) {
          ledger.failures.push({ errcode: Number(first), count });
        } else if (field === TICKET) {
          ledger.ticketCalls = count;
        }
      }
      ledger.tokenCalls.sort((a, b) =>
        `${a.endpoint}${a.reason}`.localeCompare(`${b.endpoint}${b.reason}`),
      );
      ledger.failures.sort((a, b) => a.errcode - b.errcode);
      lastRead = ledger;
      return copy(ledger);
    },
  };
}

function empty(day: string): QuotaLedgerDay {
  return { day, tokenCalls: [], failures: [], ticketCalls: 0, stale: false };
}

/** Callers get their own copy: the remembered ledger must not change under them. */
function copy(ledger: QuotaLedgerDay): QuotaLedgerDay {
  return {
    day: ledger.day,
    tokenCalls: ledger.tokenCalls.map((entry) => ({ ...entry })),
    failures: ledger.failures.map((entry) => ({ ...entry })),
    ticketCalls: ledger.ticketCalls,
    stale: ledger.stale,
  };
}

function isReason(value: string): value is RefreshReason {
  return REASONS.has(value);
}
