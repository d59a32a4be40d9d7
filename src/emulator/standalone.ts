import { codeLifetimeSeconds } from './code-lifetimes.js';
import { CONTROL_PATHS, CONTROL_PREFIX } from './control-table.js';
import { DEFAULT_EMULATOR_APPS } from './default-apps.js';
import type { Emulator, EmulatorApp } from './types.js';

/** Settings of `npm run emulator`, read from the environment by main.ts. */
export interface StandaloneConfig {
  readonly host: string;
  readonly port: number;
  readonly apps: readonly EmulatorApp[];
  /** Unset: WeChat's 7200 s and 300 s. */
  readonly tokenLifetimeSeconds?: number;
  readonly tokenHandoverSeconds?: number;
}

/** A whole number of seconds from 1 to 7200, or undefined when unset. */
function seconds(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  problems: string[],
): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 7200) {
    problems.push(
      `${name} must be a whole number of seconds from 1 to 7200, got ${JSON.stringify(raw)}`,
    );
    return undefined;
  }
  return value;
}

export const DEFAULT_STANDALONE_PORT = 4100;

/**
 * EMULATOR_PORT (default 4100), EMULATOR_HOST (default 127.0.0.1), EMULATOR_APP_ID /
 * EMULATOR_APP_SECRET replacing the sandbox official account's credentials, and
 * EMULATOR_TOKEN_LIFETIME_SECONDS / EMULATOR_TOKEN_HANDOVER_SECONDS shortening WeChat's 7200 s
 * and 300 s. Throws one error naming every bad variable.
 */
export function readStandaloneConfig(
  env: Readonly<Record<string, string | undefined>>,
): StandaloneConfig {
  const problems: string[] = [];
  let port = DEFAULT_STANDALONE_PORT;
  const rawPort = env.EMULATOR_PORT?.trim();
  if (rawPort) {
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535) {
      problems.push(
        `EMULATOR_PORT must be an integer from 0 to 65535, got ${JSON.stringify(rawPort)}`,
      );
    }
  }
  const host = env.EMULATOR_HOST?.trim() || '127.0.0.1';
  const appId = env.EMULATOR_APP_ID?.trim();
  const appSecret = env.EMULATOR_APP_SECRET?.trim();
  if (appId !== undefined && appId !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(appId)) {
    problems.push('EMULATOR_APP_ID must be 1-64 characters of [A-Za-z0-9_-]');
  }
  if (appSecret !== undefined && appSecret !== '' && !/^[\x21-\x7e]{1,128}$/.test(appSecret)) {
    problems.push('EMULATOR_APP_SECRET must be 1-128 printable ASCII characters without spaces');
  }
  const tokenLifetimeSeconds = seconds(env, 'EMULATOR_TOKEN_LIFETIME_SECONDS', problems);
  const tokenHandoverSeconds = seconds(env, 'EMULATOR_TOKEN_HANDOVER_SECONDS', problems);
  if ((tokenHandoverSeconds ?? 300) >= (tokenLifetimeSeconds ?? 7200)) {
    problems.push(
      'EMULATOR_TOKEN_HANDOVER_SECONDS (default 300) must be shorter than EMULATOR_TOKEN_LIFETIME_SECONDS (default 7200)',
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid emulator settings:\n  - ${problems.join('\n  - ')}`);
  }
  let overridden = false;
  const apps = DEFAULT_EMULATOR_APPS.map((app) => {
    if (app.kind !== 'official' || overridden) return app;
    overridden = true;
    return { ...app, appId: appId || app.appId, appSecret: appSecret || app.appSecret };
  });
  if (new Set(apps.map((app) => app.appId)).size !== apps.length) {
    throw new Error(
      `Invalid emulator settings:\n  - EMULATOR_APP_ID clashes with another sandbox app`,
    );
  }
  return { host, port, apps, tokenLifetimeSeconds, tokenHandoverSeconds };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The start-up banner: where it listens, the sandbox credentials, requests to try, and (when
 * served) where the controls are and how to get the codes a WeChat client hands out.
 */
export function describeEmulator(emulator: Emulator, options: { controls?: boolean } = {}): string {
  const lines = [`WeChat emulator listening on ${emulator.url}`, '', 'Sandbox apps:'];
  for (const app of emulator.apps) {
    const followers = app.kind === 'official' ? `  (${app.followers ?? 0} followers)` : '';
    lines.push(`  ${app.kind.padEnd(11)}  appid=${app.appId}  secret=${app.appSecret}${followers}`);
  }
  lines.push(...tryHelp(emulator));
  if (options.controls) {
    lines.push(
      '',
      `Controls (not WeChat APIs; see src/emulator/README.md): ${emulator.url}${CONTROL_PREFIX}…`,
      `  curl ${shellQuote(`${emulator.url}${CONTROL_PATHS.calls}`)}`,
      ...codeHelp(emulator),
    );
  }
  lines.push('', 'Stop with Ctrl+C.', '');
  return lines.join('\n');
}

/** A token call of each kind and a user/get with its token, for the official account. */
function tryHelp(emulator: Emulator): string[] {
  const official = emulator.apps.find((app) => app.kind === 'official') ?? emulator.apps[0];
  if (!official) return [];
  const tokenUrl = `${emulator.url}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(official.appId)}&secret=${encodeURIComponent(official.appSecret)}`;
  const stableBody = JSON.stringify({
    grant_type: 'client_credential',
    appid: official.appId,
    secret: official.appSecret,
  });
  return [
    '',
    'Try:',
    `  curl ${shellQuote(tokenUrl)}`,
    `  curl -X POST ${shellQuote(`${emulator.url}/cgi-bin/stable_token`)} -H 'Content-Type: application/json' -d ${shellQuote(stableBody)}`,
    `  curl ${shellQuote(`${emulator.url}/cgi-bin/user/get?access_token=`)}ACCESS_TOKEN   # a token from either call above`,
  ];
}

/** How to get the codes a WeChat client would hand a page or a mini program. */
function codeHelp(emulator: Emulator): string[] {
  const official = emulator.apps.find((app) => app.kind === 'official');
  const mini = emulator.apps.find((app) => app.kind === 'miniprogram');
  const commands: [string, string][] = [];
  const command = (path: string, appId: string, query = '') =>
    `curl ${shellQuote(`${emulator.url}${path}?appid=${encodeURIComponent(appId)}${query}`)}`;
  if (official) {
    commands.push([
      command(CONTROL_PATHS.oauthCode, official.appId, '&scope=snsapi_userinfo'),
      'web OAuth (official account)',
    ]);
  }
  if (mini) {
    commands.push([command(CONTROL_PATHS.jsCode, mini.appId), 'wx.login() (mini program)']);
    commands.push([command(CONTROL_PATHS.phoneCode, mini.appId), 'phone-number button']);
  }
  if (commands.length === 0) return [];
  const width = Math.max(...commands.map(([line]) => line.length));
  const minutes = codeLifetimeSeconds('oauth') / 60;
  return [
    '',
    `Codes (single use, valid ${minutes} minutes; GET or POST, optional openid=…, scope=snsapi_base):`,
    ...commands.map(([line, what]) => `  ${line.padEnd(width)}   # ${what}`),
    'Exchange one at /sns/oauth2/access_token or /sns/jscode2session, or pass it to a gateway’s',
    'openid(code: …) when the gateway is configured with that app.',
  ];
}
