import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { RawUserInfo, RawSnsUserInfo } from '../wechat/types.js';
import type { FollowerPage, FollowerEdgeSource, OpenidGrant, LoginGrant, ViewerSource, TokenStatusSource, BreakerStateSource, TokenCallSource, TagSource } from '../resolvers/mappers.js';
import type { AccessTokenInfo, QuotaLedgerDay, RefreshBudgetState } from '../tokens/types.js';
import type { WechatEventSource } from '../events/types.js';
import type { GraphQLContext } from '../resolvers/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
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
  /** A JSON object: the fields of a push, as WeChat sent them (values are strings, lists or objects). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
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
  | 'SESSION'
  /**
   * A session of the app the field is asked for (acting for its own user), or a service key (any
   * user). A session of another app is refused with `FORBIDDEN`.
   */
  | 'SESSION_OR_SERVICE';

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

/** An RGB colour, each channel 0–255. */
export type ColorInput = {
  b: Scalars['Int']['input'];
  g: Scalars['Int']['input'];
  r: Scalars['Int']['input'];
};

export type CreateQrCodeInput = {
  /** Seconds a temporary code lives, 60–2 592 000 (30 days). Omit it with `permanent: true`. */
  expiresIn?: InputMaybe<Scalars['Int']['input']>;
  /** A permanent code (no `expiresIn`). */
  permanent?: InputMaybe<Scalars['Boolean']['input']>;
  scene: QrSceneInput;
};

/** How many token fetches failed with one errcode. */
export type FailureCount = {
  __typename?: 'FailureCount';
  /** How many failures. */
  count: Scalars['Int']['output'];
  /** The WeChat errcode, e.g. -1 (system error) or 40164 (IP not whitelisted). */
  errcode: Scalars['Int']['output'];
};

