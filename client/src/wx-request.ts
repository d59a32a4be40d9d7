/**
 * Mini programs have no fetch: requests go through `wx.request`, the token lives in wx storage.
 * Typed structurally, so the real `wx` (miniprogram-api-typings) fits, and so does a test's fake.
 */
import type { SessionStore } from './session.js';
import type { Transport } from './transport.js';

export interface WxRequestOptions {
  url: string;
  method: 'POST';
  header: Record<string, string>;
  data: string;
  dataType: 'json';
  success(result: { statusCode: number; data: unknown }): void;
  fail(error: { errMsg: string }): void;
}

export interface WxRequestApi {
  request(options: WxRequestOptions): unknown;
}

export interface WxStorageApi {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: string): void;
  removeStorageSync(key: string): void;
}

/** wx.request as a Transport: JSON in, parsed JSON out (a body wx could not parse: undefined). */
export function wxRequestTransport(wx: WxRequestApi): Transport {
  return ({ url, headers, body }) =>
    new Promise((resolve, reject) => {
      wx.request({
        url,
        method: 'POST',
        header: { ...headers },
        data: body,
        dataType: 'json',
        success: ({ statusCode, data }) =>
          resolve({ status: statusCode, json: typeof data === 'object' ? data : undefined }),
        fail: ({ errMsg }) => reject(new Error(errMsg)),
      });
    });
}

/** The session token in wx storage, kept across launches until it ends. */
export function wxStorageSession(wx: WxStorageApi, key = 'gateway.session'): SessionStore {
  return {
    get() {
      const value = wx.getStorageSync(key);
      // getStorageSync answers '' for a key never set.
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
    set: (token) => wx.setStorageSync(key, token),
    clear: () => wx.removeStorageSync(key),
  };
}
