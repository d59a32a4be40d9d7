/** One measured run of autocannon against one server, with exact latency percentiles. */
import { createHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface Target {
  readonly url: string;
  /** The POST body (a GraphQL request). */
  readonly body: string;
  /** The exact response every request must get; anything else fails the run. */
  readonly expectBody: string;
  /** Extra request headers (the gateway's service key). */
  readonly headers?: Record<string, string>;
}

export interface Load {
  requests: number;
  /** Requests per second over the run. */
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
}

export async function runLoad(target: Target, seconds: number, connections: number): Promise<Load> {
  // autocannon's own latency histogram has whole-millisecond resolution; these are microseconds.
  const latency = createHistogram();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 5,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
        expectBody: target.expectBody,
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => {
      latency.record(Math.max(1, Math.round(ms * 1000)));
    });
  });
  const failures = {
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    wrongBody: result.mismatches,
  };
  if (Object.values(failures).some((count) => count > 0)) {
    throw new Error(`load on ${target.url} had failures: ${JSON.stringify(failures)}`);
  }
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: latency.percentile(50) / 1000,
    p99: latency.percentile(99) / 1000,
  };
}
