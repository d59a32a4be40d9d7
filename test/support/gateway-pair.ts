/**
 * Two gateway processes (./gateway-process.ts) on the shared Redis, in a namespace of their own,
 * against one in-process emulator on a manual clock: the fleet of the tests that follow a session
 * or a push from one instance to the other. Started once per file, awaited by each test, so a
 * missing Redis fails the tests instead of skipping them; closed after the file.
 */
import { afterAll, beforeAll } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createManualClock, type ManualClock } from '../../src/shared/clock.js';
import { REDIS_URL, useRedisNamespaces } from '../tokens/redis.js';
import { appConfig, MINI, OFFICIAL } from './apps.js';
import {
  startGatewayProcess,
  type GatewayProcess,
  type GatewayProcessConfig,
} from './gateway-process.js';

export interface GatewayPair {
  readonly a: GatewayProcess;
  readonly b: GatewayProcess;
  readonly emulator: Emulator;
  readonly clock: ManualClock;
  /** The Redis key prefix both processes use. */
  readonly namespace: string;
  /** Moves the emulator's clock and both processes' by `ms`; resolves once they have. */
  advance(ms: number): Promise<void>;
}

/** The settings that differ per file: keys, secrets, callbacks. */
export type GatewayPairSettings = Pick<GatewayProcessConfig, 'sessionSecret' | 'serviceKey'> &
  Partial<Pick<GatewayProcessConfig, 'callbacks'>>;

/** Both sandbox apps; returns what each test awaits. */
export function useGatewayPair(
  label: string,
  settings: GatewayPairSettings,
): () => Promise<GatewayPair> {
  const namespace = useRedisNamespaces().create(label);
  let emulator: Emulator | undefined;
  let fleet: GatewayProcess[] = [];
  let started: Promise<GatewayPair>;

  beforeAll(() => {
    started = (async () => {
      const ownClock = createManualClock();
      const ownEmulator = await createEmulator({ clock: ownClock });
      emulator = ownEmulator;
      const config: GatewayProcessConfig = {
        clockMs: ownClock.now(),
        redisUrl: REDIS_URL,
        namespace,
        emulatorUrl: ownEmulator.url,
        apps: [appConfig(OFFICIAL), appConfig(MINI)],
        ...settings,
      };
      fleet = await Promise.all([startGatewayProcess(config), startGatewayProcess(config)]);
      const [a, b] = fleet;
      if (!a || !b) throw new Error('the fleet did not start');
      return {
        a,
        b,
        emulator: ownEmulator,
        clock: ownClock,
        namespace,
        async advance(ms) {
          ownClock.advance(ms);
          await Promise.all([a, b].map((gateway) => gateway.setClock(ownClock.now())));
        },
      };
    })();
    started.catch(() => undefined);
  });

  afterAll(async () => {
    await Promise.all(fleet.map((gateway) => gateway.close()));
    await emulator?.close();
  });

  return () => started;
}
