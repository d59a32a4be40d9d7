/**
 * The whole life of a gateway's users in one run, logged at debug level, and then every log line
 * searched for every secret of the run: app secrets, the admin and service keys, the session
 * secret, each access token and ticket WeChat issued, the login codes, session tokens, the mini
 * program's session_key, the callback Token and EncodingAESKey. The upstream secrets are taken
 * off the wire by a recording proxy, so none is missed because the gateway never showed it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPushActions } from '../../src/emulator/push-actions.js';
import { createPushSender } from '../../src/emulator/push.js';
import {
  ADMIN_KEY,
  SERVICE_KEY,
  SESSION_SECRET,
  startGateway,
  type Gateway,
  type QueryOptions,
} from '../support/harness.js';
import { SEND_TEMPLATE, templateInput } from '../support/operations.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const CALLBACK = {
  token: 'CallbackToken0123456789abcdefABCD',
  aesKey: 'AesKey0123456789abcdefghijklmnopqrstuvwxyzA',
};

interface Run {
  gw: Gateway;
  proxy: RecordingProxy;
}

async function start(): Promise<Run> {
  let proxy: RecordingProxy | undefined;
  const gw = await startGateway({
    upstream: async (url) => (proxy = await startRecordingProxy(url)),
    events: { callbacks: { official: { token: CALLBACK.token, aesKeys: [CALLBACK.aesKey] } } },
  });
  if (proxy === undefined) throw new Error('no proxy');
  return { gw, proxy };
}

/** Runs one operation and expects it to succeed (or fail with `code`); returns its data. */
async function op<T = Record<string, unknown>>(
  gw: Gateway,
  query: string,
  options: QueryOptions & { code?: string } = {},
): Promise<T | undefined> {
  const res = await gw.query<T>(query, options);
  if (options.code === undefined) expect(res.body.errors, query).toBeUndefined();
  else expect(res.body.errors?.[0]?.extensions?.['code'], query).toBe(options.code);
  return res.body.data ?? undefined;
}

