/**
 * The one table of WeChat errcodes (docs/wechat-api.md §10): what each one means, whether WeChat
 * may have acted before answering it, what the gateway does about it, and what a client sees.
 * The token core, the breaker, the user loader and the GraphQL error mapping all read it; a new
 * errcode is one row here (and one in the README's error table).
 */
import type { ErrorCode } from '../shared/error-codes.js';

export type ErrcodeKind =
  /** WeChat's own fault (-1): the next attempt may work. */
  | 'system'
  /** The access_token is invalid, not the latest, or expired (40001, 40014, 42001). */
  | 'token-rejected'
  /** The app's credentials or network setup is wrong; a person has to fix it. */
  | 'credentials'
  /** A quota or rate limit of WeChat's. */
  | 'quota'
  /** The app may not call this API (account type, scope, authorization). */
  | 'not-authorized'
  /** An argument the caller chose is wrong (code, openid, list size…). */
  | 'bad-input'
  /** The recipient cannot be reached: not following, blocked, or no consent left. */
  | 'recipient'
  /** WeChat recognised a repeat of something already done (a de-duplication id). */
  | 'duplicate'
  /** Anything without a row. */
  | 'other';

export type ErrcodeAction =
  /** Transient: an idempotent call may be repeated after a short pause. */
  | 'retry'
  /** Drop the token where it is still cached, refresh once, retry the call once. */
  | 'refresh-token'
  /** On the token endpoint: open the app's breaker for the credential cool-down. */
  | 'breaker-cooldown'
  /** On the token endpoint: open the app's breaker until the next WeChat day (00:00 UTC+8). */
  | 'breaker-until-tomorrow'
  /** No call before the next wall-clock minute. */
  | 'wait-next-minute'
  /** A whole batchget fails for one unknown openid: split the batch to pin it down. */
  | 'split-batch'
  /** Nothing to do but tell the caller. */
  | 'report';

export interface ErrcodeRow {
  /** WeChat's short errmsg for it, shown to admins (never a client message). */
  readonly name: string;
  readonly kind: ErrcodeKind;
  /**
   * 'none': WeChat refused before doing anything, so repeating the call cannot duplicate an effect.
   * 'unknown': the call may have been applied (a send must not be repeated blindly).
   */
  readonly effect: 'none' | 'unknown';
  readonly action: ErrcodeAction;
  readonly code: ErrorCode;
  /** What the client reads; written here, never copied from WeChat (its errmsg can echo our IP). */
  readonly message: string;
}

const TOKEN_REJECTED_MESSAGE =
  'WeChat rejected the access token again after a refresh; retry shortly.';

const row = (
  name: string,
  kind: ErrcodeKind,
  action: ErrcodeAction,
  code: ErrorCode,
  message: string,
  effect: ErrcodeRow['effect'] = 'none',
): ErrcodeRow => Object.freeze({ name, kind, effect, action, code, message });

