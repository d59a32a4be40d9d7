/**
 * What a failed upstream request may lead to, given the endpoint's row in endpoints.ts. One
 * function, so the rule "never repeat a send after an unknown outcome" lives in one place.
 */
import type { Repeat } from './endpoints.js';
import { errcodeRow } from './errcodes.js';
import { UpstreamUnavailableError, WechatApiError } from './errors.js';

export type FailureVerdict =
  /** Repeat the request (after a short pause). */
  | 'retry'
  /** Report the failure as it is. */
  | 'fail'
  /** A send that may have been carried out: report UPSTREAM_OUTCOME_UNKNOWN, never repeat. */
  | 'unknown';

/** Did WeChat perhaps act on the request before this failure? */
function mayHaveActed(error: unknown): boolean {
  if (error instanceof UpstreamUnavailableError) return error.reached;
  if (error instanceof WechatApiError) return errcodeRow(error.errcode).effect === 'unknown';
  return false;
}

/** A failure a repeat may cure: -1, a timeout, a lost connection, a garbled answer. */
function isTransient(error: unknown): boolean {
  if (error instanceof UpstreamUnavailableError) return true;
  return error instanceof WechatApiError && errcodeRow(error.errcode).action === 'retry';
}

export function judgeFailure(
  repeat: Repeat | undefined,
  error: unknown,
  attempt: number,
  maxAttempts: number,
): FailureVerdict {
  if (repeat === 'send') return mayHaveActed(error) ? 'unknown' : 'fail';
  if (attempt >= maxAttempts || !isTransient(error)) return 'fail';
  switch (repeat) {
    case 'read':
    case 'idempotent':
      return 'retry';
    case 'single-use':
      // -1 (busy) and a request that never left this host leave the code unspent; after a
      // timeout or a lost answer it may be spent, and a repeat would only read 40029.
      return error instanceof WechatApiError || !mayHaveActed(error) ? 'retry' : 'fail';
    default:
      return 'fail';
  }
}
