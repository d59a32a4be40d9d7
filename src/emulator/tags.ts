/**
 * User tags of official accounts (§8): `tags/create|get|update|delete`,
 * `tags/members/batchtagging|batchuntagging` and `user/tag/get`, with WeChat's limits. Tags live on followers: a user who does not follow is unknown here (40003).
 */
import { fail, isRecord, ok, parseJsonObject, type Reply, type Route } from './protocol.js';
import type { EmulatorAppRegistry, RegisteredApp } from './registry.js';
import type { EmulatedUser } from './seed-data.js';
import type { TokenGuard } from './token-guard.js';

const MAX_CUSTOM_TAGS = 100;
const MAX_NAME_BYTES = 30;
const MAX_TAGS_PER_USER = 20;
const MAX_BATCH = 50;
const MAX_FANS_TO_DELETE = 100_000;
const PAGE_SIZE = 10_000;
/** 0, 1 and 2 are WeChat's own (2 = 星标组): listed, assignable, never edited (45058). */
const SYSTEM_TAGS: ReadonlyMap<number, string> = new Map([[2, '星标组']]);
const RESERVED_IDS: ReadonlySet<number> = new Set([0, 1, 2]);
/** The names of the tags the seeded followers carry (seed-data.ts). */
const SEEDED_TAGS: readonly [number, string][] = [
  [100, '北京'],
  [101, '上海'],
  [102, 'VIP'],
  [103, '老客户'],
  [104, '活动参与'],
];

export interface TagRoutes {
  readonly routes: ReadonlyMap<string, Route>;
  /** Whether the official account has this tag (mass sends to a tag check it). */
  has(appId: string, tagId: number): boolean;
  /** Followers carrying the tag, in user/get order. */
  members(app: RegisteredApp, tagId: number): EmulatedUser[];
  /** What the console's tag editor does (no limits checked); returns the new tag's id. */
  create(appId: string, name: string): number;
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** One account's tags: id → name. */
type TagBook = Map<number, string>;
type Body = Readonly<Record<string, unknown>>;

const followers = (app: RegisteredApp): EmulatedUser[] =>
  app.users.followerOpenids.flatMap((openid) => app.users.get(openid) ?? []);

const members = (app: RegisteredApp, tagId: number): EmulatedUser[] =>
  followers(app).filter((user) => user.tagIds.includes(tagId));

/** 45157 for an empty or taken name, 45158 for a long one, 0 when the name will do. */
function nameProblem(tags: TagBook, name: unknown, self?: number): number {
  if (typeof name !== 'string' || name.trim() === '') return 45157;
  if (bytes(name) > MAX_NAME_BYTES) return 45158;
  for (const [id, existing] of tags) if (existing === name && id !== self) return 45157;
  return 0;
}

const tagOf = (body: Body): Body => (isRecord(body.tag) ? body.tag : {});

const customIds = (tags: TagBook): number[] =>
  [...tags.keys()].filter((id) => !RESERVED_IDS.has(id));

/** Custom tags are numbered from 100 up. */
const nextTagId = (tags: TagBook): number => Math.max(99, ...customIds(tags)) + 1;

function createTag(tags: TagBook, body: Body): Reply {
  const name = tagOf(body).name;
  const problem = nameProblem(tags, name);
  if (problem !== 0) return fail(problem);
  if (customIds(tags).length >= MAX_CUSTOM_TAGS) return fail(45056);
  const id = nextTagId(tags);
  tags.set(id, String(name));
  return ok({ tag: { id, name } });
}

function listTags(tags: TagBook, app: RegisteredApp): Reply {
  return ok({
    tags: [...tags].map(([id, name]) => ({ id, name, count: members(app, id).length })),
  });
}

function updateTag(tags: TagBook, body: Body): Reply {
  const id = Number(tagOf(body).id);
  if (RESERVED_IDS.has(id)) return fail(45058);
  if (!tags.has(id)) return fail(45159);
  const name = tagOf(body).name;
  const problem = nameProblem(tags, name, id);
  if (problem !== 0) return fail(problem);
  tags.set(id, String(name));
  return ok({ errcode: 0, errmsg: 'ok' });
}

function deleteTag(tags: TagBook, body: Body, app: RegisteredApp): Reply {
  const id = Number(tagOf(body).id);
  if (RESERVED_IDS.has(id)) return fail(45058);
  if (!tags.has(id)) return fail(45159);
  const carriers = members(app, id);
  if (carriers.length > MAX_FANS_TO_DELETE) return fail(45057);
  for (const user of carriers) user.tagIds.splice(user.tagIds.indexOf(id), 1);
  tags.delete(id);
  return ok({ errcode: 0, errmsg: 'ok' });
}

/** `user/tag/get`: the tag's followers, 10 000 a page after `next_openid`. */
function tagMembers(tags: TagBook, body: Body, app: RegisteredApp): Reply {
  const tagId = Number(body.tagid);
  if (!tags.has(tagId)) return fail(45159);
  const openids = members(app, tagId).map((user) => user.openid);
  const next = typeof body.next_openid === 'string' ? body.next_openid : '';
  const start = next === '' ? 0 : openids.indexOf(next) + 1;
  if (next !== '' && start === 0) return fail(40003);
  const page = openids.slice(start, start + PAGE_SIZE);
  if (page.length === 0) return ok({ count: 0, next_openid: '' });
  return ok({ count: page.length, data: { openid: page }, next_openid: page.at(-1) });
}

/** batchtagging / batchuntagging: every openid is checked before anything changes. */
function changeMembership(
  registry: EmulatorAppRegistry,
  change: { tags: TagBook; body: Body; app: RegisteredApp; adding: boolean },
): Reply {
  const { tags, body, app, adding } = change;
  const tagId = Number(body.tagid);
  if (!tags.has(tagId)) return fail(45159);
  const list = body.openid_list;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) return fail(40032);
  const users: EmulatedUser[] = [];
  for (const openid of list) {
    const user = typeof openid === 'string' ? app.users.get(openid) : undefined;
    if (!user?.subscribed) {
      const elsewhere = registry.apps.some(
        (other) =>
          other.appId !== app.config.appId && registry.get(other.appId)?.users.get(String(openid)),
      );
      return fail(elsewhere ? 49003 : 40003);
    }
    if (adding && !user.tagIds.includes(tagId) && user.tagIds.length >= MAX_TAGS_PER_USER) {
      return fail(45059);
    }
    users.push(user);
  }
  for (const user of users) {
    const has = user.tagIds.includes(tagId);
    if (adding && !has) user.tagIds.push(tagId);
    if (!adding && has) user.tagIds.splice(user.tagIds.indexOf(tagId), 1);
  }
  return ok({ errcode: 0, errmsg: 'ok' });
}

