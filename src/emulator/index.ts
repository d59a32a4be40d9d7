import { systemClock } from '../shared/clock.js';
import {
  DEFAULT_TOKEN_HANDOVER_MS,
  DEFAULT_TOKEN_LIFETIME_MS,
  createAccessTokens,
} from './access-tokens.js';
import { createCallCounter } from './call-counter.js';
import { createControls, isAdjustable, type ControlTarget } from './controls.js';
import { createControlRoutes } from './control-routes.js';
import { DEFAULT_EMULATOR_APPS } from './default-apps.js';
import { createFaults } from './faults.js';
import { createMiniProgramLogin } from './jscode.js';
import { checkJsapiConfig } from './jssdk-config.js';
import { AUTHORIZE_PATH, createAuthorizeRoute } from './oauth-authorize.js';
import { createOAuthSessions } from './oauth-sessions.js';
import {
  createOAuthRefreshRoute,
  createOAuthTokenRoute,
  createSnsAuthRoute,
  createSnsUserInfoRoute,
} from './oauth.js';
import type { Route } from './protocol.js';
import { createEmulatorAppRegistry } from './registry.js';
import { createRidGenerator } from './rid.js';
import { startServer } from './server.js';
import { createTicketRoute, createTickets } from './ticket.js';
import { createTokenGuard } from './token-guard.js';
import { createLegacyTokenRoute, createStableTokenRoute } from './tokens.js';
import type { Emulator, EmulatorOptions } from './types.js';
import { createBatchGetRoute, createFollowersRoute, createUserInfoRoute } from './users.js';
import { templatesOf, OFFICIAL_MEDIA } from './catalogue.js';
import { createLinks } from './links.js';
import { createMassRoutes } from './mass.js';
import { createMessageIds } from './message-ids.js';
import { createPhoneNumbers } from './phone.js';
import { createQrCodes } from './qrcode.js';
import { createRemarkRoute } from './remark.js';
import { createSendLog } from './send-log.js';
import { createSubscribeMessages } from './subscribe-message.js';
import { createTags } from './tags.js';
import { createTemplateSendRoute } from './template-message.js';
import { createUnlimitedCodeRoute } from './wxacode.js';

export { DEFAULT_EMULATOR_APPS } from './default-apps.js';
export type { Emulator, EmulatorApp, EmulatorOptions } from './types.js';
export type { JsapiConfigCheck, JsapiConfigInput } from './jssdk-config.js';
export { AUTHORIZE_PATH } from './oauth-authorize.js';
export type { SentMessage } from './send-log.js';
export type { EmulatedTemplate } from './catalogue.js';

/** Emulator controls over HTTP: not WeChat endpoints, never counted or faulted. */
export const EMULATOR_CONTROL_PATHS = { sentMessages: '/__emulator/sent-messages' } as const;

const DEFAULT_LEGACY_TOKEN_QUOTA = 2000;

