/**
 * `npm run setup`, the going-live helper: what it writes is a configuration the gateway accepts
 * with every capability on, and run non-interactively it produces a `.env` (mode 0600) with which
 * the real gateway starts in live mode against the emulator: credentials verified, /readyz 200, no
 * "… is off" warning, the generated service key accepted.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planSetup, type SetupAnswers } from '../../scripts/setup/plan.js';
import { disabledCapabilities } from '../../src/config/capabilities.js';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_EMULATOR_APPS } from '../../src/emulator/index.js';
import {
  childEnv,
  parseLogLine,
  startChild,
  waitListening,
  type Child,
} from '../support/processes.js';

const [OFFICIAL, MINI] = DEFAULT_EMULATOR_APPS;
if (!OFFICIAL || !MINI) throw new Error('the emulator has two default apps');

const ANSWERS: SetupAnswers = {
  apps: [{ name: 'main', kind: 'official', appId: OFFICIAL.appId, appSecret: OFFICIAL.appSecret }],
  publicUrl: 'https://gw.example.com/',
  jssdkHosts: ['shop.example.com', 'm.example.com'],
  tokenStore: 'file:.data/tokens',
};

/** What the gateway reads from the file: Node's own .env parser, as main.ts uses it. */
const configOf = (envFile: string) => loadConfig({ ...parseEnv(envFile), ENV_FILE: 'none' });

describe('the setup plan', () => {
  it('one official account: a live configuration with every capability on', () => {
    const plan = planSetup(ANSWERS);
    const config = configOf(plan.envFile);
    expect(config.wechat.mode).toBe('live');
    expect(disabledCapabilities(config)).toEqual([]);
    expect(config.access.jssdkAllowedHosts).toEqual(['shop.example.com', 'm.example.com']);
    expect(config.corsOrigins).toEqual(['https://shop.example.com', 'https://m.example.com']);
    expect(Object.keys(config.events.callbacks)).toEqual(['main']);
    expect(config.warnings).toEqual([]);
  });

  it('prints the console values to paste: callback URL, Token, EncodingAESKey, domains', () => {
    const plan = planSetup(ANSWERS);
    const env = parseEnv(plan.envFile);
    const text = plan.checklist.join('\n');
    expect(text).toContain(
      `URL https://gw.example.com/wechat/callback/main, Token ${env['WECHAT_CALLBACK_TOKEN']}, EncodingAESKey ${env['WECHAT_ENCODING_AES_KEY']}`,
    );
    expect(text).toContain('网页授权域名: shop.example.com, m.example.com');
    expect(text).toContain('JS接口安全域名: shop.example.com, m.example.com');
    expect(text).toContain('IP白名单');
    expect(env['WECHAT_ENCODING_AES_KEY']).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(env['WECHAT_CALLBACK_TOKEN']).toMatch(/^[A-Za-z0-9]{3,32}$/);
  });

  it('several apps: WECHAT_APPS with a callback Token and key each', () => {
    const plan = planSetup({
      ...ANSWERS,
      apps: [
        ...ANSWERS.apps,
        { name: 'mini', kind: 'miniprogram', appId: MINI.appId, appSecret: MINI.appSecret },
      ],
    });
    const config = configOf(plan.envFile);
    expect(config.wechat.mode === 'live' && config.wechat.apps.map((app) => app.name)).toEqual([
      'main',
      'mini',
    ]);
    expect(Object.keys(config.events.callbacks)).toEqual(['main', 'mini']);
    expect(disabledCapabilities(config)).toEqual([]);
    expect(plan.checklist.join('\n')).toContain('request合法域名: https://gw.example.com');
  });

  it('generates different secrets each run', () => {
    const [a, b] = [planSetup(ANSWERS), planSetup(ANSWERS)].map((plan) => parseEnv(plan.envFile));
    for (const key of ['ADMIN_API_KEY', 'SERVICE_API_KEYS', 'SESSION_SECRET']) {
      expect(a?.[key]).not.toBe(b?.[key]);
    }
  });

  it('refuses answers WeChat would refuse, in words', () => {
    expect(() =>
      planSetup({
        ...ANSWERS,
        apps: [{ name: 'main', kind: 'official', appId: 'x123', appSecret: '' }],
        publicUrl: 'http://gw.example.com',
      }),
    ).toThrow(
      [
        'app "main": an AppID is "wx" and 16 hex digits (WeChat console → 开发接口管理)',
        'app "main": the AppSecret is empty',
        'the public URL must be https:// (WeChat pushes and pages need it)',
      ].join('\n'),
    );
  });
});