export function createTags(registry: EmulatorAppRegistry, guard: TokenGuard): TagRoutes {
  const books = new Map<string, TagBook>();
  /** Every account starts with the system tag and the tags its seeded followers carry. */
  const book = (appId: string): TagBook => {
    let tags = books.get(appId);
    if (!tags) {
      tags = new Map([...SYSTEM_TAGS, ...SEEDED_TAGS]);
      books.set(appId, tags);
    }
    return tags;
  };
  const post = (handle: (tags: TagBook, body: Body, app: RegisteredApp) => Reply) =>
    guard.route('POST', (req, app) => {
      const parsed = parseJsonObject(req.body);
      if (parsed.kind === 'malformed') return fail(47001);
      return handle(book(app.config.appId), parsed.value, app);
    });
  const membership = (adding: boolean) =>
    post((tags, body, app) => changeMembership(registry, { tags, body, app, adding }));
  const routes = new Map<string, Route>([
    ['/cgi-bin/tags/create', post(createTag)],
    ['/cgi-bin/tags/get', guard.route('GET', (_req, app) => listTags(book(app.config.appId), app))],
    ['/cgi-bin/tags/update', post(updateTag)],
    ['/cgi-bin/tags/delete', post(deleteTag)],
    ['/cgi-bin/tags/members/batchtagging', membership(true)],
    ['/cgi-bin/tags/members/batchuntagging', membership(false)],
    ['/cgi-bin/user/tag/get', post(tagMembers)],
  ]);
  return {
    routes,
    has: (appId, tagId) => book(appId).has(tagId),
    members,
    create(appId, name) {
      const tags = book(appId);
      const id = nextTagId(tags);
      tags.set(id, name);
      return id;
    },
  };
}
