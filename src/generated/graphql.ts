import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { RawUserInfo, RawSnsUserInfo } from '../wechat/types.js';
import type { FollowerPage, FollowerEdgeSource, OpenidGrant, LoginGrant, ViewerSource, TokenStatusSource, BreakerStateSource, TokenCallSource } from '../resolvers/mappers.js';
import type { AccessTokenInfo, QuotaLedgerDay, RefreshBudgetState } from '../tokens/types.js';
import type { GraphQLContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A date-time at UTC, serialized as an RFC 3339 string such as `2026-01-15T02:00:00.000Z`
   * (graphql-scalars `DateTime`).
   */
  DateTime: { input: Date; output: Date; }
};

/** The kinds of caller a root field accepts. */
export type Access =
  /** An administrator: `ADMIN_API_KEY`. */
  | 'ADMIN'
  /** Anyone: anonymous callers and every valid credential. */
  | 'PUBLIC'
  /** A back-office service: a key from `SERVICE_API_KEYS`, or the admin key. */
  | 'SERVICE'
  /** One logged-in WeChat user of one app: the token `login` returned (keys cannot act as a user). */
  | 'SESSION';

/** An app's access_token. */
export type AccessToken = {
  __typename?: 'AccessToken';
  /** When the token stops working. */
  expiresAt: Scalars['DateTime']['output'];
  /** When this gateway received the token. */
  fetchedAt: Scalars['DateTime']['output'];
  /** Which endpoint issued it. */
  mode: TokenMode;
  /** The token itself: a secret, shown only to admins. */
  value: Scalars['String']['output'];
};

/** The token circuit breaker of one app. */
export type BreakerState = {
  __typename?: 'BreakerState';
  /** The WeChat errcode that opened it, e.g. 40125 (bad secret), 40164 (IP whitelist), 45009 (quota). */
  errcode?: Maybe<Scalars['Int']['output']>;
  /** Whether token calls are paused. */
  open: Scalars['Boolean']['output'];
  /** What went wrong, in words an operator can act on. */
  reason?: Maybe<Scalars['String']['output']>;
  /** When token calls resume on their own. */
  until?: Maybe<Scalars['DateTime']['output']>;
};

/** How many token fetches failed with one errcode. */
export type FailureCount = {
  __typename?: 'FailureCount';
  /** How many failures. */
  count: Scalars['Int']['output'];
  /** The WeChat errcode, e.g. -1 (system error) or 40164 (IP not whitelisted). */
  errcode: Scalars['Int']['output'];
};

/** A page of an official account's followers. */
export type FollowerConnection = {
  __typename?: 'FollowerConnection';
  /** The followers on this page, each with its cursor. */
  edges: Array<FollowerEdge>;
  /** The followers on this page (the same users as `edges.node`). */
  nodes: Array<WechatUser>;
  /** Where this page ends and whether another follows. */
  pageInfo: PageInfo;
  /** How many users follow the account in total (not only on this page). */
  totalCount: Scalars['Int']['output'];
};

/** One follower and its position in the list. */
export type FollowerEdge = {
  __typename?: 'FollowerEdge';
  /** Opaque cursor: pass it as `after` to continue after this follower. */
  cursor: Scalars['String']['output'];
  /** The follower. */
  node: WechatUser;
};

/** Arguments for `wx.config()` (add your own `jsApiList`). */
export type JsapiConfig = {
  __typename?: 'JsapiConfig';
  /** The official account's appId. */
  appId: Scalars['String']['output'];
  /** Random string used in the signature. */
  nonceStr: Scalars['String']['output'];
  /** Lowercase hex SHA-1 signature of the ticket, nonce, timestamp and URL. */
  signature: Scalars['String']['output'];
  /** Unix time in seconds used in the signature. */
  timestamp: Scalars['Int']['output'];
  /** The URL that was signed (fragment removed); it must match the page's URL exactly. */
  url: Scalars['String']['output'];
};

/**
 * The language WeChat uses for localized values (for example `country` names). WeChat's default is
 * `ZH_CN`.
 */
