/**
 * `npm run setup`: the going-live helper. Asks for the app(s), the gateway's public URL and the
 * H5 page hosts, generates the secrets that are the gateway's own (service and admin keys, session
 * secret, callback Token and EncodingAESKey), writes them to `.env` (mode 0600) and prints the
 * WeChat console checklist with the exact values to paste.
 *
 * Non-interactive (scripts, CI): `--yes` with every answer as a flag; an app's secret comes from
 * the environment (WECHAT_APP_SECRET for one app, WECHAT_APP_SECRET_<NAME> for each of several),
 * never from the command line, where other users of the machine could read it.
 *
 *   npm run setup -- --yes --app official:main:wx0123456789abcdef \
 *     --public-url https://api.example.com --jssdk-hosts shop.example.com
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { stdin, stdout } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  APP_ID,
  APP_NAME,
  checkAnswers,
  planSetup,
  type SetupAnswers,
  type SetupApp,
} from './setup/plan.js';

const USAGE = `npm run setup [-- options]
  --app <kind>:<name>:<appId>   an app (kind: official or miniprogram); repeat for several
  --public-url <url>            where WeChat and browsers reach the gateway (https://…)
  --jssdk-hosts <h1,h2>         hosts of your H5 pages (official accounts)
  --token-store <spec>          default file:.data/tokens; redis://… for several instances
  --api-base-url <url>          WeChat's API base URL if not https://api.weixin.qq.com
  --out <file>                  default .env
  --force                       replace an existing file
  --yes                         ask nothing: every answer comes from the options
App secrets come from WECHAT_APP_SECRET (one app) or WECHAT_APP_SECRET_<NAME> (each app).`;

const { values } = parseArgs({
  options: {
    app: { type: 'string', multiple: true, default: [] },
    'public-url': { type: 'string' },
    'jssdk-hosts': { type: 'string' },
    'token-store': { type: 'string', default: 'file:.data/tokens' },
    'api-base-url': { type: 'string' },
    out: { type: 'string', default: '.env' },
    force: { type: 'boolean', default: false },
    yes: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`setup: ${message}`);
  process.exit(1);
}

const secretVariable = (name: string, count: number) =>
  count === 1 ? 'WECHAT_APP_SECRET' : `WECHAT_APP_SECRET_${name.toUpperCase().replace(/-/g, '_')}`;

function appsFromFlags(): SetupApp[] {
  const specs = values.app ?? [];
  return specs.map((spec) => {
    const [kind, name, appId, ...rest] = spec.split(':');
    if ((kind !== 'official' && kind !== 'miniprogram') || !name || !appId || rest.length > 0) {
      fail(`--app ${spec}: expected <official|miniprogram>:<name>:<appId>`);
    }
    const variable = secretVariable(name, specs.length);
    const appSecret = process.env[variable]?.trim() ?? '';
    if (appSecret === '' && values.yes) fail(`app "${name}": set ${variable} to its AppSecret`);
    return { kind, name, appId, appSecret };
  });
}

type Ask = (question: string, fallback?: string) => Promise<string>;

async function askApps(ask: Ask): Promise<SetupApp[]> {
  const apps: SetupApp[] = [];
  do {
    const kind = await ask('App kind (official / miniprogram)', 'official');
    if (kind !== 'official' && kind !== 'miniprogram') continue;
    const name = await ask(
      'A short name for it (letters, digits, - or _)',
      apps.length ? '' : 'main',
    );
    if (!APP_NAME.test(name)) continue;
    const appId = await ask('AppID (wx…, WeChat console → 开发接口管理)');
    if (!APP_ID.test(appId)) continue;
    const appSecret = await ask('AppSecret (shown once in the console; reset it there if lost)');
    apps.push({ kind, name, appId, appSecret });
  } while ((await ask('Add another app? (y/N)', 'n')).toLowerCase().startsWith('y'));
  return apps;
}

async function answers(): Promise<SetupAnswers> {
  const flagged = appsFromFlags();
  const fromFlags = (apps: SetupApp[]): SetupAnswers => ({
    apps,
    publicUrl: values['public-url'] ?? '',
    jssdkHosts: (values['jssdk-hosts'] ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    tokenStore: values['token-store'] ?? 'file:.data/tokens',
    ...(values['api-base-url'] ? { apiBaseUrl: values['api-base-url'] } : {}),
  });
  if (values.yes) return fromFlags(flagged);
  const rl = createInterface({ input: stdin, output: stdout });
  const ask: Ask = async (question, fallback = '') => {
    const answer = (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim();
    return answer === '' ? fallback : answer;
  };
  try {
    const apps = flagged.length > 0 ? flagged : await askApps(ask);
    for (const app of apps) {
      if (app.appSecret === '') app.appSecret = await ask(`AppSecret of "${app.name}"`);
    }
    const result = fromFlags(apps);
    result.publicUrl ||= await ask('Public URL of the gateway (https://…)');
    if (!values['jssdk-hosts'] && apps.some((app) => app.kind === 'official')) {
      const hosts = await ask('Hosts of your H5 pages, comma-separated (e.g. shop.example.com)');
      result.jssdkHosts = hosts
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean);
    }
    return result;
  } finally {
    rl.close();
  }
}

async function main(): Promise<void> {
  if (values.help) {
    stdout.write(`${USAGE}\n`);
    return;
  }
  const out = values.out ?? '.env';
  if (existsSync(out) && !values.force) {
    fail(`${out} exists: move it away or pass --force to replace it`);
  }
  const given = await answers();
  const problems = checkAnswers(given);
  if (problems.length > 0) fail(`cannot write ${out}:\n  ${problems.join('\n  ')}\n\n${USAGE}`);
  const plan = planSetup(given);
  writeFileSync(out, plan.envFile, { mode: 0o600, flag: values.force ? 'w' : 'wx' });
  // A replaced file keeps its old mode: make sure it is the owner's only.
  chmodSync(out, 0o600);
  stdout.write(
    `Wrote ${out} (mode 0600). In the WeChat console:\n\n${plan.checklist.join('\n')}\n`,
  );
}

await main();
