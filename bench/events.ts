/**
 * `npm run bench:events`: WeChat pushes at a fixed rate into two gateway instances sharing one
 * Redis (127.0.0.1:6379 or BENCH_REDIS_URL, a namespace of this run, deleted afterwards), with
 * subscribers on both. Every subscriber must receive every push exactly once, in order; the
 * report gives the counts and the callback's latency. Gateways and subscribers run in child
 * processes; this process only sends the pushes (safe mode, XML, signed as WeChat does).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createClient } from '@keyv/redis';
import { format, resolveConfig } from 'prettier';
import { pushMessages } from '../src/emulator/push-messages.js';
import { buildPush, type PushRequest } from '../src/emulator/push-wire.js';
import { Agent, request } from 'undici';
import { BENCH_SERVICE_KEY, startChild, type ChildServer } from './ipc.js';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
}

const RATE = setting('BENCH_EVENTS_RATE', 1000);
const SECONDS = setting('BENCH_EVENTS_SECONDS', 10);
const SUBSCRIBERS = setting('BENCH_EVENTS_SUBSCRIBERS', 20);
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NAMESPACE = `wgg-bench-events-${process.pid}-${randomBytes(4).toString('hex')}`;
const APP_ID = 'wx00000000000000a1';
const TOKEN = 'benchToken2024';
const AES_KEY = 'Bench0123456789abcdefghijklmnopqrstuvwxyzAB';
const MSG_BASE = 30_000_000_000_000_000n;
const DRAIN_TIMEOUT_MS = 60_000;

interface PushResult {
  ms: number;
  status: number;
  body: string;
}

/** Signed and encrypted ahead, so the sender spends its time sending. */
function buildRequest(n: number): PushRequest {
  const createTime = Math.floor(Date.now() / 1000);
  const message = pushMessages.text(
    { to: 'gh_0000000000a1', openid: `oBenchUser${n % 500}`, createTime },
    `bench ${n}`,
    String(MSG_BASE + BigInt(n)),
  );
  return buildPush(
    message,
    { token: TOKEN, encodingAesKey: AES_KEY, appId: APP_ID },
    { mode: 'safe', format: 'xml', timestamp: createTime },
  );
}

const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

async function push(origin: string, built: PushRequest): Promise<PushResult> {
  const started = performance.now();
  try {
    const response = await request(`${origin}/wechat/callback/official?${built.query}`, {
      method: 'POST',
      headers: { 'content-type': built.contentType },
      body: built.body,
      dispatcher,
    });
    const body = await response.body.text();
    return { ms: performance.now() - started, status: response.statusCode, body };
  } catch (error) {
    return { ms: performance.now() - started, status: 0, body: String(error) };
  }
}

/** Open loop: pushes go out on schedule, whatever the answers take. */
async function load(
  origins: string[],
  offset: number,
): Promise<{ results: PushResult[]; seconds: number }> {
  const total = RATE * SECONDS;
  const built = Array.from({ length: total }, (_, i) => buildRequest(offset + i));
  const pending: Promise<PushResult>[] = [];
  const started = performance.now();
  while (pending.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
    while (pending.length < due) {
      const n = offset + pending.length;
      pending.push(push(origins[n % origins.length] ?? '', built[pending.length] as PushRequest));
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const sent = (performance.now() - started) / 1000;
  return { results: await Promise.all(pending), seconds: sent };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function lastEventId(origin: string): Promise<string> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_SERVICE_KEY}` },
    body: JSON.stringify({ query: '{ events(first: 1000) { pageInfo { endCursor } } }' }),
  });
  const body = (await response.json()) as { data: { events: { pageInfo: { endCursor: string } } } };
  return body.data.events.pageInfo.endCursor;
}

interface SubscriberTally {
  received: number;
  duplicates: number;
  outOfOrder: number;
  lastAtMs: number;
}

function tallies(stats: Record<string, number>): SubscriberTally[] {
  return Array.from({ length: SUBSCRIBERS }, (_, i) => ({
    received: stats[`s${i}.received`] ?? 0,
    duplicates: stats[`s${i}.duplicates`] ?? 0,
    outOfOrder: stats[`s${i}.outOfOrder`] ?? 0,
    lastAtMs: stats[`s${i}.lastAtMs`] ?? 0,
  }));
}

async function purge(): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${NAMESPACE}:*`, COUNT: 500 }))
    keys.push(...batch);
  if (keys.length > 0) await client.del(keys);
  await client.close();
}

