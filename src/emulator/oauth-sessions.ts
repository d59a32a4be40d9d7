import type { Clock } from '../shared/clock.js';
import { CODE_LIFETIMES_MS } from './code-lifetimes.js';
import { createCodeStore } from './codes.js';
import { newOAuthToken } from './identifiers.js';
import type { EmulatorAppRegistry } from './registry.js';

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo';

const ACCESS_LIFETIME_MS = 7200_000;
const REFRESH_LIFETIME_MS = 30 * 24 * 3600_000;
const FORGET_AFTER_MS = 24 * 3600_000;

interface Grant {
  readonly appId: string;
  readonly openid: string;
  readonly scope: OAuthScope;
}

/** A user's web-OAuth access token; unrelated to the app's cgi-bin token (§6.4 note). */
export interface UserToken {
  value: string;
  readonly grant: Grant;
  expiresAt: number;
}

interface RefreshEntry {
  readonly value: string;
  readonly grant: Grant;
  readonly expiresAt: number;
  access: UserToken;
}

export interface TokenPair {
  readonly access: UserToken;
  readonly refreshToken: string;
}

export type OAuthResult<T> = { ok: true; value: T } | { ok: false; errcode: number };

/** Web OAuth state of every official account: codes, user tokens, refresh tokens (§6). */
export interface OAuthSessions {
  /** What WeChat does when a user consents on the authorize page. */
  mintCode(appId: string, scope: OAuthScope, openid?: string): { code: string; openid: string };
  exchange(appId: string, code: string): OAuthResult<TokenPair>;
  refresh(appId: string, refreshToken: string): OAuthResult<TokenPair>;
  /** A presented user token: 42001 past its life, 40001 unknown. */
  check(value: string): OAuthResult<UserToken>;
  appIdOf(value: string | undefined): string | undefined;
}

export function createOAuthSessions(registry: EmulatorAppRegistry, clock: Clock): OAuthSessions {
  const codes = createCodeStore<Grant>(clock, CODE_LIFETIMES_MS.oauth);
  const accessTokens = new Map<string, UserToken>();
  const refreshTokens = new Map<string, RefreshEntry>();
  let lastPruneAt = -Infinity;

  const prune = (now: number): void => {
    if (now - lastPruneAt < 3600_000) return;
    lastPruneAt = now;
    for (const [value, token] of accessTokens) {
      if (token.expiresAt + FORGET_AFTER_MS < now) accessTokens.delete(value);
    }
    for (const [value, entry] of refreshTokens) {
      if (entry.expiresAt + FORGET_AFTER_MS < now) refreshTokens.delete(value);
    }
  };

  const newAccess = (grant: Grant, now: number): UserToken => {
    const token: UserToken = { value: newOAuthToken(), grant, expiresAt: now + ACCESS_LIFETIME_MS };
    accessTokens.set(token.value, token);
    return token;
  };

  return {
    mintCode(appId, scope, openid) {
      const app = registry.require(appId);
      if (app.config.kind !== 'official') {
        throw new RangeError(`web OAuth needs an official account; ${appId} is a mini program`);
      }
      if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
        throw new RangeError(`scope must be snsapi_base or snsapi_userinfo`);
      }
      const user = app.users.getOrCreate(openid);
      return {
        code: codes.mint(appId, { appId, openid: user.openid, scope }),
        openid: user.openid,
      };
    },

    exchange(appId, code) {
      const found = codes.lookup(appId, code);
      if (!found.ok) return found;
      codes.consume(found.entry);
      const now = clock.now();
      prune(now);
      const grant = found.entry.data;
      const access = newAccess(grant, now);
      const refresh: RefreshEntry = {
        value: newOAuthToken(),
        grant,
        expiresAt: now + REFRESH_LIFETIME_MS,
        access,
      };
      refreshTokens.set(refresh.value, refresh);
      return { ok: true, value: { access, refreshToken: refresh.value } };
    },

    refresh(appId, refreshToken) {
      const entry = refreshTokens.get(refreshToken);
      if (!entry || entry.grant.appId !== appId) return { ok: false, errcode: 40030 };
      const now = clock.now();
      if (now >= entry.expiresAt) return { ok: false, errcode: 42002 };
      // A live token is extended in place; an expired one is replaced (§6.2).
      if (now < entry.access.expiresAt) {
        entry.access.expiresAt = now + ACCESS_LIFETIME_MS;
      } else {
        entry.access = newAccess(entry.grant, now);
      }
      return { ok: true, value: { access: entry.access, refreshToken: entry.value } };
    },

    check(value) {
      const token = accessTokens.get(value);
      if (!token) return { ok: false, errcode: 40001 };
      if (clock.now() >= token.expiresAt) return { ok: false, errcode: 42001 };
      return { ok: true, value: token };
    },

    appIdOf(value) {
      return value === undefined ? undefined : accessTokens.get(value)?.grant.appId;
    },
  };
}
