/**
 * User sessions: opened by `login`, proven by a signed token, ended by `logout` on every instance.
 * A verified token is remembered per instance (in a bounded LRU, under the SHA-256 of the token,
 * never the token itself), so a session in steady use costs neither a signature check nor (see
 * revocations.ts) a store read on most requests. Expiry and logout are checked on every request.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../shared/clock.js';
import { storeUnavailable } from '../shared/graphql-errors.js';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import { createRevocations } from './revocations.js';
import { createSessionTokenCodec, type SessionClaims } from './session-token.js';
import { sessionStoreKeys } from './store-keys.js';

export interface Session {
  readonly app: GatewayApp;
  readonly openid: string;
  readonly unionid: string | null;
  /** The session's id (the token's `jti`). */
  readonly id: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface LoginIdentity {
  openid: string;
  unionid: string | null;
  /** Mini programs: kept in the store for the session's lifetime, never returned. */
  sessionKey?: string;
}

export interface Sessions {
  open(app: GatewayApp, identity: LoginIdentity): Promise<{ token: string; session: Session }>;
  /** The live session a token proves, or undefined (tampered, expired, logged out, unknown app). */
  authenticate(token: string): Session | undefined | Promise<Session | undefined>;
  /** Logout: refused from now on by this instance, within about a second by every other one. */
  end(session: Session): Promise<void>;
  /** The mini program session_key of a live session, for the APIs that need it. */
  sessionKey(session: Session): Promise<string | undefined>;
}

export interface SessionsDeps {
  /** At least one; the first signs, all verify. */
  secrets: readonly string[];
  ttlMs: number;
  apps: AppRegistry;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
  /** Verified tokens remembered per instance. */
  maxRemembered?: number;
  /** While logouts cannot be read: how long sessions are still accepted (revocations.ts). */
  revocationFailOpenMs?: number;
}

export function createSessions(deps: SessionsDeps): Sessions {
  const { store, clock, logger, revocationFailOpenMs: failOpenMs } = deps;
  const codec = createSessionTokenCodec({ secrets: deps.secrets, ttlMs: deps.ttlMs, clock });
  const revocations = createRevocations({ store, clock, logger, failOpenMs });
  const maxRemembered = deps.maxRemembered ?? 50_000;
  const verified = new LRUCache<string, Session>({ max: maxRemembered });
  // A memory dump or a heap snapshot shows no usable token.
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

  const toSession = (claims: SessionClaims): Session | undefined => {
    const app = deps.apps.all.find((candidate) => candidate.name === claims.app);
    // The same app name may name another WeChat app on another deployment.
    if (app === undefined || app.appId !== claims.appId) return undefined;
    const { openid, unionid, jti: id, expiresAt } = claims;
    return { app, openid, unionid, id, expiresAt };
  };

  const live = (
    key: string,
    session: Session,
  ): Session | undefined | Promise<Session | undefined> => {
    if (session.expiresAt <= clock.now()) {
      verified.delete(key);
      return undefined;
    }
    const revoked = revocations.isRevoked(session.id);
    if (typeof revoked === 'boolean') return revoked ? undefined : session;
    return revoked.then((yes) => (yes ? undefined : session));
  };

  return {
    async open(app, identity) {
      const { token, claims } = await codec.sign({
        app: app.name,
        appId: app.appId,
        openid: identity.openid,
        unionid: identity.unionid,
      });
      const session = toSession(claims);
      if (session === undefined) throw new Error(`app "${app.name}" is not a configured app`);
      if (identity.sessionKey !== undefined) {
        const value = JSON.stringify({ openid: identity.openid, sessionKey: identity.sessionKey });
        try {
          const ttlMs = Math.max(1, session.expiresAt - clock.now());
          await store.set(sessionStoreKeys(session.id).sessionKey, value, ttlMs);
        } catch (error) {
          logger.warn({ err: error }, 'token store unavailable: could not save a session');
          throw storeUnavailable(
            'The session could not be saved (token store unreachable); log in again with a new code.',
          );
        }
      }
      verified.set(keyOf(token), session);
      return { token, session };
    },

    authenticate(token) {
      const key = keyOf(token);
      const known = verified.get(key);
      if (known !== undefined) return live(key, known);
      return codec.verify(token).then((claims) => {
        const session = claims && toSession(claims);
        if (session === undefined) return undefined;
        verified.set(key, session);
        return live(key, session);
      });
    },

    async end(session) {
      try {
        await revocations.revoke(session.id, session.expiresAt);
      } catch (error) {
        logger.warn({ err: error }, 'token store unavailable: could not end a session');
        throw storeUnavailable(
          'The session could not be ended (token store unreachable); retry shortly.',
        );
      }
      // The marker already refuses the session; a session_key left behind expires with it.
      await store.delete(sessionStoreKeys(session.id).sessionKey).catch((error: unknown) => {
        logger.warn({ err: error }, 'token store unavailable: a session_key expires on its own');
      });
    },

    async sessionKey(session) {
      const entry = await store.get(sessionStoreKeys(session.id).sessionKey);
      if (entry === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(entry.value);
        if (typeof parsed !== 'object' || parsed === null || !('sessionKey' in parsed)) return;
        return typeof parsed.sessionKey === 'string' ? parsed.sessionKey : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
