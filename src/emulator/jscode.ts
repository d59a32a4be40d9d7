import type { Clock } from '../shared/clock.js';
import { CODE_LIFETIMES_MS } from './code-lifetimes.js';
import { createCodeStore } from './codes.js';
import { appIdFromQuery, checkCodeExchange } from './credentials.js';
import { newSessionKey } from './identifiers.js';
import { fail, ok, type Route } from './protocol.js';
import type { EmulatorAppRegistry } from './registry.js';

const CALLS_PER_USER_PER_MINUTE = 100;

/** Mini-program login (§7): wx.login() codes and `GET /sns/jscode2session`. */
export interface MiniProgramLogin {
  /** What wx.login() does inside the mini program. */
  mintCode(appId: string, openid?: string): { code: string; openid: string };
  readonly route: Route;
}

export function createMiniProgramLogin(
  registry: EmulatorAppRegistry,
  clock: Clock,
): MiniProgramLogin {
  const codes = createCodeStore<string>(clock, CODE_LIFETIMES_MS.js);
  const sessionKeys = new Map<string, string>();
  // Calls per user in the current clock minute; WeChat's 45011 says "retry next minute".
  let minute = -1;
  const callsThisMinute = new Map<string, number>();

  const withinRate = (key: string): boolean => {
    const now = Math.floor(clock.now() / 60_000);
    if (now !== minute) {
      minute = now;
      callsThisMinute.clear();
    }
    return (callsThisMinute.get(key) ?? 0) < CALLS_PER_USER_PER_MINUTE;
  };

  const route: Route = {
    method: 'GET',
    appIdOf: appIdFromQuery,
    handle(req) {
      const checked = checkCodeExchange(registry, req.query, 'js_code');
      if (!checked.ok) return checked.reply;
      const { app, code: jsCode } = checked;
      const appId = app.config.appId;
      const found = codes.lookup(appId, jsCode);
      if (!found.ok) return fail(found.errcode);
      const openid = found.entry.data;
      const key = `${appId}:${openid}`;
      // Refused before the code is spent, so the same code works again next minute.
      if (!withinRate(key)) return fail(45011);
      callsThisMinute.set(key, (callsThisMinute.get(key) ?? 0) + 1);
      codes.consume(found.entry);
      let sessionKey = sessionKeys.get(key);
      if (sessionKey === undefined) {
        sessionKey = newSessionKey();
        sessionKeys.set(key, sessionKey);
      }
      const unionid = app.users.get(openid)?.unionid;
      return ok({
        openid,
        session_key: sessionKey,
        ...(unionid === undefined ? {} : { unionid }),
      });
    },
  };

  return {
    route,
    mintCode(appId, openid) {
      const app = registry.require(appId);
      if (app.config.kind !== 'miniprogram') {
        throw new RangeError(
          `wx.login() codes are for mini programs; ${appId} is an official account`,
        );
      }
      const user = app.users.getOrCreate(openid);
      return { code: codes.mint(appId, user.openid), openid: user.openid };
    },
  };
}
