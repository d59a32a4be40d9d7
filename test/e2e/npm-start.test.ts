/**
 * `npm start` as a process manager or a terminal runs it: SIGTERM to npm (what `docker stop` or
 * systemd send to the process they started) and Ctrl+C (SIGINT to the terminal's whole process
 * group) stop the gateway cleanly, free its port and end npm with status 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, portIsFree } from '../support/ports.js';
import {
  npmEnv,
  parseLogLine,
  processExists,
  startChild,
  waitListening,
  type Child,
  type Exit,
} from '../support/processes.js';

function within(ms: number, exited: Promise<Exit>, output: () => string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`still running after ${ms} ms\n${output()}`)),
      ms,
    );
    void exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

describe('npm start', () => {
  let npm: Child | undefined;
  let gatewayPid: number | undefined;
  afterEach(async () => {
    // A failed test may leave the gateway behind npm: stop both by PID.
    if (gatewayPid !== undefined && processExists(gatewayPid)) process.kill(gatewayPid, 'SIGKILL');
    await npm?.stop('SIGKILL');
    npm = undefined;
    gatewayPid = undefined;
  });

  async function start(options: { detached?: boolean; shutdownDelayMs?: number } = {}) {
    const port = await freePort();
    // SHUTDOWN_DELAY_MS: no load balancer to wait for here.
    npm = startChild('npm', ['start'], {
      env: npmEnv({ PORT: String(port), SHUTDOWN_DELAY_MS: String(options.shutdownDelayMs ?? 0) }),
      detached: options.detached ?? false,
    });
    const { pid } = await waitListening(npm);
    gatewayPid = pid;
    expect(pid).not.toBe(npm.pid);
    return { npm, port, pid };
  }

  function expectStoppedCleanly(child: Child, exit: Exit, port: number, pid: number) {
    return (async () => {
      expect(exit, child.output()).toEqual({ code: 0, signal: null });
      expect(processExists(pid)).toBe(false);
      expect(await portIsFree(port)).toBe(true);
      const messages = child.stdout.map((line) => parseLogLine(line)?.msg);
      expect(messages).toContain('stopped');
      expect(messages.filter((msg) => msg?.includes('again: exiting now'))).toEqual([]);
    })();
  }

  it('SIGTERM to npm stops the gateway: port freed, exit 0', async () => {
    const { npm: child, port, pid } = await start();
    child.process.kill('SIGTERM');
    const exit = await within(5_000, child.exited, child.output);
    await expectStoppedCleanly(child, exit, port, pid);
  }, 30_000);

  it('Ctrl+C (SIGINT to the process group) stops it once, cleanly, without the drain delay', async () => {
    // A person at a terminal, not a load balancer: SHUTDOWN_DELAY_MS is for SIGTERM.
    const { npm: child, port, pid } = await start({ detached: true, shutdownDelayMs: 60_000 });
    // The terminal signals npm and the gateway, and npm forwards its copy: two SIGINTs arrive.
    process.kill(-child.pid, 'SIGINT');
    const exit = await within(5_000, child.exited, child.output);
    await expectStoppedCleanly(child, exit, port, pid);
  }, 30_000);
});
