/**
 * Mass messages (§4): `mass/sendall` (to all followers or a tag), `mass/send` (2–10 000
 * openids), `mass/preview`, `mass/get` and `mass/delete`, with clientmsgid de-duplication:
 * the same id within a minute is 45066, within 24 hours 45065 carrying the first job's msg_id;
 * without one, the same audience and content within 24 hours is 45065 too.
 */
import type { Clock } from '../shared/clock.js';
import { readMassContent, type MassContent } from './mass-content.js';
import type { MessageIds } from './message-ids.js';
import { fail, isRecord, ok, parseJsonObject, type Reply, type Route } from './protocol.js';
import type { RegisteredApp } from './registry.js';
import type { SendLog } from './send-log.js';
import type { TagRoutes } from './tags.js';
import type { TokenGuard } from './token-guard.js';

const RETRY_SPACING_MS = 60_000;
const DEDUPE_WINDOW_MS = 24 * 3600_000;
const MAX_CLIENT_MSG_ID_BYTES = 64;
const MIN_OPENIDS = 2;
const MAX_OPENIDS = 10_000;
/** The emulator reports a job as SENDING for its first minute, then SEND_SUCCESS. */
const SENDING_MS = 60_000;

interface MassJob {
  readonly appId: string;
  readonly msgId: number;
  readonly content: MassContent;
  readonly submittedAt: number;
  deletedArticles: Set<number>;
  deleted: boolean;
}

export interface MassDeps {
  readonly guard: TokenGuard;
  readonly log: SendLog;
  readonly ids: MessageIds;
  readonly clock: Clock;
  readonly tags: TagRoutes;
}

type Audience = { ok: true; to: string[]; key: string } | { ok: false; reply: Reply };

function audienceOf(
  body: Readonly<Record<string, unknown>>,
  app: RegisteredApp,
  tags: TagRoutes,
  all: boolean,
): Audience {
  if (all) {
    const filter = isRecord(body.filter) ? body.filter : {};
    if (filter.is_to_all === true)
      return { ok: true, to: [...app.users.followerOpenids], key: 'all' };
    const tagId = Number(filter.tag_id ?? filter.group_id);
    if (!tags.has(app.config.appId, tagId)) return { ok: false, reply: fail(45159) };
    return {
      ok: true,
      to: tags.members(app, tagId).map((user) => user.openid),
      key: `tag:${tagId}`,
    };
  }
  const list = body.touser;
  if (!Array.isArray(list) || list.length < MIN_OPENIDS || list.length > MAX_OPENIDS) {
    return { ok: false, reply: fail(40130) };
  }
  if (list.some((openid) => typeof openid !== 'string' || !app.users.get(openid))) {
    return { ok: false, reply: fail(40003) };
  }
  const to = list as string[];
  return { ok: true, to, key: `openids:${[...to].sort().join(',')}` };
}

export interface MassJobs {
  readonly routes: ReadonlyMap<string, Route>;
  /** A mass send of uploaded news made by another service of the account; returns its msg_id. */
  submitNews(app: RegisteredApp, mediaId: string): number;
}

type Body = Readonly<Record<string, unknown>>;

/** Every job submitted, by msg_id, and the de-duplication indexes. */
interface JobStore {
  /** A new job: kept for get/delete and written to the send log. */
  submit(appId: string, content: MassContent, to: string[], clientMsgId: string): MassJob;
  /** The job `msg_id` names, if it is this app's. */
  jobOf(body: Body, app: RegisteredApp): MassJob | undefined;
  readonly byClientId: Map<string, MassJob>;
  readonly byDigest: Map<string, MassJob>;
}

function createJobStore(deps: MassDeps): JobStore {
  const { log, ids, clock } = deps;
  const jobs = new Map<number, MassJob>();
  return {
    byClientId: new Map(),
    byDigest: new Map(),
    submit(appId, content, to, clientMsgId) {
      const job: MassJob = {
        appId,
        msgId: ids.next32(),
        content,
        submittedAt: clock.now(),
        deletedArticles: new Set(),
        deleted: false,
      };
      jobs.set(job.msgId, job);
      log.record({
        appId,
        kind: 'mass',
        msgId: String(job.msgId),
        to,
        msgType: content.msgType,
        data: content.summary,
        ...(clientMsgId === '' ? {} : { clientMsgId }),
      });
      return job;
    },
    jobOf(body, app) {
      const job = jobs.get(Number(body.msg_id));
      return job?.appId === app.config.appId ? job : undefined;
    },
  };
}

