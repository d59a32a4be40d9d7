/**
 * Where the session token `login` returned is kept between requests: memory, sessionStorage in a
 * page (the H5 example), wx storage in a mini program (wx-request.ts). The client puts it in every
 * request as `Authorization: Bearer <token>` and forgets it when the gateway says the session is
 * over.
 */
export interface SessionStore {
  get(): string | undefined;
  set(token: string): void;
  clear(): void;
}

export function memorySession(initial?: string): SessionStore {
  let token = initial;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
    clear: () => {
      token = undefined;
    },
  };
}

/** Anything shaped like the Web Storage API (sessionStorage, localStorage). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function storageSession(storage: StorageLike, key = 'gateway.session'): SessionStore {
  return {
    get: () => storage.getItem(key) ?? undefined,
    set: (value) => storage.setItem(key, value),
    clear: () => storage.removeItem(key),
  };
}
