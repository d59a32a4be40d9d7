/**
 * What `npm run setup` writes and prints, as a pure function of the answers: the `.env` lines
 * (the app credentials the operator gave, and the secrets that are the gateway's own, generated
 * here) and the WeChat console checklist with the exact values to paste. scripts/setup.ts asks
 * the questions and writes the file.
 */
import { randomBytes } from 'node:crypto';

export type AppKind = 'official' | 'miniprogram';

export interface SetupApp {
  name: string;
  kind: AppKind;
  appId: string;
  appSecret: string;
}

export interface SetupAnswers {
  apps: SetupApp[];
  /** Where WeChat and browsers reach the gateway, e.g. https://api.example.com (no path). */
  publicUrl: string;
  /** Hosts of the H5 pages that log in and call jsapiConfig (official accounts). */
  jssdkHosts: string[];
  /** TOKEN_STORE: a redis:// URL for several instances, a file for one. */
  tokenStore: string;
  /** WECHAT_API_BASE_URL, only when not WeChat's own (a proxy, or the emulator in tests). */
  apiBaseUrl?: string;
}

export interface SetupPlan {
  /** `.env` content: comments and KEY=value lines. */
  envFile: string;
  /** The console steps, in order, with the values to paste (they include secrets: print only). */
  checklist: string[];
}

/** `bytes` random bytes as base64url: no characters a shell or .env parser treats specially. */
export type RandomText = (bytes: number) => string;
const random: RandomText = (bytes) => randomBytes(bytes).toString('base64url');

/** WeChat's Token: 3-32 letters or digits. */
const callbackToken = (text: RandomText) =>
  text(24)
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 32);

/** An EncodingAESKey: exactly 43 letters or digits (the console generates the same shape). */
function encodingAesKey(text: RandomText): string {
  let key = '';
  while (key.length < 43) key += text(48).replace(/[^A-Za-z0-9]/g, '');
  return key.slice(0, 43);
}

export const APP_ID = /^wx[0-9a-f]{16}$/i;
export const APP_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Problems with the answers, in words; empty when they can be written. */
export function checkAnswers(answers: SetupAnswers): string[] {
  const problems: string[] = [];
  if (answers.apps.length === 0) problems.push('at least one app is needed');
  const names = new Set<string>();
  for (const app of answers.apps) {
    if (!APP_NAME.test(app.name)) {
      problems.push(`app name "${app.name}": use 1-64 letters, digits, "_" or "-"`);
    }
    if (names.has(app.name)) problems.push(`app name "${app.name}" is used twice`);
    names.add(app.name);
    if (!APP_ID.test(app.appId)) {
      problems.push(
        `app "${app.name}": an AppID is "wx" and 16 hex digits (WeChat console → 开发接口管理)`,
      );
    }
    if (app.appSecret.trim() === '') problems.push(`app "${app.name}": the AppSecret is empty`);
  }
  let url: URL | undefined;
  try {
    url = new URL(answers.publicUrl);
  } catch {
    problems.push(`public URL "${answers.publicUrl}" is not a URL (e.g. https://api.example.com)`);
  }
  if (url && url.protocol !== 'https:' && url.hostname !== '127.0.0.1') {
    problems.push('the public URL must be https:// (WeChat pushes and pages need it)');
  }
  for (const host of answers.jssdkHosts) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) {
      problems.push(`JS-SDK host "${host}": give a host name such as shop.example.com`);
    }
  }
  return problems;
}

interface AppSecrets {
  callbackToken: string;
  encodingAesKey: string;
}

