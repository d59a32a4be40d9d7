import type {
  AccessTokenResolvers,
  BreakerStateResolvers,
  QuotaLedgerResolvers,
  RefreshBudgetResolvers,
  TokenCallCountResolvers,
  TokenStatusResolvers,
} from '../../generated/graphql.js';
import { toRefreshReason, toTokenMode } from '../enums.js';

const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

export const AccessToken: AccessTokenResolvers = {
  value: (token) => token.value,
  expiresAt: (token) => new Date(token.expiresAt),
  fetchedAt: (token) => new Date(token.fetchedAt),
  mode: (token) => toTokenMode(token.mode),
};

export const TokenStatus: TokenStatusResolvers = {
  app: (status) => status.appName,
  appId: (status) => status.appId,
  mode: (status) => toTokenMode(status.mode),
  tokenFingerprint: (status) => status.tokenFingerprint,
  expiresAt: (status) => toDate(status.expiresAt),
  fetchedAt: (status) => toDate(status.fetchedAt),
  lastRefreshReason: (status) =>
    status.lastRefreshReason === null ? null : toRefreshReason(status.lastRefreshReason),
  quota: (status) => status.ledger,
  breaker: (status) => status.breaker,
  rejectedRefreshBudget: (status) => status.rejectedRefreshBudget,
};

export const RefreshBudget: RefreshBudgetResolvers = {
  remaining: (budget) => budget.remaining,
  capacity: (budget) => budget.capacity,
  refillSeconds: (budget) => budget.refillMs / 1000,
  nextRefillAt: (budget) => toDate(budget.nextRefillAt),
  local: (budget) => budget.local,
  refusing: (budget) => budget.refusedUntil !== null,
  refusedUntil: (budget) => toDate(budget.refusedUntil),
};

export const QuotaLedger: QuotaLedgerResolvers = {
  day: (ledger) => ledger.day,
  tokenCalls: (ledger) => ledger.tokenCalls,
  failures: (ledger) => ledger.failures,
  ticketCalls: (ledger) => ledger.ticketCalls,
};

export const TokenCallCount: TokenCallCountResolvers = {
  endpoint: (call) => call.endpoint,
  reason: (call) => toRefreshReason(call.reason),
  count: (call) => call.count,
};

export const BreakerState: BreakerStateResolvers = {
  open: (breaker) => breaker.open,
  errcode: (breaker) => breaker.errcode,
  reason: (breaker) => breaker.reason,
  until: (breaker) => toDate(breaker.until),
};
