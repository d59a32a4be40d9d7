/**
 * Client load on every gateway at once: a few keep-alive connections per gateway, each sending
 * `userInfo(openid)` back to back (with a short pause), and every answer a client would count as
 * a failure counted by its code: HTTP status other than 200 (`HTTP_<status>`), a GraphQL error
 * (its `extensions.code`), wrong data (`WRONG_DATA`) or no answer (`NETWORK_<code>`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { FLEET_SERVICE_KEY } from './gateway.js';

export interface LoadTarget {
  readonly name: string;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:1234/graphql */
  readonly endpoint: string;
}

export interface LoadCounts {
  requests: number;
  errors: number;
  /** Failed requests by code. */
  byCode: Record<string, number>;
  /** Per gateway. */
  perTarget: Record<string, { requests: number; errors: number }>;
}

export interface ErrorSample {
  readonly at: number;
  readonly target: string;
  readonly code: string;
  readonly detail: string;
}

export interface Load {
  /** Counts so far (a copy). */
  counts(): LoadCounts;
  /** The first failures seen (at most 8), with their time and gateway, for the failure report. */
  samples(): readonly ErrorSample[];
  /** Stops sending; resolves once every request in flight has been answered (idempotent). */
  stop(): Promise<LoadCounts>;
}

/** Concurrent connections per gateway unless a scenario says otherwise. */
export const LOAD_CONNECTIONS = 2;

export interface LoadOptions {
  readonly openid: string;
  /** Concurrent connections per gateway; default 2. */
  readonly connections?: number;
  /** Pause between one answer and the next request on a connection; default 5 ms. */
  readonly pauseMs?: number;
  /** A request unanswered this long counts as NETWORK_TIMEOUT; default 15 s. */
  readonly timeoutMs?: number;
}

const QUERY = 'query Fleet($openid: String!) { userInfo(openid: $openid) { openid subscribed } }';
const MAX_SAMPLES = 8;

/** `LoadCounts` between two readings. */
export function countsBetween(before: LoadCounts, after: LoadCounts): LoadCounts {
  const byCode: Record<string, number> = {};
  for (const [code, count] of Object.entries(after.byCode)) {
    const delta = count - (before.byCode[code] ?? 0);
    if (delta > 0) byCode[code] = delta;
  }
  const perTarget: LoadCounts['perTarget'] = {};
  for (const [name, counts] of Object.entries(after.perTarget)) {
    const earlier = before.perTarget[name] ?? { requests: 0, errors: 0 };
    perTarget[name] = {
      requests: counts.requests - earlier.requests,
      errors: counts.errors - earlier.errors,
    };
  }
  return {
    requests: after.requests - before.requests,
    errors: after.errors - before.errors,
    byCode,
    perTarget,
  };
}

/** What a client makes of one answer: undefined when it is the user asked for. */
function classify(status: number, text: string, openid: string): string | undefined {
  if (status !== 200) return `HTTP_${status}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'NOT_JSON';
  }
  if (typeof body !== 'object' || body === null) return 'NOT_JSON';
  if ('errors' in body && Array.isArray(body.errors) && body.errors.length > 0) {
    return JSON.stringify(body.errors[0]).match(/"code":"([A-Za-z_]+)"/)?.[1] ?? 'GRAPHQL_ERROR';
  }
  return text.includes(`"openid":"${openid}"`) ? undefined : 'WRONG_DATA';
}

export function startLoad(targets: readonly LoadTarget[], options: LoadOptions): Load {
  const connections = options.connections ?? LOAD_CONNECTIONS;
  const pauseMs = options.pauseMs ?? 5;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const body = JSON.stringify({ query: QUERY, variables: { openid: options.openid } });
  const counts: LoadCounts = { requests: 0, errors: 0, byCode: {}, perTarget: {} };
  const samples: ErrorSample[] = [];
  let running = true;

  const record = (target: string, code: string | undefined, detail: string): void => {
    counts.requests += 1;
    const mine = (counts.perTarget[target] ??= { requests: 0, errors: 0 });
    mine.requests += 1;
    if (code === undefined) return;
    counts.errors += 1;
    mine.errors += 1;
    counts.byCode[code] = (counts.byCode[code] ?? 0) + 1;
    if (samples.length < MAX_SAMPLES) {
      samples.push({ at: Date.now(), target, code, detail: detail.slice(0, 300) });
    }
  };

  const pools: Pool[] = [];
  const loops: Promise<void>[] = [];
  for (const target of targets) {
    const url = new URL(target.endpoint);
    const pool = new Pool(url.origin, {
      connections,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    pools.push(pool);
    counts.perTarget[target.name] = { requests: 0, errors: 0 };
    for (let i = 0; i < connections; i += 1) {
      loops.push(
        (async () => {
          while (running) {
            try {
              const res = await pool.request({
                path: url.pathname,
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${FLEET_SERVICE_KEY}`,
                },
                body,
              });
              const text = await res.body.text();
              record(target.name, classify(res.statusCode, text, options.openid), text);
            } catch (error) {
              const code =
                error instanceof Error && 'code' in error ? String(error.code) : 'UNKNOWN';
              record(target.name, `NETWORK_${code}`, String(error));
            }
            if (pauseMs > 0) await sleep(pauseMs);
          }
        })(),
      );
    }
  }

  const copy = (): LoadCounts => structuredClone(counts);
  let stopped: Promise<LoadCounts> | undefined;
  return {
    counts: copy,
    samples: () => samples,
    stop() {
      stopped ??= (async () => {
        running = false;
        await Promise.all(loops);
        await Promise.all(pools.map((pool) => pool.close()));
        return copy();
      })();
      return stopped;
    },
  };
}