/** A user followed. Through a parametric QR code, `qrScene` holds its scene. */
export type FollowEvent = WechatEvent & {
  __typename?: 'FollowEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** EventKey as sent (e.g. `qrscene_123`); null when empty. */
  eventKey?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  /** The QR code's scene (EventKey without `qrscene_`); null when not followed through one. */
  qrScene?: Maybe<Scalars['String']['output']>;
  /** The QR code's ticket; null when not followed through one. */
  qrTicket?: Maybe<Scalars['String']['output']>;
  receivedAt: Scalars['DateTime']['output'];
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

/** An image message. */
export type ImageMessage = WechatEvent & {
  __typename?: 'ImageMessage';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Temporary media id (3 days) to download it. */
  mediaId: Scalars['String']['output'];
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  picUrl?: Maybe<Scalars['String']['output']>;
  receivedAt: Scalars['DateTime']['output'];
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

/** A link a user sent. */
export type LinkMessage = WechatEvent & {
  __typename?: 'LinkMessage';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  title?: Maybe<Scalars['String']['output']>;
  url: Scalars['String']['output'];
};

/** A location a user sent. */
export type LocationMessage = WechatEvent & {
  __typename?: 'LocationMessage';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  label?: Maybe<Scalars['String']['output']>;
  latitude: Scalars['Float']['output'];
  longitude: Scalars['Float']['output'];
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  scale?: Maybe<Scalars['Int']['output']>;
};

/** The user's location, reported when they enter the chat (if they allowed it). */
export type LocationReportEvent = WechatEvent & {
  __typename?: 'LocationReportEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  latitude: Scalars['Float']['output'];
  longitude: Scalars['Float']['output'];
  openid: Scalars['String']['output'];
  precision?: Maybe<Scalars['Float']['output']>;
  receivedAt: Scalars['DateTime']['output'];
};

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

/** Who a mass send goes to: exactly one of the three. */
export type MassAudienceInput = {
  /** 2–10 000 openids (verified service accounts). */
  openids?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The followers carrying this tag. */
  tagId?: InputMaybe<Scalars['Int']['input']>;
  /** Every follower. */
  toAll?: InputMaybe<Scalars['Boolean']['input']>;
};

export type MassMessageInput = {
  /** Every other type: the media id from WeChat's media library. */
  mediaId?: InputMaybe<Scalars['String']['input']>;
  /** TEXT only: the text. */
  text?: InputMaybe<Scalars['String']['input']>;
  type: MassMessageType;
};

/** Kinds of mass message. */
export type MassMessageType =
  /** An uploaded image (`mediaId`). */
  | 'IMAGE'
  /** Uploaded news articles (`mediaId`). */
  | 'MPNEWS'
  /** A video from `media/uploadvideo` (`mediaId`). */
  | 'MPVIDEO'
  /** Plain text (`text`). */
  | 'TEXT'
  /** An uploaded voice message (`mediaId`). */
  | 'VOICE';

/** Who a preview goes to: exactly one of the two. */
export type MassPreviewInput = {
  message: MassMessageInput;
  /** A follower's openid. */
  openid?: InputMaybe<Scalars['String']['input']>;
  /** A WeChat id (wins over openid in WeChat; 100 a day). */
  wxName?: InputMaybe<Scalars['String']['input']>;
};

/** A mass send finished (counts are WeChat's, approximate). */
export type MassSendFinishedEvent = WechatEvent & {
  __typename?: 'MassSendFinishedEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  errorCount?: Maybe<Scalars['Int']['output']>;
  filterCount?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /** The msg_id the send returned. */
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  sentCount?: Maybe<Scalars['Int']['output']>;
  /** `send success`, `send fail` or `err(NNNNN)`. */
  status: Scalars['String']['output'];
  totalCount?: Maybe<Scalars['Int']['output']>;
};

export type MassSendInput = {
  audience: MassAudienceInput;
  /**
   * WeChat's de-duplication id (`clientmsgid`), 1–32 characters (longer ones have been refused):
   * one job per id for 24 hours.
   */
  clientMsgId: Scalars['String']['input'];
  message: MassMessageInput;
  /** Send even if WeChat judges an article a reprint (default: stop). */
  sendIgnoreReprint?: InputMaybe<Scalars['Boolean']['input']>;
};

/** A mass send WeChat accepted as a job. */
export type MassSendResult = {
  __typename?: 'MassSendResult';
  /** The article data id (mpnews only), for statistics. */
  msgDataId?: Maybe<Scalars['ID']['output']>;
  /** The job's id (for massStatus, massDelete and the MASSSENDJOBFINISH event). */
  msgId: Scalars['ID']['output'];
};

/** The state of a mass send job. */
export type MassStatus = {
  __typename?: 'MassStatus';
  msgId: Scalars['ID']['output'];
  /** WeChat's `msg_status`: `SENDING`, `SEND_SUCCESS`, `SEND_FAIL` or `DELETE`. */
  status: Scalars['String']['output'];
};

/** A click on a menu item of type click. */
export type MenuClickEvent = WechatEvent & {
  __typename?: 'MenuClickEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The menu item's key. */
  key: Scalars['String']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

/** A tap on a menu link. */
export type MenuViewEvent = WechatEvent & {
  __typename?: 'MenuViewEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The menu's id (personalised menus). */
  menuId?: Maybe<Scalars['String']['output']>;
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  /** The link's URL. */
  url: Scalars['String']['output'];
};

/** One `keyword: value` line of a message; WeChat's `data.<key>.value`. */
export type MessageDataItem = {
  /** The template's key, e.g. `thing1` or `keyword2`. */
  key: Scalars['String']['input'];
  /** The value shown; subscribe messages check it against the key's type (e.g. `thing` ≤ 20 characters). */
  value: Scalars['String']['input'];
};

/** A mini program code image. */
export type MiniProgramCode = {
  __typename?: 'MiniProgramCode';
  /** The image, base64-encoded; e.g. `<img src="data:<contentType>;base64,<base64>">`. */
  base64: Scalars['String']['output'];
  /** The type of the bytes, read from them (WeChat labels every code `image/jpeg`). */
  contentType: Scalars['String']['output'];
};

export type MiniProgramCodeInput = {
  /** Let WeChat pick the line colour. */
  autoColor?: InputMaybe<Scalars['Boolean']['input']>;
  /** false allows a page that is not (yet) published (default true). */
  checkPath?: InputMaybe<Scalars['Boolean']['input']>;
  /** Default RELEASE. */
  envVersion?: InputMaybe<MiniProgramEnv>;
  /** The line colour when autoColor is off. */
  lineColor?: InputMaybe<ColorInput>;
  /** A published page, without a leading `/` and without a query; omitted: the home page. */
  page?: InputMaybe<Scalars['String']['input']>;
  /** 1–32 characters of `0-9 A-Z a-z` and `!#$&'()*+,/:;=?@-._~` (no `%`). */
  scene: Scalars['String']['input'];
  /** A transparent background. */
  transparent?: InputMaybe<Scalars['Boolean']['input']>;
  /** Side in pixels, 280–1280 (WeChat's default 430). */
  width?: InputMaybe<Scalars['Int']['input']>;
};

/** Which version of the mini program a code or link opens. */
export type MiniProgramEnv =
  | 'DEVELOP'
  | 'RELEASE'
  | 'TRIAL';

/** A link into the mini program. */
export type MiniProgramLink = {
  __typename?: 'MiniProgramLink';
  /** When it stops working. */
  expiresAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};

export type MiniProgramLinkInput = {
  /** Only honoured outside WeChat; default RELEASE. */
  envVersion?: InputMaybe<MiniProgramEnv>;
  /** When the link expires, at most 30 days ahead. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Days the link lives, 1–30 (default 30). Give this or `expiresAt`. */
  expiresInDays?: InputMaybe<Scalars['Int']['input']>;
  kind: MiniProgramLinkKind;
  /** A published page (no query); omitted: the home page. */
  path?: InputMaybe<Scalars['String']['input']>;
  /** The page's query, e.g. `id=42` (up to 1024 characters). */
  query?: InputMaybe<Scalars['String']['input']>;
};

/** URL Scheme or URL Link. */
export type MiniProgramLinkKind =
  /** `weixin://dl/business/?t=…`, for SMS, email and apps. */
  | 'SCHEME'
  /** `https://wxaurl.cn/…`, for web pages. */
  | 'URL_LINK';

/** A page of a mini program linked to the official account. */
export type MiniProgramPageInput = {
  /** The mini program's appId. */
  appId: Scalars['String']['input'];
  /** A page of its published version, e.g. `pages/order/detail?id=42` (no leading `/`). */
  pagePath: Scalars['String']['input'];
};

/** Which version of a mini program a subscribe message opens. */
export type MiniProgramState =
  | 'DEVELOPER'
  | 'FORMAL'
  | 'TRIAL';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Creates a parametric QR code of an official account (`/cgi-bin/qrcode/create`): scanning it
   * reports the scene in the `subscribe` / `SCAN` event. Temporary with `expiresIn` (up to 30
   * days), or permanent (at most 100 000 per account, ever). Service only.
   */
  createQrCode: QrCode;
  /**
   * Creates a tag (at most 100 per account; names up to 30 bytes, unique). Repeated after a lost
   * answer, it returns the tag the first attempt created. Service only.
   */
  createTag: Tag;
  /** Deletes a tag and takes it off its followers. Returns true. Service only. */
  deleteTag: Scalars['Boolean']['output'];
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
   * Deletes a sent mpnews or mpvideo mass message (`/cgi-bin/message/mass/delete`): its article
   * pages stop working; users keep the card. Returns true. Service only.
   */
  massDelete: Scalars['Boolean']['output'];
  /**
   * Sends a mass message to one person to check it (`/cgi-bin/message/mass/preview`): a follower's
   * openid or a WeChat id. Service only.
   */
  massPreview: SentMessage;
  /**
   * Sends one message to many followers (群发): to all, to a tag (`/cgi-bin/message/mass/sendall`)
   * or to 2–10 000 openids (`/cgi-bin/message/mass/send`). `clientMsgId` is required: WeChat keeps
   * one job per id for 24 hours. The gateway never repeats a mass send itself; after
   * `UPSTREAM_OUTCOME_UNKNOWN`, repeat it with the same `clientMsgId` after a minute: `ALREADY_SENT`
   * (with the first job's `msgId` in `extensions`) means it went out, a new `msgId` that it did not
   * before. Within that minute WeChat answers `RATE_LIMITED`. Service only.
   */
  massSend: MassSendResult;
  /**
   * A link that opens the mini program from outside WeChat: a URL Scheme
   * (`/wxa/generatescheme`, `weixin://dl/business/?t=…`) or a URL Link (`/wxa/generate_urllink`,
   * `https://wxaurl.cn/…`). Every link expires within 30 days. Service only.
   */
  miniProgramLink: MiniProgramLink;
  /**
   * Refreshes the app's access_token now and returns the new one. `force: true` rotates a stable
   * token with `force_refresh`, which WeChat allows 20 times a day, 30 s apart; use it only after a
   * leak. Admin only.
   */
  refreshAccessToken: AccessToken;
  /** Renames a tag (not WeChat's own tags 0, 1, 2). Service only. */
  renameTag: Tag;
  /**
   * Closes the app's token circuit breaker before its cool-down ends, once a human has fixed the
   * cause (credentials, IP whitelist, quota). Returns the status afterwards. Admin only.
   */
  resetTokenBreaker: TokenStatus;
  /**
   * Sends a subscribe message: for a mini program `/cgi-bin/message/subscribe/send` (订阅消息),
   * for an official account `/cgi-bin/message/subscribe/bizsend` (订阅通知). Each consent the user
   * gave (`wx.requestSubscribeMessage`) allows one message; without one: `NO_CONSENT`. WeChat
   * offers no de-duplication here, so an unknown outcome (`UPSTREAM_OUTCOME_UNKNOWN`) is final: a
   * repeat that reads `NO_CONSENT` means the first one most likely went out. Service only.
   */
  sendSubscribeMessage: SentMessage;
  /**
   * Sends a template message (模板消息) to a follower of an official account
   * (`/cgi-bin/message/template/send`). A send is never repeated by the gateway once WeChat may have
   * acted: a lost or late answer, or `-1`, gives `UPSTREAM_OUTCOME_UNKNOWN`. With `clientMsgId`,
   * WeChat keeps one message per user and id for about 10 minutes; a repeat it recognises gives
   * `ALREADY_SENT`. Someone who does not follow gives `RECIPIENT_NOT_SUBSCRIBED`. Service only.
   */
  sendTemplateMessage: SentMessage;
  /** Sets the operator's note on a follower (up to 30 bytes; '' clears it). Returns true. Service only. */
  setUserRemark: Scalars['Boolean']['output'];
  /**
   * Puts a tag on followers (at most 20 tags per user). Up to 500 openids, sent to WeChat 50 at a
   * time; all or nothing per 50, and safe to repeat. Returns true. Service only.
   */
  tagUsers: Scalars['Boolean']['output'];
  /** Takes a tag off followers (up to 500 openids, 50 per upstream call). Returns true. Service only. */
  untagUsers: Scalars['Boolean']['output'];
};


export type MutationCreateQrCodeArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: CreateQrCodeInput;
};


export type MutationCreateTagArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};


