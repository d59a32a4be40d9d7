import type { AccessTokens } from './access-tokens.js';
import { param } from './credentials.js';
import { STABLE_TOKEN_HINT, errmsgFor } from './errmsg.js';
import { fail, type EmulatorRequest, type Reply, type Route } from './protocol.js';
import type { EmulatorAppRegistry, RegisteredApp } from './registry.js';

const NOT_LATEST = `${errmsgFor(40001)}, ${STABLE_TOKEN_HINT}`;

export type Authorized = { ok: true; app: RegisteredApp } | { ok: false; reply: Reply };

export interface TokenGuard {
  /**
   * The cgi-bin access_token check of every business endpoint. The token alone names the app,
   * so a token of app X only ever reaches app X's data. `officialOnly` endpoints answer
   * mini-program tokens with 48001, as WeChat does for a wrong account type.
   */
  authorize(req: EmulatorRequest, officialOnly: boolean): Authorized;
  /** The app of the presented token, for call counters. */
  appIdOf(req: EmulatorRequest): string | undefined;
  /**
   * An official-account business endpoint: the access_token check runs first, and `handle` only
   * sees requests whose token is valid, with the app the token belongs to.
   */
  route(
    method: Route['method'],
    handle: (req: EmulatorRequest, app: RegisteredApp) => Reply,
  ): Route;
  /** The same for endpoints of one kind of account (the other kind gets 48001). */
  routeFor(
    kind: 'official' | 'miniprogram',
    method: Route['method'],
    handle: (req: EmulatorRequest, app: RegisteredApp) => Reply,
  ): Route;
}

export function createTokenGuard(registry: EmulatorAppRegistry, tokens: AccessTokens): TokenGuard {
  const guard: TokenGuard = {
    authorize(req, officialOnly) {
      const checked = tokens.check(param(req.query, 'access_token'));
      if (!checked.ok) {
        const reply = checked.errcode === 40001 ? fail(40001, NOT_LATEST) : fail(checked.errcode);
        return { ok: false, reply };
      }
      const app = registry.require(checked.appId);
      if (officialOnly && app.config.kind !== 'official') return { ok: false, reply: fail(48001) };
      return { ok: true, app };
    },
    appIdOf: (req) => tokens.appIdOf(param(req.query, 'access_token')),
    route: (method, handle) => guard.routeFor('official', method, handle),
    routeFor: (kind, method, handle) => ({
      method,
      appIdOf: guard.appIdOf,
      handle(req) {
        const auth = guard.authorize(req, false);
        if (!auth.ok) return auth.reply;
        return auth.app.config.kind === kind ? handle(req, auth.app) : fail(48001);
      },
    }),
  };
  return guard;
}
