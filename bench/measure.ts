/**
 * One cell of the bench: one row at one connection count for one load window, with what each
 * process spent in that window (CPU from /proc), the upstream calls and store commands it caused
 * and the server's peak memory so far.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEmulator } from './emulator.js';
import { runLoad, type Load } from './load.js';
import { cpuMs, peakRssMb } from './proc-stats.js';
import { commandDelta } from './redis.js';
import type { Row, RowId } from './rows.js';

/** After a window: requests cut off in flight finish and batched look-ups are flushed. */
export const settle = (): Promise<void> => sleep(300);

export interface Sample extends Load {
  row: RowId;
  connections: number;
  round: number;
  /** CPU milliseconds per response in the window, by process. */
  cpuMsPerRequest: { server: number; emulator: number; redis?: number; loadGenerator: number };
  /** Emulator requests by path caused by the window's requests (`sent`, not only answered). */
  upstreamCalls: Record<string, number>;
  /** Redis commands by name during the window (Redis rows only). */
  storeCommands?: Record<string, number>;
  /** The server process' peak resident memory since it started, in MB. */
  peakRssMb: number;
}

export async function measure(
  row: Row,
  emulator: BenchEmulator,
  options: { seconds: number; connections: number; round: number },
): Promise<Sample> {
  const callsBefore = await emulator.calls();
  const commandsBefore = await row.redis?.commands();
  const pids = {
    server: row.process.pid,
    emulator: emulator.process.pid,
    redis: row.redis?.process.pid,
  };
  const cpuBefore = {
    server: cpuMs(pids.server),
    emulator: cpuMs(pids.emulator),
    redis: pids.redis === undefined ? 0 : cpuMs(pids.redis),
    own: process.cpuUsage(),
  };
  const load = await runLoad(row.target, options.seconds, options.connections);
  const own = process.cpuUsage(cpuBefore.own);
  const perRequest = (ms: number) => ms / load.requests;
  const cpuMsPerRequest: Sample['cpuMsPerRequest'] = {
    server: perRequest(cpuMs(pids.server) - cpuBefore.server),
    emulator: perRequest(cpuMs(pids.emulator) - cpuBefore.emulator),
    loadGenerator: perRequest((own.user + own.system) / 1000),
  };
  if (pids.redis !== undefined) {
    cpuMsPerRequest.redis = perRequest(cpuMs(pids.redis) - cpuBefore.redis);
  }
  await settle();
  const upstreamCalls = commandDelta(callsBefore, await emulator.calls());
  const commandsAfter = await row.redis?.commands();
  return {
    row: row.id,
    connections: options.connections,
    round: options.round,
    ...load,
    cpuMsPerRequest,
    upstreamCalls,
    ...(commandsBefore && commandsAfter
      ? { storeCommands: commandDelta(commandsBefore, commandsAfter) }
      : {}),
    peakRssMb: peakRssMb(row.process.pid),
  };
}