function positiveCount(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Token lifetime and hand-over in ms; the hand-over must end before the token does. */
function tokenTimes(options: EmulatorOptions): { lifetimeMs: number; handoverMs: number } {
  const lifetime = positiveCount(options.tokenLifetimeSeconds, 'tokenLifetimeSeconds');
  const handover = positiveCount(options.tokenHandoverSeconds, 'tokenHandoverSeconds');
  const lifetimeMs = lifetime === undefined ? DEFAULT_TOKEN_LIFETIME_MS : lifetime * 1000;
  const handoverMs = handover === undefined ? DEFAULT_TOKEN_HANDOVER_MS : handover * 1000;
  if (handoverMs >= lifetimeMs) {
    throw new RangeError(
      `tokenHandoverSeconds (${handoverMs / 1000}) must be shorter than tokenLifetimeSeconds (${lifetimeMs / 1000})`,
    );
  }
  return { lifetimeMs, handoverMs };
}

/**
 * A local stand-in for api.weixin.qq.com (see docs/wechat-api.md): a real HTTP server on
 * loopback plus the controls tests and demos need. Resolves once it listens.
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const legacyDailyQuota =
    positiveCount(options.legacyTokenDailyQuota, 'legacyTokenDailyQuota') ??
    DEFAULT_LEGACY_TOKEN_QUOTA;
  const registry = createEmulatorAppRegistry(options.apps ?? DEFAULT_EMULATOR_APPS, seed);
  const tokens = createAccessTokens({
    clock,
    appIds: registry.apps.map((app) => app.appId),
    legacyDailyQuota,
    ...tokenTimes(options),
  });
  const guard = createTokenGuard(registry, tokens);
  const userInfo = { legacyEmptyFields: options.legacyUserInfoFields ?? false };
  const oauth = createOAuthSessions(registry, clock);
  const login = createMiniProgramLogin(registry, clock);
  const faults = createFaults();
  const calls = createCallCounter();
  const control: ControlTarget = {
    callCounts: (appId) => calls.snapshot(appId),
    resetCalls: () => calls.reset(),
    advanceClock: isAdjustable(clock) ? (ms) => clock.advance(ms) : undefined,
    now: () => clock.now(),
    expireTokens(appId) {
      registry.require(appId);
      tokens.expireAll(appId);
    },
    takeLegacyToken(appId) {
      registry.require(appId);
      const issued = tokens.issueLegacy(appId);
      if (!issued.ok) {
        throw new Error(`${appId} has used its legacy token quota for today (45009)`);
      }
      return issued.token;
    },
    forceRotateStable(appId) {
      registry.require(appId);
      return tokens.forceRotateStable(appId);
    },
    failNext: (path, count, failOptions) => faults.failNext(path, count, failOptions),
    followerOpenids: (appId) => registry.require(appId).users.followerOpenids,
  };
  const tickets = createTickets(clock);
  const log = createSendLog(clock);
  const messageDeps = { registry, guard, log, ids: createMessageIds(), clock };
  const subscribe = createSubscribeMessages(messageDeps);
  const tags = createTags(registry, guard);
  const mass = createMassRoutes({ ...messageDeps, tags });
  const qrCodes = createQrCodes(guard, clock);
  const links = createLinks(guard, clock);
  const phones = createPhoneNumbers(registry, guard, clock);

  const routes = new Map<string, Route>([
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
    ['/cgi-bin/message/template/send', createTemplateSendRoute(messageDeps)],
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

  const mintOAuthCode: Emulator['mintOAuthCode'] = (appId, mintOptions) =>
    oauth.mintCode(appId, mintOptions.scope, mintOptions.openid);
  const mintJsCode: Emulator['mintJsCode'] = (appId, mintOptions) =>
    login.mintCode(appId, mintOptions?.openid);

  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    routes,
    codeRoutes: options.loginCodeRoutes
      ? createControlRoutes(registry.apps, { mintOAuthCode, mintJsCode })
      : undefined,
    inspectRoutes: new Map([
      [EMULATOR_CONTROL_PATHS.sentMessages, () => ({ messages: log.list() })],
    ]),
    faults,
    calls,
    nextRid: createRidGenerator(clock),
    controls: options.controls ? createControls(control) : undefined,
  });

  return {
    url: server.url,
    apps: registry.apps,
    clock,
    calls: (path, appId) => calls.count(path, appId),
    resetCalls: () => calls.reset(),
    mintOAuthCode,
    mintJsCode,
    followerOpenids: control.followerOpenids,
    checkJsapiConfig: (config, pageUrl) => checkJsapiConfig(registry, tickets, config, pageUrl),
    unsubscribedOpenids: (appId) => registry.require(appId).users.unsubscribedOpenids,
    failNext: control.failNext,
    setLatency: (path, ms) => faults.setLatency(path, ms),
    hangNext: (path, count = 1) => faults.hangNext(path, count),
    resetNext: (path, count = 1) => faults.resetNext(path, count),
    dropResponseNext: (path, count = 1) => faults.dropResponseNext(path, count),
    takeLegacyToken: control.takeLegacyToken,
    expireTokens: control.expireTokens,
    forceRotateStable: control.forceRotateStable,
    sentMessages: (appId) => log.list(appId),
    grantSubscribeConsent: (appId, grant) =>
      subscribe.grant(registry.require(appId), grant.openid, grant.templateId, grant.count ?? 1),
    templates: (appId) => templatesOf(registry.require(appId).config.kind),
    mediaIds: (appId) =>
      registry.require(appId).config.kind === 'official'
        ? OFFICIAL_MEDIA.map(({ mediaId, type }) => ({ mediaId, type }))
        : [],
    mintPhoneCode: (appId, phoneOptions) => phones.mintCode(appId, phoneOptions),
    qrCodeScene: (ticket) => qrCodes.scene(ticket),
    linkTarget: (url) => links.linkTarget(url),
    consoleCreateTag(appId, name) {
      if (registry.require(appId).config.kind !== 'official') {
        throw new RangeError(`${appId} is not an official account`);
      }
      return tags.create(appId, name);
    },
    consoleMassSendNews: (appId, mediaId) => mass.submitNews(registry.require(appId), mediaId),
    close: () => server.close(),
  };
}
