/**
 * Several gateway instances in separate processes share one Redis and hammer the emulator
 * through token rotations: the whole fleet together makes exactly one token call per rotation.
 *
 * The emulator runs here on a manual clock, and every worker on a manual clock that the test
 * moves with it (IPC messages arrive in order, so a move always lands before the next burst).
 * Rotations: the refresh-ahead window, tokens expired or force-rotated by the emulator, and a
 * legacy token taken by "another environment" with the clocks moved past the 300 s grace.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import type { TokenMode } from '../../src/wechat/types.js';
import { OFFICIAL, firstFollower } from '../support/apps.js';
import { MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import type { WorkerConfig, WorkerReply } from './fixtures/cluster-worker.js';
import { REDIS_URL, useRedisNamespaces } from './redis.js';

const WORKERS = 3;
const WORKER_PATH = fileURLToPath(new URL('./fixtures/cluster-worker.ts', import.meta.url));

interface Worker {
  readonly child: ChildProcess;
  setClock(now: number): void;
  burst(
    mode: TokenMode,
    count: number,
    concurrency: number,
  ): Promise<{ ok: number; failures: string[] }>;
  close(): Promise<void>;
}

function isReply(value: unknown): value is WorkerReply {
  return typeof value === 'object' && value !== null && 'type' in value;
}

async function startWorker(config: WorkerConfig): Promise<Worker> {
  const child = fork(WORKER_PATH, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WGG_WORKER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (reply: { ok: number; failures: string[] }) => void>();
  let nextId = 0;
  let fatal: ((error: Error) => void) | undefined;

  await new Promise<void>((resolve, reject) => {
    fatal = reject;
    child.once('exit', (code) =>
      reject(new Error(`worker exited with ${code} before it was ready`)),
    );
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      if (message.type === 'ready') resolve();
      if (message.type === 'fatal') fatal?.(new Error(`worker failed: ${message.message}`));
      if (message.type === 'burst-done') pending.get(message.id)?.(message);
    });
  });

  return {
    child,
    setClock(now) {
      child.send({ type: 'clock', now });
    },
    burst(mode, count, concurrency) {
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        fatal = reject;
        pending.set(id, resolve);
        child.send({ type: 'burst', id, mode, count, concurrency });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      });
    },
  };
}

let clock: ManualClock;
let emulator: Emulator;
let workers: Worker[] = [];
const redis = useRedisNamespaces();
const namespace = redis.create('cluster');

/**
 * Started once for the file but awaited by each test, so that a missing Redis (or a worker that
 * cannot start) fails every test instead of leaving them skipped, as a failing beforeAll would.
 */
let fleet: Promise<void>;

beforeAll(() => {
  fleet = startFleet();
  // Each test reports the failure; this keeps it from also surfacing as an unhandled rejection.
  fleet.catch(() => undefined);
});

async function startFleet(): Promise<void> {
  clock = createManualClock();
  emulator = await createEmulator({ clock });
  const openid = firstFollower(emulator);
  workers = await Promise.all(
    Array.from({ length: WORKERS }, (_, i) =>
      startWorker({
        redisUrl: REDIS_URL,
        namespace,
        baseUrl: emulator.url,
        appId: OFFICIAL.appId,
        appSecret: OFFICIAL.appSecret,
        openid,
        instanceId: `worker-${i}`,
        clockMs: clock.now(),
      }),
    ),
  );
}

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await emulator?.close();
});

/** Moves the emulator's clock and every worker's to `now`. */
function setClock(now: number): void {
  clock.set(now);
  for (const worker of workers) worker.setClock(now);
}

/** Every worker hammers at once; all calls must succeed. */
async function hammer(mode: TokenMode): Promise<void> {
  const results = await Promise.all(workers.map((worker) => worker.burst(mode, 60, 12)));
  for (const result of results) {
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(60);
  }
}

describe(`${WORKERS} processes sharing Redis`, () => {
  it('stable mode: one stable_token call for the cold start and for each rotation', async () => {
    await fleet;
    const rotations: [string, () => unknown][] = [
      ['cold start', () => undefined],
      ['tokens expired (42001)', () => emulator.expireTokens(OFFICIAL.appId)],
      // Rotations caused by rejections follow each other at once: the refresh budget's burst.
      ['force-rotated elsewhere (40001)', () => emulator.forceRotateStable(OFFICIAL.appId)],
      ['tokens expired again', () => emulator.expireTokens(OFFICIAL.appId)],
      // The last token was fetched at the current time; stable mode's window (with every
      // worker's jitter) opens 225-285 s before expiry, inside WeChat's 300 s rotation.
      ['refresh-ahead window', () => setClock(clock.now() + 7200 * SECOND - 200 * SECOND)],
    ];
    for (const [name, rotate] of rotations) {
      await rotate();
      emulator.resetCalls();
      await hammer('stable');
      expect({ rotation: name, calls: emulator.calls(STABLE_TOKEN_API) }).toEqual({
        rotation: name,
        calls: 1,
      });
      expect(emulator.calls(USER_INFO_API)).toBeGreaterThanOrEqual(WORKERS * 60);
    }
    expect(emulator.calls(LEGACY_TOKEN_API)).toBe(0);
  }, 60_000);

  it('legacy mode: another environment takes a token; after 300 s one /cgi-bin/token call for the fleet', async () => {
    await fleet;
    const rotations: [string, () => unknown][] = [
      ['cold start', () => undefined],
      [
        'taken by another environment',
        () => {
          emulator.takeLegacyToken(OFFICIAL.appId);
          setClock(clock.now() + 301 * SECOND);
        },
      ],
      [
        'taken again',
        () => {
          emulator.takeLegacyToken(OFFICIAL.appId);
          setClock(clock.now() + 301 * SECOND);
        },
      ],
      // Right after: the third refresh for a rejection within the budget's burst.
      ['tokens expired (42001)', () => emulator.expireTokens(OFFICIAL.appId)],
      // Fetched now; the legacy window opens 9-10 min before expiry (per-worker jitter).
      ['refresh-ahead window', () => setClock(clock.now() + 7200 * SECOND - 5 * MINUTE)],
    ];
    for (const [name, rotate] of rotations) {
      await rotate();
      emulator.resetCalls();
      await hammer('legacy');
      expect({ rotation: name, calls: emulator.calls(LEGACY_TOKEN_API) }).toEqual({
        rotation: name,
        calls: 1,
      });
    }
    expect(emulator.calls(STABLE_TOKEN_API)).toBe(0);
  }, 60_000);
});
