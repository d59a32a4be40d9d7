/**
 * Parent objects the resolvers pass down (codegen `mappers`). They may hold server-side state that
 * no schema field exposes, such as a user's OAuth access token.
 */
import type { GatewayApp } from '../apps/gateway-apps.js';
import type { BreakerState, QuotaLedgerDay, TokenStatus } from '../tokens/types.js';
import type { Tag } from '../wechat/tags.js';
import type { Lang } from '../wechat/types.js';

/** One page of `/cgi-bin/user/get`, cut to what the client asked for. */
export interface FollowerPage {
  app: GatewayApp;
  lang: Lang;
  openids: readonly string[];
  totalCount: number;
  hasNextPage: boolean;
}

export interface FollowerEdgeSource {
  app: GatewayApp;
  lang: Lang;
  openid: string;
}

/**
 * The result of a code exchange. `oauthAccessToken` (web OAuth only) stays here so `profile` can
 * call `/sns/userinfo`; it is never a field. A mini program's session_key is not kept at all.
 */
export interface OpenidGrant {
  app: GatewayApp;
  openid: string;
  unionid: string | null;
  scope: string | null;
  oauthAccessToken: string | null;
}

/** A login: the code exchange plus the new session's token (the same profile rules apply). */
export interface LoginGrant extends OpenidGrant {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The user behind a session. */
export interface ViewerSource {
  app: GatewayApp;
  openid: string;
  unionid: string | null;
}

// Aliases: the generated file has its own `TokenStatus` and `BreakerState` types.
export type TokenStatusSource = TokenStatus;
export type BreakerStateSource = BreakerState;
export type TokenCallSource = QuotaLedgerDay['tokenCalls'][number];

/** A tag as tags/get lists it (alias: the generated file has its own `Tag`). */
export type TagSource = Tag;
