/**
 * The in-process side of the Emulator object: what a test does to the emulator directly (a
 * user's tap, a console action, another environment's token call, an injected fault), as plain
 * function calls over the services. The HTTP controls (control-table.ts) are a layer over these.
 */
import { OFFICIAL_MEDIA, templatesOf } from './catalogue.js';
import { checkJsapiConfig } from './jssdk-config.js';
import type { EmulatorServices } from './services.js';
import type { Emulator } from './types.js';

export type InProcessEmulator = Omit<Emulator, 'url' | 'close'>;

/** Faults, counters and "another environment": the controls of the tests of the token core. */
function tokenAndFaultControls(services: EmulatorServices) {
  const { registry, tokens, faults, calls } = services;
  return {
    calls: (path, appId) => calls.count(path, appId),
    resetCalls: () => calls.reset(),
    failNext: (path, count, failOptions) => faults.failNext(path, count, failOptions),
    setLatency: (path, ms) => faults.setLatency(path, ms),
    hangNext: (path, count = 1) => faults.hangNext(path, count),
    resetNext: (path, count = 1) => faults.resetNext(path, count),
    dropResponseNext: (path, count = 1) => faults.dropResponseNext(path, count),
    takeLegacyToken(appId) {
      registry.require(appId);
      const issued = tokens.issueLegacy(appId);
      // A RangeError like the emulator's other refusals: the HTTP control answers it with 400.
      if (!issued.ok) {
        throw new RangeError(`${appId} has used its legacy token quota for today (45009)`);
      }
      return issued.token;
    },
    expireTokens(appId) {
      registry.require(appId);
      tokens.expireAll(appId);
    },
    forceRotateStable(appId) {
      registry.require(appId);
      return tokens.forceRotateStable(appId);
    },
  } satisfies Partial<InProcessEmulator>;
}

/** What the WeChat client or the account's console would do, and what a test reads back. */
function userAndConsoleActions(services: EmulatorServices) {
  const { registry, oauth, login, log, subscribe, tags, mass, qrCodes, links, phones } = services;
  return {
    mintOAuthCode: (appId, mintOptions) =>
      oauth.mintCode(appId, mintOptions.scope, mintOptions.openid),
    mintJsCode: (appId, mintOptions) => login.mintCode(appId, mintOptions?.openid),
    mintPhoneCode: (appId, phoneOptions) => phones.mintCode(appId, phoneOptions),
    grantSubscribeConsent: (appId, grant) =>
      subscribe.grant(registry.require(appId), grant.openid, grant.templateId, grant.count ?? 1),
    checkJsapiConfig: (config, pageUrl) =>
      checkJsapiConfig(registry, services.tickets, config, pageUrl),
    qrCodeScene: (ticket) => qrCodes.scene(ticket),
    linkTarget: (url) => links.linkTarget(url),
    consoleCreateTag(appId, name) {
      if (registry.require(appId).config.kind !== 'official') {
        throw new RangeError(`${appId} is not an official account`);
      }
      return tags.create(appId, name);
    },
    consoleMassSendNews: (appId, mediaId) => mass.submitNews(registry.require(appId), mediaId),
    sentMessages: (appId) => log.list(appId),
  } satisfies Partial<InProcessEmulator>;
}

/** The seeded data: apps, users, the catalogue of templates and media. */
function seededData(services: EmulatorServices) {
  const { registry } = services;
  return {
    apps: registry.apps,
    clock: services.clock,
    followerOpenids: (appId) => registry.require(appId).users.followerOpenids,
    unsubscribedOpenids: (appId) => registry.require(appId).users.unsubscribedOpenids,
    templates: (appId) => templatesOf(registry.require(appId).config.kind),
    mediaIds: (appId) =>
      registry.require(appId).config.kind === 'official'
        ? OFFICIAL_MEDIA.map(({ mediaId, type }) => ({ mediaId, type }))
        : [],
  } satisfies Partial<InProcessEmulator>;
}

export function createInProcessEmulator(services: EmulatorServices): InProcessEmulator {
  return {
    ...seededData(services),
    ...tokenAndFaultControls(services),
    ...userAndConsoleActions(services),
  };
}