export type Language =
  /** English (`en`). */
  | 'EN'
  /** Simplified Chinese (`zh_CN`). */
  | 'ZH_CN'
  /** Traditional Chinese (`zh_TW`). */
  | 'ZH_TW';

/** A new session. */
export type LoginResult = {
  __typename?: 'LoginResult';
  /** When the session ends (`SESSION_TTL` after login). */
  expiresAt: Scalars['DateTime']['output'];
  /** The user's openid for this app. */
  openid: Scalars['String']['output'];
  /**
   * The user's public profile (`/sns/userinfo`). Fetched only when selected, and only for an official
   * account grant that includes `snsapi_userinfo`; null otherwise.
   */
  profile?: Maybe<OAuthProfile>;
  /**
   * The scopes the user granted (web OAuth only), e.g. `snsapi_base` or `snsapi_userinfo`; null for
   * mini programs.
   */
  scope?: Maybe<Scalars['String']['output']>;
  /** The session token: send it as `Authorization: Bearer <token>`. It carries no secret. */
  token: Scalars['String']['output'];
  /** The user's unionid, when the app is bound to a WeChat Open Platform account. */
  unionid?: Maybe<Scalars['String']['output']>;
};


/** A new session. */
export type LoginResultProfileArgs = {
  lang?: InputMaybe<Language>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Logs a WeChat user in with the one-time code WeChat gave the page and opens a session. For an
   * official account the code comes from the web-OAuth redirect (`/sns/oauth2/access_token`); for a
   * mini program from `wx.login()` (`/sns/jscode2session`, whose `session_key` stays on the server).
   * Send the returned token as `Authorization: Bearer <token>`. Anyone may call it, up to
   * `LOGIN_RATE_LIMIT` times a minute per client address; disabled without `SESSION_SECRET`.
   */
  login: LoginResult;
  /**
   * Ends this session on every gateway instance (within about a second) and deletes what the server
   * kept for it. Returns true.
   */
  logout: Scalars['Boolean']['output'];
  /**
   * Refreshes the app's access_token now and returns the new one. `force: true` rotates a stable
   * token with `force_refresh`, which WeChat allows 20 times a day, 30 s apart; use it only after a
   * leak. Admin only.
   */
  refreshAccessToken: AccessToken;
  /**
   * Closes the app's token circuit breaker before its cool-down ends, once a human has fixed the
   * cause (credentials, IP whitelist, quota). Returns the status afterwards. Admin only.
   */
  resetTokenBreaker: TokenStatus;
};


export type MutationLoginArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  code: Scalars['String']['input'];
};


export type MutationRefreshAccessTokenArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  force?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationResetTokenBreakerArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};

/** The public profile a user shared through an `snsapi_userinfo` grant. */
export type OAuthProfile = {
  __typename?: 'OAuthProfile';
  /** URL of the user's avatar; null when the user has none. */
  avatarUrl?: Maybe<Scalars['String']['output']>;
  /** The user's WeChat nickname. */
  nickname: Scalars['String']['output'];
  /** Privileges of the user's WeChat account (for example `chinaunicom` for a WoCard user). */
  privilege: Array<Scalars['String']['output']>;
};

/** The identity behind a login code. */
export type OpenidResult = {
  __typename?: 'OpenidResult';
  /** The user's openid for this app. */
  openid: Scalars['String']['output'];
  /**
   * The user's public profile (`/sns/userinfo`). Fetched only when selected, and only for an official
   * account grant that includes `snsapi_userinfo`; null otherwise.
   */
  profile?: Maybe<OAuthProfile>;
  /**
   * The scopes the user granted (web OAuth only), e.g. `snsapi_base` or `snsapi_userinfo`; null for
   * mini programs.
   */
  scope?: Maybe<Scalars['String']['output']>;
  /** The user's unionid, when the app is bound to a WeChat Open Platform account. */
  unionid?: Maybe<Scalars['String']['output']>;
};


/** The identity behind a login code. */
export type OpenidResultProfileArgs = {
  lang?: InputMaybe<Language>;
};

/** Pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item on this page; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** The app's current access_token. Admin only. */
  accessToken: AccessToken;
  /**
   * The followers of an official account (`/cgi-bin/user/get`), in WeChat's order, as a
   * cursor-paginated connection. Selecting `nodes` or `edges.node` loads the users in batches of 100.
   */
  followers: FollowerConnection;
  /**
   * Everything `wx.config()` needs to enable the JS-SDK on one page of an official account: signed
   * with the cached `jsapi_ticket`, with a fresh nonce and timestamp on every call. Only pages on the
   * hosts in `JSSDK_ALLOWED_HOSTS` (and their subdomains) are signed. Anyone may call it, up to
   * `JSAPI_CONFIG_RATE_LIMIT` times a minute per client address.
   */
  jsapiConfig: JsapiConfig;
  /**
   * The logged-in user of this session. Needs the session token `login` returned; keys cannot act
   * as a user.
   */
  me: Viewer;
  /**
   * Exchanges a one-time login code for the user's identity. For an official account the code comes
   * from web OAuth (`/sns/oauth2/access_token`); for a mini program from `wx.login()`
   * (`/sns/jscode2session`). A code works once and expires after 5 minutes. For back-office services
   * (a service key); pages and mini programs call `login` instead. The mini program `session_key` is
   * not kept.
   */
  openid: OpenidResult;
  /** Health of the app's token cache: expiry, last refresh, today's quota spending, breaker. Admin only. */
  tokenStatus: TokenStatus;
  /**
   * One user of an official account (`/cgi-bin/user/info`), looked up by openid. Every user look-up in
   * an operation (aliases, `users`, follower nodes) is batched into `/cgi-bin/user/info/batchget`
   * calls of at most 100 users. A user who does not follow the account comes back with
   * `subscribed: false`.
   */
  userInfo: WechatUser;
  /**
   * Several users at once, in the order asked (duplicates allowed). 1–100 openids cost one upstream
   * call, every further 100 one more; at most 1000 openids per field.
   */
  users: Array<WechatUser>;
};


export type QueryAccessTokenArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};


export type QueryFollowersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  app?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  lang?: InputMaybe<Language>;
};


export type QueryJsapiConfigArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  url: Scalars['String']['input'];
};


export type QueryMeArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};


export type QueryOpenidArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  code: Scalars['String']['input'];
};


export type QueryTokenStatusArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};


export type QueryUserInfoArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  lang?: InputMaybe<Language>;
  openid: Scalars['String']['input'];
};


export type QueryUsersArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  lang?: InputMaybe<Language>;
  openids: Array<Scalars['String']['input']>;
};

/** One WeChat day (UTC+8) of token-related upstream calls for one app, shared by the whole fleet. */
export type QuotaLedger = {
  __typename?: 'QuotaLedger';
  /** The day, `YYYY-MM-DD` in Beijing time. */
  day: Scalars['String']['output'];
  /** Failed token fetches by errcode. */
  failures: Array<FailureCount>;
  /**
   * True when the token store could not be read: the figures are this instance's last reading for
   * the day (or zeros) and may lag behind what the fleet has spent meanwhile.
   */
  stale: Scalars['Boolean']['output'];
  /** jsapi_ticket fetches. */
  ticketCalls: Scalars['Int']['output'];
  /** Token fetches by endpoint and reason. */
  tokenCalls: Array<TokenCallCount>;
};

/** The budget of token refreshes caused by rejections (a token bucket). */
export type RefreshBudget = {
  __typename?: 'RefreshBudget';
  /** The burst: at most this many at once. */
  capacity: Scalars['Int']['output'];
  /**
   * True when the token store could not be read: this is the instance's own budget, which it
   * spends while it cannot coordinate with the fleet.
   */
  local: Scalars['Boolean']['output'];
  /** When the next refresh comes back; null while the budget is full. */
  nextRefillAt?: Maybe<Scalars['DateTime']['output']>;
  /** One refresh comes back every this many seconds. */
  refillSeconds: Scalars['Float']['output'];
  /** Refreshes that may run right now. */
  remaining: Scalars['Int']['output'];
};

