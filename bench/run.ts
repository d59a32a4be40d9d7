/**
 * `npm run bench`: every row of issue 13 side by side in one run (README, "Performance"), the
 * GraphiQL page's transfer size and issue 12's start time and memory of `npm start` against the
 * production build. Writes bench/out/latest.md and latest.json (untracked); `-- --save` also
 * writes the committed copy in bench/results/. Any failed check exits non-zero with the reason.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { startEmulator } from './emulator.js';
import { cleanEnv, gatewayEnv } from './gateway.js';
import { evaluateGoals, GOAL_CONNECTIONS } from './goals.js';
import { measureGraphiql } from './graphiql.js';
import { runLoad } from './load.js';
import { measure, settle, type Sample } from './measure.js';
import { stopAll } from './processes.js';
import { startRedis } from './redis.js';
import { formatReport, type Report } from './report.js';
import { startRows } from './rows.js';
import { measureStartup } from './startup.js';
import { summarizeAll } from './summary.js';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  }
  return value;
}

const { values: flags } = parseArgs({ options: { save: { type: 'boolean', default: false } } });
const settings = {
  seconds: setting('BENCH_SECONDS', 3),
  rounds: setting('BENCH_ROUNDS', 3),
  warmupSeconds: setting('BENCH_WARMUP_SECONDS', 2),
  connections: [10, GOAL_CONNECTIONS],
  loadAverage: loadavg(),
};
const startupRuns = setting('BENCH_STARTUP_RUNS', 3);

async function write(dir: URL, report: Report, markdown: string): Promise<string> {
  const options = await resolveConfig(
    fileURLToPath(new URL('./results/latest.md', import.meta.url)),
  );
  await mkdir(dir, { recursive: true });
  const md = fileURLToPath(new URL('latest.md', dir));
  const json = fileURLToPath(new URL('latest.json', dir));
  await writeFile(md, await format(markdown, { ...options, filepath: md }));
  await writeFile(json, await format(JSON.stringify(report), { ...options, filepath: json }));
  return md;
}

async function main(): Promise<void> {
  const began = performance.now();
  const log = (message: string) =>
    console.error(
      `bench ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s: ${message}`,
    );
  const emulator = await startEmulator(cleanEnv());
  const redis = await startRedis();
  const rows = await startRows(emulator, redis);
  log(`${rows.length} servers ready and probed; warming up`);
  for (const row of rows) {
    await runLoad(row.target, settings.warmupSeconds, GOAL_CONNECTIONS);
    await settle();
  }

  const samples: Sample[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const connections of settings.connections) {
      const line: string[] = [];
      for (const row of rows) {
        const sample = await measure(row, emulator, {
          seconds: settings.seconds,
          connections,
          round,
        });
        samples.push(sample);
        line.push(`(${row.id}) ${Math.round(sample.rps)}`);
      }
      log(`round ${round}, ${connections} connections, req/s: ${line.join(', ')}`);
    }
  }
  const rowC = rows.find((row) => row.id === 'c');
  if (!rowC) throw new Error('row (c) is missing');
  const graphiql = await measureGraphiql(rowC.process.url);
  log(`GraphiQL: ${graphiql.firstLoadBytes} bytes, then ${graphiql.secondLoadBytes}`);
  await Promise.all(rows.map((row) => row.process.stop()));

  log('start time and memory: npm run build, then npm start / npm run start:prod');
  const startup = await measureStartup({
    env: gatewayEnv(emulator.url, rowC.settings),
    target: rowC.target,
    runs: startupRuns,
    loadSeconds: settings.seconds,
    loadConnections: 10,
  });

  const cells = summarizeAll(samples);
  const report: Report = {
    date: new Date().toISOString(),
    settings,
    rows: rows.map(({ id, title, settings: rowSettings }) => ({
      id,
      title,
      settings: rowSettings,
    })),
    cells,
    goals: evaluateGoals(cells, graphiql),
    graphiql,
    startup,
    samples,
  };
  const markdown = formatReport(report);
  const written = await write(new URL('./out/', import.meta.url), report, markdown);
  if (flags.save) await write(new URL('./results/', import.meta.url), report, markdown);
  console.log(markdown);
  log(`written to ${written}${flags.save ? ' and bench/results/' : ''}`);
}

try {
  await main();
} catch (error) {
  console.error(`bench FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
