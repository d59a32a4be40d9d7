/**
 * One load window of autocannon against one server, with exact latency percentiles. Every
 * response is checked against the exact answer its request must get; any error, timeout, non-2xx
 * or other body fails the run.
 */
import { createHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One request: a POST body and extra headers (a service key, a session token). */
export interface Call {
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface Target {
  readonly url: string;
  /** Sent in turn, spread over the connections. */
  readonly calls: readonly Call[];
  /** The exact response body each call must get (checked once by a probe). */
  readonly expected: readonly string[];
}

export interface Load {
  /** Responses received (and checked) in the window. */
  requests: number;
  /** Requests sent, including those still in flight when the window closed. */
  sent: number;
  /** Responses per second over the window. */
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
}

interface Turn {
  index: number;
}

export async function runLoad(target: Target, seconds: number, connections: number): Promise<Load> {
  // autocannon's own latency histogram has whole-millisecond resolution; these are microseconds.
  const latency = createHistogram();
  let next = 0;
  let wrong = 0;
  let firstWrong: string | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 5,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            // One request in flight per connection (pipelining 1): the context is this request's.
            setupRequest(request, context) {
              const index = next++ % target.calls.length;
              (context as Turn).index = index;
              const call = target.calls[index];
              return {
                ...request,
                body: call?.body,
                headers: { ...request.headers, ...call?.headers },
              };
            },
            onResponse(_status, body, context) {
              if (body === target.expected[(context as Turn).index]) return;
              wrong += 1;
              firstWrong ??= body;
            },
          },
        ],
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
    wrongBody: wrong,
  };
  if (Object.values(failures).some((count) => count > 0)) {
    const example =
      firstWrong === undefined ? '' : `; first wrong body: ${firstWrong.slice(0, 500)}`;
    throw new Error(`load on ${target.url} failed: ${JSON.stringify(failures)}${example}`);
  }
  return {
    requests: result.requests.total,
    sent: result.requests.sent,
    rps: result.requests.total / result.duration,
    p50: latency.percentile(50) / 1000,
    p99: latency.percentile(99) / 1000,
  };
}