/** Why the token provider fetched a token. */
export type RefreshReason =
  /** Refresh-ahead before expiry. */
  | 'AHEAD'
  /** No valid token was cached. */
  | 'COLD'
  /** An admin asked for a refresh. */
  | 'FORCED'
  /** WeChat rejected the cached token (40001, 40014, 42001). */
  | 'REJECTED';

/** How many token fetches one endpoint made for one reason. */
export type TokenCallCount = {
  __typename?: 'TokenCallCount';
  /** How many fetches. */
  count: Scalars['Int']['output'];
  /** The WeChat endpoint, e.g. `/cgi-bin/stable_token`. */
  endpoint: Scalars['String']['output'];
  /** Why the tokens were fetched. */
  reason: RefreshReason;
};

/** Which WeChat endpoint the app's access_token comes from. */
export type TokenMode =
  /** `GET /cgi-bin/token`: every fetch issues a new token and retires the previous one 5 minutes later. */
  | 'LEGACY'
  /** `POST /cgi-bin/stable_token`: the same token for every caller while valid (recommended). */
  | 'STABLE';

/** The state of one app's token cache, safe to show an operator (never the token itself). */
export type TokenStatus = {
  __typename?: 'TokenStatus';
  /** Name of the configured app. */
  app: Scalars['String']['output'];
  /** The app's appId. */
  appId: Scalars['String']['output'];
  /** The circuit breaker that stops token calls after errors a retry cannot fix. */
  breaker: BreakerState;
  /** When the current token stops working; null when none is cached. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the current token was received; null when none is cached. */
  fetchedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why the last token was fetched; null before the first fetch. */
  lastRefreshReason?: Maybe<RefreshReason>;
  /** Which endpoint tokens come from. */
  mode: TokenMode;
  /** Today's upstream spending (WeChat day, Beijing time). */
  quota: QuotaLedger;
  /**
   * What is left of the budget for refreshes caused by a rejected token (40001, 40014, 42001): a
   * small burst, refilled slowly and shared by the fleet, so that a token WeChat keeps rejecting
   * cannot burn the daily quota.
   */
  rejectedRefreshBudget: RefreshBudget;
  /** Short non-reversible fingerprint of the current token, to compare instances; null when none. */
  tokenFingerprint?: Maybe<Scalars['String']['output']>;
};

/** The user a session belongs to. */
export type Viewer = {
  __typename?: 'Viewer';
  /** Name of the app the session belongs to. */
  app: Scalars['String']['output'];
  /** The user's openid for this app. */
  openid: Scalars['String']['output'];
  /** The user's unionid, when WeChat gave one at login. */
  unionid?: Maybe<Scalars['String']['output']>;
  /**
   * The official account's record of this user (`/cgi-bin/user/info`, batched like `userInfo`):
   * `subscribed: false` for someone who does not follow. Null for a mini program session.
   */
  user?: Maybe<WechatUser>;
};


/** The user a session belongs to. */
export type ViewerUserArgs = {
  lang?: InputMaybe<Language>;
};

/**
 * A user of an official account as WeChat reports it. Since December 2021 WeChat no longer returns
 * nickname, avatar, gender or region here; ask for `openid(code:) { profile }` with an
 * `snsapi_userinfo` grant instead.
 */