export type MutationDeleteTagArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  tagId: Scalars['Int']['input'];
};


export type MutationLoginArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  code: Scalars['String']['input'];
};


export type MutationMassDeleteArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  articleIndex?: InputMaybe<Scalars['Int']['input']>;
  msgId: Scalars['ID']['input'];
};


export type MutationMassPreviewArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: MassPreviewInput;
};


export type MutationMassSendArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: MassSendInput;
};


export type MutationMiniProgramLinkArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: MiniProgramLinkInput;
};


export type MutationRefreshAccessTokenArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  force?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationRenameTagArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  tagId: Scalars['Int']['input'];
};


export type MutationResetTokenBreakerArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};


export type MutationSendSubscribeMessageArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: SendSubscribeMessageInput;
};


export type MutationSendTemplateMessageArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: SendTemplateMessageInput;
};


export type MutationSetUserRemarkArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  openid: Scalars['String']['input'];
  remark: Scalars['String']['input'];
};


export type MutationTagUsersArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  openids: Array<Scalars['String']['input']>;
  tagId: Scalars['Int']['input'];
};


export type MutationUntagUsersArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  openids: Array<Scalars['String']['input']>;
  tagId: Scalars['Int']['input'];
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

/** A verified phone number. */
export type PhoneNumber = {
  __typename?: 'PhoneNumber';
  /** E.g. `86`. */
  countryCode: Scalars['String']['output'];
  /** With the country code for numbers outside mainland China (e.g. `+85261234567`). */
  phoneNumber: Scalars['String']['output'];
  /** Without country code. */
  purePhoneNumber: Scalars['String']['output'];
};

/** A QR code WeChat created. */
export type QrCode = {
  __typename?: 'QrCode';
  /** When a temporary code stops working; null for a permanent one. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The image (`showqrcode` with the ticket URL-encoded). */
  imageUrl: Scalars['String']['output'];
  /** The ticket (holds `+ / =`): exchange it for the image at `imageUrl`. */
  ticket: Scalars['String']['output'];
  /** What the QR code encodes; render it yourself if you like. */
  url: Scalars['String']['output'];
};

/** The scene a QR code carries: exactly one of the two. */
export type QrSceneInput = {
  /** A number: 1–4 294 967 295 for temporary codes, 1–100 000 for permanent ones. */
  id?: InputMaybe<Scalars['Float']['input']>;
  /** A string of 1–64 characters. */
  str?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** The app's current access_token. Admin only. */
  accessToken: AccessToken;
  /**
   * Events WeChat pushed for an app, oldest first, for consumers that poll: pass
   * `pageInfo.endCursor` as `after` for the next page. The log keeps the last `EVENTS_RETAIN`
   * events per app. Service keys only.
   */
  events: WechatEventPage;
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
  /** The state of a mass send (`/cgi-bin/message/mass/get`). Service only. */
  massStatus: MassStatus;
  /**
   * The logged-in user of this session. Needs the session token `login` returned; keys cannot act
   * as a user.
   */
  me: Viewer;
  /**
   * An unlimited mini program code (`/wxa/getwxacodeunlimit`) as image bytes: the page opens with
   * `scene` in its `query.scene`. Stateless, so safe to repeat. Service only.
   */
  miniProgramCode: MiniProgramCode;
  /**
   * Exchanges a one-time login code for the user's identity. For an official account the code comes
   * from web OAuth (`/sns/oauth2/access_token`); for a mini program from `wx.login()`
   * (`/sns/jscode2session`). A code works once and expires after 5 minutes. For back-office services
   * (a service key); pages and mini programs call `login` instead. The mini program `session_key` is
   * not kept.
   */
  openid: OpenidResult;
  /**
   * The verified phone number of a mini program user (`/wxa/business/getuserphonenumber`) from the
   * code of `<button open-type="getPhoneNumber">` (works once, for 5 minutes). A session of the mini
   * program gets its own user's number only (WeChat checks the code belongs to the session's
   * openid); a service key may pass `openid` to have that checked. Session of that app, or service.
   */
  phoneNumber: PhoneNumber;
  /** The official account's tags with their follower counts (`/cgi-bin/tags/get`). Service only. */
  tags: Array<Tag>;
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
  /**
   * The followers carrying a tag (`/cgi-bin/user/tag/get`), in WeChat's order, as a connection like
   * `followers`. Service only.
   */
  usersByTag: FollowerConnection;
};


