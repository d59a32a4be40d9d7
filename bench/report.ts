/** The markdown of a run (bench/out/latest.md; a copy is quoted in bench/results/latest.md). */
import { availableParallelism, cpus, release, type } from 'node:os';
import type { Goal } from './goals.js';
import type { Sample } from './measure.js';
import type { GraphiqlTransfer } from './graphiql.js';
import type { Startup, StartupRun } from './startup.js';
import { median, type Cell } from './summary.js';

export interface RunSettings {
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  connections: number[];
  loadAverage: number[];
}

export interface RowInfo {
  id: string;
  title: string;
  settings: Record<string, string>;
}

export interface Report {
  date: string;
  settings: RunSettings;
  rows: RowInfo[];
  cells: Cell[];
  goals: Goal[];
  graphiql: GraphiqlTransfer;
  startup: Startup;
  /** Every window, for the JSON (the markdown shows the summaries). */
  samples: Sample[];
}

const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const kb = (bytes: number): string =>
  `${(bytes / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} kB`;

function cellLine(cell: Cell, title: string): string {
  const cpu = cell.cpuMsPerRequest;
  const store = cell.storePerRequest === undefined ? '–' : fixed(cell.storePerRequest, 4);
  const redis = cpu.redis === undefined ? '' : ` (+ redis ${fixed(cpu.redis, 3)})`;
  return (
    `| (${cell.row}) ${title} | ${cell.connections} | ${count(cell.rps)} | ${fixed(cell.p50)} | ` +
    `${fixed(cell.p99)} | ${fixed(cpu.server, 3)} | ${fixed(cpu.emulator, 3)}${redis} | ` +
    `${fixed(cell.upstreamPerRequest, 4)} | ${store} | ${fixed(cell.peakRssMb, 0)} |`
  );
}

function mainTable(report: Report): string[] {
  const order = report.rows.map((row) => row.id);
  const cells = [...report.cells].sort(
    (x, y) => order.indexOf(x.row) - order.indexOf(y.row) || x.connections - y.connections,
  );
  const title = (id: string) => report.rows.find((row) => row.id === id)?.title ?? id;
  return [
    '| row | conns | req/s | p50 ms | p99 ms | server CPU ms/req | emulator CPU ms/req | upstream calls/req | store cmds/req | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...cells.map((cell) => cellLine(cell, title(cell.row))),
  ];
}

function startupLine(build: string, runs: readonly StartupRun[]): string {
  const mine = runs.filter((run) => run.build === build);
  const loaded = mine.find((run) => run.rssAfterLoadMb !== undefined);
  const ready = mine.map((run) => count(run.readyMs)).join(', ');
  return (
    `| \`${build}\` | ${count(median(mine.map((run) => run.readyMs)))} (${ready}) | ` +
    `${fixed(median(mine.map((run) => run.rssAfterStartMb)), 0)} (${mine[0]?.processes ?? 0} process${mine[0]?.processes === 1 ? '' : 'es'}) | ` +
    `${loaded?.rssAfterLoadMb === undefined ? '–' : fixed(loaded.rssAfterLoadMb, 0)} | ` +
    `${loaded?.peakRssMb === undefined ? '–' : fixed(loaded.peakRssMb, 0)} | ` +
    `${loaded?.loadRps === undefined ? '–' : count(loaded.loadRps)} |`
  );
}

