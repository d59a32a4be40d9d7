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
  [40007, 'invalid media_id'],
  [40037, 'invalid template_id'],
  [40053, 'invalid action info, please check document'],
  [40059, 'invalid msg id'],
  [40060, 'invalid article idx'],
  [40092, 'invalid remark name'],
  [40129, 'invalid scene'],
  [40130, 'invalid openid list size, at least two openid'],
  [40165, 'invalid weapp pagepath'],
  [40169, 'invalid length for scene, or the data is not json string'],
  [40212, 'invalid query'],
  [40241, 'The message is duplicate'],
  [41030, 'invalid page'],
  [43004, 'require subscribe'],
  [43101, 'user refuse to accept the msg'],
  [44002, 'empty post data'],
  [45028, 'has no masssend quota'],
  [45056, 'too many tags'],
  [45057, 'cannot delete the tag that has too many fans'],
  [45058, 'cannot edit or delete system tags'],
  [45059, 'too many tags on the user'],
  [45063, 'no permission to use this api'],
  [45065, 'clientmsgid exist'],
  [45066, 'same clientmsgid retry too fast'],
  [45067, 'clientmsgid size out of limit'],
  [45157, 'invalid tag name'],
  [45158, 'tag name too long'],
  [45159, 'invalid tag id'],
  [47003, 'argument invalid!'],
  [49003, 'not match openid with appid'],
  [85079, 'miniprogram has no online release'],
  [85401, 'time limit between 1min and 1year'],
  [85402, 'invalid expire interval'],
  [50004, 'user not allow to use accesstoken, maybe for punishment'],
]);

/** Hint newer servers append to 40001 and to the legacy token endpoint's 45009. */
export const STABLE_TOKEN_HINT =
  'could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r';

export function errmsgFor(errcode: number): string {
  return ERRMSG.get(errcode) ?? 'system error';
}
