/** wx.config / wx.ready / wx.error of WeChat's JS-SDK (or the sandbox's stand-in), as a promise. */
import type { JsapiConfigQuery } from '../../client/index.js';

interface JsSdk {
  config(options: {
    debug: boolean;
    appId: string;
    timestamp: number;
    nonceStr: string;
    signature: string;
    jsApiList: string[];
  }): void;
  ready(callback: () => void): void;
  error(callback: (result: { errMsg: string }) => void): void;
}

/** Resolves on wx.ready, rejects with WeChat's errMsg on wx.error. */
export function configureJssdk(
  config: JsapiConfigQuery['jsapiConfig'],
  jsApiList: string[],
): Promise<void> {
  const wx = (window as unknown as { wx?: JsSdk }).wx;
  if (wx === undefined) return Promise.reject(new Error('the JS-SDK (jweixin.js) did not load'));
  return new Promise((resolve, reject) => {
    wx.ready(resolve);
    wx.error(({ errMsg }) => reject(new Error(errMsg)));
    wx.config({
      debug: false,
      appId: config.appId,
      timestamp: config.timestamp,
      nonceStr: config.nonceStr,
      signature: config.signature,
      jsApiList,
    });
  });
}
