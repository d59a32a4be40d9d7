/**
 * The emulator's controls over HTTP: what a test in another process, a bench or a person with
 * curl needs of an emulator they cannot call in-process. One table, served under
 * `/__emulator/` when the emulator is created with `controls: true` (`npm run emulator` is).
 * Not WeChat APIs: never counted in `calls()`, never faulted, plain JSON in and out
 * (control-surface.ts). Each route is a thin layer over the in-process Emulator object.
 */
import { codeLifetimeSeconds } from './code-lifetimes.js';
import {
  GET_OR_POST,
  ControlInputError,
  refusingRangeErrors,
  type ControlMethod,
  type ControlParams,
  type ControlRoute,
  type ControlTable,
} from './control-surface.js';
import { isAdjustable } from './offset-clock.js';
import type { Emulator, EmulatorApp } from './types.js';

export const CONTROL_PREFIX = '/__emulator/';

export const CONTROL_PATHS = {
  calls: '/__emulator/calls',
  resetCalls: '/__emulator/calls/reset',
  advanceClock: '/__emulator/clock/advance',
  takeLegacyToken: '/__emulator/tokens/take-legacy',
  forceRotateStable: '/__emulator/tokens/force-rotate-stable',
  expireTokens: '/__emulator/tokens/expire',
  failNext: '/__emulator/faults/fail-next',
  followers: '/__emulator/followers',
  sentMessages: '/__emulator/sent-messages',
  oauthCode: '/__emulator/oauth-code',
  jsCode: '/__emulator/js-code',
  phoneCode: '/__emulator/phone-code',
  subscribeConsent: '/__emulator/subscribe-consent',
} as const;

/** The login-code routes' first names, still used by docs/emulator.md, the bench and scripts. */
export const CONTROL_ALIASES: ReadonlyMap<string, string> = new Map([
  ['/emulator/oauth-code', CONTROL_PATHS.oauthCode],
  ['/emulator/js-code', CONTROL_PATHS.jsCode],
]);

/** What the controls act on: the in-process emulator, plus its call counters as a whole. */
export type ControlSubject = Pick<
  Emulator,
  | 'apps'
  | 'clock'
  | 'resetCalls'
  | 'takeLegacyToken'
  | 'forceRotateStable'
  | 'expireTokens'
  | 'failNext'
  | 'followerOpenids'
  | 'sentMessages'
  | 'mintOAuthCode'
  | 'mintJsCode'
  | 'mintPhoneCode'
  | 'grantSubscribeConsent'
> & {
  /** Requests per path since the last reset, optionally for one app only. */
  callCounts(appId?: string): Record<string, number>;
};

function route(methods: readonly ControlMethod[], run: (params: ControlParams) => object) {
  const control: ControlRoute = {
    methods,
    run: (params) => refusingRangeErrors(() => run(params)),
  };
  return control;
}
const get = (run: (params: ControlParams) => object) => route(['GET'], run);
const post = (run: (params: ControlParams) => object) => route(['POST'], run);
/** What a user does (a login, a tap): GET too, so that a browser or a bare curl can do it. */
const getOrPost = (run: (params: ControlParams) => object) => route(GET_OR_POST, run);

/** A non-negative number, as counts and seconds are. */
function nonNegative(params: ControlParams, name: string): number {
  const value = params.number(name);
  if (value === undefined || value < 0) {
    throw new ControlInputError(`"${name}" must be a non-negative number`);
  }
  return value;
}

/** `appid` if given, else the first app of the kind the code is for. */
function appIdFor(subject: ControlSubject, params: ControlParams, kind: EmulatorApp['kind']) {
  const appId = params.text('appid');
  if (appId) return appId;
  const app = subject.apps.find((candidate) => candidate.kind === kind);
  if (!app) {
    const what = kind === 'official' ? 'official account' : 'mini program';
    throw new ControlInputError(`this emulator has no ${what}`);
  }
  return app.appId;
}

function advanceClock(subject: ControlSubject, params: ControlParams): object {
  const { clock } = subject;
  if (!isAdjustable(clock)) {
    throw new ControlInputError('this emulator runs on a clock that cannot be moved');
  }
  clock.advance(nonNegative(params, 'seconds') * 1000);
  return { now: clock.now() };
}

