/**
 * One fleet scenario's resources and measurements: everything a test starts is tracked and
 * stopped after it (by PID, also on failure), a failure prints every process's last log lines
 * and the first client errors, and each measured phase prints one `[fleet] …` line with its
 * counts before its checks run (soft, so every phase of a failing scenario is reported).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect } from 'vitest';
import type { TokenMode } from '../../../src/wechat/types.js';
import type { Child } from '../../support/processes.js';
import { createRedisServer, type RedisServer } from '../../support/redis-servers.js';
import { startEmulator, type EmulatorProcess, type EmulatorSettings } from './emulator.js';
import { startGateway, type GatewayProcess } from './gateway.js';
import { countsBetween, startLoad, type Load, type LoadCounts, type LoadOptions } from './load.js';

/** Gateway processes per fleet (the issue's experiments used 4; 3 already show every race). */
export const FLEET_SIZE = 3;
/** Lines of each process's log printed when a scenario fails (repeats collapsed). */
const LOG_LINES_ON_FAILURE = 40;
/**
 * Each gateway must have answered at least this many requests in the scenario (a control that
 * the load reached every gateway; it runs at some hundred requests a second per gateway). Not
 * per phase: a gateway may rightly hold requests for seconds (waiting for another instance's
 * fetch), and they then count in a later phase.
 */
const MIN_REQUESTS_PER_GATEWAY = 50;
/**
 * How long `finish` keeps the load on for a gateway that has not reached the control yet: on a
 * loaded machine a gateway answers fewer requests in a scenario's seconds, which is no failure.
 */
const MAX_CONTROL_WAIT_MS = 20_000;

/** Keeps the load on until every target has answered the control count, or the wait runs out. */
async function untilEveryTargetServed(load: Load): Promise<void> {
  const until = Date.now() + MAX_CONTROL_WAIT_MS;
  const short = () =>
    Object.values(load.counts().perTarget).some(
      (served) => served.requests < MIN_REQUESTS_PER_GATEWAY,
    );
  while (short() && Date.now() < until) await sleep(100);
}

export interface Mark {
  readonly at: number;
  readonly tokenCalls: number;
  readonly load: LoadCounts;
}

export interface PhaseLimits {
  /** Most token calls the phase may cost. */
  maxTokenCalls: number;
  /** Fewest token calls (a control: the phase must really have rotated); default 0. */
  minTokenCalls?: number;
  /** Shown after the counts, e.g. why the limit is what it is. */
  note?: string;
}

export interface Scenario {
  emulator(settings?: EmulatorSettings): Promise<EmulatorProcess>;
  /** A redis-server on a spare port, not yet started. */
  redis(): Promise<RedisServer>;
  /** Starts `count` gateways at once; resolves once all listen (throws with their logs if not). */
  gateways(
    count: number,
    settings: {
      mode: TokenMode;
      store: string | ((index: number) => string);
      refreshAheadSeconds?: number;
    },
  ): Promise<GatewayProcess[]>;
  /** Client load on `gateways` until the scenario ends. */
  load(gateways: readonly GatewayProcess[], options: LoadOptions): Load;
  /** Token calls and client counts now. */
  mark(): Promise<Mark>;
  /**
   * Stops the load, waits for every request in flight, and marks: the end of the last phase,
   * so that no answer goes unchecked. Checks that every gateway was under load.
   */
  finish(): Promise<Mark>;
  /** Prints the phase's counts in one line, then checks them (soft). */
  phase(label: string, from: Mark, to: Mark, limits: PhaseLimits): void;
  /**
   * Waits until every gateway holds the same token (optionally not `not`); on timeout records a
   * soft failure and resolves undefined, so the scenario goes on and reports every phase.
   */
  settle(
    label: string,
    gateways: readonly GatewayProcess[],
    timeoutMs: number,
    not?: string | null,
  ): Promise<string | undefined>;
  /** A fresh directory, removed after the test. */
  tempDir(): Promise<string>;
  /** Prints a line (kept for the failure report too). */
  note(line: string): void;
}

function describeErrors(counts: LoadCounts): string {
  if (counts.errors === 0) return 'errors=0';
  const codes = Object.entries(counts.byCode)
    .map(([code, count]) => `${code}:${count}`)
    .join(' ');
  const where = Object.entries(counts.perTarget)
    .map(([target, served]) => `${target}:${served.errors}`)
    .join(' ');
  return `errors=${counts.errors} {${codes}} by gateway {${where}}`;
}

/** Polls `probe` until it returns a value other than undefined; throws `what` on timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** The token each gateway holds (fingerprints from tokenStatus). */
export function fingerprints(gateways: readonly GatewayProcess[]): Promise<(string | null)[]> {
  return Promise.all(gateways.map((gateway) => gateway.fingerprint()));
}

/**
 * Waits until every gateway holds the same token, optionally one other than `not`; resolves
 * with its fingerprint.
 */
export function converged(
  gateways: readonly GatewayProcess[],
  timeoutMs: number,
  not?: string | null,
): Promise<string> {
  return waitFor(
    `every gateway to hold the same token${not ? ` (not ${not})` : ''}`,
    async () => {
      const prints = await fingerprints(gateways);
      const first = prints[0];
      if (first === null || first === undefined || first === not) return undefined;
      return prints.every((print) => print === first) ? first : undefined;
    },
    timeoutMs,
  );
}

