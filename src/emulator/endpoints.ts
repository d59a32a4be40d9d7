/** WeChat's endpoints as the emulator serves them: path → route (README.md lists them). */
import { createAuthorizeRoute, AUTHORIZE_PATH } from './oauth-authorize.js';
import {
  createOAuthRefreshRoute,
  createOAuthTokenRoute,
  createSnsAuthRoute,
  createSnsUserInfoRoute,
} from './oauth.js';
import type { Route } from './protocol.js';
import { createRemarkRoute } from './remark.js';
import type { EmulatorServices } from './services.js';
import { createTemplateSendRoute } from './template-message.js';
import { createTicketRoute } from './ticket.js';
import { createLegacyTokenRoute, createStableTokenRoute } from './tokens.js';
import { createBatchGetRoute, createFollowersRoute, createUserInfoRoute } from './users.js';
import { createUnlimitedCodeRoute } from './wxacode.js';

export function createWechatRoutes(services: EmulatorServices): ReadonlyMap<string, Route> {
  const { registry, tokens, guard, userInfo, oauth, login, tickets } = services;
  const { subscribe, mass, qrCodes, links, phones, tags } = services;
  return new Map<string, Route>([
    ['/cgi-bin/token', createLegacyTokenRoute(registry, tokens)],
    ['/cgi-bin/stable_token', createStableTokenRoute(registry, tokens)],
    ['/cgi-bin/user/info', createUserInfoRoute(guard, userInfo)],
    ['/cgi-bin/user/info/batchget', createBatchGetRoute(guard, userInfo)],
    ['/cgi-bin/user/get', createFollowersRoute(guard)],
    ['/cgi-bin/ticket/getticket', createTicketRoute(guard, tickets)],
    ['/sns/oauth2/access_token', createOAuthTokenRoute(registry, oauth)],
    ['/sns/oauth2/refresh_token', createOAuthRefreshRoute(registry, oauth)],
    ['/sns/userinfo', createSnsUserInfoRoute(registry, oauth)],
    ['/sns/auth', createSnsAuthRoute(oauth)],
    ['/sns/jscode2session', login.route],
    // open.weixin.qq.com's browser step, served here too: the sandbox has one emulator host.
    [AUTHORIZE_PATH, createAuthorizeRoute(registry, oauth)],
    ['/cgi-bin/message/template/send', createTemplateSendRoute(services.messageDeps)],
    ['/cgi-bin/message/subscribe/send', subscribe.miniProgramRoute],
    ['/cgi-bin/message/subscribe/bizsend', subscribe.officialRoute],
    ...mass.routes,
    ['/cgi-bin/qrcode/create', qrCodes.createRoute],
    ['/cgi-bin/showqrcode', qrCodes.imageRoute],
    ['/wxa/getwxacodeunlimit', createUnlimitedCodeRoute(guard)],
    ['/wxa/generatescheme', links.schemeRoute],
    ['/wxa/generate_urllink', links.urlLinkRoute],
    ['/wxa/business/getuserphonenumber', phones.route],
    ...tags.routes,
    ['/cgi-bin/user/info/updateremark', createRemarkRoute(guard)],
  ]);
}
