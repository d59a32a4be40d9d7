/**
 * The API families beyond user look-ups and logins, for one app: messages, mass sends, QR codes,
 * mini program calls and tags (plus the app's cached tag list). Built once per app with the
 * app's token source; createGatewayApps hangs them on each GatewayApp.
 */
import type { Clock } from '../shared/clock.js';
import type { WechatHttp } from './http.js';
import { createMassApi, type MassApi } from './mass.js';
import { createMessagesApi, type MessagesApi } from './messages.js';
import { createMiniProgramApi, type MiniProgramApi } from './miniprogram.js';
import { createQrCodeApi, type QrCodeApi } from './qrcode.js';
import { createTagNames, type TagNames } from './tag-names.js';
import { createTagsApi, type TagsApi } from './tags.js';
import type { AccessTokenSource } from './types.js';

export interface WechatFamilies {
  readonly messages: MessagesApi;
  readonly mass: MassApi;
  readonly qrCodes: QrCodeApi;
  readonly miniProgram: MiniProgramApi;
  readonly tags: TagsApi;
  readonly tagNames: TagNames;
}

export function createWechatFamilies(deps: {
  http: WechatHttp;
  tokens: AccessTokenSource;
  clock: Clock;
  /** Default: WeChat's `https://mp.weixin.qq.com/cgi-bin/showqrcode`. */
  qrImageEndpoint?: string;
}): WechatFamilies {
  const { http, tokens, clock } = deps;
  const tags = createTagsApi(http, tokens);
  return {
    messages: createMessagesApi(http, tokens),
    mass: createMassApi(http, tokens),
    qrCodes: createQrCodeApi(http, tokens, deps.qrImageEndpoint),
    miniProgram: createMiniProgramApi(http, tokens),
    tags,
    tagNames: createTagNames(tags, clock),
  };
}
