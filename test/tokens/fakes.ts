/**
 * Stand-ins wrapped around real pieces: a token store whose operations are counted and that can
 * be taken down, and a WeChat client whose answers a test can rewrite.
 */
import type { TokenStore } from '../../src/store/store.js';
import type { WechatHttp, WechatRequestOptions } from '../../src/wechat/http.js';

export type StoreOperation = Exclude<keyof TokenStore, 'kind' | 'namespace' | 'close' | 'health'>;

export interface InstrumentedStore {
  /** Pass this to the provider: every operation goes through to the real store. */
  readonly store: TokenStore;
  /** Operations by name since the last `ops.clear()` (refused ones included; close is not). */
  readonly ops: Map<StoreOperation, number>;
  totalOps(): number;
  /**
   * While down, every operation rejects like a lost Redis and `health()` says unreachable; close
   * still closes the real store.
   */
  setDown(down: boolean): void;
}

/** Wraps a real store: counts its operations and can make them fail. */
export function instrumentStore(inner: TokenStore): InstrumentedStore {
  const ops = new Map<StoreOperation, number>();
  let down = false;
  const run = <T>(name: StoreOperation, call: () => Promise<T>): Promise<T> => {
    ops.set(name, (ops.get(name) ?? 0) + 1);
    return down ? Promise.reject(new Error('store is down (test)')) : call();
  };
  const store: TokenStore = {
    kind: inner.kind,
    namespace: inner.namespace,
    get: (key) => run('get', () => inner.get(key)),
    set: (key, value, ttlMs) => run('set', () => inner.set(key, value, ttlMs)),
    delete: (key) => run('delete', () => inner.delete(key)),
    setIfAbsent: (key, value, ttlMs) =>
      run('setIfAbsent', () => inner.setIfAbsent(key, value, ttlMs)),
    deleteIfEquals: (key, value) => run('deleteIfEquals', () => inner.deleteIfEquals(key, value)),
    nextGeneration: (counterKey, recordKey, atLeast) =>
      run('nextGeneration', () => inner.nextGeneration(counterKey, recordKey, atLeast)),
    putIfNewer: (key, record, ttlMs) =>
      run('putIfNewer', () => inner.putIfNewer(key, record, ttlMs)),
    deleteRecordIfValue: (key, value) =>
      run('deleteRecordIfValue', () => inner.deleteRecordIfValue(key, value)),
    increment: (key, fields, ttlMs) => run('increment', () => inner.increment(key, fields, ttlMs)),
    counters: (key) => run('counters', () => inner.counters(key)),
    spendFromBudget: (key, capacity, refillMs) =>
      run('spendFromBudget', () => inner.spendFromBudget(key, capacity, refillMs)),
    health: () => (down ? { reachable: false, state: 'connecting' } : inner.health()),
    close: () => inner.close(),
  };
  return {
    store,
    ops,
    totalOps: () => [...ops.values()].reduce((sum, n) => sum + n, 0),
    setDown: (value) => {
      down = value;
    },
  };
}

export interface HttpInterceptors {
  /** Sees every GET and its answer from the real client; returns what the caller gets. */
  get?<T>(api: string, query: Record<string, string>, answer: T): T;
  /** Sees every POST body before it goes to the real client. */
  postJson?(api: string, query: Record<string, string>, body: unknown): void;
}

/** A WeChat client that passes every call to `inner` and lets a test watch or rewrite it. */
export function interceptHttp(inner: WechatHttp, interceptors: HttpInterceptors): WechatHttp {
  return {
    async get<T>(
      api: string,
      query: Record<string, string>,
      options?: WechatRequestOptions,
    ): Promise<T> {
      const answer = await inner.get<T>(api, query, options);
      return interceptors.get ? interceptors.get(api, query, answer) : answer;
    },
    postJson(api, query, body, options) {
      interceptors.postJson?.(api, query, body);
      return inner.postJson(api, query, body, options);
    },
    postForImage: (api, query, body, options) => inner.postForImage(api, query, body, options),
    close: () => inner.close(),
  };
}
