/**
 * A mini program talking to the gateway: wx.login() → `login` (the session_key stays on the
 * gateway), the session token in wx storage, and typed requests over wx.request. The README's
 * "For frontend developers" shows this file; test/client/miniprogram.test.ts runs it.
 */
import {
  createGatewayClient,
  GatewayError,
  MeDocument,
  wxRequestTransport,
  wxStorageSession,
  type GatewayClient,
  type LoginMutation,
  type MeQuery,
  type WxRequestApi,
  type WxStorageApi,
} from '../../client/index.js';

/** wx.login, as miniprogram-api-typings types it (structurally: a test passes a fake). */
export interface WxLoginApi {
  login(options: {
    success(result: { code: string }): void;
    fail(error: { errMsg: string }): void;
  }): void;
}

export type Wx = WxRequestApi & WxStorageApi & WxLoginApi;

/** The gateway's name of the mini program (WECHAT_APPS; `miniprogram` in the sandbox). */
const APP = 'miniprogram';

function wxLogin(wx: WxLoginApi): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: ({ code }) => resolve(code),
      fail: ({ errMsg }) => reject(new Error(errMsg)),
    });
  });
}

export interface MiniProgramGateway {
  readonly client: GatewayClient;
  /** A fresh wx.login() code → `login`; the token is kept in wx storage. */
  signIn(): Promise<LoginMutation['login']>;
  /** The signed-in user; signs in first when there is no session, or when it has ended. */
  me(): Promise<MeQuery['me']>;
}

export function createMiniProgramGateway(wx: Wx, url: string): MiniProgramGateway {
  const client = createGatewayClient({
    url,
    transport: wxRequestTransport(wx),
    session: wxStorageSession(wx),
  });
  const signIn = async () => client.login({ code: await wxLogin(wx), app: APP });
  return {
    client,
    signIn,
    async me() {
      if (client.session.get() === undefined) await signIn();
      try {
        return (await client.request(MeDocument, { app: APP })).me;
      } catch (error) {
        // Expired or logged out elsewhere: the client dropped the token; sign in once more.
        if (!(error instanceof GatewayError) || error.code !== 'UNAUTHENTICATED') throw error;
        await signIn();
        return (await client.request(MeDocument, { app: APP })).me;
      }
    },
  };
}