describe('npm run setup -- --yes, then the gateway with what it wrote', () => {
  let dir: string;
  const children: Child[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgg-setup-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop('SIGKILL');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function runSetup(args: string[], secret: string): Promise<Child> {
    const setup = startChild(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', ...args], {
      env: childEnv({ WECHAT_APP_SECRET: secret }),
    });
    children.push(setup);
    await setup.exited;
    return setup;
  }

  it('writes a 0600 .env the gateway starts from in live mode with every capability', async () => {
    const emulator = startChild(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts'], {
      env: childEnv({ EMULATOR_PORT: '0' }),
    });
    children.push(emulator);
    const line = await emulator.waitForLine((l) => l.includes('listening on'), 'emulator start');
    const emulatorUrl = /(http:\/\/\S+)/.exec(line)?.[1] ?? '';

    const out = join(dir, 'gateway.env');
    const args = [
      '--yes',
      '--app',
      `official:main:${OFFICIAL.appId}`,
      '--public-url',
      'https://gw.example.com',
      '--jssdk-hosts',
      'shop.example.com',
      '--token-store',
      'memory',
      '--api-base-url',
      emulatorUrl,
      '--out',
      out,
    ];
    const setup = await runSetup(args, OFFICIAL.appSecret);
    expect(setup.exitStatus(), setup.output()).toBe('exit code 0');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(setup.stdout.join('\n')).toContain('URL https://gw.example.com/wechat/callback/main');
    const env = parseEnv(await readFile(out, 'utf8'));

    const gateway = startChild(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: childEnv({ ENV_FILE: out, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' }),
    });
    children.push(gateway);
    const { url } = await waitListening(gateway);
    await expect
      .poll(async () => (await fetch(new URL('/readyz', url))).status, { timeout: 10_000 })
      .toBe(200);
    const ready = (await (await fetch(new URL('/readyz', url))).json()) as Record<string, unknown>;
    expect(ready['credentials']).toEqual([
      { app: 'main', state: 'verified', errcode: null, reason: null },
    ]);
    const warnings = gateway.stdout.filter((l) => (parseLogLine(l)?.level ?? 0) >= 40);
    expect(warnings, gateway.output()).toEqual([]);
    const followers = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${env['SERVICE_API_KEYS']}`,
      },
      body: JSON.stringify({ query: '{ followers(first: 1) { totalCount } }' }),
    });
    expect(await followers.json()).toEqual({ data: { followers: { totalCount: 300 } } });
  }, 60_000);

  it('never replaces an existing file unless --force, and never takes a secret from the command line', async () => {
    const out = join(dir, 'existing.env');
    await writeFile(out, 'KEEP=me\n');
    const args = ['--yes', '--app', `official:main:${OFFICIAL.appId}`, '--out', out];
    const refused = await runSetup([...args, '--public-url', 'https://gw.example.com'], 'x');
    expect(refused.exitStatus()).toBe('exit code 1');
    expect(refused.stderr.join('\n')).toContain(`${out} exists: move it away or pass --force`);
    expect(await readFile(out, 'utf8')).toBe('KEEP=me\n');

    const missingSecret = await runSetup(
      ['--yes', '--app', `official:main:${OFFICIAL.appId}`, '--out', join(dir, 'new.env')],
      '',
    );
    expect(missingSecret.exitStatus()).toBe('exit code 1');
    expect(missingSecret.stderr.join('\n')).toContain(
      'app "main": set WECHAT_APP_SECRET to its AppSecret',
    );
  }, 60_000);
});
