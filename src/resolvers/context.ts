import { createHash } from 'node:crypto';
import type { AccessControl, RateLimitName, RequestAuth, Sessions } from '../auth/index.js';
import { clientAddress, type ClientSocketContext } from '../auth/client-address.js';
import type { Clock } from '../shared/clock.js';
import type { EventsService } from '../events/index.js';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import type { HostAllowlist } from '../auth/jssdk-hosts.js';
import { createUserLoaders, type UserLoader } from '../wechat/user-loader.js';

export interface GraphQLContext {
  readonly apps: AppRegistry;
  readonly clock: Clock;
  /** Who the request is (identified once, on first use) and resolver-level access checks. */
  readonly auth: RequestAuth;
  /** Login and logout; undefined when the server has no SESSION_SECRET (login is disabled). */
  readonly sessions: Sessions | undefined;
  /** Counts one attempt at a rate-limited field for this request's client address. */
  limit(name: RateLimitName): Promise<void>;
  /** The pages jsapiConfig may sign. */
  readonly jssdkHosts: HostAllowlist;
  /** This request's user loader for one app: look-ups are batched into batchget calls of ≤100. */
  users(app: GatewayApp): UserLoader;
  /** Server push: the event log and live subscriptions (src/events). */
  readonly events: EventsService;
  /** A digest of the request's credential, to count things per key (never the key itself). */
  credentialId(): string;
}

export interface ContextDeps {
  apps: AppRegistry;
  clock: Clock;
  access: AccessControl;
  /** TRUST_PROXY: proxies whose X-Forwarded-For entries are believed. */
  trustProxyHops: number;
  jssdkHosts: HostAllowlist;
  /**
   * Distinct users one operation may load. Per-field caps alone would let aliases multiply
   * upstream calls (50 follower pages with `nodes` would be 5000 batchget calls).
   */
  maxUsersPerOperation: number;
  events: EventsService;
}

/** Yoga's `context` option: cheap, no I/O; loaders and the caller are made on first use. */
export function createContextFactory(
  deps: ContextDeps,
): (initial: { request: Request } & ClientSocketContext) => GraphQLContext {
  return (initial) => {
    const { request } = initial;
    const users = createUserLoaders(deps.maxUsersPerOperation);
    return {
      apps: deps.apps,
      clock: deps.clock,
      auth: deps.access.forRequest(request.headers.get('authorization')),
      sessions: deps.access.sessions,
      limit: (name) =>
        deps.access.limiter.consume(name, clientAddress(request, initial, deps.trustProxyHops)),
      jssdkHosts: deps.jssdkHosts,
      users: (app) => users(app.users),
      events: deps.events,
      credentialId: () =>
        createHash('sha256')
          .update(request.headers.get('authorization') ?? '')
          .digest('base64url'),
    };
  };
}
