/**
 * Server push in one piece (README, "Events"): the callback receiver, the event log and its
 * fan-out, what the GraphQL fields read, the hook that tells caches a user followed or left, and
 * the notes by which a remark or tag mutation on one instance reaches every instance's caches.
 * createApp builds one per gateway from its apps and the backend main.ts opened.
 */
import type { Clock } from '../shared/clock.js';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import type { Logger } from '../observability/logger.js';
import type { TokenStore } from '../store/store.js';
import type { EventBackend } from './backend.js';
import { DEFAULT_EVENTS_RETAIN, type CallbackSettings } from '../config/events.js';
import { compareEventIds, isEventId } from './event-ids.js';
import { createMemoryEventBackend } from './memory-backend.js';
import { createReceiver, type CallbackApp, type Receiver } from './receiver.js';
import { eventStream, EventsExpiredError } from './stream.js';
import type { EventKind, UserChange, UserNote, WechatEventRecord } from './types.js';

export type { EventBackend } from './backend.js';
import { createSubscriptionLimit } from './subscription-limit.js';
export type { CallbackSettings, EventsConfig } from '../config/events.js';
export type { UserChange, UserNote, WechatEventRecord } from './types.js';
export { EventsExpiredError } from './stream.js';
export { TooManySubscriptionsError } from './subscription-limit.js';

export interface EventsOptions {
  /** Callback settings by app name; apps without are not served at /wechat/callback/<app>. */
  callbacks: Readonly<Record<string, CallbackSettings>>;
  /** Default: an in-process backend (memory ring) keeping `retain` events per app. */
  backend?: EventBackend;
  retain?: number;
  /**
   * Told of every follow and unfollow, whichever instance received it: the hook for caches of
   * user data (createApp drops the user from the user cache, src/wechat/user-cache.ts).
   */
  onUserChange?: (change: UserChange) => void;
  /** EVENTS_SUBSCRIPTIONS_PER_CALLER: live `wechatEvents` streams per caller on an instance. */
  subscriptionsPerCaller?: number;
}

export interface EventPage {
  nodes: WechatEventRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface EventsService {
  readonly receiver: Receiver;
  readonly backend: EventBackend;
  /** Throws EventsExpiredError when events after `after` were trimmed; RangeError for a bad id. */
  assertResumable(app: GatewayApp, after: string): Promise<void>;
  /** `caller` counts the stream against its limit; throws TooManySubscriptionsError when full. */
  subscribe(
    app: GatewayApp,
    kinds: readonly EventKind[] | undefined,
    after: string | null,
    caller: string,
  ): AsyncIterableIterator<WechatEventRecord>;
  page(
    app: GatewayApp,
    kinds: readonly EventKind[] | undefined,
    after: string | null,
    first: number,
  ): Promise<EventPage>;
  /**
   * Follow and unfollow events, from every instance, for caches that hold user data (the user
   * cache: src/wechat/user-cache.ts). Returns the unsubscribe.
   */
  onUserChange(listener: (change: UserChange) => void): () => void;
  /**
   * Tells every instance (this one included) that a mutation changed these users, so their user
   * caches drop them. Does not wait; a failure to publish is logged (other instances then keep
   * their copy until its TTL ends).
   */
  announceUsers(app: GatewayApp, change: Omit<UserNote, 'app'>): void;
  /** Notes announced by any instance. Returns the unsubscribe. */
  onUserNote(listener: (note: UserNote) => void): () => void;
}

export interface EventsDeps extends EventsOptions {
  apps: AppRegistry;
  store: TokenStore;
  clock: Clock;
  logger: Logger;
}

const READ_BATCH = 500;

function callbackApps(
  apps: AppRegistry,
  callbacks: EventsOptions['callbacks'],
): Map<string, CallbackApp> {
  const served = new Map<string, CallbackApp>();
  for (const app of apps.all) {
    const settings = callbacks[app.name];
    if (settings) served.set(app.name, { name: app.name, appId: app.appId, settings });
  }
  return served;
}

export function createEventsService(deps: EventsDeps): EventsService {
  const backend =
    deps.backend ??
    createMemoryEventBackend({
      store: deps.store,
      clock: deps.clock,
      retain: deps.retain ?? DEFAULT_EVENTS_RETAIN,
    });
  const receiver = createReceiver({
    apps: callbackApps(deps.apps, deps.callbacks),
    backend,
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
  });
  const subscriptions = createSubscriptionLimit(deps.subscriptionsPerCaller);
  const kindSet = (kinds: readonly EventKind[] | undefined) =>
    kinds === undefined ? undefined : new Set(kinds);

  const page: EventsService['page'] = async (app, kinds, after, first) => {
    const wanted = kindSet(kinds);
    const nodes: WechatEventRecord[] = [];
    let cursor = after;
    for (;;) {
      const batch = await backend.read(app.appId, cursor, READ_BATCH);
      for (const event of batch) {
        cursor = event.id;
        if (!wanted || wanted.has(event.kind)) nodes.push(event);
        if (nodes.length === first) {
          const more = await backend.read(app.appId, cursor, 1);
          return { nodes, endCursor: cursor, hasNextPage: more.length > 0 };
        }
      }
      if (batch.length < READ_BATCH) return { nodes, endCursor: cursor, hasNextPage: false };
    }
  };

  const service: EventsService = {
    receiver,
    backend,
    async assertResumable(app, after) {
      if (!isEventId(after)) throw new RangeError('not an event id');
      const trimmed = await backend.trimmedThrough(app.appId);
      if (trimmed !== null && compareEventIds(after, trimmed) < 0) {
        throw new EventsExpiredError(after);
      }
    },
    subscribe: (app, kinds, after, caller) =>
      subscriptions.hold(
        caller,
        eventStream({ backend, appId: app.appId, after, kinds: kindSet(kinds) }),
      ),
    page,
    onUserChange(listener) {
      const streams = deps.apps.all.map((app) =>
        eventStream({
          backend,
          appId: app.appId,
          after: null,
          kinds: new Set(['FOLLOW', 'UNFOLLOW']),
        }),
      );
      for (const stream of streams) {
        void (async () => {
          for await (const event of stream) {
            listener({ app: event.app, openid: event.openid, subscribed: event.kind === 'FOLLOW' });
          }
        })().catch((error: unknown) =>
          deps.logger.error({ err: error }, 'user-change listener stopped'),
        );
      }
      return () => {
        for (const stream of streams) void stream.return();
      };
    },
    announceUsers(app, change) {
      backend
        .announce(app.appId, { app: app.name, ...change })
        .catch((error: unknown) =>
          deps.logger.warn(
            { err: error },
            'event log unavailable: other instances keep their cached copy of changed users until it expires',
          ),
        );
    },
    onUserNote(listener) {
      const watches = deps.apps.all.map((app) => backend.onNote(app.appId, listener));
      return () => {
        for (const watch of watches) watch.close();
      };
    },
  };
  if (deps.onUserChange) service.onUserChange(deps.onUserChange);
  return service;
}
