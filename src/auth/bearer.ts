/** What the `Authorization` header of a request presents. */
export type Presented =
  | { kind: 'none' }
  /** A header that is not `Bearer <one value>`: never read as anonymous. */
  | { kind: 'malformed' }
  /** More than one credential (two headers joined by a comma): which one counts is unclear. */
  | { kind: 'ambiguous' }
  | { kind: 'bearer'; value: string };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function parseAuthorization(header: string | null): Presented {
  if (header === null) return { kind: 'none' };
  if (header.includes(',')) return { kind: 'ambiguous' };
  const value = BEARER.exec(header)?.[1];
  return value === undefined ? { kind: 'malformed' } : { kind: 'bearer', value };
}
