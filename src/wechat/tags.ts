/**
 * User tags and remarks of official accounts (wechat-api-more.md §8). Repeats are harmless
 * (endpoints.ts), and the two whose repeat reads as an error are settled here: a create retried
 * after a lost answer that meets 45157 returns the tag of that name, a delete retried that meets
 * 45159 is done.
 */
import { UpstreamUnavailableError, WechatApiError } from './errors.js';
import type { WechatHttp } from './http.js';
import type { AccessTokenSource } from './types.js';

export const TAGS_GET_API = '/cgi-bin/tags/get';
export const TAGS_CREATE_API = '/cgi-bin/tags/create';
export const TAGS_UPDATE_API = '/cgi-bin/tags/update';
export const TAGS_DELETE_API = '/cgi-bin/tags/delete';
export const TAGS_BATCH_TAG_API = '/cgi-bin/tags/members/batchtagging';
export const TAGS_BATCH_UNTAG_API = '/cgi-bin/tags/members/batchuntagging';
export const USERS_BY_TAG_API = '/cgi-bin/user/tag/get';
export const UPDATE_REMARK_API = '/cgi-bin/user/info/updateremark';

/** WeChat's limit per batch(un)tagging call. */
export const TAG_BATCH_SIZE = 50;

export interface Tag {
  id: number;
  name: string;
  /** Followers carrying it (tags/get only). */
  count: number;
}

export interface TagMembersPage {
  openids: string[];
  /** '' after the last page. */
  nextOpenid: string;
}

export interface TagsApi {
  list(): Promise<Tag[]>;
  create(name: string): Promise<Tag>;
  rename(id: number, name: string): Promise<void>;
  delete(id: number): Promise<void>;
  /** Any number of openids, in calls of 50, one after another (set semantics: safe to repeat). */
  tagUsers(id: number, openids: readonly string[]): Promise<void>;
  untagUsers(id: number, openids: readonly string[]): Promise<void>;
  members(id: number, nextOpenid?: string): Promise<TagMembersPage>;
  setRemark(openid: string, remark: string): Promise<void>;
}

const retriedWith = (error: unknown, errcode: number): boolean =>
  error instanceof WechatApiError && error.errcode === errcode && error.attempts > 1;

function readTags(raw: { tags?: unknown }): Tag[] {
  if (!Array.isArray(raw.tags)) {
    throw new UpstreamUnavailableError(TAGS_GET_API, 'bad-response', 'answer without tags');
  }
  return raw.tags.flatMap((entry: { id?: unknown; name?: unknown; count?: unknown }) =>
    typeof entry.id === 'number' && typeof entry.name === 'string'
      ? [{ id: entry.id, name: entry.name, count: Number(entry.count) || 0 }]
      : [],
  );
}

export function createTagsApi(http: WechatHttp, tokens: AccessTokenSource): TagsApi {
  const post = <T>(api: string, body: object) =>
    tokens.withAccessToken((accessToken) =>
      http.postJson<T>(api, { access_token: accessToken }, body),
    );
  const list = async () =>
    readTags(
      await tokens.withAccessToken((accessToken) =>
        http.get<{ tags?: unknown }>(TAGS_GET_API, { access_token: accessToken }),
      ),
    );
  const batches = async (api: string, id: number, openids: readonly string[]) => {
    // One after another: parallel calls on one tag intermittently read 45159 (COMM).
    for (let start = 0; start < openids.length; start += TAG_BATCH_SIZE) {
      const openidList = openids.slice(start, start + TAG_BATCH_SIZE);
      await post(api, { openid_list: openidList, tagid: id });
    }
  };
  return {
    list,
    async create(name) {
      try {
        const raw = await post<{ tag?: { id?: unknown; name?: unknown } }>(TAGS_CREATE_API, {
          tag: { name },
        });
        if (typeof raw.tag?.id !== 'number') {
          throw new UpstreamUnavailableError(TAGS_CREATE_API, 'bad-response', 'answer without tag');
        }
        return { id: raw.tag.id, name, count: 0 };
      } catch (error) {
        // The first attempt may have created it before its answer was lost.
        if (!retriedWith(error, 45157)) throw error;
        const existing = (await list()).find((tag) => tag.name === name);
        if (existing === undefined) throw error;
        return existing;
      }
    },
    async rename(id, name) {
      await post(TAGS_UPDATE_API, { tag: { id, name } });
    },
    async delete(id) {
      try {
        await post(TAGS_DELETE_API, { tag: { id } });
      } catch (error) {
        if (!retriedWith(error, 45159)) throw error;
      }
    },
    tagUsers: (id, openids) => batches(TAGS_BATCH_TAG_API, id, openids),
    untagUsers: (id, openids) => batches(TAGS_BATCH_UNTAG_API, id, openids),
    async members(id, nextOpenid) {
      const raw = await post<{ data?: { openid?: unknown }; next_openid?: unknown }>(
        USERS_BY_TAG_API,
        { tagid: id, next_openid: nextOpenid ?? '' },
      );
      const openids = Array.isArray(raw.data?.openid)
        ? raw.data.openid.filter((openid): openid is string => typeof openid === 'string')
        : [];
      return { openids, nextOpenid: typeof raw.next_openid === 'string' ? raw.next_openid : '' };
    },
    async setRemark(openid, remark) {
      await post(UPDATE_REMARK_API, { openid, remark });
    },
  };
}