export function formatReport(report: Report): string {
  const { settings, graphiql, startup } = report;
  const [cpu] = cpus();
  const metCount = report.goals.filter((goal) => goal.met).length;
  return [
    '# Benchmark: the gateway against the simplest forwarder a team would write',
    '',
    `- Date: ${report.date}`,
    `- Machine: ${cpu?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores; ${type()} ${release()}; Node ${process.version}; load average at start ${settings.loadAverage.map((n) => fixed(n)).join(' / ')}`,
    `- Load: autocannon, pipelining 1, POST JSON over loopback, ${settings.connections.join(' and ')} connections; ` +
      `${settings.rounds} rounds of ${settings.seconds} s per row and connection count, interleaved ` +
      `(every row at ${settings.connections.join(', then every row at ')}, round after round), after ${settings.warmupSeconds} s of warm-up per row.`,
    '- Each server, the emulator (`npm run emulator`), redis-server and the load generator run in their own processes. ' +
      "CPU per request is each process' user + system time from `/proc/<pid>/stat` over the load window only, divided by the responses; " +
      "req/s, latencies and CPU are medians over the rounds. Upstream calls (the emulator's counters) and store commands " +
      "(redis `INFO commandstats`) are totals over the rounds per request sent. Peak RSS: the server process' `VmHWM`.",
    "- Every response was compared byte for byte with an answer checked once per request against the emulator's own records; " +
      'any error, timeout, non-2xx, GraphQL error or other body fails the run.',
    '',
    '| row | what | gateway settings |',
    '| --- | --- | --- |',
    ...report.rows.map(
      (row) =>
        `| (${row.id}) | ${row.title} | ${
          Object.entries(row.settings)
            .map(
              ([k, v]) =>
                `\`${k}=${k === 'TOKEN_STORE' && v.startsWith('redis') ? 'redis://…' : v}\``,
            )
            .join(' ') || '–'
        } |`,
    ),
    '',
    ...mainTable(report),
    '',
    `## Goals: ${metCount} of ${report.goals.length} met`,
    '',
    '| goal | measured | |',
    '| --- | --- | --- |',
    ...report.goals.map(
      (goal) => `| ${goal.goal} | ${goal.measured} | ${goal.met ? 'met' : '**not met**'} |`,
    ),
    '',
    ...report.cells
      .filter((cell) => cell.storeCommands)
      .flatMap((cell) => [
        `Redis commands in the (${cell.row}) windows at ${cell.connections} connections: ${
          Object.entries(cell.storeCommands ?? {})
            .map(([name, n]) => `\`${name}\` ${count(n)}`)
            .join(', ') || 'none'
        } (for ${count(cell.sent)} requests).`,
        '',
      ]),
    '## GraphiQL page',
    '',
    `\`GET ${new URL(graphiql.page).pathname}\` with \`Accept: text/html\` and \`Accept-Encoding: gzip, br\`, then every same-origin script, style, preload, import and CSS \`url()\` it leads to; bytes as received (headers and compressed bodies). Second visit as a browser makes it: fresh by \`Cache-Control\` → not asked; with a validator → revalidated; else fetched again.`,
    '',
    '| resource | type | encoding | cache-control | validator | first visit | second visit |',
    '| --- | --- | --- | --- | --- | ---: | --- |',
    ...graphiql.resources.map(
      (r) =>
        `| \`${r.url}\`${r.status === 200 ? '' : ` (${r.status})`} | ${r.contentType} | ${r.contentEncoding} | ${r.cacheControl} | ${r.validator} | ${kb(r.bytes)} | ${r.revisit}, ${kb(r.revisitBytes)} |`,
    ),
    `| **total** | | | | | **${kb(graphiql.firstLoadBytes)}** | **${kb(graphiql.secondLoadBytes)}** |`,
    ...(graphiql.external.length > 0
      ? [
          '',
          `Not measured (another origin): ${graphiql.external.map((u) => `\`${u}\``).join(', ')}`,
        ]
      : []),
    '',
    '## Start time and memory: `npm start` (tsx) vs the production build',
    '',
    `\`npm run build\` took ${fixed(startup.buildMs / 1000, 1)} s. Each start is spawned through npm with row (c)'s configuration; ` +
      "ready = first 200 from `/readyz` after spawn (npm's own start-up included, the same for both). RSS: the gateway process and its children, " +
      `1 s after ready and after ${startup.loadSeconds} s of row (c)'s load at ${startup.loadConnections} connections (last start of each).`,
    '',
    '| command | spawn → /readyz 200, ms: median (each start) | RSS after start MB | RSS after load MB | peak RSS MB | req/s during that load |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    startupLine('npm start', startup.runs),
    startupLine('npm run start:prod', startup.runs),
    '',
    'Run it with `npm run bench` (`BENCH_SECONDS` per window, `BENCH_ROUNDS`, `BENCH_WARMUP_SECONDS`, ' +
      '`BENCH_STARTUP_RUNS`; `USER_BATCH_WINDOW_MS` is passed on to every gateway; `BENCH_CPU_PROF=<dir>` ' +
      'writes a CPU profile of each bench server). Absolute numbers move with the machine; compare ratios measured in the same run.',
    '',
  ].join('\n');
}
