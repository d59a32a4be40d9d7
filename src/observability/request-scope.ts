/**
 * The request a piece of code runs for. The access-log plugin runs each HTTP request inside
 * `runInRequest`, and the logger's mixin reads `currentRequestId()`: every line logged while a
 * request is handled (token provider, upstream client, auth warnings, yoga) carries its id without
 * any of them being handed a logger per request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Longest id taken from a client; anything longer is replaced. */
export const MAX_REQUEST_ID_LENGTH = 128;

/** Visible ASCII only: no spaces, control characters or anything a log line could be split on. */
const ACCEPTED_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/**
 * The client's `X-Request-Id` when it is visible ASCII of at most 128 characters (so a caller or a
 * proxy can follow its request through the logs), else a new random UUID.
 */
export function requestIdFrom(header: string | null): string {
  return header !== null && ACCEPTED_ID.test(header) ? header : randomUUID();
}

export interface RequestScope {
  readonly requestId: string;
}

// Module-level on purpose: the logger and the plugin meet here, and several gateways in one
// process (tests) each run their requests in their own scope.
const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequest<T>(scope: RequestScope, run: () => T): T {
  return storage.run(scope, run);
}

/** The id of the request being handled, or undefined outside a request (start-up, timers). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