export type WechatUser = {
  __typename?: 'WechatUser';
  /** The language the user's WeChat client uses (for example `zh_CN`), when WeChat still reports it. */
  language?: Maybe<Scalars['String']['output']>;
  /** The user's openid for this app. */
  openid: Scalars['String']['output'];
  /** The numeric scene of the QR code the user followed through, if any. */
  qrScene?: Maybe<Scalars['Int']['output']>;
  /** The string scene of the QR code the user followed through, if any. */
  qrSceneStr?: Maybe<Scalars['String']['output']>;
  /** The operator's note on this follower; null when none is set. */
  remark?: Maybe<Scalars['String']['output']>;
  /** How the user came to follow, e.g. `ADD_SCENE_QR_CODE` (an open set of WeChat values). */
  subscribeScene?: Maybe<Scalars['String']['output']>;
  /** Whether the user currently follows the official account. */
  subscribed: Scalars['Boolean']['output'];
  /** When the user last followed the account; null for users who do not follow. */
  subscribedAt?: Maybe<Scalars['DateTime']['output']>;
  /** IDs of the tags the operator put on this follower. */
  tagIds: Array<Scalars['Int']['output']>;
  /** The user's unionid, present only when the account is bound to a WeChat Open Platform account. */
  unionid?: Maybe<Scalars['String']['output']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Access: Access;
  AccessToken: ResolverTypeWrapper<AccessTokenInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  BreakerState: ResolverTypeWrapper<BreakerStateSource>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FailureCount: ResolverTypeWrapper<FailureCount>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  FollowerConnection: ResolverTypeWrapper<FollowerPage>;
  FollowerEdge: ResolverTypeWrapper<FollowerEdgeSource>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JsapiConfig: ResolverTypeWrapper<JsapiConfig>;
  Language: Language;
  LoginResult: ResolverTypeWrapper<LoginGrant>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OAuthProfile: ResolverTypeWrapper<RawSnsUserInfo>;
  OpenidResult: ResolverTypeWrapper<OpenidGrant>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuotaLedger: ResolverTypeWrapper<QuotaLedgerDay>;
  RefreshBudget: ResolverTypeWrapper<RefreshBudgetState>;
  RefreshReason: RefreshReason;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  TokenCallCount: ResolverTypeWrapper<TokenCallSource>;
  TokenMode: TokenMode;
  TokenStatus: ResolverTypeWrapper<TokenStatusSource>;
  Viewer: ResolverTypeWrapper<ViewerSource>;
  WechatUser: ResolverTypeWrapper<RawUserInfo>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AccessToken: AccessTokenInfo;
  Boolean: Scalars['Boolean']['output'];
  BreakerState: BreakerStateSource;
  DateTime: Scalars['DateTime']['output'];
  FailureCount: FailureCount;
  Float: Scalars['Float']['output'];
  FollowerConnection: FollowerPage;
  FollowerEdge: FollowerEdgeSource;
  Int: Scalars['Int']['output'];
  JsapiConfig: JsapiConfig;
  LoginResult: LoginGrant;
  Mutation: Record<PropertyKey, never>;
  OAuthProfile: RawSnsUserInfo;
  OpenidResult: OpenidGrant;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  QuotaLedger: QuotaLedgerDay;
  RefreshBudget: RefreshBudgetState;
  String: Scalars['String']['output'];
  TokenCallCount: TokenCallSource;
  TokenStatus: TokenStatusSource;
  Viewer: ViewerSource;
  WechatUser: RawUserInfo;
};

export type AuthDirectiveArgs = {
  requires: Access;
};

export type AuthDirectiveResolver<Result, Parent, ContextType = GraphQLContext, Args = AuthDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AccessTokenResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AccessToken'] = ResolversParentTypes['AccessToken']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  fetchedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['TokenMode'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BreakerStateResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['BreakerState'] = ResolversParentTypes['BreakerState']> = {
  errcode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  open?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  until?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FailureCountResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FailureCount'] = ResolversParentTypes['FailureCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errcode?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type FollowerConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FollowerConnection'] = ResolversParentTypes['FollowerConnection']> = {
  edges?: Resolver<Array<ResolversTypes['FollowerEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['WechatUser']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type FollowerEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FollowerEdge'] = ResolversParentTypes['FollowerEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['WechatUser'], ParentType, ContextType>;
};