export type QueryAccessTokenArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};


export type QueryEventsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  app?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  types?: InputMaybe<Array<WechatEventType>>;
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


export type QueryMassStatusArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  msgId: Scalars['ID']['input'];
};


export type QueryMeArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
};


export type QueryMiniProgramCodeArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  input: MiniProgramCodeInput;
};


export type QueryOpenidArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  code: Scalars['String']['input'];
};


export type QueryPhoneNumberArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
  code: Scalars['String']['input'];
  openid?: InputMaybe<Scalars['String']['input']>;
};


export type QueryTagsArgs = {
  app?: InputMaybe<Scalars['String']['input']>;
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


export type QueryUsersByTagArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  app?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  lang?: InputMaybe<Language>;
  tagId: Scalars['Int']['input'];
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
  /** While `refusing`: when the next refresh for the rejected token may run; null otherwise. */
  refusedUntil?: Maybe<Scalars['DateTime']['output']>;
  /**
   * True while this instance refuses every call of the app (TOKEN_UNAVAILABLE, no upstream call):
   * WeChat rejected its token and the budget has no refresh left for it. The breaker stays closed
   * meanwhile. Calls go through again at `refusedUntil`, or sooner if another instance stores a
   * newer token.
   */
  refusing: Scalars['Boolean']['output'];
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

/** A follower scanned a parametric QR code. */
export type ScanEvent = WechatEvent & {
  __typename?: 'ScanEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  /** The QR code's scene (integer scenes as decimal text). */
  scene: Scalars['String']['output'];
  /** The QR code's ticket. */
  ticket?: Maybe<Scalars['String']['output']>;
};

export type SendSubscribeMessageInput = {
  /** The template's data, one item per key; keys and value formats must match the template. */
  data: Array<MessageDataItem>;
  /** Mini program only; WeChat's default is ZH_CN. */
  lang?: InputMaybe<SubscribeMessageLang>;
  /** Official account only: a mini program page to open instead. */
  miniProgram?: InputMaybe<MiniProgramPageInput>;
  /** Mini program only; WeChat's default is FORMAL. */
  miniProgramState?: InputMaybe<MiniProgramState>;
  /** The recipient's openid for this app. */
  openid: Scalars['String']['input'];
  /**
   * Mini program: a page of it, may carry `?query` (e.g. `pages/order/detail?id=42`). Official
   * account: a web URL.
   */
  page?: InputMaybe<Scalars['String']['input']>;
  /** A subscribe-message template of this app. */
  templateId: Scalars['String']['input'];
};

export type SendTemplateMessageInput = {
  /**
   * WeChat's de-duplication id (`client_msg_id`), 1–64 characters: within about 10 minutes a second
   * message with the same id to the same user is not sent (`ALREADY_SENT`). Use one per logical
   * message, e.g. `order-1234-shipped`.
   */
  clientMsgId?: InputMaybe<Scalars['String']['input']>;
  /** The template's data, one item per key. */
  data: Array<MessageDataItem>;
  /** A mini program page to open on tap; it wins over `url` on current clients. */
  miniProgram?: InputMaybe<MiniProgramPageInput>;
  /** The recipient's openid for this official account. */
  openid: Scalars['String']['input'];
  /** A template of this account (`template/get_all_private_template`). */
  templateId: Scalars['String']['input'];
  /** A web page to open on tap (http or https). */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** A message WeChat accepted. */
export type SentMessage = {
  __typename?: 'SentMessage';
  /** WeChat's message id (64-bit, as a string); null when WeChat gives none. */
  msgId?: Maybe<Scalars['ID']['output']>;
};

/** A user changed a subscribe-message setting (WeChat pushes only rejections). */
export type SubscribeMessageChangeEvent = WechatEvent & {
  __typename?: 'SubscribeMessageChangeEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  items: Array<SubscribeMessageDecision>;
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

/** One template in a subscribe-message popup or setting change. */
export type SubscribeMessageDecision = {
  __typename?: 'SubscribeMessageDecision';
  /** Where the popup was shown (OA: 1 H5 page, 2 article; mini programs: 0); null on changes. */
  popupScene?: Maybe<Scalars['String']['output']>;
  /** `accept` or `reject`. */
  status: Scalars['String']['output'];
  templateId: Scalars['String']['output'];
};

/** The language of a mini program subscribe message. */
export type SubscribeMessageLang =
  | 'EN_US'
  | 'ZH_CN'
  | 'ZH_HK'
  | 'ZH_TW';

/** A user answered a subscribe-message popup. */
export type SubscribeMessagePopupEvent = WechatEvent & {
  __typename?: 'SubscribeMessagePopupEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  items: Array<SubscribeMessageDecision>;
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

/** The outcome of one subscribe-message send. */
export type SubscribeMessageSendResult = {
  __typename?: 'SubscribeMessageSendResult';
  /** 0 when delivered. */
  errorCode: Scalars['Int']['output'];
  /** `success`, or why not. */
  errorStatus?: Maybe<Scalars['String']['output']>;
  msgId: Scalars['ID']['output'];
  templateId: Scalars['String']['output'];
};

/** Outcomes of subscribe-message sends. */
export type SubscribeMessageSentEvent = WechatEvent & {
  __typename?: 'SubscribeMessageSentEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  items: Array<SubscribeMessageSendResult>;
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Events WeChat pushes for an app, live (over server-sent events), from every gateway instance.
   * With `after`, first every event strictly after that id that the log still keeps, in order,
   * then live ones without gap or duplicate: a subscriber that drops resumes with the id of the
   * last event it handled. Service keys only.
   */
  wechatEvents: WechatEvent;
};


export type SubscriptionWechatEventsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  app?: InputMaybe<Scalars['String']['input']>;
  types?: InputMaybe<Array<WechatEventType>>;
};

/** A user tag of an official account. */
export type Tag = {
  __typename?: 'Tag';
  /** Followers carrying it, as WeChat last counted. */
  count: Scalars['Int']['output'];
  id: Scalars['Int']['output'];
  name: Scalars['String']['output'];
};

/** A template message was delivered, or why not. */
export type TemplateSendFinishedEvent = WechatEvent & {
  __typename?: 'TemplateSendFinishedEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The msgid the send returned (64-bit, as a string). */
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  /** `success`, `failed:user block` or `failed: system failed`. */
  status: Scalars['String']['output'];
};

/** A text message from a user. */
export type TextMessage = WechatEvent & {
  __typename?: 'TextMessage';
  app: Scalars['String']['output'];
  content: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** WeChat's MsgId (64-bit, as a string). */
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

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

/** A user unfollowed; sends to them fail (43004) until they follow again. */
export type UnfollowEvent = WechatEvent & {
  __typename?: 'UnfollowEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

/** A push the gateway has no type for (or whose fields it could not read): nothing is dropped. */
export type UnknownWechatEvent = WechatEvent & {
  __typename?: 'UnknownWechatEvent';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Event as sent, for MsgType `event`. */
  event?: Maybe<Scalars['String']['output']>;
  /** Every field of the push as WeChat sent it. */
  fields: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
  /** MsgType as sent. */
  msgType: Scalars['String']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
};

/** A video (`short: false`) or short video message. */
export type VideoMessage = WechatEvent & {
  __typename?: 'VideoMessage';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  mediaId: Scalars['String']['output'];
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  short: Scalars['Boolean']['output'];
  thumbMediaId?: Maybe<Scalars['String']['output']>;
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

/** A voice message. */
export type VoiceMessage = WechatEvent & {
  __typename?: 'VoiceMessage';
  app: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** `amr` or `speex`. */
  format?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  mediaId: Scalars['String']['output'];
  msgId: Scalars['ID']['output'];
  openid: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  /** Speech recognition, when enabled for the account. */
  recognition?: Maybe<Scalars['String']['output']>;
};

/** Something a user did that WeChat pushed to the app's callback URL, received once however often WeChat repeated it. */
export type WechatEvent = {
  /** Name of the app it was pushed to. */
  app: Scalars['String']['output'];
  /** When WeChat says it happened (CreateTime, whole seconds). */
  createdAt: Scalars['DateTime']['output'];
  /** Position in the app's event log: pass it as `after` to resume after this event. */
  id: Scalars['ID']['output'];
  /** The user (FromUserName). */
  openid: Scalars['String']['output'];
  /** When the gateway accepted it. */
  receivedAt: Scalars['DateTime']['output'];
};

/** A page of the event log. */
export type WechatEventPage = {
  __typename?: 'WechatEventPage';
  /** The events, oldest first. */
  nodes: Array<WechatEvent>;
  /**
   * `endCursor`: the last log position this page looked at (with `types`, possibly past the last
   * event shown); pass it as `after`. `hasNextPage`: whether the log holds more after it.
   */
  pageInfo: PageInfo;
};

/** The kinds of event, one per type implementing `WechatEvent`. */
export type WechatEventType =
  /** A user followed the official account (`FollowEvent`). */
  | 'FOLLOW'
  /** An image message (`ImageMessage`). */
  | 'IMAGE_MESSAGE'
  /** A link message (`LinkMessage`). */
  | 'LINK_MESSAGE'
  /** A location message (`LocationMessage`). */
  | 'LOCATION_MESSAGE'
  /** A user's location, reported on entering the chat when allowed (`LocationReportEvent`). */
  | 'LOCATION_REPORT'
  /** A mass send finished (`MassSendFinishedEvent`). */
  | 'MASS_SEND_FINISHED'
  /** A click on a menu item of type click (`MenuClickEvent`). */
  | 'MENU_CLICK'
  /** A tap on a menu link (`MenuViewEvent`). */
  | 'MENU_VIEW'
  /** A follower scanned a parametric QR code (`ScanEvent`). */
  | 'SCAN'
  /** A user changed a subscribe-message setting (`SubscribeMessageChangeEvent`). */
  | 'SUBSCRIBE_MESSAGE_CHANGE'
  /** A user answered a subscribe-message popup (`SubscribeMessagePopupEvent`). */
  | 'SUBSCRIBE_MESSAGE_POPUP'
  /** The outcome of a subscribe-message send (`SubscribeMessageSentEvent`). */
  | 'SUBSCRIBE_MESSAGE_SENT'
  /** A template message was delivered or not (`TemplateSendFinishedEvent`). */
  | 'TEMPLATE_SEND_FINISHED'
  /** A text message (`TextMessage`). */
  | 'TEXT_MESSAGE'
  /** A user unfollowed (`UnfollowEvent`). */
  | 'UNFOLLOW'
  /** Anything else, with every field WeChat sent (`UnknownWechatEvent`). */
  | 'UNKNOWN'
  /** A video or short video message (`VideoMessage`). */
  | 'VIDEO_MESSAGE'
  /** A voice message (`VoiceMessage`). */
  | 'VOICE_MESSAGE';

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
  /**
   * The tags on this follower, named through one cached tag list per app (refreshed every minute,
   * and at once after createTag, renameTag or deleteTag on this instance).
   */
  tags: Array<Tag>;
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
  ColorInput: ColorInput;
  CreateQrCodeInput: CreateQrCodeInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  FailureCount: ResolverTypeWrapper<FailureCount>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  FollowEvent: ResolverTypeWrapper<WechatEventSource>;
  FollowerConnection: ResolverTypeWrapper<FollowerPage>;
  FollowerEdge: ResolverTypeWrapper<FollowerEdgeSource>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ImageMessage: ResolverTypeWrapper<WechatEventSource>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSONObject: ResolverTypeWrapper<Scalars['JSONObject']['output']>;
  JsapiConfig: ResolverTypeWrapper<JsapiConfig>;
  Language: Language;
  LinkMessage: ResolverTypeWrapper<WechatEventSource>;
  LocationMessage: ResolverTypeWrapper<WechatEventSource>;
  LocationReportEvent: ResolverTypeWrapper<WechatEventSource>;
  LoginResult: ResolverTypeWrapper<LoginGrant>;
  MassAudienceInput: MassAudienceInput;
  MassMessageInput: MassMessageInput;
  MassMessageType: MassMessageType;
  MassPreviewInput: MassPreviewInput;
  MassSendFinishedEvent: ResolverTypeWrapper<WechatEventSource>;
  MassSendInput: MassSendInput;
  MassSendResult: ResolverTypeWrapper<MassSendResult>;
  MassStatus: ResolverTypeWrapper<MassStatus>;
  MenuClickEvent: ResolverTypeWrapper<WechatEventSource>;
  MenuViewEvent: ResolverTypeWrapper<WechatEventSource>;
  MessageDataItem: MessageDataItem;
  MiniProgramCode: ResolverTypeWrapper<MiniProgramCode>;
  MiniProgramCodeInput: MiniProgramCodeInput;
  MiniProgramEnv: MiniProgramEnv;
  MiniProgramLink: ResolverTypeWrapper<MiniProgramLink>;
  MiniProgramLinkInput: MiniProgramLinkInput;
  MiniProgramLinkKind: MiniProgramLinkKind;
  MiniProgramPageInput: MiniProgramPageInput;
  MiniProgramState: MiniProgramState;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OAuthProfile: ResolverTypeWrapper<RawSnsUserInfo>;
  OpenidResult: ResolverTypeWrapper<OpenidGrant>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PhoneNumber: ResolverTypeWrapper<PhoneNumber>;
  QrCode: ResolverTypeWrapper<QrCode>;
  QrSceneInput: QrSceneInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuotaLedger: ResolverTypeWrapper<QuotaLedgerDay>;
  RefreshBudget: ResolverTypeWrapper<RefreshBudgetState>;
  RefreshReason: RefreshReason;
  ScanEvent: ResolverTypeWrapper<WechatEventSource>;
  SendSubscribeMessageInput: SendSubscribeMessageInput;
  SendTemplateMessageInput: SendTemplateMessageInput;
  SentMessage: ResolverTypeWrapper<SentMessage>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  SubscribeMessageChangeEvent: ResolverTypeWrapper<WechatEventSource>;
  SubscribeMessageDecision: ResolverTypeWrapper<SubscribeMessageDecision>;
  SubscribeMessageLang: SubscribeMessageLang;
  SubscribeMessagePopupEvent: ResolverTypeWrapper<WechatEventSource>;
  SubscribeMessageSendResult: ResolverTypeWrapper<SubscribeMessageSendResult>;
  SubscribeMessageSentEvent: ResolverTypeWrapper<WechatEventSource>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Tag: ResolverTypeWrapper<TagSource>;
  TemplateSendFinishedEvent: ResolverTypeWrapper<WechatEventSource>;
  TextMessage: ResolverTypeWrapper<WechatEventSource>;
  TokenCallCount: ResolverTypeWrapper<TokenCallSource>;
  TokenMode: TokenMode;
  TokenStatus: ResolverTypeWrapper<TokenStatusSource>;
  UnfollowEvent: ResolverTypeWrapper<WechatEventSource>;
  UnknownWechatEvent: ResolverTypeWrapper<WechatEventSource>;
  VideoMessage: ResolverTypeWrapper<WechatEventSource>;
  Viewer: ResolverTypeWrapper<ViewerSource>;
  VoiceMessage: ResolverTypeWrapper<WechatEventSource>;
  WechatEvent: ResolverTypeWrapper<WechatEventSource>;
  WechatEventPage: ResolverTypeWrapper<Omit<WechatEventPage, 'nodes'> & { nodes: Array<ResolversTypes['WechatEvent']> }>;
  WechatEventType: WechatEventType;
  WechatUser: ResolverTypeWrapper<RawUserInfo>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AccessToken: AccessTokenInfo;
  Boolean: Scalars['Boolean']['output'];
  BreakerState: BreakerStateSource;
  ColorInput: ColorInput;
  CreateQrCodeInput: CreateQrCodeInput;
  DateTime: Scalars['DateTime']['output'];
  FailureCount: FailureCount;
  Float: Scalars['Float']['output'];
  FollowEvent: WechatEventSource;
  FollowerConnection: FollowerPage;
  FollowerEdge: FollowerEdgeSource;
  ID: Scalars['ID']['output'];
  ImageMessage: WechatEventSource;
  Int: Scalars['Int']['output'];
  JSONObject: Scalars['JSONObject']['output'];
  JsapiConfig: JsapiConfig;
  LinkMessage: WechatEventSource;
  LocationMessage: WechatEventSource;
  LocationReportEvent: WechatEventSource;
  LoginResult: LoginGrant;
  MassAudienceInput: MassAudienceInput;
  MassMessageInput: MassMessageInput;
  MassPreviewInput: MassPreviewInput;
  MassSendFinishedEvent: WechatEventSource;
  MassSendInput: MassSendInput;
  MassSendResult: MassSendResult;
  MassStatus: MassStatus;
  MenuClickEvent: WechatEventSource;
  MenuViewEvent: WechatEventSource;
  MessageDataItem: MessageDataItem;
  MiniProgramCode: MiniProgramCode;
  MiniProgramCodeInput: MiniProgramCodeInput;
  MiniProgramLink: MiniProgramLink;
  MiniProgramLinkInput: MiniProgramLinkInput;
  MiniProgramPageInput: MiniProgramPageInput;
  Mutation: Record<PropertyKey, never>;
  OAuthProfile: RawSnsUserInfo;
  OpenidResult: OpenidGrant;
  PageInfo: PageInfo;
  PhoneNumber: PhoneNumber;
  QrCode: QrCode;
  QrSceneInput: QrSceneInput;
  Query: Record<PropertyKey, never>;
  QuotaLedger: QuotaLedgerDay;
  RefreshBudget: RefreshBudgetState;
  ScanEvent: WechatEventSource;
  SendSubscribeMessageInput: SendSubscribeMessageInput;
  SendTemplateMessageInput: SendTemplateMessageInput;
  SentMessage: SentMessage;
  String: Scalars['String']['output'];
  SubscribeMessageChangeEvent: WechatEventSource;
  SubscribeMessageDecision: SubscribeMessageDecision;
  SubscribeMessagePopupEvent: WechatEventSource;
  SubscribeMessageSendResult: SubscribeMessageSendResult;
  SubscribeMessageSentEvent: WechatEventSource;
  Subscription: Record<PropertyKey, never>;
  Tag: TagSource;
  TemplateSendFinishedEvent: WechatEventSource;
  TextMessage: WechatEventSource;
  TokenCallCount: TokenCallSource;
  TokenStatus: TokenStatusSource;
  UnfollowEvent: WechatEventSource;
  UnknownWechatEvent: WechatEventSource;
  VideoMessage: WechatEventSource;
  Viewer: ViewerSource;
  VoiceMessage: WechatEventSource;
  WechatEvent: WechatEventSource;
  WechatEventPage: Omit<WechatEventPage, 'nodes'> & { nodes: Array<ResolversParentTypes['WechatEvent']> };
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

export type FollowEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FollowEvent'] = ResolversParentTypes['FollowEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  eventKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  qrScene?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  qrTicket?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
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

export type ImageMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ImageMessage'] = ResolversParentTypes['ImageMessage']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mediaId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  picUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface JsonObjectScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSONObject'], any> {
  name: 'JSONObject';
}

export type JsapiConfigResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['JsapiConfig'] = ResolversParentTypes['JsapiConfig']> = {
  appId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nonceStr?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  signature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LinkMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LinkMessage'] = ResolversParentTypes['LinkMessage']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LocationMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LocationMessage'] = ResolversParentTypes['LocationMessage']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  latitude?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  longitude?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  scale?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LocationReportEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LocationReportEvent'] = ResolversParentTypes['LocationReportEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  latitude?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  longitude?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  precision?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type LoginResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['LoginResult'] = ResolversParentTypes['LoginResult']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  profile?: Resolver<Maybe<ResolversTypes['OAuthProfile']>, ParentType, ContextType, RequireFields<LoginResultProfileArgs, 'lang'>>;
  scope?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MassSendFinishedEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MassSendFinishedEvent'] = ResolversParentTypes['MassSendFinishedEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  errorCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  filterCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  sentCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MassSendResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MassSendResult'] = ResolversParentTypes['MassSendResult']> = {
  msgDataId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type MassStatusResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MassStatus'] = ResolversParentTypes['MassStatus']> = {
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MenuClickEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MenuClickEvent'] = ResolversParentTypes['MenuClickEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MenuViewEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MenuViewEvent'] = ResolversParentTypes['MenuViewEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  menuId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MiniProgramCodeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MiniProgramCode'] = ResolversParentTypes['MiniProgramCode']> = {
  base64?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contentType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MiniProgramLinkResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MiniProgramLink'] = ResolversParentTypes['MiniProgramLink']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createQrCode?: Resolver<ResolversTypes['QrCode'], ParentType, ContextType, RequireFields<MutationCreateQrCodeArgs, 'input'>>;
  createTag?: Resolver<ResolversTypes['Tag'], ParentType, ContextType, RequireFields<MutationCreateTagArgs, 'name'>>;
  deleteTag?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteTagArgs, 'tagId'>>;
  login?: Resolver<ResolversTypes['LoginResult'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'code'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  massDelete?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationMassDeleteArgs, 'articleIndex' | 'msgId'>>;
  massPreview?: Resolver<ResolversTypes['SentMessage'], ParentType, ContextType, RequireFields<MutationMassPreviewArgs, 'input'>>;
  massSend?: Resolver<ResolversTypes['MassSendResult'], ParentType, ContextType, RequireFields<MutationMassSendArgs, 'input'>>;
  miniProgramLink?: Resolver<ResolversTypes['MiniProgramLink'], ParentType, ContextType, RequireFields<MutationMiniProgramLinkArgs, 'input'>>;
  refreshAccessToken?: Resolver<ResolversTypes['AccessToken'], ParentType, ContextType, RequireFields<MutationRefreshAccessTokenArgs, 'force'>>;
  renameTag?: Resolver<ResolversTypes['Tag'], ParentType, ContextType, RequireFields<MutationRenameTagArgs, 'name' | 'tagId'>>;
  resetTokenBreaker?: Resolver<ResolversTypes['TokenStatus'], ParentType, ContextType, Partial<MutationResetTokenBreakerArgs>>;
  sendSubscribeMessage?: Resolver<ResolversTypes['SentMessage'], ParentType, ContextType, RequireFields<MutationSendSubscribeMessageArgs, 'input'>>;
  sendTemplateMessage?: Resolver<ResolversTypes['SentMessage'], ParentType, ContextType, RequireFields<MutationSendTemplateMessageArgs, 'input'>>;
  setUserRemark?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationSetUserRemarkArgs, 'openid' | 'remark'>>;
  tagUsers?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationTagUsersArgs, 'openids' | 'tagId'>>;
  untagUsers?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationUntagUsersArgs, 'openids' | 'tagId'>>;
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

export type PhoneNumberResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PhoneNumber'] = ResolversParentTypes['PhoneNumber']> = {
  countryCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  phoneNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  purePhoneNumber?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QrCodeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['QrCode'] = ResolversParentTypes['QrCode']> = {
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  imageUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ticket?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  accessToken?: Resolver<ResolversTypes['AccessToken'], ParentType, ContextType, Partial<QueryAccessTokenArgs>>;
  events?: Resolver<ResolversTypes['WechatEventPage'], ParentType, ContextType, RequireFields<QueryEventsArgs, 'first'>>;
  followers?: Resolver<ResolversTypes['FollowerConnection'], ParentType, ContextType, RequireFields<QueryFollowersArgs, 'first' | 'lang'>>;
  jsapiConfig?: Resolver<ResolversTypes['JsapiConfig'], ParentType, ContextType, RequireFields<QueryJsapiConfigArgs, 'url'>>;
  massStatus?: Resolver<ResolversTypes['MassStatus'], ParentType, ContextType, RequireFields<QueryMassStatusArgs, 'msgId'>>;
  me?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType, Partial<QueryMeArgs>>;
  miniProgramCode?: Resolver<ResolversTypes['MiniProgramCode'], ParentType, ContextType, RequireFields<QueryMiniProgramCodeArgs, 'input'>>;
  openid?: Resolver<ResolversTypes['OpenidResult'], ParentType, ContextType, RequireFields<QueryOpenidArgs, 'code'>>;
  phoneNumber?: Resolver<ResolversTypes['PhoneNumber'], ParentType, ContextType, RequireFields<QueryPhoneNumberArgs, 'code'>>;
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType, Partial<QueryTagsArgs>>;
  tokenStatus?: Resolver<ResolversTypes['TokenStatus'], ParentType, ContextType, Partial<QueryTokenStatusArgs>>;
  userInfo?: Resolver<ResolversTypes['WechatUser'], ParentType, ContextType, RequireFields<QueryUserInfoArgs, 'lang' | 'openid'>>;
  users?: Resolver<Array<ResolversTypes['WechatUser']>, ParentType, ContextType, RequireFields<QueryUsersArgs, 'lang' | 'openids'>>;
  usersByTag?: Resolver<ResolversTypes['FollowerConnection'], ParentType, ContextType, RequireFields<QueryUsersByTagArgs, 'first' | 'lang' | 'tagId'>>;
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
  refusedUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  refusing?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ScanEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ScanEvent'] = ResolversParentTypes['ScanEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  scene?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ticket?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SentMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SentMessage'] = ResolversParentTypes['SentMessage']> = {
  msgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type SubscribeMessageChangeEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SubscribeMessageChangeEvent'] = ResolversParentTypes['SubscribeMessageChangeEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['SubscribeMessageDecision']>, ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscribeMessageDecisionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SubscribeMessageDecision'] = ResolversParentTypes['SubscribeMessageDecision']> = {
  popupScene?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  templateId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscribeMessagePopupEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SubscribeMessagePopupEvent'] = ResolversParentTypes['SubscribeMessagePopupEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['SubscribeMessageDecision']>, ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscribeMessageSendResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SubscribeMessageSendResult'] = ResolversParentTypes['SubscribeMessageSendResult']> = {
  errorCode?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errorStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  templateId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscribeMessageSentEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SubscribeMessageSentEvent'] = ResolversParentTypes['SubscribeMessageSentEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['SubscribeMessageSendResult']>, ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  wechatEvents?: SubscriptionResolver<ResolversTypes['WechatEvent'], "wechatEvents", ParentType, ContextType, Partial<SubscriptionWechatEventsArgs>>;
};

export type TagResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Tag'] = ResolversParentTypes['Tag']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TemplateSendFinishedEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TemplateSendFinishedEvent'] = ResolversParentTypes['TemplateSendFinishedEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type TextMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['TextMessage'] = ResolversParentTypes['TextMessage']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  content?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
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

export type UnfollowEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UnfollowEvent'] = ResolversParentTypes['UnfollowEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type UnknownWechatEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UnknownWechatEvent'] = ResolversParentTypes['UnknownWechatEvent']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  event?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  fields?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  msgType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type VideoMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['VideoMessage'] = ResolversParentTypes['VideoMessage']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mediaId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  short?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  thumbMediaId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['WechatUser']>, ParentType, ContextType, RequireFields<ViewerUserArgs, 'lang'>>;
};

export type VoiceMessageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['VoiceMessage'] = ResolversParentTypes['VoiceMessage']> = {
  app?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  format?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mediaId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  msgId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  openid?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  receivedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  recognition?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type WechatEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WechatEvent'] = ResolversParentTypes['WechatEvent']> = {
  __resolveType: TypeResolveFn<'FollowEvent' | 'ImageMessage' | 'LinkMessage' | 'LocationMessage' | 'LocationReportEvent' | 'MassSendFinishedEvent' | 'MenuClickEvent' | 'MenuViewEvent' | 'ScanEvent' | 'SubscribeMessageChangeEvent' | 'SubscribeMessagePopupEvent' | 'SubscribeMessageSentEvent' | 'TemplateSendFinishedEvent' | 'TextMessage' | 'UnfollowEvent' | 'UnknownWechatEvent' | 'VideoMessage' | 'VoiceMessage', ParentType, ContextType>;
};

export type WechatEventPageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WechatEventPage'] = ResolversParentTypes['WechatEventPage']> = {
  nodes?: Resolver<Array<ResolversTypes['WechatEvent']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
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
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  unionid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  AccessToken?: AccessTokenResolvers<ContextType>;
  BreakerState?: BreakerStateResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  FailureCount?: FailureCountResolvers<ContextType>;
  FollowEvent?: FollowEventResolvers<ContextType>;
  FollowerConnection?: FollowerConnectionResolvers<ContextType>;
  FollowerEdge?: FollowerEdgeResolvers<ContextType>;
  ImageMessage?: ImageMessageResolvers<ContextType>;
  JSONObject?: GraphQLScalarType;
  JsapiConfig?: JsapiConfigResolvers<ContextType>;
  LinkMessage?: LinkMessageResolvers<ContextType>;
  LocationMessage?: LocationMessageResolvers<ContextType>;
  LocationReportEvent?: LocationReportEventResolvers<ContextType>;
  LoginResult?: LoginResultResolvers<ContextType>;
  MassSendFinishedEvent?: MassSendFinishedEventResolvers<ContextType>;
  MassSendResult?: MassSendResultResolvers<ContextType>;
  MassStatus?: MassStatusResolvers<ContextType>;
  MenuClickEvent?: MenuClickEventResolvers<ContextType>;
  MenuViewEvent?: MenuViewEventResolvers<ContextType>;
  MiniProgramCode?: MiniProgramCodeResolvers<ContextType>;
  MiniProgramLink?: MiniProgramLinkResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OAuthProfile?: OAuthProfileResolvers<ContextType>;
  OpenidResult?: OpenidResultResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PhoneNumber?: PhoneNumberResolvers<ContextType>;
  QrCode?: QrCodeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QuotaLedger?: QuotaLedgerResolvers<ContextType>;
  RefreshBudget?: RefreshBudgetResolvers<ContextType>;
  ScanEvent?: ScanEventResolvers<ContextType>;
  SentMessage?: SentMessageResolvers<ContextType>;
  SubscribeMessageChangeEvent?: SubscribeMessageChangeEventResolvers<ContextType>;
  SubscribeMessageDecision?: SubscribeMessageDecisionResolvers<ContextType>;
  SubscribeMessagePopupEvent?: SubscribeMessagePopupEventResolvers<ContextType>;
  SubscribeMessageSendResult?: SubscribeMessageSendResultResolvers<ContextType>;
  SubscribeMessageSentEvent?: SubscribeMessageSentEventResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Tag?: TagResolvers<ContextType>;
  TemplateSendFinishedEvent?: TemplateSendFinishedEventResolvers<ContextType>;
  TextMessage?: TextMessageResolvers<ContextType>;
  TokenCallCount?: TokenCallCountResolvers<ContextType>;
  TokenStatus?: TokenStatusResolvers<ContextType>;
  UnfollowEvent?: UnfollowEventResolvers<ContextType>;
  UnknownWechatEvent?: UnknownWechatEventResolvers<ContextType>;
  VideoMessage?: VideoMessageResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
  VoiceMessage?: VoiceMessageResolvers<ContextType>;
  WechatEvent?: WechatEventResolvers<ContextType>;
  WechatEventPage?: WechatEventPageResolvers<ContextType>;
  WechatUser?: WechatUserResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = GraphQLContext> = {
  auth?: AuthDirectiveResolver<any, any, ContextType>;
};
