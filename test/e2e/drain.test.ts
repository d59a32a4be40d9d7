/**
 * SIGTERM as a process manager sends it. Under keep-alive load through `npm start`: /readyz turns
 * 503 at once, requests go on being served during SHUTDOWN_DELAY_MS with `Connection: close`,
 * then the listener closes; no request the gateway accepted ends in a reset, and npm exits 0.
 * With no load balancer in front, clients sending straight through the drain and past it (new
 * connections and keep-alive ones) get answers, then refusals, never a reset. With the token
 * store's Redis hung (SIGSTOP), the process is gone within SHUTDOWN_DELAY_MS + 10 s anyway.
 */
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { Client, Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, portIsFree } from '../support/ports.js';
import {
  childEnv,
  npmEnv,
  parseLogLine,
  processExists,
  startChild,
  waitListening,
  type Child,
  type Exit,
} from '../support/processes.js';

const DELAY_MS = 1500;
/** A start-up on a machine busy with other test runs can take this long. */
const START_MS = 60_000;
const CONNECTIONS = 8;
const WORKERS = 16;

interface Outcome {
  /** When the request was sent, and when its answer (or error) came. */
  sentAt: number;
  at: number;
  status?: number;
  connection?: string;
  error?: string;
}

function errorCode(error: unknown): string {
  const { code, cause } = error as { code?: string; cause?: { code?: string } };
  return cause?.code ?? code ?? String(error);
}

