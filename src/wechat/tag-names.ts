/**
 * One cached tag list per app, for `WechatUser.tags`: fetched on first use, kept for a minute,
 * dropped at once when this instance creates, renames or deletes a tag, and shared by every
 * request (one tags/get per app per minute, whatever the traffic). A tag id missing from the list
 * (created elsewhere since) refreshes it early, at most every 5 seconds.
 */
import type { Clock } from '../shared/clock.js';
import type { Tag, TagsApi } from './tags.js';

const TTL_MS = 60_000;
const MISS_REFRESH_SPACING_MS = 5_000;

export interface TagNames {
  /** The tags with these ids, in the order given; ids WeChat does not list are left out. */
  tagsOf(ids: readonly number[]): Promise<Tag[]>;
  invalidate(): void;
}

export function createTagNames(api: Pick<TagsApi, 'list'>, clock: Clock): TagNames {
  let cached: { byId: Map<number, Tag>; fetchedAt: number } | undefined;
  let inFlight: Promise<Map<number, Tag>> | undefined;
  let generation = 0;

  const fetchList = (): Promise<Map<number, Tag>> => {
    if (inFlight) return inFlight;
    const started = generation;
    const fetchedAt = clock.now();
    inFlight = api
      .list()
      .then((tags) => {
        const byId = new Map(tags.map((tag) => [tag.id, tag]));
        // A change made while the list was on its way makes it stale at once.
        if (started === generation) cached = { byId, fetchedAt };
        return byId;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    async tagsOf(ids) {
      if (ids.length === 0) return [];
      const now = clock.now();
      let byId = cached && now - cached.fetchedAt < TTL_MS ? cached.byId : await fetchList();
      const missing = ids.some((id) => !byId.has(id));
      if (missing && cached && clock.now() - cached.fetchedAt >= MISS_REFRESH_SPACING_MS) {
        byId = await fetchList();
      }
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    invalidate() {
      generation += 1;
      cached = undefined;
    },
  };
}
