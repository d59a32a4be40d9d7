/**
 * How a request reaches the gateway: `fetch` in browsers (and Node), `wx.request` in mini programs
 * (wx-request.ts). A transport never throws for an HTTP status; it rejects only when no response
 * came.
 */
export interface TransportRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, already serialized. */
  readonly body: string;
}

export interface TransportResponse {
  readonly status: number;
  /** The parsed JSON body; undefined when the body was not JSON. */
  readonly json: unknown;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** The part of `fetch` the client uses, so it runs wherever a fetch exists (no DOM types needed). */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

/** Resolves `fetch` at call time (a polyfill installed later still counts), bound to its global. */
function globalFetch(): FetchLike {
  const found = (globalThis as { fetch?: FetchLike }).fetch;
  if (found === undefined) throw new Error('no global fetch: pass one to fetchTransport()');
  return (url, init) => found.call(globalThis, url, init);
}

export function fetchTransport(fetchImpl?: FetchLike): Transport {
  return async ({ url, headers, body }) => {
    const fetch = fetchImpl ?? globalFetch();
    const response = await fetch(url, { method: 'POST', headers: { ...headers }, body });
    const type = response.headers.get('content-type') ?? '';
    const json = type.includes('json') ? await response.json().catch(() => undefined) : undefined;
    return { status: response.status, json };
  };
}
