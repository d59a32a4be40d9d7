/**
 * `npm run bench`: throughput and latency of the gateway answering `userInfo` next to a bare
 * graphql-yoga hello world, measured side by side in one run on loopback (design.md §4).
 * Servers and the WeChat emulator run in child processes; this process only generates load.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { BENCH_SERVICE_KEY, startChild, cpuMicros, type ChildServer } from './ipc.js';
import { runLoad, type Target } from './load.js';
import { formatReport, type Round } from './report.js';

const GOAL = 0.8;

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  }
  return value;
}

const seconds = setting('BENCH_SECONDS', 8);
const settings = {
  seconds,
  rounds: setting('BENCH_ROUNDS', 5),
  connections: setting('BENCH_CONNECTIONS', 10),
  // JIT and the gateway's first token fetch happen here, outside the measured rounds.
  warmupSeconds: Math.min(3, seconds),
};

/** Sends the request once, checks the answer is `expected` and returns the exact body text. */
async function probe(
  url: string,
  body: string,
  expected: unknown,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  if (response.status !== 200 || JSON.stringify(JSON.parse(text)) !== JSON.stringify(expected)) {
    throw new Error(
      `${url} answered ${response.status} ${text}, expected ${JSON.stringify(expected)}`,
    );
  }
  return text;
}

interface Measured {
  target: Target;
  /** The processes whose CPU time counts for this server, by the name shown in the report. */
  processes: Record<string, ChildServer>;
  /** Requests sent so far, warm-up and probe included. */
  sent: number;
}

async function measure(measured: Measured, seconds: number): Promise<Round> {
  const { target, processes } = measured;
  const entries = Object.entries(processes);
  const before = await Promise.all(entries.map(([, child]) => child.stats()));
  const loadBefore = cpuMicros();
  const load = await runLoad(target, seconds, settings.connections);
  const loadCpu = cpuMicros() - loadBefore;
  measured.sent += load.requests;
  const after = await Promise.all(entries.map(([, child]) => child.stats()));
  const perRequestMs = (micros: number) => micros / 1000 / load.requests;
  const cpuMs: Record<string, number> = {};
  entries.forEach(([name], i) => {
    cpuMs[name] = perRequestMs((after[i]?.['cpuMicros'] ?? 0) - (before[i]?.['cpuMicros'] ?? 0));
  });
  cpuMs['load generator'] = perRequestMs(loadCpu);
  return { ...load, cpuMs };
}

const children: ChildServer[] = [];
async function start(script: string, env?: Record<string, string>): Promise<ChildServer> {
  const child = await startChild(script, env);
  children.push(child);
  return child;
}

try {
  const emulator = await start('./servers/emulator.ts');
  const { url: emulatorUrl, appId, appSecret, follower } = emulator.info;
  if (!emulatorUrl || !appId || !appSecret || !follower) throw new Error('emulator info missing');
  const hello = await start('./servers/hello.ts');
  const gateway = await start('./servers/gateway.ts', {
    BENCH_EMULATOR_URL: emulatorUrl,
    BENCH_APP_ID: appId,
    BENCH_APP_SECRET: appSecret,
  });
  if (!hello.info['url'] || !gateway.info['url']) throw new Error('server URL missing');

  const helloBody = JSON.stringify({ query: '{ hello }' });
  const gatewayBody = JSON.stringify({
    query: `query { userInfo(openid: ${JSON.stringify(follower)}) { openid subscribed } }`,
  });
  const a: Measured = {
    target: {
      url: hello.info['url'],
      body: helloBody,
      expectBody: await probe(hello.info['url'], helloBody, { data: { hello: 'world' } }),
    },
    processes: { 'yoga hello': hello },
    sent: 1,
  };
  const gatewayHeaders = { authorization: `Bearer ${BENCH_SERVICE_KEY}` };
  const b: Measured = {
    target: {
      url: gateway.info['url'],
      body: gatewayBody,
      headers: gatewayHeaders,
      expectBody: await probe(
        gateway.info['url'],
        gatewayBody,
        { data: { userInfo: { openid: follower, subscribed: true } } },
        gatewayHeaders,
      ),
    },
    processes: { gateway, emulator },
    sent: 1,
  };

  console.error(
    `bench: ${settings.rounds} × (${settings.seconds} s + ${settings.seconds} s) after ` +
      `${settings.warmupSeconds} s warm-up each, ${settings.connections} connections`,
  );
  await measure(a, settings.warmupSeconds);
  await measure(b, settings.warmupSeconds);
  const rounds: { hello: Round[]; gateway: Round[] } = { hello: [], gateway: [] };
  for (let i = 1; i <= settings.rounds; i++) {
    const ra = await measure(a, settings.seconds);
    const rb = await measure(b, settings.seconds);
    rounds.hello.push(ra);
    rounds.gateway.push(rb);
    console.error(
      `round ${i}: (a) ${Math.round(ra.rps)} req/s, (b) ${Math.round(rb.rps)} req/s, ` +
        `b/a ${(rb.rps / ra.rps).toFixed(2)}`,
    );
  }

  const { cpuMicros: _cpu, ...upstreamCalls } = await emulator.stats();
  const markdown = formatReport(
    { settings, ...rounds, upstreamCalls, gatewayRequests: b.sent, goal: GOAL },
    new Date(),
  );
  // An untracked file: a run never dirties the tree. The README quotes bench/results/latest.md,
  // a run copied there by hand, formatted as `npm run lint` (prettier --check .) expects.
  const outDir = new URL('./out/', import.meta.url);
  const resultsFile = fileURLToPath(new URL('latest.md', outDir));
  const pretty = await format(markdown, {
    ...(await resolveConfig(fileURLToPath(new URL('./results/latest.md', import.meta.url)))),
    filepath: resultsFile,
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(resultsFile, pretty);
  console.log(pretty);
  console.log(`Written to ${resultsFile}; copy it to bench/results/latest.md to quote it.`);
} finally {
  await Promise.all(children.map((child) => child.stop()));
}
