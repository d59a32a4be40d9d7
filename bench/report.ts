/** Turns the measured rounds into the markdown of bench/results/latest.md. */
import { availableParallelism, cpus, release, type } from 'node:os';
import type { Load } from './load.js';

export interface Round extends Load {
  /** CPU milliseconds per request, by process (server, emulator, load generator). */
  cpuMs: Record<string, number>;
}

export interface BenchSettings {
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: number;
}

export interface BenchResults {
  settings: BenchSettings;
  hello: Round[];
  gateway: Round[];
  /** Emulator call counts over the whole run (warm-up included), by path. */
  upstreamCalls: Record<string, number>;
  /** Every request the gateway answered (warm-up and probe included). */
  gatewayRequests: number;
  goal: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const count = (value: number): string => Math.round(value).toLocaleString('en-US');

function cpuCell(rounds: readonly Round[]): string {
  const names = Object.keys(rounds[0]?.cpuMs ?? {});
  return names
    .map((name) => `${name} ${fixed(median(rounds.map((r) => r.cpuMs[name] ?? 0)), 3)}`)
    .join(', ');
}

function summaryRow(label: string, rounds: readonly Round[]): string {
  const rps = median(rounds.map((r) => r.rps));
  const p50 = median(rounds.map((r) => r.p50));
  const p99 = median(rounds.map((r) => r.p99));
  return `| ${label} | ${count(rps)} | ${fixed(p50)} | ${fixed(p99)} | ${cpuCell(rounds)} |`;
}

export function formatReport(results: BenchResults, date: Date): string {
  const { settings, hello, gateway, upstreamCalls, gatewayRequests } = results;
  const ratio = median(gateway.map((r) => r.rps)) / median(hello.map((r) => r.rps));
  const cpuRatio =
    median(gateway.map((r) => r.cpuMs['gateway'] ?? 0)) /
    median(hello.map((r) => r.cpuMs['yoga hello'] ?? 0));
  const [cpu] = cpus();
  const lines = [
    '# Benchmark: gateway `userInfo` vs a bare graphql-yoga hello world',
    '',
    `- Date: ${date.toISOString()}`,
    `- Machine: ${cpu?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores available; ${type()} ${release()}; Node ${process.version}`,
    `- Load: autocannon, ${settings.connections} connections, pipelining 1, POST JSON over loopback; ` +
      `${settings.rounds} rounds of ${settings.seconds} s per server, interleaved (a, b, a, b, …), ` +
      `after ${settings.warmupSeconds} s of warm-up each`,
    '- Each server, the emulator and the load generator run in separate processes. Every response ' +
      'was checked byte for byte against the expected body; any error, timeout, non-2xx or wrong ' +
      'body fails the run.',
    '',
    '| server | req/s (median) | p50 ms | p99 ms | CPU ms per request (median) |',
    '| --- | ---: | ---: | ---: | --- |',
    summaryRow('(a) yoga hello `{ hello }`', hello),
    summaryRow('(b) gateway `userInfo(openid) { openid subscribed }`', gateway),
    '',
    `**Throughput ratio b/a: ${fixed(ratio)}** (goal ≥ ${results.goal}: ${ratio >= results.goal ? 'met' : 'NOT met'}). ` +
      `CPU per request, gateway / bare yoga: ${fixed(cpuRatio)}.`,
    '',
    `Upstream calls the gateway made during the whole run, for ${count(gatewayRequests)} requests ` +
      '(warm-up included); the access token should be fetched once (`stable_token`: 1):',
    '',
    '| emulator path | calls | per gateway request |',
    '| --- | ---: | ---: |',
    ...Object.entries(upstreamCalls).map(
      ([path, calls]) => `| \`${path}\` | ${count(calls)} | ${fixed(calls / gatewayRequests, 4)} |`,
    ),
    '',
    '## Rounds',
    '',
    '| round | (a) req/s | (b) req/s | b/a | (a) p50 / p99 ms | (b) p50 / p99 ms |',
    '| ---: | ---: | ---: | ---: | --- | --- |',
    ...hello.map((a, i) => {
      const b = gateway[i];
      if (!b) return '';
      return `| ${i + 1} | ${count(a.rps)} | ${count(b.rps)} | ${fixed(b.rps / a.rps)} | ${fixed(a.p50)} / ${fixed(a.p99)} | ${fixed(b.p50)} / ${fixed(b.p99)} |`;
    }),
    '',
    'Run it with `npm run bench` (`BENCH_SECONDS` per round, `BENCH_ROUNDS`, `BENCH_CONNECTIONS`; ' +
      '`BENCH_CPU_PROF=<dir>` writes a CPU profile of each server). Absolute numbers move with the ' +
      'machine; compare ratios measured in the same run.',
    '',
  ];
  return lines.join('\n');
}
