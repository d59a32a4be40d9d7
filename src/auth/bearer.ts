/** What the `Authorization` header of a request presents. */
export type Presented =
  | { kind: 'none' }
  /** A header that is not `Bearer <one value>`: never read as anonymous. */
  | { kind: 'malformed' }
  | { kind: 'bearer'; value: string };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function parseAuthorization(header: string | null): Presented {
  if (header === null) return { kind: 'none' };
  const value = BEARER.exec(header)?.[1];
  return value === undefined ? { kind: 'malformed' } : { kind: 'bearer', value };
}
