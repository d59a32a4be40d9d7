/**
 * SIGTERM under keep-alive load, through `npm start` as a process manager runs it: /readyz turns
 * 503 at once, requests go on being served during SHUTDOWN_DELAY_MS with `Connection: close`,
 * then the listener closes; no request the gateway accepted ends in a reset, and npm exits 0.
 */
import { Client, Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  childEnv,
  freePort,
  parseLogLine,
  portIsFree,
  processExists,
  startChild,
  waitListening,
  type Child,
} from '../support/processes.js';

const DELAY_MS = 1500;
const CONNECTIONS = 8;
const WORKERS = 16;

interface Outcome {
  at: number;
  status?: number;
  connection?: string;
  error?: string;
}

/** npm started by a test must not inherit the `npm test` run's own npm settings. */
function npmEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(childEnv(settings)).filter(([key]) => !/^npm_/i.test(key)),
  );
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
}

function errorCode(error: unknown): string {
  const { code, cause } = error as { code?: string; cause?: { code?: string } };
  return cause?.code ?? code ?? String(error);
}

/** Hammers a cheap query over `pool` until `until` settles; every outcome is kept. */
async function hammer(pool: Pool, until: Promise<unknown>): Promise<Outcome[]> {
  let done = false;
  void until.then(() => {
    done = true;
  });
  const outcomes: Outcome[] = [];
  const body = JSON.stringify({ query: '{ __typename }' });
  const worker = async () => {
    while (!done) {
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
          at: Date.now(),
          status: res.statusCode,
          connection: typeof connection === 'string' ? connection : undefined,
        });
      } catch (error) {
        outcomes.push({ at: Date.now(), error: errorCode(error) });
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
  const seen: { at: number; status?: number; body?: unknown; error?: string }[] = [];
  while (!done) {
    const client = new Client(origin);
    try {
      const res = await client.request({ method: 'GET', path: '/readyz' });
      seen.push({ at: Date.now(), status: res.statusCode, body: await res.body.json() });
    } catch (error) {
      seen.push({ at: Date.now(), error: errorCode(error) });
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
    npm = startChild('npm', ['start'], {
      env: npmEnv({ PORT: String(port), SHUTDOWN_DELAY_MS: String(DELAY_MS), LOG_FORMAT: 'json' }),
    });
    const child = npm;
    const { pid } = await waitListening(child);
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
      const load = hammer(pool, noticed);
      const probes = probe(origin, child.exited);
      await new Promise((resolve) => setTimeout(resolve, 500));
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
      const during = answered.filter((o) => o.at > sigtermAt + 100);
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
      const after = seen.filter((s) => s.at > sigtermAt + 100 && s.error === undefined);
      expect(after.length).toBeGreaterThan(5);
      expect(after.every((s) => s.status === 503)).toBe(true);
      expect(after[0]?.body).toMatchObject({ ready: false, status: 'draining' });
      expect(seen.filter((s) => s.at < sigtermAt).every((s) => s.status === 200)).toBe(true);
      const lastServed = Math.max(...answered.map((o) => o.at));
      expect(lastServed - sigtermAt).toBeGreaterThanOrEqual(DELAY_MS - 400);
      // The listener stayed open for the whole delay.
      expect(Math.max(...after.map((s) => s.at)) - sigtermAt).toBeGreaterThanOrEqual(
        DELAY_MS - 100,
      );

      const messages = child.stdout.map((line) => parseLogLine(line)?.msg);
      expect(messages).toContain('stopped');
    } finally {
      await pool.destroy();
    }
  }, 40_000);
});
