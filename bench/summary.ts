/**
 * From samples to one line per row and connection count: medians over the rounds for rates,
 * latencies and CPU (robust on a noisy machine), exact totals over the rounds for upstream calls
 * and store commands (per request sent).
 */
import type { Sample } from './measure.js';
import type { RowId } from './rows.js';

export interface Cell {
  row: RowId;
  connections: number;
  rounds: number;
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: { server: number; emulator: number; redis?: number; loadGenerator: number };
  /** Total over the rounds. */
  requests: number;
  sent: number;
  upstreamCalls: Record<string, number>;
  upstreamPerRequest: number;
  storeCommands?: Record<string, number>;
  storePerRequest?: number;
  peakRssMb: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

export const total = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);

function addCounts(samples: readonly Sample[], pick: (s: Sample) => Record<string, number>) {
  const counts: Record<string, number> = {};
  for (const sample of samples) {
    for (const [name, n] of Object.entries(pick(sample))) counts[name] = (counts[name] ?? 0) + n;
  }
  return counts;
}

function summarize(samples: readonly Sample[]): Cell {
  const [first] = samples;
  if (!first) throw new Error('no samples');
  const med = (pick: (s: Sample) => number) => median(samples.map(pick));
  const sent = samples.reduce((n, s) => n + s.sent, 0);
  const upstreamCalls = addCounts(samples, (s) => s.upstreamCalls);
  const cell: Cell = {
    row: first.row,
    connections: first.connections,
    rounds: samples.length,
    rps: med((s) => s.rps),
    p50: med((s) => s.p50),
    p99: med((s) => s.p99),
    cpuMsPerRequest: {
      server: med((s) => s.cpuMsPerRequest.server),
      emulator: med((s) => s.cpuMsPerRequest.emulator),
      loadGenerator: med((s) => s.cpuMsPerRequest.loadGenerator),
    },
    requests: samples.reduce((n, s) => n + s.requests, 0),
    sent,
    upstreamCalls,
    upstreamPerRequest: total(upstreamCalls) / sent,
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
  if (first.cpuMsPerRequest.redis !== undefined) {
    cell.cpuMsPerRequest.redis = med((s) => s.cpuMsPerRequest.redis ?? 0);
  }
  if (first.storeCommands) {
    cell.storeCommands = addCounts(samples, (s) => s.storeCommands ?? {});
    cell.storePerRequest = total(cell.storeCommands) / sent;
  }
  return cell;
}

/** One cell per row and connection count, in the order the samples first appear. */
export function summarizeAll(samples: readonly Sample[]): Cell[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const key = `${sample.row}@${sample.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), sample]);
  }
  return [...groups.values()].map(summarize);
}
