/**
 * Live mode's start-up check of each app's credentials, against the emulator: a wrong secret is
 * found before the first request (/readyz 503 naming the app and WeChat's reason, one ERROR line
 * per check, no stack), the right one makes the gateway ready, and WeChat being unreachable does
 * not hold readiness. Time is moved with fake timers, not slept.
 */
import { createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCredentialCheck, DEFAULT_RECHECK_MS } from '../../src/apps/credential-check.js';
import { createGatewayApps } from '../../src/apps/gateway-apps.js';
import { createEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/types.js';
import { useHealth } from '../../src/http/health.js';
import { sandboxAppConfigs } from '../../src/sandbox/index.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTokenStore } from '../../src/store/open.js';
import { createWechatHttp, type WechatHttp } from '../../src/wechat/http.js';
import { captureLogs } from '../support/log-capture.js';
import { STABLE_TOKEN_API } from '../support/wechat-api.js';

let emulator: Emulator | undefined;
let http: WechatHttp | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await http?.close();
  await emulator?.close();
  emulator = undefined;
  http = undefined;
});

/** The sandbox apps against a fresh emulator, the official one with `officialSecret`. */
async function gatewayApps(options: { officialSecret?: string; baseUrl?: string } = {}) {
  const clock = createManualClock();
  emulator = await createEmulator({ clock });
  http = createWechatHttp({ baseUrl: options.baseUrl ?? emulator.url, retryDelayMs: 0 });
  const configs = sandboxAppConfigs(emulator, 'stable').map((config) =>
    config.kind === 'official' && options.officialSecret !== undefined
      ? { ...config, appSecret: options.officialSecret }
      : config,
  );
  const logs = captureLogs({ level: 'info' });
  const store = await createTokenStore('memory', { clock });
  const { apps } = createGatewayApps(configs, { http, store, clock, logger: logs.logger });
  return { apps, logs, emulator, clock };
}

async function readyz(check: Parameters<typeof useHealth>[0]['credentials']) {
  const yoga = createYoga({ plugins: [useHealth({ credentials: check })], logging: false });
  const res = await yoga.fetch('http://gateway.test/readyz');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the credential check at start', () => {
  it('a wrong secret: /readyz 503 naming the app and the reason, one ERROR line, no stack', async () => {
    const { apps, logs } = await gatewayApps({ officialSecret: 'wrong-secret-0123456789abcdef' });
    const check = createCredentialCheck({ apps, logger: logs.logger });
    await check.start();
    check.stop();

    const { status, body } = await readyz(check);
    expect(status).toBe(503);
    expect(body['ready']).toBe(false);
    expect(body['reason']).toBe(
      'WeChat rejected the credentials of app "official": WeChat rejected the configured app secret. (errcode 40125)',
    );
    expect(body['credentials']).toEqual([
      {
        app: 'official',
        state: 'rejected',
        errcode: 40125,
        reason: 'WeChat rejected the configured app secret. (errcode 40125)',
      },
      { app: 'miniprogram', state: 'verified', errcode: null, reason: null },
    ]);
    const errors = logs.lines.filter((line) => JSON.parse(line).level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('app \\"official\\": WeChat rejected its credentials');
    expect(errors[0]).not.toContain('"stack"');
    expect(logs.text()).not.toContain('wrong-secret-0123456789abcdef');
  });

  it('checks a rejected app again once a minute: one ERROR line and one token call per check', async () => {
    const { apps, logs, emulator, clock } = await gatewayApps({ officialSecret: 'still-wrong' });
    // The check's timer, held by the test: it fires when the test moves the clock past it.
    let pending: { run: () => void; at: number } | undefined;
    const check = createCredentialCheck({
      apps,
      logger: logs.logger,
      schedule: (run, ms) => {
        pending = { run, at: clock.now() + ms };
        return () => (pending = undefined);
      },
    });
    const settled = async () => {
      while (pending && clock.now() >= pending.at) {
        const { run } = pending;
        pending = undefined;
        run();
        // The check awaits token calls on a real socket: let it finish before looking.
        await vi.waitFor(() => expect(pending ?? check.ready()).toBeTruthy(), { timeout: 5000 });
      }
    };
    await check.start();
    const official = apps.find((app) => app.name === 'official')?.appId;
    const tokenCalls = () => emulator.calls(STABLE_TOKEN_API, official);
    const errorLines = () => logs.lines.filter((line) => JSON.parse(line).level === 50).length;
    expect([tokenCalls(), errorLines()]).toEqual([1, 1]);

    clock.advance(DEFAULT_RECHECK_MS - 1);
    await settled();
    expect([tokenCalls(), errorLines()]).toEqual([1, 1]);
    clock.advance(1);
    await settled();
    expect([tokenCalls(), errorLines()]).toEqual([2, 2]);
    clock.advance(DEFAULT_RECHECK_MS);
    await settled();
    expect([tokenCalls(), errorLines()]).toEqual([3, 3]);
    expect((await readyz(check)).status).toBe(503);
    check.stop();
    expect(pending).toBeUndefined();
  });

  it('the right secrets: not ready while checking, ready once every app answered', async () => {
    const { apps, logs } = await gatewayApps();
    const check = createCredentialCheck({ apps, logger: logs.logger });
    const before = await readyz(check);
    expect(before.status).toBe(503);
    expect(before.body['reason']).toBe(
      'checking the credentials of app "official", app "miniprogram" with WeChat',
    );
    await check.start();
    const after = await readyz(check);
    expect(after.status).toBe(200);
    expect(after.body['credentials']).toEqual([
      { app: 'official', state: 'verified', errcode: null, reason: null },
      { app: 'miniprogram', state: 'verified', errcode: null, reason: null },
    ]);
    expect(logs.lines.filter((line) => JSON.parse(line).level >= 40)).toEqual([]);
  });

  it('WeChat unreachable: unverified, a WARN line, and still ready (the token core serves through it)', async () => {
    const { apps, logs } = await gatewayApps({ baseUrl: 'http://127.0.0.1:9' });
    const check = createCredentialCheck({ apps, logger: logs.logger });
    await check.start();
    check.stop();
    const { status, body } = await readyz(check);
    expect(status).toBe(200);
    const states = (body['credentials'] as { state: string }[]).map((report) => report.state);
    expect(states).toEqual(['unverified', 'unverified']);
    // One WARN per app from the check (the token core writes its own "refresh failed" lines).
    const checkWarnings = logs.lines.filter(
      (line) => JSON.parse(line).level === 40 && line.includes('could not be checked'),
    );
    expect(checkWarnings).toHaveLength(2);
    expect(logs.lines.filter((line) => JSON.parse(line).level === 50)).toEqual([]);
  });
});
