/**
 * Session tokens: JWTs signed with HS256 (jose) by the first SESSION_SECRET and verified by any of
 * them (rotation). They carry the app, the openid (and unionid when WeChat gave one), an id and
 * the expiry: nothing secret. The mini program session_key stays in the store (sessions.ts).
 */
import { createHash, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../shared/clock.js';

export interface SessionClaims {
  /** Name of the configured app. */
  app: string;
  /** Its appId: a token for an app of the same name but another appId is refused. */
  appId: string;
  openid: string;
  unionid: string | null;
  /** The session's id: revocation and the session_key are stored under it. */
  jti: string;
  /** Epoch ms (whole seconds). */
  expiresAt: number;
}

export interface SessionTokenCodec {
  sign(identity: Omit<SessionClaims, 'jti' | 'expiresAt'>): Promise<{
    token: string;
    claims: SessionClaims;
  }>;
  /** The claims of a genuine, unexpired token; undefined for anything else (never throws). */
  verify(token: string): Promise<SessionClaims | undefined>;
}

const ISSUER = 'wechat-graphql-gateway';
/** Three base64url parts; anything longer than this is not one of ours. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const MAX_TOKEN_LENGTH = 2048;

/** Whether a bearer value is shaped like a session token (and so is not a key). */
export const looksLikeSessionToken = (value: string): boolean =>
  value.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(value);

/** Names the secret in the token header without revealing it, so verification picks one key. */
export const sessionKeyId = (secret: string): string =>
  createHash('sha256').update(`session-kid:${secret}`).digest('base64url').slice(0, 10);

function claimsOf(payload: JWTPayload): SessionClaims | undefined {
  const { app, sub, aud, jti, exp, uid } = payload;
  if (typeof app !== 'string' || typeof sub !== 'string' || typeof aud !== 'string') return;
  if (typeof jti !== 'string' || typeof exp !== 'number') return;
  if (uid !== undefined && typeof uid !== 'string') return;
  return { app, appId: aud, openid: sub, unionid: uid ?? null, jti, expiresAt: exp * 1000 };
}

export function createSessionTokenCodec(options: {
  /** At least one; the first signs. */
  secrets: readonly string[];
  ttlMs: number;
  clock: Clock;
}): SessionTokenCodec {
  const [signing] = options.secrets;
  if (signing === undefined) throw new RangeError('a session token codec needs a secret');
  const keys = new Map<string, KeyObject>(
    options.secrets.map((secret) => [
      sessionKeyId(secret),
      createSecretKey(Buffer.from(secret, 'utf8')),
    ]),
  );
  const signingKid = sessionKeyId(signing);
  const ttlSeconds = Math.max(1, Math.floor(options.ttlMs / 1000));

  return {
    async sign(identity) {
      const iat = Math.floor(options.clock.now() / 1000);
      const claims: SessionClaims = {
        ...identity,
        jti: randomUUID(),
        expiresAt: (iat + ttlSeconds) * 1000,
      };
      const token = await new SignJWT({
        app: claims.app,
        ...(claims.unionid === null ? {} : { uid: claims.unionid }),
      })
        .setProtectedHeader({ alg: 'HS256', kid: signingKid })
        .setIssuer(ISSUER)
        .setSubject(claims.openid)
        .setAudience(claims.appId)
        .setJti(claims.jti)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(keys.get(signingKid) as KeyObject);
      return { token, claims };
    },

    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) return undefined;
      try {
        const { payload } = await jwtVerify(
          token,
          (header) => {
            const key = header.kid === undefined ? undefined : keys.get(header.kid);
            if (key === undefined) throw new Error('unknown session key id');
            return key;
          },
          {
            algorithms: ['HS256'],
            issuer: ISSUER,
            requiredClaims: ['sub', 'aud', 'jti', 'exp', 'iat'],
            currentDate: new Date(options.clock.now()),
          },
        );
        return claimsOf(payload);
      } catch {
        // Bad signature, unknown key, expired, malformed: all just "not a session".
        return undefined;
      }
    },
  };
}