/** Every user-facing step; returns the secrets the client saw and the operations it ran. */
async function scenario({ gw }: Run): Promise<{ secrets: string[]; operations: number }> {
  const secrets: string[] = [];
  let operations = 0;
  const run = async <T = Record<string, unknown>>(
    query: string,
    options: QueryOptions & { code?: string } = {},
  ) => {
    operations += 1;
    return op<T>(gw, query, options);
  };
  const login =
    'mutation Login($code: String!, $app: String) { login(code: $code, app: $app) { token } }';
  type LoginData = { login: { token: string } };

  // A page's OAuth login (and the code replayed: WeChat's 40163 is logged), then `me`.
  const oauth = gw.emulator.mintOAuthCode(gw.official.appId, { scope: 'snsapi_userinfo' });
  secrets.push(oauth.code);
  const page = await run<LoginData>(login, { as: 'anonymous', variables: { code: oauth.code } });
  const pageToken = page?.login.token ?? '';
  secrets.push(pageToken);
  await run(login, { as: 'anonymous', variables: { code: oauth.code }, code: 'BAD_USER_INPUT' });
  await run('query Me { me { openid } }', { as: { token: pageToken } });

  // A mini program's wx.login() (its session_key stays on the server), then `me`.
  const js = gw.emulator.mintJsCode(gw.mini.appId);
  secrets.push(js.code);
  const mini = await run<LoginData>(login, {
    as: 'anonymous',
    variables: { code: js.code, app: 'miniprogram' },
  });
  const miniToken = mini?.login.token ?? '';
  secrets.push(miniToken);
  await run('query Me { me { openid } }', { as: { token: miniToken } });

  // A JS-SDK signature (a jsapi_ticket fetched), admin token reads and a forced refresh.
  await run('query Sign { jsapiConfig(url: "https://shop.example.com/p?id=1") { signature } }', {
    as: 'anonymous',
  });
  type TokenData = { accessToken: { value: string } };
  const token = await run<TokenData>('query Token { accessToken { value } }', { as: 'admin' });
  secrets.push(token?.accessToken.value ?? '');
  const refreshed = await run<{ refreshAccessToken: { value: string } }>(
    'mutation Refresh { refreshAccessToken(force: true) { value } }',
    { as: 'admin' },
  );
  secrets.push(refreshed?.refreshAccessToken.value ?? '');

  // A back-office send and a QR code, then an upstream failure on a read.
  await run(SEND_TEMPLATE, { variables: { input: templateInput(gw) } });
  await run(
    'mutation Qr { createQrCode(input: { scene: { str: "spring" }, expiresIn: 600 }) { ticket } }',
  );
  gw.emulator.failNext('/cgi-bin/user/info/batchget', 2, { errcode: -1 });
  const [follower = ''] = gw.emulator.followerOpenids(gw.official.appId);
  await run(`query User { userInfo(openid: "${follower}") { openid } }`, {
    code: 'UPSTREAM_UNAVAILABLE',
  });

  // WeChat pushes a follow event (safe mode: signed and AES-encrypted) to the callback URL.
  const sender = createPushSender({
    clock: gw.clock,
    fetch: async (url, init) => gw.yoga.fetch(url, init),
  });
  const pushed = await createPushActions({ sender, clock: gw.clock }).follow(
    {
      url: 'http://gateway.test/wechat/callback/official',
      token: CALLBACK.token,
      encodingAesKey: CALLBACK.aesKey,
      appId: gw.official.appId,
      mode: 'safe',
      format: 'xml',
    },
    follower,
    'spring',
  );
  expect(pushed.delivery.delivered).toBe(true);

  // Logout; the token is refused afterwards; a wrong key is refused.
  await run('mutation Logout { logout }', { as: { token: pageToken } });
  await run('query Me { me { openid } }', { as: { token: pageToken }, code: 'UNAUTHENTICATED' });
  await run('query Token { accessToken { value } }', {
    headers: { authorization: 'Bearer wrong-key-0123456789abcdef' },
    code: 'UNAUTHENTICATED',
  });
  return { secrets, operations };
}

describe('a full run, logged at debug level', () => {
  let current: Run | undefined;
  afterEach(async () => {
    await current?.gw.close();
    await current?.proxy.close();
    current = undefined;
  });

  it('writes no secret, token, code, session token, session key or AES key on any line', async () => {
    current = await start();
    const { gw, proxy } = current;
    const { secrets, operations } = await scenario(current);

    // The run met every kind of secret it is meant to check.
    expect(proxy.seen('session_key')).toBeGreaterThanOrEqual(1);
    expect(proxy.seen('ticket')).toBeGreaterThanOrEqual(2); // jsapi_ticket, QR ticket
    expect(proxy.seen('refresh_token')).toBeGreaterThanOrEqual(1); // the OAuth login
    expect(proxy.seen('secret')).toBeGreaterThanOrEqual(3); // token and login calls
    const issuedTokens = new Set(secrets.slice(-2));
    expect(issuedTokens.size).toBe(2); // the forced refresh brought a new token

    const all = new Set([
      ADMIN_KEY,
      SERVICE_KEY,
      SESSION_SECRET,
      CALLBACK.token,
      CALLBACK.aesKey,
      ...gw.emulator.apps.map((app) => app.appSecret),
      ...secrets,
      ...proxy.secrets,
    ]);
    all.delete('');
    expect(all.size).toBeGreaterThan(15);
    expect(gw.logs.length).toBeGreaterThan(operations);
    for (const secret of all) {
      expect(
        gw.logs.filter((line) => line.includes(secret)),
        secret.slice(0, 4),
      ).toEqual([]);
    }

    // One access line per operation, and every line logged for a request carries its id.
    const entries = gw.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((entry) => entry['msg'] === 'access')).toHaveLength(operations);
    // Everything here was logged while a request was handled: every line names its request.
    for (const entry of entries)
      expect(entry['requestId'], String(entry['msg'])).toBeTypeOf('string');
  });
});