// prettier-ignore -- one row per errcode reads as a table
export const ERRCODES: ReadonlyMap<number, ErrcodeRow> = new Map<number, ErrcodeRow>([
  [
    -1,
    row(
      'system error',
      'system',
      'retry',
      'UPSTREAM_UNAVAILABLE',
      'WeChat reported a system error; retry shortly.',
      'unknown',
    ),
  ],
  [
    40001,
    row(
      'invalid credential, access_token is invalid or not latest',
      'token-rejected',
      'refresh-token',
      'UPSTREAM_UNAVAILABLE',
      TOKEN_REJECTED_MESSAGE,
    ),
  ],
  [
    40014,
    row(
      'invalid access_token',
      'token-rejected',
      'refresh-token',
      'UPSTREAM_UNAVAILABLE',
      TOKEN_REJECTED_MESSAGE,
    ),
  ],
  [
    42001,
    row(
      'access_token expired',
      'token-rejected',
      'refresh-token',
      'UPSTREAM_UNAVAILABLE',
      TOKEN_REJECTED_MESSAGE,
    ),
  ],
  [
    40013,
    row(
      'invalid appid',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat rejected the configured appId.',
    ),
  ],
  [
    40125,
    row(
      'invalid appsecret',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat rejected the configured app secret.',
    ),
  ],
  [
    40164,
    row(
      'the gateway IP is not in the API IP whitelist',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      "This server's IP address is not in the app's WeChat API IP whitelist.",
    ),
  ],
  [
    40243,
    row(
      'the AppSecret is frozen',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      "The app's secret is frozen in the WeChat console.",
    ),
  ],
  [
    41002,
    row(
      'appid missing',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat received no appId.',
    ),
  ],
  [
    41004,
    row(
      'appsecret missing',
      'credentials',
      'breaker-cooldown',
      'UPSTREAM_MISCONFIGURED',
      'WeChat received no app secret.',
    ),
  ],
  // Cleared by an admin's confirmation in WeChat, not by a cool-down: no breaker.
  [
    89503,
    row(
      "the IP awaits the admin's confirmation",
      'credentials',
      'report',
      'UPSTREAM_MISCONFIGURED',
      "WeChat waits for the account admin to confirm this server's IP address.",
    ),
  ],
  [
    48001,
    row(
      'api unauthorized',
      'not-authorized',
      'report',
      'UPSTREAM_MISCONFIGURED',
      'This app is not authorized for this WeChat API (account type or scope).',
    ),
  ],
  [
    45009,
    row(
      'daily quota exhausted',
      'quota',
      'breaker-until-tomorrow',
      'RATE_LIMITED',
      "WeChat's daily quota for this call is used up; it resets at midnight Beijing time.",
    ),
  ],
  [
    45011,
    row(
      'api minute-quota reached',
      'quota',
      'wait-next-minute',
      'RATE_LIMITED',
      "WeChat's per-minute limit was reached; retry in a minute.",
    ),
  ],
  [
    40003,
    row(
      'invalid openid',
      'bad-input',
      'split-batch',
      'BAD_USER_INPUT',
      'WeChat does not know this openid for this app.',
    ),
  ],
  [
    40029,
    row(
      'invalid code',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The code is invalid, expired or belongs to another app; get a new one.',
    ),
  ],
  [
    40163,
    row(
      'code been used',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The code was already used; codes work once.',
    ),
  ],
  [
    40030,
    row(
      'invalid refresh_token',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The refresh token is invalid.',
    ),
  ],
  [
    40032,
    row(
      'invalid openid list size',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the size of the openid list.',
    ),
  ],
  [41008, row('missing code', 'bad-input', 'report', 'BAD_USER_INPUT', 'A code is required.')],
  [41009, row('missing openid', 'bad-input', 'report', 'BAD_USER_INPUT', 'An openid is required.')],
  // Messages, mass sends, codes, links, phone numbers and tags (wechat-api-more.md §2–§9).
  [
    40002,
    row(
      'invalid grant_type / no permission for this account type',
      'not-authorized',
      'report',
      'UPSTREAM_MISCONFIGURED',
      'WeChat refused this call for this app (wrong request type, or an individual account that may not use it).',
    ),
  ],
  [
    40007,
    row(
      'invalid media_id',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat does not know this media id for this app.',
    ),
  ],
  [
    40037,
    row(
      'invalid template_id',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat does not know this template id for this app (deleted, another account, or the wrong kind of template).',
    ),
  ],
  [
    40053,
    row(
      'invalid action info',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the QR code scene.',
    ),
  ],
  [
    40059,
    row(
      'invalid msg id',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat does not know this mass message id for this app, or it cannot be deleted.',
    ),
  ],
  [
    40060,
    row(
      'invalid article idx',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the article index (it may already be deleted).',
    ),
  ],
  [
    40092,
    row(
      'invalid remark name',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The remark is too long: at most 30 bytes (10 Chinese characters).',
    ),
  ],
  [
    40097,
    row(
      'invalid args',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected an argument (e.g. envVersion).',
    ),
  ],
  [
    40129,
    row(
      'invalid scene',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The scene holds characters WeChat does not allow.',
    ),
  ],
  [
    40130,
    row(
      'invalid openid list size, at least two openid',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'A mass send to openids needs 2 to 10 000 of them.',
    ),
  ],
  [
    40165,
    row(
      'invalid weapp pagepath',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the mini program page (not in the published version, or the mini program is not linked).',
    ),
  ],
  [
    40169,
    row(
      'invalid length for scene, or the data is not json string',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The scene must be 1 to 32 characters.',
    ),
  ],
  [
    40212,
    row(
      'invalid query',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the query of the link.',
    ),
  ],
  [
    40241,
    row(
      'the message is duplicate',
      'duplicate',
      'report',
      'ALREADY_SENT',
      'WeChat already sent this message (same recipient and clientMsgId); it was not sent again.',
    ),
  ],
  [
    41030,
    row(
      'invalid page',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat rejected the page: it must exist in the published mini program, without a leading "/" or a query.',
    ),
  ],
  [
    43004,
    row(
      'require subscribe',
      'recipient',
      'report',
      'RECIPIENT_NOT_SUBSCRIBED',
      'The user does not follow the official account, so it cannot send them this message.',
    ),
  ],
  [
    43019,
    row(
      'the user is on the blacklist',
      'recipient',
      'report',
      'RECIPIENT_BLOCKED',
      "The user is on the official account's blacklist.",
    ),
  ],
  [
    43101,
    row(
      'user refuse to accept the msg',
      'recipient',
      'report',
      'NO_CONSENT',
      'The user has no consent left for this template: each accepted subscription allows one message, and they may have refused.',
    ),
  ],
  [
    44002,
    row(
      'empty post data',
      'other',
      'report',
      'UPSTREAM_REJECTED',
      'WeChat received an empty request.',
    ),
  ],
  [
    45028,
    row(
      'has no masssend quota',
      'quota',
      'report',
      'RATE_LIMITED',
      'The official account has no mass-send quota left.',
    ),
  ],
  [
    45047,
    row(
      'out of response count limit',
      'quota',
      'report',
      'RATE_LIMITED',
      "WeChat's limit of messages to this user is reached.",
    ),
  ],
  [
    45056,
    row(
      'too many tags',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The account already has 100 tags; delete one first.',
    ),
  ],
  [
    45057,
    row(
      'the tag has too many fans',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The tag has more than 100 000 followers; untag them before deleting it.',
    ),
  ],
  [
    45058,
    row(
      'system tags cannot be changed',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      "Tags 0, 1 and 2 are WeChat's own and cannot be renamed or deleted.",
    ),
  ],
  [
    45059,
    row(
      'a user would have too many tags',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'A user can have at most 20 tags.',
    ),
  ],
  [
    45063,
    row(
      'no permission for mini program codes',
      'not-authorized',
      'report',
      'UPSTREAM_MISCONFIGURED',
      'This mini program may not create codes.',
    ),
  ],
  [
    45065,
    row(
      'clientmsgid exist',
      'duplicate',
      'report',
      'ALREADY_SENT',
      'A mass send with this clientMsgId already went out within 24 hours; it was not sent again.',
    ),
  ],
  [
    45066,
    row(
      'clientmsgid retried too fast',
      'quota',
      'report',
      'RATE_LIMITED',
      'A mass send with this clientMsgId was submitted less than a minute ago; repeat it after a minute to learn whether it went out (ALREADY_SENT).',
    ),
  ],
  [
    45067,
    row(
      'clientmsgid size out of limit',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'clientMsgId is too long for WeChat; keep it to 32 characters.',
    ),
  ],
  [
    45157,
    row(
      'invalid tag name',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The tag name is taken or not allowed.',
    ),
  ],
  [
    45158,
    row(
      'tag name too long',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The tag name is too long: at most 30 bytes (10 Chinese characters).',
    ),
  ],
  [
    45159,
    row(
      'invalid tag id',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'WeChat does not know this tag id for this app.',
    ),
  ],
  [
    47001,
    row(
      'data format error',
      'other',
      'report',
      'UPSTREAM_REJECTED',
      'WeChat could not read the request.',
    ),
  ],
  [
    47003,
    row(
      'argument invalid',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      "WeChat rejected a data value (missing, too long, or not the template's format).",
    ),
  ],
  [
    49003,
    row(
      'openid not of this appid',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'An openid belongs to another app.',
    ),
  ],
  [
    85079,
    row(
      'mini program not published',
      'not-authorized',
      'report',
      'UPSTREAM_MISCONFIGURED',
      'The mini program has no published version yet.',
    ),
  ],
  [
    85400,
    row(
      'reach max long time quota limit',
      'quota',
      'report',
      'RATE_LIMITED',
      'The quota of long-lived links is used up.',
    ),
  ],
  [
    85401,
    row(
      'invalid expire time',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The link must expire within 30 days (and at least a minute from now).',
    ),
  ],
  [
    85402,
    row(
      'invalid expire interval',
      'bad-input',
      'report',
      'BAD_USER_INPUT',
      'The link must expire within 1 to 30 days.',
    ),
  ],
  [
    9500002,
    row(
      'masssend task too much, system busy',
      'quota',
      'report',
      'RATE_LIMITED',
      'WeChat has too many mass sends in progress; retry later.',
    ),
  ],
]);

/** The row of an errcode; one without a row is reported as UPSTREAM_REJECTED, naming it. */
export function errcodeRow(errcode: number): ErrcodeRow {
  return (
    ERRCODES.get(errcode) ??
    row(
      `errcode ${errcode}`,
      'other',
      'report',
      'UPSTREAM_REJECTED',
      `WeChat rejected the request (errcode ${errcode}).`,
    )
  );
}

/** Whether the errcode asks for a token refresh and one retry (40001, 40014, 42001). */
export const isTokenRejection = (errcode: number): boolean =>
  ERRCODES.get(errcode)?.action === 'refresh-token';
