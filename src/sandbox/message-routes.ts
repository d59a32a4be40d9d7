/**
 * Sandbox only: what the WeChat client would do for the login, message and phone-number
 * examples — a login, a user's tap on the phone-number button, their "accept" in a
 * subscribe-message dialog — and a view of everything the emulator delivered. Each answer carries
 * a GraphQL document that uses it, where there is one. Routes: routes.ts.
 */
import type { Emulator } from '../emulator/index.js';
import { codeLifetimeSeconds } from '../emulator/code-lifetimes.js';
import { ControlInputError } from '../emulator/control-surface.js';
import type { SandboxCall } from './sandbox-route.js';

export type SandboxMessageEmulator = Pick<
  Emulator,
  | 'mintOAuthCode'
  | 'mintJsCode'
  | 'mintPhoneCode'
  | 'grantSubscribeConsent'
  | 'sentMessages'
  | 'templates'
  | 'followerOpenids'
>;

export function mintOAuthCode(emulator: SandboxMessageEmulator, call: SandboxCall<'official'>) {
  const { app, params } = call;
  const scope = params.text('scope') ?? 'snsapi_userinfo';
  if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
    throw new ControlInputError('"scope" must be snsapi_base or snsapi_userinfo');
  }
  const minted = emulator.mintOAuthCode(app.appId, {
    scope,
    openid: params.text('openid') || undefined,
  });
  return {
    app: app.name,
    scope,
    ...minted,
    expiresInSeconds: codeLifetimeSeconds('oauth'),
    query: `mutation { login(code: "${minted.code}", app: "${app.name}") { token expiresAt openid scope profile { nickname avatarUrl } } }`,
  };
}

export function mintJsCode(emulator: SandboxMessageEmulator, call: SandboxCall<'miniprogram'>) {
  const { app, params } = call;
  const minted = emulator.mintJsCode(app.appId, { openid: params.text('openid') || undefined });
  return {
    app: app.name,
    ...minted,
    expiresInSeconds: codeLifetimeSeconds('js'),
    query: `mutation { login(code: "${minted.code}", app: "${app.name}") { token expiresAt openid unionid } }`,
  };
}

export function mintPhoneCode(emulator: SandboxMessageEmulator, call: SandboxCall<'miniprogram'>) {
  const { app, params } = call;
  const minted = emulator.mintPhoneCode(app.appId, {
    openid: params.text('openid') || undefined,
    phoneNumber: params.text('phoneNumber') || undefined,
    countryCode: params.text('countryCode') || undefined,
  });
  return {
    app: app.name,
    ...minted,
    expiresInSeconds: codeLifetimeSeconds('phone'),
    query: `query { phoneNumber(code: "${minted.code}", app: "${app.name}") { phoneNumber purePhoneNumber countryCode } }`,
  };
}

/** One consent (or `count`) for a subscribe template: the first of the app's unless named. */
export function grantConsent(emulator: SandboxMessageEmulator, call: SandboxCall<'any'>) {
  const { app, params } = call;
  const templates = emulator.templates(app.appId).filter((t) => t.kind === 'subscribe');
  const templateId = params.text('templateId') ?? templates[0]?.templateId;
  if (templateId === undefined) throw new ControlInputError('this app has no subscribe template');
  const openid = params.text('openid') ?? emulator.followerOpenids(app.appId)[0];
  if (openid === undefined) throw new ControlInputError('"openid" is required for this app');
  const count = Number(params.text('count') ?? '1');
  const consents = emulator.grantSubscribeConsent(app.appId, { openid, templateId, count });
  return { app: app.name, openid, templateId, consents, templates };
}

export function sentMessages(emulator: SandboxMessageEmulator, call: SandboxCall<'named'>) {
  return { messages: emulator.sentMessages(call.app?.appId) };
}
