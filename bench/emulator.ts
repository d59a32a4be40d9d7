/**
 * The WeChat emulator of the bench: `npm run emulator` (src/emulator/main.ts) in its own process,
 * as WeChat is another machine in production, and the few things the bench asks it over HTTP:
 * call counters and followers (its `/__emulator/` controls, never counted), a login code (its
 * `/emulator/oauth-code` route), and the users' records as WeChat itself answers them.
 */
import { request } from 'undici';
import { DEFAULT_EMULATOR_APPS } from '../src/emulator/default-apps.js';
import { startProcess, tsxArgs, type Started } from './processes.js';

const official = DEFAULT_EMULATOR_APPS.find((app) => app.kind === 'official');
if (!official) throw new Error('the emulator has no official account');
export const OFFICIAL = { appId: official.appId, appSecret: official.appSecret };

/** What a WeChat user record says, in the shape every server of the bench answers. */
export interface UserRecord {
  openid: string;
  subscribed: boolean;
  language: string | null;
}

async function json<T>(url: string, init: { method?: 'GET' | 'POST'; body?: string } = {}) {
  const { statusCode, body } = await request(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    body: init.body,
  });
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`${url} answered ${statusCode}: ${text}`);
  return JSON.parse(text) as T;
}

export interface BenchEmulator {
  readonly process: Started;
  readonly url: string;
  /** Requests per WeChat path since the emulator started (controls and login codes excluded). */
  calls(): Promise<Record<string, number>>;
  followers(): Promise<string[]>;
  /** A web-OAuth (snsapi_userinfo) code for `openid`, as the WeChat client hands it to a page. */
  oauthCode(openid: string): Promise<string>;
  /** The users' records straight from the emulator's batchget: what every answer must say. */
  records(openids: readonly string[]): Promise<UserRecord[]>;
}

export async function startEmulator(env: Record<string, string>): Promise<BenchEmulator> {
  const proc = await startProcess('emulator', process.execPath, tsxArgs('src/emulator/main.ts'), {
    env: { ...env, EMULATOR_PORT: '0', EMULATOR_HOST: '127.0.0.1' },
    ready: /WeChat emulator listening on (http:\/\/\S+)/,
  });
  const url = proc.url;
  const appid = encodeURIComponent(OFFICIAL.appId);
  return {
    process: proc,
    url,
    async calls() {
      return (await json<{ calls: Record<string, number> }>(`${url}/__emulator/calls`)).calls;
    },
    async followers() {
      return (await json<{ openids: string[] }>(`${url}/__emulator/followers?appid=${appid}`))
        .openids;
    },
    async oauthCode(openid) {
      const query = `appid=${appid}&scope=snsapi_userinfo&openid=${encodeURIComponent(openid)}`;
      return (await json<{ code: string }>(`${url}/emulator/oauth-code?${query}`)).code;
    },
    async records(openids) {
      const { access_token: token } = await json<{ access_token: string }>(
        `${url}/cgi-bin/stable_token`,
        {
          method: 'POST',
          body: JSON.stringify({
            grant_type: 'client_credential',
            appid: OFFICIAL.appId,
            secret: OFFICIAL.appSecret,
          }),
        },
      );
      const answer = await json<{
        user_info_list?: { openid: string; subscribe: number; language?: string }[];
      }>(`${url}/cgi-bin/user/info/batchget?access_token=${token}`, {
        method: 'POST',
        body: JSON.stringify({ user_list: openids.map((openid) => ({ openid, lang: 'zh_CN' })) }),
      });
      const list = answer.user_info_list ?? [];
      if (list.length !== openids.length) throw new Error(`batchget: ${JSON.stringify(answer)}`);
      return list.map((user) => ({
        openid: user.openid,
        subscribed: user.subscribe === 1,
        language: user.language ?? null,
      }));
    },
  };
}
