import type { AdminAccess, AdminGuard } from './auth.js';
import type { Clock } from './clock.js';
import type { AppRegistry, GatewayApp } from './gateway-apps.js';
import { createUserLoaders, type UserLoader } from './wechat/user-loader.js';

export interface GraphQLContext {
  readonly apps: AppRegistry;
  readonly clock: Clock;
  /** Whether this request carries the admin key; computed on first use. */
  admin(): AdminAccess;
  /** This request's user loader for one app: look-ups are batched into batchget calls of ≤100. */
  users(app: GatewayApp): UserLoader;
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
    const users = createUserLoaders(deps.maxUsersPerOperation);
    let admin: AdminAccess | undefined;
    return {
      apps: deps.apps,
      clock: deps.clock,
      admin() {
        admin ??= deps.adminGuard.check(request.headers.get('authorization'));
        return admin;
      },
      users: (app) => users(app.api),
    };
  };
}
