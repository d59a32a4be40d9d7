/**
 * errmsg texts as WeChat words them (wechat-api.md §0.3); the server appends ` rid: …`.
 * Codes whose real text is unknown get the meaning in WeChat's style.
 */
const ERRMSG: ReadonlyMap<number, string> = new Map([
  [-1, 'system error'],
  [40001, 'invalid credential, access_token is invalid or not latest'],
  [40002, 'invalid grant_type'],
  [40003, 'invalid openid'],
  [40013, 'invalid appid'],
  [40014, 'invalid access_token'],
  [40029, 'invalid code'],
  [40030, 'invalid refresh_token'],
  [40032, 'invalid openid list size'],
  [40066, 'invalid url'],
  [40097, 'invalid args'],
  [40125, 'invalid appsecret'],
  [40163, 'code been used'],
  // WeChat echoes the caller's IP; the emulator only ever listens on loopback.
  [40164, 'invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist'],
  [40226, 'code blocked'],
  [41001, 'access_token missing'],
  [41002, 'appid missing'],
  [41003, 'refresh_token missing'],
  [41004, 'appsecret missing'],
  [41008, 'missing code'],
  [41009, 'missing openid'],
  [42001, 'access_token expired'],
  [42002, 'refresh_token expired'],
  [43002, 'require POST method'],
  [45009, 'reach max api daily quota limit'],
  [45011, 'api minute-quota reach limit, must slower, retry next minute'],
  [47001, 'data format error'],
  [48001, 'api unauthorized'],
  [48006, 'forbid to clear quota because of reaching the limit'],
  [50002, 'user limited'],
  [50004, 'user not allow to use accesstoken, maybe for punishment'],
]);

/** Hint newer servers append to 40001 and to the legacy token endpoint's 45009. */
export const STABLE_TOKEN_HINT =
  'could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r';

export function errmsgFor(errcode: number): string {
  return ERRMSG.get(errcode) ?? 'system error';
}