/** sendall (`all`) and send: content, audience, clientmsgid windows, then a new job. */
function massSend(
  deps: MassDeps,
  store: JobStore,
  request: { body: Body; app: RegisteredApp; all: boolean },
): Reply {
  const { body, app, all } = request;
  const content = readMassContent(body);
  if (!content.ok) return fail(content.errcode);
  const audience = audienceOf(body, app, deps.tags, all);
  if (!audience.ok) return audience.reply;
  const appId = app.config.appId;
  const now = deps.clock.now();
  const clientMsgId = typeof body.clientmsgid === 'string' ? body.clientmsgid : '';
  if (Buffer.byteLength(clientMsgId, 'utf8') > MAX_CLIENT_MSG_ID_BYTES) return fail(45067);
  const dedupeKey =
    clientMsgId === ''
      ? `${appId}\u0000${audience.key}\u0000${content.content.digest}`
      : `${appId}\u0000${clientMsgId}`;
  const index = clientMsgId === '' ? store.byDigest : store.byClientId;
  const earlier = index.get(dedupeKey);
  if (earlier && now - earlier.submittedAt < DEDUPE_WINDOW_MS) {
    if (clientMsgId !== '' && now - earlier.submittedAt < RETRY_SPACING_MS) return fail(45066);
    return fail(45065, 'clientmsgid exist', { msg_id: earlier.msgId });
  }
  const job = store.submit(appId, content.content, audience.to, clientMsgId);
  index.set(dedupeKey, job);
  const dataId = content.content.msgType === 'mpnews' ? { msg_data_id: deps.ids.next32() } : {};
  return ok({ errcode: 0, errmsg: 'send job submission success', msg_id: job.msgId, ...dataId });
}

/** preview: to one follower or WeChat id; logged, never a job. */
function preview(deps: MassDeps, body: Body, app: RegisteredApp): Reply {
  const content = readMassContent(body);
  if (!content.ok) return fail(content.errcode);
  const wxName = typeof body.towxname === 'string' ? body.towxname : '';
  const openid = typeof body.touser === 'string' ? body.touser : '';
  if (wxName === '' && !app.users.get(openid)) return fail(40003);
  const msgId = deps.ids.next32();
  deps.log.record({
    appId: app.config.appId,
    kind: 'preview',
    msgId: String(msgId),
    to: [wxName === '' ? openid : `wxname:${wxName}`],
    msgType: content.content.msgType,
    data: content.content.summary,
  });
  return ok({ errcode: 0, errmsg: 'preview success', msg_id: msgId });
}

function jobStatus(job: MassJob, now: number): string {
  if (job.deleted) return 'DELETE';
  return now - job.submittedAt < SENDING_MS ? 'SENDING' : 'SEND_SUCCESS';
}

/** delete: a whole job (article 0) or one article; a job with every article deleted is deleted. */
function deleteJob(job: MassJob | undefined, body: Body): Reply {
  const type = job?.content.msgType;
  // Only mpnews and mpvideo sends can be deleted (§4); anything else reads as unknown.
  if (!job || (type !== 'mpnews' && type !== 'mpvideo')) return fail(40059);
  const index = Number(body.article_idx ?? 0);
  const articles = Math.max(1, job.content.media?.articles ?? 1);
  if (!Number.isInteger(index) || index < 0 || index > articles) return fail(40060);
  if (index === 0) job.deleted = true;
  else job.deletedArticles.add(index);
  if (job.deletedArticles.size >= articles) job.deleted = true;
  return ok({ errcode: 0, errmsg: 'ok' });
}

export function createMassRoutes(deps: MassDeps): MassJobs {
  const store = createJobStore(deps);
  const post = (handle: (body: Body, app: RegisteredApp) => Reply) =>
    deps.guard.route('POST', (req, app) => {
      const parsed = parseJsonObject(req.body);
      return parsed.kind === 'malformed' ? fail(47001) : handle(parsed.value, app);
    });
  const getStatus = (body: Body, app: RegisteredApp): Reply => {
    const job = store.jobOf(body, app);
    if (!job) return fail(40059);
    return ok({ msg_id: job.msgId, msg_status: jobStatus(job, deps.clock.now()) });
  };
  const routes = new Map<string, Route>([
    [
      '/cgi-bin/message/mass/sendall',
      post((body, app) => massSend(deps, store, { body, app, all: true })),
    ],
    [
      '/cgi-bin/message/mass/send',
      post((body, app) => massSend(deps, store, { body, app, all: false })),
    ],
    ['/cgi-bin/message/mass/preview', post((body, app) => preview(deps, body, app))],
    ['/cgi-bin/message/mass/get', post(getStatus)],
    ['/cgi-bin/message/mass/delete', post((body, app) => deleteJob(store.jobOf(body, app), body))],
  ]);
  return {
    routes,
    submitNews(app, mediaId) {
      const content = readMassContent({ msgtype: 'mpnews', mpnews: { media_id: mediaId } });
      if (!content.ok) throw new RangeError(`${mediaId} is not an mpnews media id`);
      return store.submit(app.config.appId, content.content, [...app.users.followerOpenids], '')
        .msgId;
    },
  };
}