function envLines(
  answers: SetupAnswers,
  own: { admin: string; service: string; session: string },
  secrets: Map<string, AppSecrets>,
): string[] {
  const lines: string[] = [];
  const [first] = answers.apps;
  if (answers.apps.length === 1 && first) {
    const app = secrets.get(first.name);
    lines.push(
      `WECHAT_APP_NAME=${first.name}`,
      `WECHAT_APP_KIND=${first.kind}`,
      `WECHAT_APP_ID=${first.appId}`,
      `WECHAT_APP_SECRET=${first.appSecret}`,
      `WECHAT_CALLBACK_TOKEN=${app?.callbackToken ?? ''}`,
      `WECHAT_ENCODING_AES_KEY=${app?.encodingAesKey ?? ''}`,
    );
  } else {
    const entries = answers.apps.map((app) => ({ ...app, ...secrets.get(app.name) }));
    lines.push(`WECHAT_APPS='${JSON.stringify(entries)}'`);
  }
  if (answers.apiBaseUrl) lines.push(`WECHAT_API_BASE_URL=${answers.apiBaseUrl}`);
  lines.push(
    '',
    "# The gateway's own secrets (generated): keep them as they are on every instance.",
    `ADMIN_API_KEY=${own.admin}`,
    `SERVICE_API_KEYS=${own.service}`,
    `SESSION_SECRET=${own.session}`,
    '',
    `JSSDK_ALLOWED_HOSTS=${answers.jssdkHosts.join(',')}`,
    `CORS_ORIGINS=${answers.jssdkHosts.length > 0 ? answers.jssdkHosts.map((h) => `https://${h}`).join(',') : 'none'}`,
    `TOKEN_STORE=${answers.tokenStore}`,
  );
  return lines;
}

function officialSteps(app: SetupApp, url: string, secrets: AppSecrets, hosts: string[]) {
  const steps = [
    `Official account "${app.name}" (${app.appId}), mp.weixin.qq.com:`,
    `  1. 设置与开发 → 开发接口管理 → 基本配置 → IP白名单: add the public (egress) IP of every gateway instance (on each server: curl -s https://ifconfig.me).`,
    `  2. 基本配置 → 服务器配置: URL ${url}/wechat/callback/${app.name}, Token ${secrets.callbackToken}, EncodingAESKey ${secrets.encodingAesKey}, 消息加解密方式 安全模式; then 启用 (the gateway must be running: WeChat checks the URL).`,
  ];
  if (hosts.length > 0) {
    steps.push(
      `  3. 设置与开发 → 公众号设置 → 功能设置 → 网页授权域名: ${hosts.join(', ')} (each needs the MP_verify_*.txt file WeChat gives you at its root).`,
      `  4. 功能设置 → JS接口安全域名: ${hosts.join(', ')}.`,
    );
  }
  return steps;
}

function miniProgramSteps(app: SetupApp, url: string, secrets: AppSecrets) {
  const host = new URL(url).host;
  return [
    `Mini program "${app.name}" (${app.appId}), mp.weixin.qq.com:`,
    `  1. 开发管理 → 开发设置 → 服务器域名 → request合法域名: https://${host}.`,
    `  2. 开发设置 → IP白名单 (if enabled): the egress IP of every gateway instance.`,
    `  3. 开发设置 → 消息推送: URL ${url}/wechat/callback/${app.name}, Token ${secrets.callbackToken}, EncodingAESKey ${secrets.encodingAesKey}, 消息加解密方式 安全模式, 数据格式 JSON or XML.`,
  ];
}

/** The file and the checklist; `text` makes the generated secrets (tests pass a fixed one). */
export function planSetup(answers: SetupAnswers, text: RandomText = random): SetupPlan {
  const problems = checkAnswers(answers);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const url = answers.publicUrl.replace(/\/+$/, '');
  const own = { admin: text(32), service: text(32), session: text(48) };
  const secrets = new Map(
    answers.apps.map((app) => [
      app.name,
      { callbackToken: callbackToken(text), encodingAesKey: encodingAesKey(text) },
    ]),
  );
  const envFile = [
    '# Written by `npm run setup`. It holds secrets: keep it out of version control, mode 0600.',
    '# The gateway reads it from its working directory (ENV_FILE=path for another place).',
    '',
    ...envLines(answers, own, secrets),
    '',
  ].join('\n');
  const checklist = [
    ...answers.apps.flatMap((app) => {
      const appSecrets = secrets.get(app.name);
      if (!appSecrets) return [];
      return app.kind === 'official'
        ? officialSteps(app, url, appSecrets, answers.jssdkHosts)
        : miniProgramSteps(app, url, appSecrets);
    }),
    `GraphQL endpoint for your pages and services: ${url}/graphql (services send "Authorization: Bearer <SERVICE_API_KEYS>").`,
    'Then start the gateway with NODE_ENV=production and check GET /readyz: it answers 503 naming the app while WeChat rejects its credentials.',
  ];
  return { envFile, checklist };
}
