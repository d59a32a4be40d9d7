/**
 * What the real gateway (`src/main.ts`, sandbox mode) writes while a client logs users in, calls
 * admin fields and fails: readable lines on a terminal or with LOG_FORMAT=pretty, one JSON object
 * per line otherwise, one access line per operation with the request id the client sent back in
 * X-Request-Id, and in either format no secret, token, code or key. (The fuller run, with sends,
 * QR codes, pushed events and the upstream secrets off the wire: test/graphql/log-secrets.test.ts.)
 */
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_APPS } from '../../src/emulator/index.js';
import { portIsFree } from '../support/ports.js';
import { childEnv, parseLogLine, REPO_ROOT, startChild, type Child } from '../support/processes.js';

const ADMIN_KEY = 'logs-test-admin-key-0123456789abcdef';
/** The X-Request-Id the JS-SDK signature request is sent with. */
const REQUEST_ID = 'logs-e2e-request-0001';
const GATEWAY = [process.execPath, '--import', 'tsx', 'src/main.ts'] as const;

/** `[12:34:56.789] WARN: message`, as pino-pretty writes the first line of an entry. */
const PRETTY_HEAD = /^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): \S/;

async function graphql(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function mint(base: string, path: string): Promise<string> {
  const response = await fetch(`${base}${path}`, { method: 'POST' });
  const body = (await response.json()) as { code: string };
  return body.code;
}

/**
 * Logins (each code also replayed: an upstream failure that gets logged), admin fields, a JS-SDK
 * signature; returns every secret the client saw, none of which may reach the log.
 */
async function scenario(url: string): Promise<string[]> {
  const base = new URL(url).origin;
  const secrets: string[] = [ADMIN_KEY, ...DEFAULT_EMULATOR_APPS.map((app) => app.appSecret)];
  for (const [path, app] of [
    ['/sandbox/oauth-code?scope=snsapi_userinfo', 'official'],
    ['/sandbox/js-code', 'miniprogram'],
  ] as const) {
    const code = await mint(base, path);
    secrets.push(code);
    // `login` is what an anonymous page calls; the session token it returns is a secret too.
    const query = `mutation { login(code: "${code}", app: "${app}") { token openid } }`;
    const login = (await graphql(url, query)).data?.['login'] as { token?: string } | undefined;
    expect(login?.token).toBeTruthy();
    secrets.push(login?.token ?? '');
    expect((await graphql(url, query)).errors).toHaveLength(1);
  }
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };
  const token = await graphql(url, '{ accessToken { value } }', admin);
  const value = (token.data?.['accessToken'] as { value?: string } | undefined)?.value;
  expect(value).toMatch(/\w{20,}/);
  secrets.push(value ?? '');
  const forced = await graphql(url, 'mutation { refreshAccessToken { value } }', admin);
  secrets.push((forced.data?.['refreshAccessToken'] as { value: string }).value);
  const refused = await graphql(url, '{ accessToken { value } }', {
    authorization: 'Bearer wrong-key-0000000000',
  });
  expect(refused.errors).toHaveLength(1);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': REQUEST_ID },
    body: JSON.stringify({
      query: 'query Sign { jsapiConfig(url: "https://example.com/") { signature } }',
    }),
  });
  expect(response.headers.get('x-request-id')).toBe(REQUEST_ID);
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  return secrets;
}