/** Tracks one test's resources; call at the top of a `describe` (registers afterEach). */
export function useScenario(name: string): Scenario {
  let emulator: EmulatorProcess | undefined;
  let redisServers: RedisServer[] = [];
  let gateways: GatewayProcess[] = [];
  let loads: Load[] = [];
  let notes: string[] = [];
  let dirs: string[] = [];

  const processes = (): Child[] => [
    ...(emulator ? [emulator.process] : []),
    ...redisServers.flatMap((server) => server.process() ?? []),
    ...gateways.map((gateway) => gateway.process),
  ];

  const report = (): void => {
    const parts = [`[fleet] ${name}: FAILED — what the processes printed last:`];
    for (const child of processes()) {
      parts.push(
        `--- ${child.name} (pid ${child.pid}, ${child.exitStatus() ?? 'running'}) ---`,
        ...child.summary().slice(-LOG_LINES_ON_FAILURE),
      );
    }
    for (const load of loads) {
      const samples = load.samples();
      if (samples.length === 0) continue;
      parts.push('--- first client errors ---');
      for (const sample of samples) {
        parts.push(
          `${new Date(sample.at).toISOString()} ${sample.target} ${sample.code} ${sample.detail}`,
        );
      }
    }
    parts.push('--- phases ---', ...notes);
    console.log(parts.join('\n'));
  };

  afterEach(async (context) => {
    // Before anything is stopped: the logs are what explains a failure.
    const result = context.task.result;
    if (result?.state === 'fail' || (result?.errors?.length ?? 0) > 0) report();
    const stopping = loads.map((load) => load.stop());
    loads = [];
    await Promise.all(stopping);
    await Promise.all([
      ...gateways.map((gateway) => gateway.stop()),
      ...redisServers.map((server) => server.stop()),
      emulator?.stop(),
    ]);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    gateways = [];
    redisServers = [];
    emulator = undefined;
    notes = [];
    dirs = [];
  });

  const scenario: Scenario = {
    async emulator(settings) {
      if (emulator !== undefined) throw new Error('one emulator per scenario');
      emulator = await startEmulator(settings);
      return emulator;
    },
    async redis() {
      const server = await createRedisServer();
      redisServers.push(server);
      return server;
    },
    async gateways(count, settings) {
      if (emulator === undefined) throw new Error('start the emulator first');
      const emulatorUrl = emulator.url;
      const started = Array.from({ length: count }, (_, i) =>
        startGateway({
          name: `gw-${gateways.length + i + 1}`,
          emulatorUrl,
          mode: settings.mode,
          store: typeof settings.store === 'string' ? settings.store : settings.store(i),
          refreshAheadSeconds: settings.refreshAheadSeconds,
        }),
      );
      gateways.push(...started);
      // Every one started or failed: a failure then shows how each of them ended.
      const results = await Promise.allSettled(started.map((gateway) => gateway.ready));
      const failed = results.flatMap((result, i) =>
        result.status === 'rejected'
          ? [
              `${started[i]?.name}: ${result.reason instanceof Error ? result.reason.message : result.reason}`,
            ]
          : [],
      );
      if (failed.length > 0) {
        throw new Error(
          `${failed.length} of ${count} gateways did not start:\n${failed.join('\n')}`,
        );
      }
      return started;
    },
    load(targets, options) {
      const load = startLoad(
        targets.map((gateway) => ({ name: gateway.name, endpoint: gateway.endpoint() })),
        options,
      );
      loads.push(load);
      return load;
    },
    async mark() {
      if (emulator === undefined) throw new Error('no emulator');
      const tokenCalls = await emulator.tokenCalls();
      const load = loads[0]?.counts() ?? { requests: 0, errors: 0, byCode: {}, perTarget: {} };
      return { at: Date.now(), tokenCalls, load };
    },
    async finish() {
      if (loads[0] !== undefined) await untilEveryTargetServed(loads[0]);
      const counts = await Promise.all(loads.map((load) => load.stop()));
      const end = await scenario.mark();
      for (const [target, served] of Object.entries(counts[0]?.perTarget ?? {})) {
        expect
          .soft(served.requests, `requests answered by ${target} (load control)`)
          .toBeGreaterThanOrEqual(MIN_REQUESTS_PER_GATEWAY);
      }
      return end;
    },
    phase(label, from, to, limits) {
      const counts = countsBetween(from.load, to.load);
      const calls = to.tokenCalls - from.tokenCalls;
      const seconds = ((to.at - from.at) / 1000).toFixed(1);
      const line =
        `[fleet] ${name} — ${label}: requests=${counts.requests} ${describeErrors(counts)} ` +
        `tokenCalls=${calls} (≤ ${limits.maxTokenCalls}) in ${seconds} s` +
        (limits.note ? ` — ${limits.note}` : '');
      scenario.note(line);
      expect.soft(counts.errors, `${label}: client-visible errors`).toBe(0);
      expect.soft(calls, `${label}: token calls`).toBeLessThanOrEqual(limits.maxTokenCalls);
      if (limits.minTokenCalls !== undefined) {
        expect
          .soft(calls, `${label}: token calls (the phase must really rotate)`)
          .toBeGreaterThanOrEqual(limits.minTokenCalls);
      }
    },
    async settle(label, targets, timeoutMs, not) {
      try {
        return await converged(targets, timeoutMs, not);
      } catch (error) {
        const prints = await fingerprints(targets).catch(() => []);
        const why = error instanceof Error ? error.message : String(error);
        const message = `${label}: the gateways did not converge on one new token within ${timeoutMs} ms (they hold ${JSON.stringify(prints)}; ${why})`;
        scenario.note(`[fleet] ${name} — ${message}`);
        expect.soft(false, message).toBe(true);
        return undefined;
      }
    },
    async tempDir() {
      const dir = await mkdtemp(join(tmpdir(), 'wgg-fleet-'));
      dirs.push(dir);
      return dir;
    },
    note(line) {
      notes.push(line);
      console.log(line);
    },
  };
  return scenario;
}
