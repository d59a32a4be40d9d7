/**
 * A route that throws (a plugin's onRequest or onResponse hook: the sandbox's pages, /metrics,
 * /readyz…) would reach the HTTP adapter (@whatwg-node/server), which answers 500 with the error's
 * stack as the body, server paths included, and logs nothing. Every such hook is wrapped here
 * instead: the error is logged once, at error level, with the request's id, and the client gets a
 * short 500 naming that id. GraphQL operations never get here: yoga masks their errors itself.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../observability/logger.js';
import { currentRequestId, REQUEST_ID_HEADER } from '../observability/request-scope.js';

type OnRequest = NonNullable<Plugin['onRequest']>;
type OnResponse = NonNullable<Plugin['onResponse']>;

function failure(fetchAPI: { Response: typeof Response }): Response {
  const requestId = currentRequestId() ?? 'none';
  return new fetchAPI.Response(
    `internal error; the log has the details (request id ${requestId})\n`,
    {
      status: 500,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        [REQUEST_ID_HEADER]: requestId,
      },
    },
  );
}

/** The request was aborted by its client (node:http's "aborted", ECONNRESET while reading). */
function clientLeft(error: unknown, request: Request): boolean {
  if (request.signal?.aborted) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ECONNRESET' && message === 'aborted';
}

/** Runs `hook`; a throw or a rejection goes to `failed` instead, sync hooks stay sync. */
function guarded<T>(hook: () => T, failed: (error: unknown) => void): T | Promise<void> | void {
  try {
    const result = hook();
    const thenable = typeof (result as { then?: unknown } | undefined)?.then === 'function';
    return thenable ? Promise.resolve(result).then(() => undefined, failed) : result;
  } catch (error) {
    failed(error);
  }
}

/** The two hooks wrapped; every yoga plugin has this shape, whatever its context type. */
interface RouteHooks {
  onRequest?: OnRequest;
  onResponse?: OnResponse;
}

export function guardRouteFailures<P extends RouteHooks>(
  plugins: readonly P[],
  logger: Logger,
): P[] {
  const log = (error: unknown, request: Request, where: string) => {
    const path = URL.canParse(request.url) ? new URL(request.url).pathname : undefined;
    if (clientLeft(error, request)) {
      // Not our failure: the client closed the connection while the route read its body.
      logger.debug({ method: request.method, path }, `the client left during ${where}`);
      return;
    }
    logger.error(
      { err: error, method: request.method, path },
      `unexpected error in ${where} (answered 500)`,
    );
  };
  return plugins.map((plugin) => {
    const { onRequest, onResponse } = plugin;
    if (!onRequest && !onResponse) return plugin;
    const wrapped: P = { ...plugin };
    if (onRequest) {
      wrapped.onRequest = ((payload) =>
        guarded(
          () => onRequest(payload),
          (error) => {
            log(error, payload.request, 'a route');
            payload.endResponse(failure(payload.fetchAPI));
          },
        )) as OnRequest;
    }
    if (onResponse) {
      wrapped.onResponse = ((payload) =>
        guarded(
          () => onResponse(payload),
          (error) => {
            log(error, payload.request, 'a response hook');
            payload.setResponse(failure(payload.fetchAPI));
          },
        )) as OnResponse;
    }
    return wrapped;
  });
}
