/**
 * `npm run bench:windows`: the user batch window (USER_BATCH_WINDOW_MS) compared side by side, one
 * gateway process per window against one emulator process, `userInfo` over the emulator's
 * followers (a service key) at 50 connections, rounds interleaved. Prints one line per window and
 * round: req/s, p99, gateway CPU ms per request, batchget calls per request. The README's default
 * (section "Batching and the user cache") was chosen from this.
 */
import { request } from 'undici';
import { startEmulator, type BenchEmulator } from './emulator.js';
import { cleanEnv, gatewayEnv, gatewaySettings, SERVICE_KEY, startGateway } from './gateway.js';
import { runLoad, type Target } from './load.js';
import { cpuMs } from './proc-stats.js';
import { stopAll } from './processes.js';

const WINDOWS = (process.env['BENCH_WINDOWS'] ?? '0,1,2').split(',').map((w) => w.trim());
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 4);
const CONNECTIONS = 50;
const USER_INFO = 'query ($openid: String!) { userInfo(openid: $openid) { openid subscribed } }';

const upstreamCalls = async (emulator: BenchEmulator): Promise<number> =>
  Object.values(await emulator.calls()).reduce((sum, n) => sum + n, 0);

/** The gateway's answer to each call, read once: every later answer must repeat it. */
async function targetOf(url: string, followers: readonly string[]): Promise<Target> {
  const headers = { authorization: `Bearer ${SERVICE_KEY}` };
  const calls = followers.map((openid) => ({
    body: JSON.stringify({ query: USER_INFO, variables: { openid } }),
    headers,
  }));
  const expected: string[] = [];
  for (const [i, call] of calls.entries()) {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: call.body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.includes(`"openid":"${followers[i]}"`)) {
      throw new Error(`probe failed: ${res.statusCode} ${text.slice(0, 300)}`);
    }
    expected.push(text);
  }
  return { url, calls, expected };
}

async function main(): Promise<void> {
  const emulator = await startEmulator(cleanEnv());
  const followers = await emulator.followers();
  const gateways = await Promise.all(
    WINDOWS.map((w) =>
      startGateway(
        `window ${w} ms`,
        gatewayEnv(emulator.url, gatewaySettings({ USER_BATCH_WINDOW_MS: w })),
      ),
    ),
  );
  const targets = await Promise.all(gateways.map((g) => targetOf(g.url, followers)));
  for (const target of targets) await runLoad(target, 2, CONNECTIONS);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, target] of targets.entries()) {
      const pid = gateways[i]?.pid ?? 0;
      const [cpuBefore, callsBefore] = [cpuMs(pid), await upstreamCalls(emulator)];
      const load = await runLoad(target, SECONDS, CONNECTIONS);
      const cpu = cpuMs(pid) - cpuBefore;
      await new Promise((resolve) => setTimeout(resolve, 300)); // Calls still on their way.
      const calls = (await upstreamCalls(emulator)) - callsBefore;
      console.log(
        `round ${round} window ${WINDOWS[i]} ms: ${load.rps.toFixed(0)} req/s, ` +
          `p99 ${load.p99.toFixed(1)} ms, CPU ${(cpu / load.requests).toFixed(3)} ms/req, ` +
          `${(calls / load.sent).toFixed(4)} batchget calls/req`,
      );
    }
  }
}

try {
  await main();
} finally {
  await stopAll();
}
