import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { AdminAccess, AdminGuard } from './auth.js';
import type { Clock } from './clock.js';
import { badUserInput } from './errors.js';
import type { TokenProvider } from './tokens/types.js';
import { BATCHGET_MAX_USERS } from './wechat/api.js';
import { WechatApiError } from './wechat/errors.js';
import type { AppKind, Lang, RawUserInfo, WechatApi } from './wechat/types.js';

/** One configured WeChat app with its upstream client and token provider (shared by all requests). */
export interface GatewayApp {
  readonly name: string;
  readonly kind: AppKind;
  readonly appId: string;
  readonly api: WechatApi;
  readonly tokens: TokenProvider;
}

/** The configured apps by name; `resolve` turns a GraphQL `app:` argument into one of them. */
export interface AppRegistry {
  readonly defaultApp: GatewayApp;
  readonly all: readonly GatewayApp[];
  readonly names: readonly string[];
  /** Omitted (null/undefined) means the default app; an unknown name is a BAD_USER_INPUT error. */
  resolve(name: string | null | undefined): GatewayApp;
}

export function createAppRegistry(apps: readonly GatewayApp[], defaultName: string): AppRegistry {
  const byName = new Map(apps.map((app) => [app.name, app]));
  if (byName.size !== apps.length) throw new Error('app names must be unique');
  const defaultApp = byName.get(defaultName);
  if (!defaultApp) throw new Error(`default app "${defaultName}" is not among the configured apps`);
  const names = [...byName.keys()];
  return {
    defaultApp,
    all: [...apps],
    names,
    resolve(name) {
      if (name === null || name === undefined) return defaultApp;
      const app = byName.get(name);
      if (app) return app;
      throw badUserInput(
        `Unknown app "${name}". Configured apps: ${names.map((n) => `"${n}"`).join(', ')}.`,
      );
    },
  };
}

export interface UserKey {
  openid: string;
  lang: Lang;
}

export interface GraphQLContext {
  readonly apps: AppRegistry;
  readonly clock: Clock;
  /** Whether this request carries the admin key; computed on first use. */
  admin(): AdminAccess;
  /** This request's user loader for one app: look-ups are batched into batchget calls of ≤100. */
  users(app: GatewayApp): DataLoader<UserKey, RawUserInfo, string>;
}

/**
 * Extra batchget calls one operation may spend to find the openids WeChat does not know: enough
 * to isolate one bad openid among 100 (two calls per halving), bounded so bad input cannot
 * multiply upstream calls.
 */
const SPLIT_BUDGET = 2 * Math.ceil(Math.log2(BATCHGET_MAX_USERS));

/**
 * WeChat fails a whole batchget with 40003 when one openid is unknown. The batch mixes every
 * look-up of the request (other aliases and fields), so it is halved until the failure is pinned
 * on the unknown openids alone; the other users still load.
 */
async function loadUsers(
  app: GatewayApp,
  keys: readonly UserKey[],
  budget: { calls: number },
): Promise<(RawUserInfo | Error)[]> {
  try {
    return await app.api.batchGetUserInfo(keys);
  } catch (error) {
    const unknownOpenid = error instanceof WechatApiError && error.errcode === 40003;
    if (!unknownOpenid || keys.length === 1 || budget.calls < 2) throw error;
    budget.calls -= 2;
    const middle = Math.ceil(keys.length / 2);
    const halves = await Promise.all(
      [keys.slice(0, middle), keys.slice(middle)].map((half) =>
        loadUsers(app, half, budget).catch((failure: unknown) =>
          half.map(() => (failure instanceof Error ? failure : error)),
        ),
      ),
    );
    return halves.flat();
  }
}

function tooManyUsers(limit: number): GraphQLError {
  return new GraphQLError(`The operation looks up more than ${limit} distinct users; split it.`, {
    extensions: { code: 'QUERY_TOO_COMPLEX' },
  });
}

// Module-level: a loader is created per request, its options need not be.
const userCacheKey = (key: UserKey): string => `${key.lang}\u0000${key.openid}`;

function createUserLoader(
  app: GatewayApp,
  allowance: { limit: number; left: number; splits: { calls: number } },
): DataLoader<UserKey, RawUserInfo, string> {
  return new DataLoader<UserKey, RawUserInfo, string>(
    // One upstream call per batch; WechatApi returns the users in request order. Keys reaching
    // here are distinct (the loader caches), so the allowance counts distinct users.
    async (keys) => {
      if (keys.length > allowance.left) return keys.map(() => tooManyUsers(allowance.limit));
      allowance.left -= keys.length;
      return loadUsers(app, keys, allowance.splits);
    },
    { maxBatchSize: BATCHGET_MAX_USERS, cacheKeyFn: userCacheKey },
  );
}

export interface ContextDeps {
  apps: AppRegistry;
  clock: Clock;
  adminGuard: AdminGuard;
  /**
   * Distinct users one operation may load. Per-field caps alone would let aliases multiply
   * upstream calls (50 follower pages with `nodes` would be 5000 batchget calls).
   */
  maxUsersPerOperation: number;
}

/** Yoga's `context` option: cheap, no I/O; loaders and the admin check are created lazily. */
export function createContextFactory(
  deps: ContextDeps,
): (initial: { request: Request }) => GraphQLContext {
  return ({ request }) => {
    const loaders = new Map<string, DataLoader<UserKey, RawUserInfo, string>>();
    const allowance = {
      limit: deps.maxUsersPerOperation,
      left: deps.maxUsersPerOperation,
      splits: { calls: SPLIT_BUDGET },
    };
    let admin: AdminAccess | undefined;
    return {
      apps: deps.apps,
      clock: deps.clock,
      admin() {
        admin ??= deps.adminGuard.check(request.headers.get('authorization'));
        return admin;
      },
      users(app) {
        let loader = loaders.get(app.name);
        if (!loader) {
          loader = createUserLoader(app, allowance);
          loaders.set(app.name, loader);
        }
        return loader;
      },
    };
  };
}
