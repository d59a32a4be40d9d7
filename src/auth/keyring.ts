import { createHash, timingSafeEqual } from 'node:crypto';

export type KeyKind = 'admin' | 'service';

/** The configured admin and service keys. */
export interface Keyring {
  readonly hasAdminKey: boolean;
  readonly hasServiceKeys: boolean;
  /** Which kind of key `presented` is, or undefined when it is none of them. */
  match(presented: string): KeyKind | undefined;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Both sides are hashed before `timingSafeEqual`, so neither the time a comparison takes nor a
 * length check tells anything about a key; every key is compared, so the time does not tell which
 * one matched either. Config guarantees no key is both an admin and a service key.
 */
export function createKeyring(keys: {
  adminApiKey: string | undefined;
  serviceApiKeys: readonly string[];
}): Keyring {
  const entries: { kind: KeyKind; digest: Buffer }[] = [
    ...(keys.adminApiKey ? [{ kind: 'admin' as const, digest: sha256(keys.adminApiKey) }] : []),
    ...keys.serviceApiKeys.map((key) => ({ kind: 'service' as const, digest: sha256(key) })),
  ];
  return {
    hasAdminKey: entries.some((entry) => entry.kind === 'admin'),
    hasServiceKeys: entries.some((entry) => entry.kind === 'service'),
    match(presented) {
      const digest = sha256(presented);
      let found: KeyKind | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(digest, entry.digest)) found = entry.kind;
      }
      return found;
    },
  };
}
