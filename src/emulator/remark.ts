import { fail, ok, parseJsonObject, type Route } from './protocol.js';
import type { TokenGuard } from './token-guard.js';

/** "<30 bytes" in the doc; 10 Chinese characters (30 bytes) pass, 11 get 40092. */
const MAX_REMARK_BYTES = 30;

/** `POST /cgi-bin/user/info/updateremark` (§8): followers only; user/info then shows it. */
export function createRemarkRoute(guard: TokenGuard): Route {
  return guard.route('POST', (req, app) => {
    const parsed = parseJsonObject(req.body);
    if (parsed.kind === 'malformed') return fail(47001);
    const { openid, remark } = parsed.value;
    const user = typeof openid === 'string' ? app.users.get(openid) : undefined;
    if (!user?.subscribed) return fail(40003);
    if (typeof remark !== 'string') return fail(47001);
    if (Buffer.byteLength(remark, 'utf8') > MAX_REMARK_BYTES) return fail(40092);
    user.remark = remark;
    return ok({ errcode: 0, errmsg: 'ok' });
  });
}