const children: ChildServer[] = [];
try {
  const env = {
    BENCH_REDIS_URL: REDIS_URL,
    BENCH_NAMESPACE: NAMESPACE,
    BENCH_APP_ID: APP_ID,
    BENCH_TOKEN: TOKEN,
    BENCH_AES_KEY: AES_KEY,
  };
  for (let i = 0; i < 2; i++) children.push(await startChild('./servers/events-gateway.ts', env));
  const origins = children.map((child) => child.info['origin'] ?? '');
  // One push before the run gives the subscribers a start: `after` its id.
  const first = await push(origins[0] ?? '', buildRequest(0));
  if (first.body !== 'success')
    throw new Error(`the first push was refused: ${first.status} ${first.body}`);
  const after = await lastEventId(origins[1] ?? '');
  const subscribers = await startChild('./servers/events-subscribers.ts', {
    BENCH_ORIGINS: JSON.stringify(origins),
    BENCH_SUBSCRIBERS: String(SUBSCRIBERS),
    BENCH_AFTER: after,
    BENCH_MSG_BASE: String(MSG_BASE),
  });
  children.push(subscribers);
  console.error(
    `bench: ${RATE} pushes/s for ${SECONDS} s into 2 instances, ${SUBSCRIBERS} subscribers`,
  );
  const loadBefore = loadavg()[0] ?? NaN;
  const loadStarted = performance.now();
  const { results, seconds } = await load(origins, 1);
  const total = results.length;
  let subs = tallies(await subscribers.stats());
  while (
    subs.some((s) => s.received < total) &&
    performance.now() - loadStarted < seconds * 1000 + DRAIN_TIMEOUT_MS
  ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    subs = tallies(await subscribers.stats());
  }
  const gatewayStats = await Promise.all(children.slice(0, 2).map((child) => child.stats()));
  const serverSide = gatewayStats
    .map(
      (g, i) =>
        `instance ${i + 1}: ${g['callbacks']} pushes, ${['p50', 'p90', 'p99', 'max'].map((k) => (g[k] ?? NaN).toFixed(1)).join(' / ')} ms`,
    )
    .join('; ');
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const accepted = results.filter((r) => r.status === 200 && r.body === 'success').length;
  const statuses = new Map<string, number>();
  for (const r of results)
    statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
  const exactlyOnce = subs.every(
    (s) => s.received === total && s.duplicates === 0 && s.outOfOrder === 0,
  );
  const lastSeen = Math.max(...subs.map((s) => s.lastAtMs));
  const markdown = [
    '# Benchmark: WeChat pushes into two instances, live subscribers on both',
    '',
    `- Date: ${new Date().toISOString()}; Node ${process.version}; Redis at ${REDIS_URL.replace(/\/\/[^@/]*@/, '//')}`,
    `- Load: ${RATE} pushes/s for ${SECONDS} s (open loop, alternating the two instances), safe mode (AES), XML, each a distinct text message; ${SUBSCRIBERS} subscribers over SSE, spread over both instances, \`wechatEvents(after:, types: [TEXT_MESSAGE])\``,
    `- Gateways, subscribers and the push sender are separate processes on one machine (${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}), with Redis: they compete for the same cores. The gateway's own figure is measured from the request event to the answer; the sender's adds time the request waited in the sender and in the gateway's accept queue while the cores were busy.`,
    `- Load average (1 min) before / after the run: ${loadBefore.toFixed(2)} / ${(loadavg()[0] ?? NaN).toFixed(2)}: anything above 0 before is other work on the machine.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| pushes sent | ${total} in ${seconds.toFixed(2)} s (${Math.round(total / seconds)}/s) |`,
    `| answered \`success\` | ${accepted} (HTTP status counts: ${[...statuses].map(([s, c]) => `${s}: ${c}`).join(', ')}) |`,
    `| **callback latency in the gateway** (request in → answer out) p50 / p90 / p99 / max | ${serverSide} |`,
    `| event-loop delay in the gateways (p99 / max; a push that arrives waits up to this before it is read) | ${gatewayStats.map((g, i) => `instance ${i + 1}: ${(g['loopDelayP99'] ?? NaN).toFixed(0)} / ${(g['loopDelayMax'] ?? NaN).toFixed(0)} ms`).join('; ')} |`,
    `| callback latency seen by the sender (includes its own queueing) p50 / p90 / p99 / max | ${[50, 90, 99].map((p) => percentile(latencies, p).toFixed(1)).join(' / ')} / ${(latencies.at(-1) ?? NaN).toFixed(1)} ms |`,
    `| subscribers that received every push exactly once, in order | ${subs.filter((s) => s.received === total && s.duplicates === 0 && s.outOfOrder === 0).length} of ${SUBSCRIBERS} |`,
    `| received per subscriber (min / max) | ${Math.min(...subs.map((s) => s.received))} / ${Math.max(...subs.map((s) => s.received))} |`,
    `| failed pushes (first errors) | ${[...new Set(results.filter((r) => r.status !== 200).map((r) => r.body.slice(0, 80)))].slice(0, 3).join('; ') || 'none'} |`,
    `| duplicates / out of log order (all subscribers) | ${subs.reduce((n, s) => n + s.duplicates, 0)} / ${subs.reduce((n, s) => n + s.outOfOrder, 0)} |`,
    `| last event reached the last subscriber | ${((lastSeen - 0) / 1000).toFixed(2)} s after the subscribers started (the load ran ${seconds.toFixed(2)} s) |`,
    '',
    `**Every subscriber received every event exactly once: ${exactlyOnce ? 'yes' : 'NO'}.**`,
    '',
    'Run it with `npm run bench:events` (`BENCH_EVENTS_RATE`, `BENCH_EVENTS_SECONDS`, `BENCH_EVENTS_SUBSCRIBERS`, `BENCH_REDIS_URL`).',
    '',
  ].join('\n');
  const outDir = new URL('./out/', import.meta.url);
  const outFile = fileURLToPath(new URL('events.md', outDir));
  const pretty = await format(markdown, {
    ...(await resolveConfig(fileURLToPath(new URL('./results/latest.md', import.meta.url)))),
    filepath: outFile,
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(outFile, pretty);
  console.log(pretty);
  console.log(`Written to ${outFile}; copy it to bench/results/events.md to quote it.`);
  if (!exactlyOnce) process.exitCode = 1;
} finally {
  await Promise.all(children.map((child) => child.stop()));
  await purge();
}