function failNext(subject: ControlSubject, params: ControlParams): object {
  const errcode = params.number('errcode');
  const errmsg = params.text('errmsg') || undefined;
  subject.failNext(params.requireText('path'), nonNegative(params, 'count'), { errcode, errmsg });
  return {};
}

function mintOAuthCode(subject: ControlSubject, params: ControlParams): object {
  const appid = appIdFor(subject, params, 'official');
  const scope = params.text('scope') ?? 'snsapi_userinfo';
  if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
    throw new ControlInputError('"scope" must be snsapi_base or snsapi_userinfo');
  }
  const openid = params.text('openid') || undefined;
  const minted = subject.mintOAuthCode(appid, { scope, openid });
  return { appid, scope, ...minted, expiresInSeconds: codeLifetimeSeconds('oauth') };
}

function mintJsCode(subject: ControlSubject, params: ControlParams): object {
  const appid = appIdFor(subject, params, 'miniprogram');
  const minted = subject.mintJsCode(appid, { openid: params.text('openid') || undefined });
  return { appid, ...minted, expiresInSeconds: codeLifetimeSeconds('js') };
}

function mintPhoneCode(subject: ControlSubject, params: ControlParams): object {
  const appid = appIdFor(subject, params, 'miniprogram');
  const minted = subject.mintPhoneCode(appid, {
    openid: params.text('openid') || undefined,
    phoneNumber: params.text('phoneNumber') || undefined,
    countryCode: params.text('countryCode') || undefined,
  });
  return { appid, ...minted, expiresInSeconds: codeLifetimeSeconds('phone') };
}

function grantConsent(subject: ControlSubject, params: ControlParams): object {
  const appid = params.requireText('appid');
  const openid = params.requireText('openid');
  const templateId = params.requireText('templateId');
  const count = params.number('count') ?? 1;
  const consents = subject.grantSubscribeConsent(appid, { openid, templateId, count });
  return { appid, openid, templateId, consents };
}

/** The one control table: canonical paths, then the aliases, each with its methods. */
export function createControlTable(subject: ControlSubject): ControlTable {
  const appid = (params: ControlParams) => params.requireText('appid');
  const table = new Map<string, ControlRoute>([
    [
      CONTROL_PATHS.calls,
      get((p) => ({ calls: subject.callCounts(p.text('appid') || undefined) })),
    ],
    [CONTROL_PATHS.resetCalls, post(() => (subject.resetCalls(), {}))],
    [CONTROL_PATHS.advanceClock, post((p) => advanceClock(subject, p))],
    [
      CONTROL_PATHS.takeLegacyToken,
      post((p) => ({ access_token: subject.takeLegacyToken(appid(p)) })),
    ],
    [
      CONTROL_PATHS.forceRotateStable,
      post((p) => ({ access_token: subject.forceRotateStable(appid(p)) })),
    ],
    [CONTROL_PATHS.expireTokens, post((p) => (subject.expireTokens(appid(p)), {}))],
    [CONTROL_PATHS.failNext, post((p) => failNext(subject, p))],
    [CONTROL_PATHS.followers, get((p) => ({ openids: subject.followerOpenids(appid(p)) }))],
    [
      CONTROL_PATHS.sentMessages,
      get((p) => ({ messages: subject.sentMessages(p.text('appid') || undefined) })),
    ],
    [CONTROL_PATHS.oauthCode, getOrPost((p) => mintOAuthCode(subject, p))],
    [CONTROL_PATHS.jsCode, getOrPost((p) => mintJsCode(subject, p))],
    [CONTROL_PATHS.phoneCode, getOrPost((p) => mintPhoneCode(subject, p))],
    [CONTROL_PATHS.subscribeConsent, getOrPost((p) => grantConsent(subject, p))],
  ]);
  for (const [alias, path] of CONTROL_ALIASES) {
    const target = table.get(path);
    if (target) table.set(alias, target);
  }
  return table;
}

/** Whether a request is for the controls (when they are served): the prefix, or an alias. */
export function isControlPath(path: string): boolean {
  return path.startsWith(CONTROL_PREFIX) || CONTROL_ALIASES.has(path);
}
