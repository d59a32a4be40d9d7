/**
 * What the gateway's parts tell its metrics (gateway-metrics.ts implements each): declared here so
 * that the parts import observability, never the other way round.
 */

/** How one request to WeChat ended: an answer without errcode, an errcode, or no usable answer. */
export type UpstreamOutcome = 'ok' | 'errcode' | 'timeout' | 'network' | 'bad-response';

export interface UpstreamObserver {
  /**
   * One request (each attempt of a retried call counts): `endpoint` is the endpoint table's path
   * (src/wechat/endpoints.ts), or "other" for a path the table does not hold: never the query
   * (which holds the access_token), never anything a caller made up. `errcode` is set when WeChat
   * answered one.
   */
  observe(endpoint: string, seconds: number, outcome: UpstreamOutcome, errcode?: number): void;
}

/**
 * Where a credential came from: this process's memory (L1) on a lookup, or, for a load (shared
 * by every caller waiting on it), the shared store (L2) or a fetch from WeChat.
 */
export type TokenCacheResult = 'memory_hit' | 'store_hit' | 'upstream_fetch';

/** Told where each credential came from (the gateway's metrics), one function per credential. */
export type TokenCacheObserver = (
  credential: 'access_token' | 'jsapi_ticket',
) => (result: TokenCacheResult) => void;

/** What the metrics hear of one app's user look-ups. */
export interface UserLookupObserver {
  /** One operation's batch of distinct users: how many the cache served, how many go upstream. */
  looked(cached: number, upstream: number): void;
  /** One merged batchget call (not the halvings after an unknown openid) and its users. */
  batched(users: number): void;
}
