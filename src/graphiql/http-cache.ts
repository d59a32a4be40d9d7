/**
 * What GraphiQL's responses share with the browser's cache: the encoding to send (from
 * Accept-Encoding) and whether the browser already holds a version (If-None-Match). Used by the
 * page and its files (route.ts) and by the schema query's answer (introspection.ts).
 */
import type { Encoding } from './compress.js';

/** The encoding to send: the first of `available` that Accept-Encoding allows; else none. */
export function chooseEncoding(
  acceptEncoding: string | null,
  available: readonly Encoding[],
): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...parameters] = part.split(';').map((item) => item.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const wildcard = accepted.get('*') ?? 0;
  return available.find((encoding) => (accepted.get(encoding) ?? wildcard) > 0);
}

/** Whether If-None-Match names `etag` (or is `*`), compared weakly. */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}