describe('gateway logs', () => {
  let child: Child | undefined;
  afterEach(async () => {
    await child?.stop('SIGKILL');
    child = undefined;
  });

  async function runScenario(
    settings: Record<string, string>,
    urlOf: (c: Child) => Promise<string>,
  ) {
    const [command, ...args] = GATEWAY;
    child = startChild(command, args, {
      env: childEnv({ PORT: '0', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'debug', ...settings }),
    });
    const secrets = await scenario(await urlOf(child));
    expect(await child.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const lines = child.stdout;
    for (const secret of secrets) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
    expect(child.stderr).toEqual([]);
    return lines;
  }

  it('LOG_FORMAT=pretty: readable lines, the sandbox banner included, no secrets', async () => {
    const lines = await runScenario({ LOG_FORMAT: 'pretty' }, async (c) => {
      await c.waitForLine((line) => PRETTY_HEAD.test(line) && line.includes('listening'), 'start');
      const urlLine = await c.waitForLine((line) => /^ {4}url: "/.test(line), 'url');
      return /"(http[^"]+)"/.exec(urlLine)?.[1] ?? '';
    });
    // Each entry: a head line, then its fields indented below it. No JSON.
    for (const line of lines) {
      expect(PRETTY_HEAD.test(line) || /^ {4}/.test(line), line).toBe(true);
      expect(parseLogLine(line), line).toBeUndefined();
    }
    expect(lines.join('\n')).toBe(stripVTControlCharacters(lines.join('\n'))); // no colours
    const banner = lines.filter((line) => line.includes('SANDBOX MODE:'));
    expect(banner.length).toBeGreaterThanOrEqual(2);
    for (const line of banner) expect(line).toMatch(/^\[[\d:.]+\] WARN: SANDBOX MODE: /);
    expect(
      lines.some((line) => /\] WARN: upstream failure returned to the client/.test(line)),
    ).toBe(true);
    // The access line of the signature request, its id given by the client; every entry
    // (a head line, then its fields) of that request names the id.
    const entries = lines.join('\n').split(/\n(?=\[)/);
    const ofRequest = entries.filter((entry) => entry.includes(`requestId: "${REQUEST_ID}"`));
    const access = ofRequest.filter((entry) => /^\[[\d:.]+\] INFO: access\n/.test(entry));
    expect(access).toHaveLength(1);
    expect(access[0]).toContain('operationName: "Sign"');
    expect(access[0]).toContain('callerKind: "anonymous"');
  }, 40_000);

  it('not on a terminal and LOG_FORMAT unset: one JSON object per line, no secrets', async () => {
    const lines = await runScenario({}, async (c) => {
      const line = await c.waitForLine(
        (candidate) => parseLogLine(candidate)?.msg === 'wechat-graphql-gateway listening',
        'start',
      );
      return parseLogLine(line)?.url ?? '';
    });
    for (const line of lines) expect(parseLogLine(line), line).toBeDefined();
    expect(lines.some((line) => parseLogLine(line)?.msg?.startsWith('SANDBOX MODE:'))).toBe(true);
    const access = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // 2 logins and 2 replays, 3 admin operations, the signature: one access line each.
    expect(access.filter((entry) => entry['msg'] === 'access')).toHaveLength(8);
    expect(access.filter((entry) => entry['requestId'] === REQUEST_ID)).toContainEqual(
      expect.objectContaining({
        msg: 'access',
        operationType: 'query',
        operationName: 'Sign',
        callerKind: 'anonymous',
        outcome: 'ok',
        errorCodes: [],
        status: 200,
      }),
    );
  }, 40_000);

  it('on a terminal (a pty from util-linux `script`) and LOG_FORMAT unset: readable lines in colour', async () => {
    const command = ['env', 'PORT=0', ...GATEWAY].join(' ');
    const script = spawn('script', ['--quiet', '--flush', '--command', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<void>((resolve) => script.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 20_000);
        script.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (output.includes('SANDBOX MODE:')) {
            clearTimeout(timer);
            resolve();
          }
        });
        script.once('exit', () => reject(new Error(`exited:\n${output}`)));
      });
    } finally {
      script.kill('SIGTERM');
      await exited;
    }
    const esc = String.fromCharCode(27);
    expect(output).toContain(`${esc}[32mINFO${esc}[39m`); // the level, in green
    const plain = stripVTControlCharacters(output).split(/\r?\n/);
    expect(plain[0]).toMatch(/^\[[\d:.]+\] INFO: wechat-graphql-gateway listening$/);
    expect(plain.filter((line) => parseLogLine(line) !== undefined)).toEqual([]);
    const port = Number(/url: "http:\/\/127\.0\.0\.1:(\d+)\//.exec(plain.join('\n'))?.[1]);
    expect(port).toBeGreaterThan(0);
    // The pty closed with `script`: the gateway went with it.
    await expect.poll(() => portIsFree(port), { timeout: 5_000 }).toBe(true);
  }, 40_000);
});
