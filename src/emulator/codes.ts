import type { Clock } from '../shared/clock.js';
import { newCode } from './identifiers.js';

/** Used codes are remembered this long so a late replay still reads 40163, not 40029. */
const REMEMBER_MS = 24 * 3600_000;

export interface CodeEntry<T> {
  readonly appId: string;
  readonly data: T;
  readonly expiresAt: number;
  used: boolean;
}

export type CodeLookup<T> =
  | { readonly ok: true; readonly entry: CodeEntry<T> }
  | { readonly ok: false; readonly errcode: 40029 | 40163 };

/**
 * Single-use authorization codes (web OAuth `code`, mini-program `js_code`, phone-number codes),
 * each living what code-lifetimes.ts says. A code of another app is as unknown as a made-up one
 * (40029).
 */
export interface CodeStore<T> {
  mint(appId: string, data: T): string;
  /** Does not consume: callers may still refuse (e.g. rate limit) and leave the code usable. */
  lookup(appId: string, code: string): CodeLookup<T>;
  consume(entry: CodeEntry<T>): void;
}

export function createCodeStore<T>(clock: Clock, lifetimeMs: number): CodeStore<T> {
  const codes = new Map<string, CodeEntry<T>>();
  let lastPruneAt = -Infinity;
  const prune = (now: number): void => {
    if (now - lastPruneAt < 3600_000) return;
    lastPruneAt = now;
    for (const [code, entry] of codes) {
      if (entry.expiresAt + REMEMBER_MS < now) codes.delete(code);
    }
  };
  return {
    mint(appId, data) {
      const now = clock.now();
      prune(now);
      let code = newCode();
      while (codes.has(code)) code = newCode();
      codes.set(code, { appId, data, expiresAt: now + lifetimeMs, used: false });
      return code;
    },
    lookup(appId, code) {
      const entry = codes.get(code);
      if (!entry || entry.appId !== appId) return { ok: false, errcode: 40029 };
      if (entry.used) return { ok: false, errcode: 40163 };
      if (clock.now() >= entry.expiresAt) return { ok: false, errcode: 40029 };
      return { ok: true, entry };
    },
    consume(entry) {
      entry.used = true;
    },
  };
}
