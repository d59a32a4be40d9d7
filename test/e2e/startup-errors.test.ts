/**
 * What an operator sees when the gateway cannot listen: the real `src/main.ts` in sandbox mode
 * exits 1 with one line that says what to change, and no stack trace.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, listenOnLoopback } from '../support/ports.js';
import { childEnv, stackLines, startChild } from '../support/processes.js';

/** The gateway in sandbox mode with these settings; resolves with what it printed once it exits. */
async function startFailing(
  settings: Record<string, string>,
  wrapper: readonly string[] = [],
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const [command = process.execPath, ...args] = [
    ...wrapper,
    process.execPath,
    '--import',
    'tsx',
    'src/main.ts',
  ];
  const child = startChild(command, args, { env: childEnv({ LOG_LEVEL: 'info', ...settings }) });
  const timer = setTimeout(() => void child.stop('SIGKILL'), 20_000);
  const { code } = await child.exited;
  clearTimeout(timer);
  return { code, stderr: child.stderr.join('\n'), stdout: child.stdout.join('\n') };
}

function expectOneClearLine(
  result: { code: number | null; stderr: string; stdout: string },
  message: RegExp,
) {
  const all = `${result.stdout}\n${result.stderr}`;
  expect(result.code, all).toBe(1);
  expect(stackLines(all), all).toEqual([]);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, all).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

describe('start-up failures read like configuration errors', () => {
  let holder: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
    holder = undefined;
  });

  it('port in use: says so and names PORT', async () => {
    holder = createServer();
    const server = holder;
    const { port } = await listenOnLoopback(server);
    const result = await startFailing({ PORT: String(port) });
    expectOneClearLine(
      result,
      new RegExp(`^Cannot listen on 127\\.0\\.0\\.1:${port}: port ${port} is already in use.*PORT`),
    );
  });

  it('HOST that is not an address of this machine (EADDRNOTAVAIL)', async () => {
    // 192.0.2.0/24 is reserved for documentation: never a local address.
    const result = await startFailing({ HOST: '192.0.2.1', PORT: String(await freePort()) });
    expectOneClearLine(
      result,
      /^Cannot listen on 192\.0\.2\.1:\d+: HOST=192\.0\.2\.1 is not an address of this machine\. Set HOST/,
    );
  });

  it('HOST that does not resolve', async () => {
    // A malformed name (empty label) fails in the resolver itself, without a DNS query.
    const result = await startFailing({ HOST: 'gateway..internal', PORT: '0' });
    expectOneClearLine(
      result,
      /^Cannot listen on gateway\.\.internal:0: HOST=gateway\.\.internal does not resolve to an address \((ENOTFOUND|EAI_\w+)\)\. Set HOST/,
    );
  });

  it('permission denied on a privileged port', async () => {
    const unprivilegedFrom = Number(
      readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim(),
    );
    // Without privileged ports on this machine there is nothing to be denied: say so loudly.
    expect(unprivilegedFrom, 'net.ipv4.ip_unprivileged_port_start must be above 1').toBeGreaterThan(
      1,
    );
    // root may bind any port: take that privilege away from the gateway (util-linux setpriv).
    const unprivileged =
      process.getuid?.() === 0 ? ['setpriv', '--bounding-set', '-net_bind_service'] : [];
    const result = await startFailing({ PORT: '1' }, unprivileged);
    expectOneClearLine(
      result,
      /^Cannot listen on 127\.0\.0\.1:1: permission denied \(ports below 1024 need root or CAP_NET_BIND_SERVICE\)\. Set PORT to 1024 or above/,
    );
  });
});
