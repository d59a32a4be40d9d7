/**
 * What the upstream client tells the gateway's metrics: one observation per request to WeChat
 * (each attempt of a retried read), named by the endpoint's path and never the query, with the
 * outcome and the errcode.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  createWechatHttp,
  type UpstreamObserver,
  type UpstreamOutcome,
  type WechatHttp,
} from '../../src/wechat/http.js';

interface Seen {
  api: string;
  outcome: UpstreamOutcome;
  errcode?: number;
  seconds: number;
}

const USER_INFO = '/cgi-bin/user/info';

describe('the upstream observer', () => {
  let emulator: Emulator;
  let http: WechatHttp;
  let seen: Seen[];
  beforeEach(async () => {
    emulator = await createEmulator();
    seen = [];
    const observer: UpstreamObserver = {
      observe: (api, seconds, outcome, errcode) =>
        seen.push({ api, seconds, outcome, ...(errcode === undefined ? {} : { errcode }) }),
    };
    http = createWechatHttp({
      baseUrl: emulator.url,
      observer,
      requestTimeoutMs: 300,
      retryDelayMs: 1,
    });
  });
  afterEach(async () => {
    await http.close();
    await emulator.close();
  });

  it('sees an errcode, a retried -1 and a retried timeout, one per attempt, by path', async () => {
    const query = { access_token: 'SECRET-TOKEN-VALUE', openid: 'o1', lang: 'zh_CN' };
    emulator.failNext(USER_INFO, 1, { errcode: 40001 });
    await expect(http.get(USER_INFO, query)).rejects.toMatchObject({ errcode: 40001 });
    // -1 on a read: retried once, two observations.
    emulator.failNext(USER_INFO, 2, { errcode: -1 });
    await expect(http.get(USER_INFO, query)).rejects.toMatchObject({ errcode: -1 });
    emulator.hangNext(USER_INFO, 2);
    await expect(http.get(USER_INFO, query)).rejects.toMatchObject({ kind: 'timeout' });
    expect(seen.map(({ api, outcome, errcode }) => ({ api, outcome, errcode }))).toEqual([
      { api: USER_INFO, outcome: 'errcode', errcode: 40001 },
      { api: USER_INFO, outcome: 'errcode', errcode: -1 },
      { api: USER_INFO, outcome: 'errcode', errcode: -1 },
      { api: USER_INFO, outcome: 'timeout', errcode: undefined },
      { api: USER_INFO, outcome: 'timeout', errcode: undefined },
    ]);
    // Each timed-out attempt lasted the whole request timeout (300 ms).
    for (const { seconds } of seen.slice(-2)) expect(seconds).toBeGreaterThanOrEqual(0.25);
    expect(JSON.stringify(seen)).not.toContain('SECRET');
  });

  it('sees a success as ok', async () => {
    const token = await http.postJson<{ access_token: string }>(
      '/cgi-bin/stable_token',
      {},
      {
        grant_type: 'client_credential',
        appid: emulator.apps[0]?.appId,
        secret: emulator.apps[0]?.appSecret,
      },
    );
    expect(token.access_token).toBeTruthy();
    expect(seen).toEqual([
      { api: '/cgi-bin/stable_token', outcome: 'ok', seconds: expect.any(Number) },
    ]);
  });
});
