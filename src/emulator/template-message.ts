import type { Clock } from '../shared/clock.js';
import { MINI_PROGRAM_PAGES, pagePath, templatesOf } from './catalogue.js';
import { checkMessageData } from './message-data.js';
import type { MessageIds } from './message-ids.js';
import { fail, int64, isRecord, ok, parseJsonObject, type Route } from './protocol.js';
import type { EmulatorAppRegistry } from './registry.js';
import type { SendLog } from './send-log.js';
import type { TokenGuard } from './token-guard.js';

/** client_msg_id: one message per openid and id, for about 10 minutes (§2.1). */
const CLIENT_MSG_ID_WINDOW_MS = 10 * 60_000;

export interface MessageDeps {
  readonly registry: EmulatorAppRegistry;
  readonly guard: TokenGuard;
  readonly log: SendLog;
  readonly ids: MessageIds;
  readonly clock: Clock;
}

/**
 * `POST /cgi-bin/message/template/send` (§2.1): official accounts only; the recipient must follow
 * (43004); a `miniprogram` must be a linked mini program's published page (40165), read from
 * `pagepath` or `path`. A repeated client_msg_id within 10 minutes is refused with 40241 and
 * nothing is sent (what WeChat answers there is unconfirmed).
 */
export function createTemplateSendRoute(deps: MessageDeps): Route {
  const { registry, guard, log, ids, clock } = deps;
  const recent = new Map<string, number>();
  return guard.route('POST', (req, app) => {
    const parsed = parseJsonObject(req.body);
    if (parsed.kind === 'malformed') return fail(47001);
    const body = parsed.value;
    const openid = typeof body.touser === 'string' ? body.touser : '';
    const user = app.users.get(openid);
    if (!user) return fail(40003);
    const template = templatesOf('official').find(
      (candidate) => candidate.templateId === body.template_id && candidate.kind === 'template',
    );
    if (!template) return fail(40037);
    const data = checkMessageData(body.data, template, false);
    if (!data.ok) return fail(47003, data.errmsg);
    const link = body.miniprogram;
    let page: string | undefined;
    if (isRecord(link) && typeof link.appid === 'string' && link.appid !== '') {
      const linked = registry.get(link.appid)?.config.kind === 'miniprogram';
      const raw = typeof link.pagepath === 'string' ? link.pagepath : link.path;
      page = typeof raw === 'string' ? pagePath(raw) : undefined;
      if (!linked || page === undefined || !MINI_PROGRAM_PAGES.includes(page)) return fail(40165);
    }
    if (!user.subscribed) return fail(43004);
    const clientMsgId = typeof body.client_msg_id === 'string' ? body.client_msg_id : '';
    const now = clock.now();
    if (clientMsgId !== '') {
      const key = `${app.config.appId}\u0000${openid}\u0000${clientMsgId}`;
      const sentAt = recent.get(key);
      if (sentAt !== undefined && now - sentAt < CLIENT_MSG_ID_WINDOW_MS) {
        return fail(40241, 'The message is duplicate');
      }
      recent.set(key, now);
    }
    const sent = log.record({
      appId: app.config.appId,
      kind: 'template',
      msgId: ids.next64(),
      to: [openid],
      templateId: template.templateId,
      data: data.data,
      ...(clientMsgId === '' ? {} : { clientMsgId }),
      ...(page === undefined ? {} : { page }),
    });
    return ok({ errcode: 0, errmsg: 'ok', msgid: int64(sent.msgId) });
  });
}
