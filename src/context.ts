import DataLoader from 'dataloader';
import type { AdminAccess, AdminGuard } from './auth.js';
import type { Clock } from './clock.js';
import { badUserInput } from './errors.js';
import type { TokenProvider } from './tokens/types.js';
import { BATCHGET_MAX_USERS } from './wechat/api.js';
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

function createUserLoader(app: GatewayApp): DataLoader<UserKey, RawUserInfo, string> {
  return new DataLoader<UserKey, RawUserInfo, string>(
    // One upstream call per batch; WechatApi returns the users in request order.
    (keys) => app.api.batchGetUserInfo(keys),
    { maxBatchSize: BATCHGET_MAX_USERS, cacheKeyFn: (key) => `${key.lang}\u0000${key.openid}` },
  );
}

export interface ContextDeps {
  apps: AppRegistry;
  clock: Clock;
  adminGuard: AdminGuard;
}

/** Yoga's `context` option: cheap, no I/O; loaders and the admin check are created lazily. */
export function createContextFactory(
  deps: ContextDeps,
): (initial: { request: Request }) => GraphQLContext {
  return ({ request }) => {
    const loaders = new Map<string, DataLoader<UserKey, RawUserInfo, string>>();
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
          loader = createUserLoader(app);
          loaders.set(app.name, loader);
        }
        return loader;
      },
    };
  };
}