/** Hammers a cheap query over `pool` until `until` settles; every outcome is kept. */
async function hammer(
  pool: Pool,
  until: Promise<unknown>,
  outcomes: Outcome[] = [],
): Promise<Outcome[]> {
  let done = false;
  void until.then(() => {
    done = true;
  });
  const body = JSON.stringify({ query: '{ __typename }' });
  const worker = async () => {
    while (!done) {
      const sentAt = Date.now();
      try {
        const res = await pool.request({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.body.text();
        const connection = res.headers['connection'];
        outcomes.push({
          sentAt,
          at: Date.now(),
          status: res.statusCode,
          connection: typeof connection === 'string' ? connection : undefined,
        });
      } catch (error) {
        outcomes.push({ sentAt, at: Date.now(), error: errorCode(error) });
        // Refused: the listener is closed; do not spin.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return outcomes;
}

/** GET /readyz on a fresh connection every 50 ms: what a load balancer's probe sees. */
async function probe(origin: string, until: Promise<unknown>) {
  let done = false;
  void until.then(() => {
    done = true;
  });
  const seen: { sentAt: number; at: number; status?: number; body?: unknown; error?: string }[] =
    [];
  while (!done) {
    const client = new Client(origin);
    const sentAt = Date.now();
    try {
      const res = await client.request({ method: 'GET', path: '/readyz' });
      seen.push({ sentAt, at: Date.now(), status: res.statusCode, body: await res.body.json() });
    } catch (error) {
      seen.push({ sentAt, at: Date.now(), error: errorCode(error) });
    } finally {
      await client.close().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}

/** When the gateway logged the line starting with `message` (its JSON `time`). */
function logTime(child: Child, message: string): number {
  for (const line of child.stdout) {
    const entry = parseLogLine(line) as { msg?: string; time?: number } | undefined;
    if (entry?.msg?.startsWith(message) && entry.time !== undefined) return entry.time;
  }
  throw new Error(`no "${message}" log line\n${child.output()}`);
}

/** Resolves once `check` holds (looked at every 50 ms); rejects after `ms`. */
async function until(check: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('SIGTERM under keep-alive load (npm start)', () => {
  let npm: Child | undefined;
  let gatewayPid: number | undefined;
  afterEach(async () => {
    if (gatewayPid !== undefined && processExists(gatewayPid)) process.kill(gatewayPid, 'SIGKILL');
    await npm?.stop('SIGKILL');
    npm = undefined;
    gatewayPid = undefined;
  });

  it('drains: 503 on /readyz during the delay, Connection: close, zero resets, exit 0', async () => {
    const port = await freePort();
    // Its own process group: a failed start-up leaves no gateway behind npm (stop() kills both).
    npm = startChild('npm', ['start'], {
      group: true,
      env: npmEnv({
        PORT: String(port),
        SHUTDOWN_DELAY_MS: String(DELAY_MS),
        LOG_FORMAT: 'json',
        GRAPHIQL: 'false',
      }),
    });
    const child = npm;
    const { pid } = await waitListening(child, START_MS);
    gatewayPid = pid;
    const origin = `http://127.0.0.1:${port}`;
    const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
    try {
      // The load balancer stops sending new requests shortly before the delay ends: it noticed
      // the 503. Connections still arriving when the listener closes would be refused, or reset
      // by the kernel while queued, never having reached the gateway.
      let lbNoticed = () => {};
      const noticed = new Promise<void>((resolve) => {
        lbNoticed = resolve;
      });
      const live: Outcome[] = [];
      const load = hammer(pool, noticed, live);
      const probes = probe(origin, child.exited);
      // However slow the machine, the load is in full swing before the signal.
      await until(() => live.length > 60, '60 answers before SIGTERM', 30_000);
      const sigtermAt = Date.now();
      child.process.kill('SIGTERM');
      setTimeout(lbNoticed, DELAY_MS - 300);
      const outcomes = await load;
      const exit = await child.exited;
      const seen = await probes;

      expect(exit, child.output()).toEqual({ code: 0, signal: null });
      expect(await portIsFree(port)).toBe(true);

      // Every request got its answer: not one reset.
      expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
      const answered = outcomes.filter((o) => o.status !== undefined);
      expect(answered.every((o) => o.status === 200)).toBe(true);
      const before = answered.filter((o) => o.at < sigtermAt);
      // Sent once the gateway drained (its log line's time: the signal may wait for a busy loop).
      const draining = logTime(child, 'SIGTERM: draining');
      const during = answered.filter((o) => o.sentAt > draining);
      expect(before.length).toBeGreaterThan(50);
      expect(before.some((o) => o.connection === 'keep-alive')).toBe(true);
      // Served on through the delay, each answer telling the client to reconnect.
      expect(during.length).toBeGreaterThan(20);
      expect(during.every((o) => o.connection === 'close')).toBe(true);

      // The probe saw 503 from the start of the delay until the listener closed; once it had
      // closed, a probe is refused (or reset by the kernel while queued).
      const closedAt = logTime(child, 'shutting down');
      expect(seen.filter((s) => s.error !== undefined && s.at < closedAt)).toEqual([]);
      const late = seen.filter((s) => s.error !== undefined).map((s) => s.error);
      expect(late.filter((code) => code !== 'ECONNREFUSED' && code !== 'ECONNRESET')).toEqual([]);
      const after = seen.filter((s) => s.sentAt > draining && s.error === undefined);
      expect(after.length).toBeGreaterThan(5);
      expect(after.every((s) => s.status === 503)).toBe(true);
      expect(after[0]?.body).toMatchObject({ ready: false, status: 'draining' });
      expect(seen.filter((s) => s.at < sigtermAt).every((s) => s.status === 200)).toBe(true);
      const lastServed = Math.max(...answered.map((o) => o.at));
      expect(lastServed - sigtermAt).toBeGreaterThanOrEqual(DELAY_MS - 400);
      // The listener stayed open for the whole delay (and no probe failed before it closed).
      expect(closedAt - draining).toBeGreaterThanOrEqual(DELAY_MS - 1);

      const messages = child.stdout.map((line) => parseLogLine(line)?.msg);
      expect(messages).toContain('stopped');
    } finally {
      await pool.destroy();
    }
  }, 120_000);
});

/** The gateway as `npm start` or as `node` itself (what `npm start` execs). */
const STARTS = {
  'npm start': (env: Record<string, string>) =>
    startChild('npm', ['start'], { name: 'npm start', group: true, env: npmEnv(env) }),
  node: (env: Record<string, string>) =>
    startChild('node', ['--import', 'tsx', 'src/main.ts'], { name: 'gateway', env: childEnv(env) }),
} as const;

/** What the clients saw, by kind; `resets` keep when they happened, in ms after SIGTERM. */
interface Tally {
  ok: number;
  /** When each answered request was sent, and its Connection header. */
  answers: { sentAt: number; connection?: string }[];
  refused: number;
  resets: { client: string; error: string; at: number }[];
  other: { client: string; error: string; status?: number }[];
}

/** A broken connection, as each client names it: what must never happen. */
const RESET =
  /ECONNRESET|socket hang up|other side closed|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNABORTED/;

function describeError(error: unknown): string {
  const { code, message, cause } = error as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  return [code, message, cause?.code, cause?.message].filter(Boolean).join(' ');
}

/** Per client kind; 32 connections at once in all (16 opened per request). */
const WORKERS_THROUGHOUT = { fresh: 16, pooled: 8, agent: 8 };

const QUERY = JSON.stringify({ query: '{ __typename }' });

/** One POST on a connection of its own (`agent: false`), as a client without a pool sends it. */
function postOnNewConnection(port: number, agent?: HttpAgent) {
  return new Promise<{ status: number; connection?: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(QUERY) },
        ...(agent ? { agent } : { agent: false }),
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
        );
      },
    );
    req.on('error', reject);
    req.end(QUERY);
  });
}

/**
 * Clients that keep sending from now until `until` settles: `fresh` workers open a connection
 * per request; `pooled` workers share an undici Pool, and `agent` workers a keep-alive
 * http.Agent. A refusal (the listener closed) is retried after a moment, as a client would.
 */
function sendThroughout(
  port: number,
  until: Promise<unknown>,
  workers: { fresh: number; pooled: number; agent: number },
  sigtermAt: () => number,
): { tally: Tally; finished: Promise<Tally> } {
  let done = false;
  void until.then(() => (done = true));
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: workers.pooled, pipelining: 1 });
  const agent = new HttpAgent({ keepAlive: true, maxSockets: workers.agent });
  const tally: Tally = {
    ok: 0,
    answers: [],
    refused: 0,
    resets: [],
    other: [],
  };
  const pooledPost = async () => {
    const res = await pool.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: QUERY,
    });
    await res.body.text();
    const connection = res.headers['connection'];
    return { status: res.statusCode, connection: typeof connection === 'string' ? connection : '' };
  };
  const worker = async (
    client: string,
    send: () => Promise<{ status: number; connection?: string }>,
  ) => {
    while (!done) {
      const sentAt = Date.now();
      try {
        const { status, connection } = await send();
        if (status !== 200) tally.other.push({ client, error: 'status', status });
        tally.ok += 1;
        if (sigtermAt() > 0) tally.answers.push({ sentAt, connection });
      } catch (error) {
        const text = describeError(error);
        if (/ECONNREFUSED/.test(text)) tally.refused += 1;
        else if (RESET.test(text)) {
          tally.resets.push({ client, error: text, at: Date.now() - sigtermAt() });
        } else tally.other.push({ client, error: text });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };
  const all = [
    ...Array.from({ length: workers.fresh }, () =>
      worker('fresh', () => postOnNewConnection(port)),
    ),
    ...Array.from({ length: workers.pooled }, () => worker('undici pool', pooledPost)),
    ...Array.from({ length: workers.agent }, () =>
      worker('http.Agent keepAlive', () => postOnNewConnection(port, agent)),
    ),
  ];
  const finished = Promise.all(all).then(async () => {
    await pool.destroy();
    agent.destroy();
    return tally;
  });
  return { tally, finished };
}

describe('SIGTERM with clients sending straight through the drain (no load balancer)', () => {
  let child: Child | undefined;
  let gatewayPid: number | undefined;
  afterEach(async () => {
    if (gatewayPid !== undefined && processExists(gatewayPid)) process.kill(gatewayPid, 'SIGKILL');
    await child?.stop('SIGKILL');
    child = undefined;
    gatewayPid = undefined;
  });

  it.each(Object.keys(STARTS) as (keyof typeof STARTS)[])(
    '%s: every request answered or refused, none reset; exit 0',
    async (start) => {
      const port = await freePort();
      const gateway = STARTS[start]({
        PORT: String(port),
        SHUTDOWN_DELAY_MS: String(DELAY_MS),
        LOG_FORMAT: 'json',
        // Its files' compression would take a core for seconds: the load here is the clients'.
        GRAPHIQL: 'false',
      });
      child = gateway;
      gatewayPid = (await waitListening(gateway, START_MS)).pid;
      let sigtermAt = 0;
      const load = sendThroughout(port, gateway.exited, WORKERS_THROUGHOUT, () => sigtermAt);
      // However slow the machine, the clients are in full swing before the signal.
      await until(() => load.tally.ok >= 100, '100 answers before SIGTERM', 30_000);
      sigtermAt = Date.now();
      gateway.process.kill('SIGTERM');
      const exit = await gateway.exited;
      const tally = await load.finished;

      expect(exit, gateway.output()).toEqual({ code: 0, signal: null });
      expect(await portIsFree(port)).toBe(true);
      // Answered, or refused once the listener had closed: never a connection broken under a
      // request (what ECONNRESET, "socket hang up" and "other side closed" mean to a client).
      const summary = JSON.stringify({ ...tally, answers: tally.answers.length });
      expect(tally.resets, summary).toEqual([]);
      expect(tally.other, summary).toEqual([]);
      // Served through the delay, each request sent once it drained told to reconnect.
      const draining = logTime(gateway, 'SIGTERM: draining');
      const during = tally.answers.filter((answer) => answer.sentAt > draining);
      expect(during.length, summary).toBeGreaterThan(20);
      expect(during.filter((answer) => answer.connection !== 'close')).toEqual([]);
      expect(child.stdout.map((line) => parseLogLine(line)?.msg)).toContain('stopped');
    },
    120_000,
  );
});

/** How long after `from` the process exited, or undefined while it still runs after `waitMs`. */
async function exitWithin(
  exited: Promise<Exit>,
  from: number,
  waitMs: number,
): Promise<{ exit: Exit; afterMs: number } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  const exit = await Promise.race([exited, late]);
  clearTimeout(timer);
  return exit === undefined ? undefined : { exit, afterMs: Date.now() - from };
}

