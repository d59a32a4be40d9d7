/**
 * Two gateway processes on one file store (a process manager running two workers on the default
 * `.data/tokens`) through legacy-mode rotations: together they make one token call per rotation,
 * as one process would. Before the file store took a cross-process lock and re-read the file,
 * each kept its own copy and they superseded each other's legacy token every 5 minutes.
 *
 * The emulator runs here on a manual clock; each worker's provider and store run on a manual
 * clock that the test moves with it (IPC messages arrive in order: a move lands before the next
 * burst).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { OFFICIAL, firstFollower } from '../support/apps.js';
import { MINUTE, SECOND } from '../support/time.js';
import { LEGACY_TOKEN_API, STABLE_TOKEN_API, USER_INFO_API } from '../support/wechat-api.js';
import { startChild, type ChildRpc } from './child-rpc.js';
import type { FileGatewayConfig } from './fixtures/file-gateway-worker.js';

const WORKERS = 2;
const REQUESTS = 60;

let dir: string;
let clock: ManualClock;
let emulator: Emulator;
let workers: ChildRpc[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wgg-file-rotation-'));
  clock = createManualClock();
  emulator = await createEmulator({ clock });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

async function setClock(now: number): Promise<void> {
  clock.set(now);
  await Promise.all(workers.map((worker) => worker.call('clock', { now })));
}

describe(`${WORKERS} processes, a token provider each, on one file store`, () => {
  it('legacy mode: one /cgi-bin/token call per rotation for both processes together', async () => {
    const path = join(dir, 'tokens');
    workers = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        startChild('file-gateway-worker.ts', {
          path,
          namespace: 'wgg',
          baseUrl: emulator.url,
          appId: OFFICIAL.appId,
          appSecret: OFFICIAL.appSecret,
          mode: 'legacy',
          openid: firstFollower(emulator),
          instanceId: `worker-${i}`,
          clockMs: clock.now(),
        } satisfies FileGatewayConfig),
      ),
    );
    const rotations: [string, () => Promise<void>][] = [
      ['cold start', async () => undefined],
      [
        'taken by another environment, 301 s later',
        async () => {
          emulator.takeLegacyToken(OFFICIAL.appId);
          await setClock(clock.now() + 301 * SECOND);
        },
      ],
      // Fetched now; the legacy window opens 9-10 min before expiry (per-worker jitter).
      ['refresh-ahead window', () => setClock(clock.now() + 7200 * SECOND - 5 * MINUTE)],
      ['tokens expired (42001)', async () => emulator.expireTokens(OFFICIAL.appId)],
    ];
    const counts: string[] = [];
    for (const [name, rotate] of rotations) {
      await rotate();
      emulator.resetCalls();
      const results = await Promise.all(
        workers.map((worker) =>
          worker.call<{ ok: number; failures: string[] }>('burst', {
            count: REQUESTS,
            concurrency: 12,
          }),
        ),
      );
      for (const result of results) expect(result).toEqual({ ok: REQUESTS, failures: [] });
      expect(emulator.calls(USER_INFO_API)).toBeGreaterThanOrEqual(WORKERS * REQUESTS);
      counts.push(`${name}: ${emulator.calls(LEGACY_TOKEN_API)}`);
      expect({ rotation: name, calls: emulator.calls(LEGACY_TOKEN_API) }).toEqual({
        rotation: name,
        calls: 1,
      });
      expect(emulator.calls(STABLE_TOKEN_API)).toBe(0);
    }
    console.log(
      `file store, ${WORKERS} processes, legacy mode, ${WORKERS * REQUESTS} requests per ` +
        `rotation, 0 failed; token calls per rotation: ${counts.join('; ')}`,
    );
  }, 60_000);
});