export type JsapiConfigResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['JsapiConfig'] = ResolversParentTypes['JsapiConfig']> = {
  appId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nonceStr?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  signature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LoginResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LoginResult'] = ResolversParentTypes['LoginResult']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['OAuthProfile']>, ParentType, ContextType, RequireFields<LoginResultProfileArgs, 'lang'>>;
  scope?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  login?: Resolver<ResolversTypes['LoginResult'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'code'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  refreshAccessToken?: Resolver<ResolversTypes['AccessToken'], ParentType, ContextType, RequireFields<MutationRefreshAccessTokenArgs, 'force'>>;
  resetTokenBreaker?: Resolver<ResolversTypes['TokenStatus'], ParentType, ContextType, Partial<MutationResetTokenBreakerArgs>>;
};

export type OAuthProfileResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['OAuthProfile'] = ResolversParentTypes['OAuthProfile']> = {
  avatarUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nickname?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  privilege?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type OpenidResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['OpenidResult'] = ResolversParentTypes['OpenidResult']> = {
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['OAuthProfile']>, ParentType, ContextType, RequireFields<OpenidResultProfileArgs, 'lang'>>;
  scope?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  accessToken?: Resolver<ResolversTypes['AccessToken'], ParentType, ContextType, Partial<QueryAccessTokenArgs>>;
  followers?: Resolver<ResolversTypes['FollowerConnection'], ParentType, ContextType, RequireFields<QueryFollowersArgs, 'first' | 'lang'>>;
  jsapiConfig?: Resolver<ResolversTypes['JsapiConfig'], ParentType, ContextType, RequireFields<QueryJsapiConfigArgs, 'url'>>;
  me?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType, Partial<QueryMeArgs>>;
  openid?: Resolver<ResolversTypes['OpenidResult'], ParentType, ContextType, RequireFields<QueryOpenidArgs, 'code'>>;
  tokenStatus?: Resolver<ResolversTypes['TokenStatus'], ParentType, ContextType, Partial<QueryTokenStatusArgs>>;
  userInfo?: Resolver<ResolversTypes['WechatUser'], ParentType, ContextType, RequireFields<QueryUserInfoArgs, 'lang' | 'openid'>>;
  users?: Resolver<Array<ResolversTypes['WechatUser']>, ParentType, ContextType, RequireFields<QueryUsersArgs, 'lang' | 'openids'>>;
};

export type QuotaLedgerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['QuotaLedger'] = ResolversParentTypes['QuotaLedger']> = {
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failures?: Resolver<Array<ResolversTypes['FailureCount']>, ParentType, ContextType>;
  stale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  ticketCalls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokenCalls?: Resolver<Array<ResolversTypes['TokenCallCount']>, ParentType, ContextType>;
};

export type RefreshBudgetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RefreshBudget'] = ResolversParentTypes['RefreshBudget']> = {
  capacity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  local?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nextRefillAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  refillSeconds?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TokenCallCountResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TokenCallCount'] = ResolversParentTypes['TokenCallCount']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  endpoint?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['RefreshReason'], ParentType, ContextType>;
};

export type TokenStatusResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TokenStatus'] = ResolversParentTypes['TokenStatus']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  appId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  breaker?: Resolver<ResolversTypes['BreakerState'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  fetchedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastRefreshReason?: Resolver<Maybe<ResolversTypes['RefreshReason']>, ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['TokenMode'], ParentType, ContextType>;
  quota?: Resolver<ResolversTypes['QuotaLedger'], ParentType, ContextType>;
  rejectedRefreshBudget?: Resolver<ResolversTypes['RefreshBudget'], ParentType, ContextType>;
  tokenFingerprint?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['WechatUser']>, ParentType, ContextType, RequireFields<ViewerUserArgs, 'lang'>>;
};

export type WechatUserResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WechatUser'] = ResolversParentTypes['WechatUser']> = {
  language?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  qrScene?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  qrSceneStr?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remark?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subscribeScene?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  subscribed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  subscribedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  tagIds?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  AccessToken?: AccessTokenResolvers<ContextType>;
  BreakerState?: BreakerStateResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  FailureCount?: FailureCountResolvers<ContextType>;
  FollowerConnection?: FollowerConnectionResolvers<ContextType>;
  FollowerEdge?: FollowerEdgeResolvers<ContextType>;
  JsapiConfig?: JsapiConfigResolvers<ContextType>;
  LoginResult?: LoginResultResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OAuthProfile?: OAuthProfileResolvers<ContextType>;
  OpenidResult?: OpenidResultResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QuotaLedger?: QuotaLedgerResolvers<ContextType>;
  RefreshBudget?: RefreshBudgetResolvers<ContextType>;
  TokenCallCount?: TokenCallCountResolvers<ContextType>;
  TokenStatus?: TokenStatusResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
  WechatUser?: WechatUserResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = GraphQLContext> = {
  auth?: AuthDirectiveResolver<any, any, ContextType>;
};
