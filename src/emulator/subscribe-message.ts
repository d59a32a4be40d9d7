import { MINI_PROGRAM_PAGES, pagePath, templatesOf } from './catalogue.js';
import { checkMessageData } from './message-data.js';
import { fail, int64, isRecord, ok, parseJsonObject, type Reply, type Route } from './protocol.js';
import type { RegisteredApp } from './registry.js';
import type { SentKind } from './send-log.js';
import type { MessageDeps } from './template-message.js';

/** Subscribe-message consents: each `accept` in the dialog allows one message (§3.1). */
export interface SubscribeMessages {
  /** What the user's tap on "accept" does; returns the consents now left. */
  grant(app: RegisteredApp, openid: string, templateId: string, count: number): number;
  /** `POST /cgi-bin/message/subscribe/send` (mini programs). */
  readonly miniProgramRoute: Route;
  /** `POST /cgi-bin/message/subscribe/bizsend` (official accounts, 订阅通知). */
  readonly officialRoute: Route;
}

const LANGS: ReadonlySet<string> = new Set(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']);
const STATES: ReadonlySet<string> = new Set(['developer', 'trial', 'formal']);

/**
 * Checks in this order: body (47001), touser (40003), template (40037: unknown, another app's or
 * a template-message id), data (47003), page (41030), then the consent (43101). Success spends
 * one consent and logs the message with a 64-bit msgid.
 */
export function createSubscribeMessages(deps: MessageDeps): SubscribeMessages {
  const { guard, log, ids } = deps;
  const consents = new Map<string, number>();
  const keyOf = (appId: string, openid: string, templateId: string) =>
    `${appId}\u0000${openid}\u0000${templateId}`;

  const handle = (body: Readonly<Record<string, unknown>>, app: RegisteredApp): Reply => {
    const kind = app.config.kind;
    const openid = typeof body.touser === 'string' ? body.touser : '';
    if (!app.users.get(openid)) return fail(40003);
    const template = templatesOf(kind).find(
      (candidate) => candidate.templateId === body.template_id && candidate.kind === 'subscribe',
    );
    if (!template) return fail(40037);
    const data = checkMessageData(body.data, template, true);
    if (!data.ok) return fail(47003, data.errmsg);
    if (body.lang !== undefined && !LANGS.has(String(body.lang))) return fail(47003);
    const state = body.miniprogram_state;
    if (state !== undefined && !STATES.has(String(state))) return fail(47003);
    // A mini program's `page`; an official account's `page` is a web URL, its mini program link
    // sits in `miniprogram` (the current doc also shows the mini program shape: both accepted).
    const link = isRecord(body.miniprogram) ? body.miniprogram.pagepath : undefined;
    const rawPage = kind === 'miniprogram' ? body.page : link;
    let page: string | undefined;
    if (typeof rawPage === 'string' && rawPage !== '') {
      page = pagePath(rawPage);
      if (page === undefined || !MINI_PROGRAM_PAGES.includes(page)) return fail(41030);
    }
    const key = keyOf(app.config.appId, openid, template.templateId);
    const left = consents.get(key) ?? 0;
    if (left < 1) return fail(43101);
    if (left === 1) consents.delete(key);
    else consents.set(key, left - 1);
    const sent = log.record({
      appId: app.config.appId,
      kind: (kind === 'miniprogram' ? 'subscribe' : 'bizsend') satisfies SentKind,
      msgId: ids.next64(),
      to: [openid],
      templateId: template.templateId,
      data: data.data,
      ...(typeof rawPage === 'string' && rawPage !== '' ? { page: rawPage } : {}),
    });
    return ok({ errcode: 0, errmsg: 'ok', msgid: int64(sent.msgId) });
  };

  const route = (kind: 'official' | 'miniprogram'): Route =>
    guard.routeFor(kind, 'POST', (req, app) => {
      const parsed = parseJsonObject(req.body);
      return parsed.kind === 'malformed' ? fail(47001) : handle(parsed.value, app);
    });

  return {
    grant(app, openid, templateId, count) {
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new RangeError(`consent count must be a positive integer, got ${count}`);
      }
      const template = templatesOf(app.config.kind).find(
        (candidate) => candidate.templateId === templateId && candidate.kind === 'subscribe',
      );
      if (!template) {
        throw new RangeError(`${app.config.appId} has no subscribe template ${templateId}`);
      }
      const user = app.users.getOrCreate(openid);
      const key = keyOf(app.config.appId, user.openid, templateId);
      const now = (consents.get(key) ?? 0) + count;
      consents.set(key, now);
      return now;
    },
    miniProgramRoute: route('miniprogram'),
    officialRoute: route('official'),
  };
}
