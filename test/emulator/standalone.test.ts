import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { describeEmulator, readStandaloneConfig } from '../../src/emulator/standalone.js';
import { MINI, OFFICIAL } from '../support/apps.js';
import { LEGACY_TOKEN_API } from '../support/wechat-api.js';
import { get, postJson } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/emulator/main.ts', import.meta.url));

describe('readStandaloneConfig', () => {
  it('defaults to 127.0.0.1:4100 and the sandbox apps', () => {
    const config = readStandaloneConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4100);
    expect(config.apps.map((app) => app.appId)).toEqual([OFFICIAL.appId, MINI.appId]);
  });

  it('takes host, port and the official app’s credentials from the environment', () => {
    const config = readStandaloneConfig({
      EMULATOR_HOST: '0.0.0.0',
      EMULATOR_PORT: '4321',
      EMULATOR_APP_ID: 'wx1234567890abcdef',
      EMULATOR_APP_SECRET: 'my-sandbox-secret',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 4321 });
    expect(config.apps).toEqual([
      { ...OFFICIAL, appId: 'wx1234567890abcdef', appSecret: 'my-sandbox-secret' },
      MINI,
    ]);
  });

  it('shortens the token lifetime and hand-over when told to', () => {
    expect(readStandaloneConfig({})).toMatchObject({
      tokenLifetimeSeconds: undefined,
      tokenHandoverSeconds: undefined,
    });
    expect(
      readStandaloneConfig({
        EMULATOR_TOKEN_LIFETIME_SECONDS: '60',
        EMULATOR_TOKEN_HANDOVER_SECONDS: '20',
      }),
    ).toMatchObject({ tokenLifetimeSeconds: 60, tokenHandoverSeconds: 20 });
    expect(() => readStandaloneConfig({ EMULATOR_TOKEN_LIFETIME_SECONDS: '60' })).toThrow(
      /EMULATOR_TOKEN_HANDOVER_SECONDS \(default 300\) must be shorter/,
    );
    expect(() =>
      readStandaloneConfig({
        EMULATOR_TOKEN_LIFETIME_SECONDS: '1.5',
        EMULATOR_TOKEN_HANDOVER_SECONDS: '0',
      }),
    ).toThrow(
      /EMULATOR_TOKEN_LIFETIME_SECONDS must be[\s\S]*EMULATOR_TOKEN_HANDOVER_SECONDS must be/,
    );
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      readStandaloneConfig({
        EMULATOR_PORT: '80a',
        EMULATOR_APP_ID: 'has space',
        EMULATOR_APP_SECRET: 'a b',
      }),
    ).toThrow(/EMULATOR_PORT[\s\S]*EMULATOR_APP_ID[\s\S]*EMULATOR_APP_SECRET/);
    expect(() => readStandaloneConfig({ EMULATOR_PORT: '70000' })).toThrow(/EMULATOR_PORT/);
    expect(() => readStandaloneConfig({ EMULATOR_APP_ID: MINI.appId })).toThrow(/clashes/);
  });
});

describe('describeEmulator', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => emulator?.close());

  it('prints the URL, every app’s credentials and curl commands that work', async () => {
    emulator = await createEmulator({ clock: createManualClock() });
    const banner = describeEmulator(emulator);
    expect(banner).toContain(emulator.url);
    for (const app of emulator.apps) {
      expect(banner).toContain(`appid=${app.appId}`);
      expect(banner).toContain(`secret=${app.appSecret}`);
    }
    expect(banner).toMatch(
      /curl '[^']*\/cgi-bin\/token\?grant_type=client_credential&appid=wx00000000000000a1&secret=/,
    );
    expect(banner).toMatch(
      /curl -X POST '[^']*\/cgi-bin\/stable_token' -H 'Content-Type: application\/json' -d '\{/,
    );
    expect(banner).toContain('/cgi-bin/user/get?access_token=');
    const tokenUrl = /curl '([^']*\/cgi-bin\/token[^']*)'/.exec(banner)?.[1] ?? '';
    const url = new URL(tokenUrl);
    const res = await get(emulator, url.pathname, Object.fromEntries(url.searchParams));
    expect(res.body.expires_in).toBe(7200);
  });
});

describe('npm run emulator (src/emulator/main.ts)', () => {
  const run = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('serves the configured credentials and stops cleanly on SIGTERM', async () => {
    const child = run({
      EMULATOR_PORT: '0',
      EMULATOR_APP_ID: 'wxstandalone000001',
      EMULATOR_APP_SECRET: 'standalone-secret',
      EMULATOR_TOKEN_LIFETIME_SECONDS: '600',
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1] && output.includes('Ctrl+C')) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    try {
      const url = await ready;
      expect(output).toContain('secret=standalone-secret');
      const token = await get({ url }, LEGACY_TOKEN_API, {
        grant_type: 'client_credential',
        appid: 'wxstandalone000001',
        secret: 'standalone-secret',
      });
      expect(token.body.expires_in).toBe(600);
      // The controls are served, on a clock they can move; the token call was counted.
      expect(output).toContain(`Controls (not WeChat APIs`);
      expect((await get({ url }, '/__emulator/calls')).body).toEqual({
        calls: { [LEGACY_TOKEN_API]: 1 },
      });
      const moved = await postJson({ url }, '/__emulator/clock/advance', {}, { seconds: 3600 });
      expect(moved.status).toBe(200);
      expect(Number(moved.body.now) - Date.now()).toBeGreaterThan(3590_000);
      // The login-code routes are on too: a login code, as printed in the help.
      const mintUrl = /curl '([^']*\/__emulator\/js-code[^']*)'/.exec(output)?.[1] ?? '';
      expect(mintUrl.startsWith(url)).toBe(true);
      const minted = await fetch(mintUrl);
      expect(minted.status).toBe(200);
      expect(await minted.json()).toMatchObject({ appid: MINI.appId, expiresInSeconds: 300 });
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    }
    expect(output).toContain('SIGTERM: stopping');
  });

  it('exits with status 1 and a clear message on bad settings', async () => {
    const child = run({ EMULATOR_PORT: 'eighty' });
    let errors = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      errors += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(errors).toContain('EMULATOR_PORT must be an integer from 0 to 65535');
  });
});
