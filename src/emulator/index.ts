import { systemClock } from '../clock.js';
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

export { DEFAULT_EMULATOR_APPS } from './default-apps.js';
export type { Emulator, EmulatorApp, EmulatorOptions } from './types.js';
export type { JsapiConfigCheck, JsapiConfigInput } from './jssdk-config.js';
export { AUTHORIZE_PATH } from './oauth-authorize.js';

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
    takeLegacyToken: control.takeLegacyToken,
    expireTokens: control.expireTokens,
    forceRotateStable: control.forceRotateStable,
    close: () => server.close(),
  };
}
