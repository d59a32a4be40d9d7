/** The business calls of createWechatApi against the emulator, through a real token provider. */
import { describe, expect, it } from 'vitest';
import { WechatApiError } from '../../src/wechat/errors.js';
import type { WechatApi } from '../../src/wechat/types.js';
import { MINI, OFFICIAL, appConfig, officialApp } from '../support/apps.js';
import {
  BATCHGET_API,
  BATCHGET_MAX_USERS,
  FOLLOWERS_API,
  LEGACY_TOKEN_API,
  SNS_USERINFO_API,
  STABLE_TOKEN_API,
} from '../support/wechat-api.js';
import { useMemoryHarness, type MemoryHarness } from '../tokens/harness.js';

const miniApp = appConfig(MINI);

let h: MemoryHarness;
let api: WechatApi;
useMemoryHarness((harness) => {
  h = harness;
  api = h.api(h.provider());
});

const followers = (): readonly string[] => h.emulator.followerOpenids(OFFICIAL.appId);

describe('createWechatApi', () => {
  it('exposes the app without its secret', () => {
    expect(api.app).toEqual({
      name: 'official',
      kind: 'official',
      appId: OFFICIAL.appId,
      tokenMode: 'stable',
    });
    expect(JSON.stringify(api.app)).not.toContain(OFFICIAL.appSecret);
  });

  it('getUserInfo: a follower and a non-follower', async () => {
    const [openid] = followers();
    const follower = await api.getUserInfo(openid ?? '', 'zh_CN');
    expect(follower).toMatchObject({ subscribe: 1, openid });
    const [stranger] = h.emulator.unsubscribedOpenids(OFFICIAL.appId);
    expect(await api.getUserInfo(stranger ?? '', 'en')).toMatchObject({
      subscribe: 0,
      openid: stranger,
    });
    await expect(api.getUserInfo('not-an-openid', 'zh_CN')).rejects.toMatchObject({
      errcode: 40003,
    });
  });

  it('batchGetUserInfo: up to 100 users in request order, one call', async () => {
    const wanted = followers().slice(0, BATCHGET_MAX_USERS).toReversed();
    const users = await api.batchGetUserInfo(wanted.map((openid) => ({ openid, lang: 'zh_CN' })));
    expect(users.map((user) => user.openid)).toEqual(wanted);
    expect(h.emulator.calls(BATCHGET_API)).toBe(1);
  });

  it('batchGetUserInfo refuses 0 or 101 users before calling WeChat', async () => {
    await expect(api.batchGetUserInfo([])).rejects.toThrow(RangeError);
    const tooMany = followers()
      .slice(0, BATCHGET_MAX_USERS + 1)
      .map((openid) => ({ openid, lang: 'zh_CN' as const }));
    expect(tooMany).toHaveLength(BATCHGET_MAX_USERS + 1);
    await expect(api.batchGetUserInfo(tooMany)).rejects.toThrow(/1 to 100/);
    expect(h.emulator.calls(BATCHGET_API)).toBe(0);
  });

  it('getFollowers: the first page, then the terminal page after next_openid', async () => {
    const page = await api.getFollowers();
    expect(page.total).toBe(followers().length);
    expect(page.data?.openid).toEqual(followers());
    const end = await api.getFollowers(page.next_openid);
    expect(end.count).toBe(0);
    expect(end.next_openid).toBe('');
  });

  it('web OAuth: exchange a code, read the user with the user’s own token', async () => {
    const { code, openid } = h.emulator.mintOAuthCode(OFFICIAL.appId, { scope: 'snsapi_userinfo' });
    const grant = await api.exchangeOAuthCode(code);
    expect(grant).toMatchObject({ openid, scope: 'snsapi_userinfo' });
    const user = await api.getOAuthUserInfo(grant.access_token, openid, 'zh_CN');
    expect(user.openid).toBe(openid);
    await expect(api.exchangeOAuthCode(code)).rejects.toMatchObject({ errcode: 40163 });
  });

  it('a rejected user OAuth token never touches the app’s access_token', async () => {
    await api.getUserInfo(followers()[0] ?? '', 'zh_CN');
    h.emulator.resetCalls();
    const error = await api
      .getOAuthUserInfo('0123456789abcdef0123456789abcdef', 'someone', 'zh_CN')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(h.emulator.calls(SNS_USERINFO_API)).toBe(1);
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('code2Session for a mini program', async () => {
    const mini = h.api(h.provider({ app: miniApp }), miniApp);
    const { code, openid } = h.emulator.mintJsCode(MINI.appId);
    const session = await mini.code2Session(code);
    expect(session.openid).toBe(openid);
    expect(session.session_key).not.toBe('');
    await expect(mini.code2Session(code)).rejects.toMatchObject({ errcode: 40163 });
    expect(h.emulator.calls(STABLE_TOKEN_API)).toBe(0);
  });

  it('a token rejected mid-flight is refreshed once and the call retried (legacy)', async () => {
    const legacy = h.api(h.provider({ app: officialApp('legacy') }));
    await legacy.getFollowers();
    h.emulator.expireTokens(OFFICIAL.appId);
    h.emulator.resetCalls();
    const page = await legacy.getFollowers();
    expect(page.total).toBe(followers().length);
    expect(h.emulator.calls(LEGACY_TOKEN_API)).toBe(1);
    expect(h.emulator.calls(FOLLOWERS_API)).toBe(2);
  });
});
