/**
 * Every upstream endpoint the gateway calls, with whether repeating it is harmless
 * (wechat-api-more.md §10). The http layer reads `repeat` to decide what a failure may lead to;
 * nothing else decides it, so a new endpoint is one row here.
 *
 * Token errors (40001, 40014, 42001) are raised before WeChat acts, so the token provider's one
 * refresh-and-retry is safe for every row, sends included; this table is about everything else.
 */

export type Repeat =
  /** Reads nothing changes: retried after -1, a timeout, a lost connection or a bad answer. */
  | 'read'
  /** A write whose repeat leaves the same state (set semantics, a fresh ticket): retried likewise. */
  | 'idempotent'
  /**
   * Delivers something to people: never retried after -1, a timeout or a lost connection; the
   * caller gets UPSTREAM_OUTCOME_UNKNOWN because a repeat may deliver twice.
   */
  | 'send'
  /** Spends a single-use code: retried after -1 only (a repeat after a timeout reads 40029). */
  | 'single-use'
  /** Token and ticket endpoints: the token provider has its own back-off and budget; no retry here. */
  | 'token';

export interface Endpoint {
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly repeat: Repeat;
  /** WeChat's own de-duplication, if any (shown in the README's retry-safety table). */
  readonly dedupe: string;
  /** What a repeat after an unknown outcome does, in words (README). */
  readonly note: string;
}

const e = (
  path: string,
  method: Endpoint['method'],
  repeat: Repeat,
  note: string,
  dedupe = '—',
): Endpoint => Object.freeze({ path, method, repeat, note, dedupe });

// prettier-ignore -- one row per endpoint reads as a table
export const ENDPOINTS: readonly Endpoint[] = Object.freeze([
  e('/cgi-bin/stable_token', 'POST', 'token', 'the token provider retries with back-off'),
  e(
    '/cgi-bin/token',
    'GET',
    'token',
    'the token provider retries with back-off; each call issues a new token',
  ),
  e('/cgi-bin/ticket/getticket', 'GET', 'token', 'the token provider retries with back-off'),
  e('/cgi-bin/user/info', 'GET', 'read', 'read-only'),
  e('/cgi-bin/user/info/batchget', 'POST', 'read', 'read-only'),
  e('/cgi-bin/user/get', 'GET', 'read', 'read-only'),
  e('/sns/oauth2/access_token', 'GET', 'single-use', 'the code works once: a repeat reads 40163'),
  e('/sns/userinfo', 'GET', 'read', 'read-only'),
  e('/sns/jscode2session', 'GET', 'single-use', 'the code works once: a repeat reads 40163'),
  e(
    '/cgi-bin/message/template/send',
    'POST',
    'send',
    'may deliver twice; repeat with the same clientMsgId within 10 minutes',
    'client_msg_id (per openid, ~10 min)',
  ),
  e(
    '/cgi-bin/message/subscribe/send',
    'POST',
    'send',
    'may deliver twice; 43101 on a repeat means the consent was used, so probably delivered',
  ),
  e(
    '/cgi-bin/message/subscribe/bizsend',
    'POST',
    'send',
    'may deliver twice; 43101 on a repeat means the consent was used, so probably delivered',
  ),
  e(
    '/cgi-bin/message/mass/sendall',
    'POST',
    'send',
    'repeat with the same clientMsgId after a minute: 45065 names the job that went out',
    'clientmsgid (24 h)',
  ),
  e(
    '/cgi-bin/message/mass/send',
    'POST',
    'send',
    'repeat with the same clientMsgId after a minute: 45065 names the job that went out',
    'clientmsgid (24 h)',
  ),
  e(
    '/cgi-bin/message/mass/preview',
    'POST',
    'send',
    'a duplicate preview reaches one person twice',
  ),
  e('/cgi-bin/message/mass/get', 'POST', 'read', 'read-only'),
  e(
    '/cgi-bin/message/mass/delete',
    'POST',
    'idempotent',
    'deleting twice leaves it deleted (40060 may follow)',
  ),
  e(
    '/cgi-bin/qrcode/create',
    'POST',
    'idempotent',
    'a new ticket for a temporary code (spends the daily quota)',
  ),
  e('/wxa/getwxacodeunlimit', 'POST', 'idempotent', 'stateless: the same image again'),
  e('/wxa/generatescheme', 'POST', 'idempotent', 'one more link (spends the 500 000/day quota)'),
  e('/wxa/generate_urllink', 'POST', 'idempotent', 'one more link (spends the 500 000/day quota)'),
  e(
    '/wxa/business/getuserphonenumber',
    'POST',
    'single-use',
    'the code works once: a repeat after a timeout reads 40029',
  ),
  e('/cgi-bin/tags/get', 'GET', 'read', 'read-only'),
  e(
    '/cgi-bin/tags/create',
    'POST',
    'idempotent',
    'a repeat reads 45157; the gateway then returns the tag of that name',
  ),
  e('/cgi-bin/tags/update', 'POST', 'idempotent', 'set semantics'),
  e(
    '/cgi-bin/tags/delete',
    'POST',
    'idempotent',
    'a repeat reads 45159; the gateway then reports it deleted',
  ),
  e('/cgi-bin/tags/members/batchtagging', 'POST', 'idempotent', 'set semantics'),
  e('/cgi-bin/tags/members/batchuntagging', 'POST', 'idempotent', 'set semantics'),
  e('/cgi-bin/user/tag/get', 'POST', 'read', 'read-only'),
  e('/cgi-bin/user/info/updateremark', 'POST', 'idempotent', 'set semantics'),
]);

const BY_PATH: ReadonlyMap<string, Endpoint> = new Map(ENDPOINTS.map((row) => [row.path, row]));

/** The row of an upstream path; undefined for a path the gateway does not call (no retry). */
export function endpointOf(path: string): Endpoint | undefined {
  return BY_PATH.get(path);
}