describe('SIGTERM while the token store is hung (Redis SIGSTOPped)', () => {
  const SHORT_DELAY_MS = 500;
  /** The docs' promise, plus start-up noise on a loaded machine. */
  const BOUND_MS = SHORT_DELAY_MS + 10_000 + 2_000;
  let redis: Child | undefined;
  let gateway: Child | undefined;
  afterEach(async () => {
    await gateway?.stop('SIGKILL');
    // SIGKILL ends a stopped process too; stop() sends SIGCONT first otherwise.
    await redis?.stop('SIGKILL');
    gateway = undefined;
    redis = undefined;
  });

  async function start(): Promise<{ redis: Child; gateway: Child }> {
    const redisPort = await freePort();
    redis = startChild(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { name: 'redis-server' },
    );
    await redis.waitForLine(/Ready to accept connections/, 'redis ready');
    gateway = STARTS.node({
      PORT: String(await freePort()),
      TOKEN_STORE: `redis://127.0.0.1:${redisPort}`,
      SHUTDOWN_DELAY_MS: String(SHORT_DELAY_MS),
      LOG_FORMAT: 'json',
    });
    await waitListening(gateway, START_MS);
    await gateway.waitForLine(/token store reachable/, 'store reachable', START_MS);
    return { redis, gateway };
  }

  it('exits within SHUTDOWN_DELAY_MS + 10 s, status 1, an ERROR naming the stage stuck', async () => {
    const { redis: server, gateway: child } = await start();
    server.signal('SIGSTOP');
    const sigtermAt = Date.now();
    child.signal('SIGTERM');
    const ended = await exitWithin(child.exited, sigtermAt, BOUND_MS + 5_000);
    expect(
      ended,
      `still running ${BOUND_MS + 5_000} ms after SIGTERM\n${child.output()}`,
    ).toBeDefined();
    expect(ended?.afterMs, child.output()).toBeLessThanOrEqual(BOUND_MS);
    expect(ended?.exit, child.output()).toEqual({ code: 1, signal: null });
    const errors = child.stdout.map(parseLogLine).filter((entry) => entry?.level === 50);
    expect(errors.map((entry) => entry?.stage)).toContainEqual(
      expect.stringMatching(/^closing the (event log|token store)$/),
    );
    expect(child.stdout.map((line) => parseLogLine(line)?.msg)).not.toContain('stopped');
  }, 120_000);

  it('with Redis answering, the same shutdown exits 0 without an ERROR', async () => {
    const { gateway: child } = await start();
    const sigtermAt = Date.now();
    child.signal('SIGTERM');
    const ended = await exitWithin(child.exited, sigtermAt, BOUND_MS + 5_000);
    expect(ended?.exit, child.output()).toEqual({ code: 0, signal: null });
    expect(child.stdout.map(parseLogLine).filter((entry) => (entry?.level ?? 0) >= 50)).toEqual([]);
    expect(child.stdout.map((line) => parseLogLine(line)?.msg)).toContain('stopped');
  }, 120_000);
});
