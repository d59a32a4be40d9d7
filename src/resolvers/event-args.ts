/** Arguments of `events` and `wechatEvents`, checked before the log is read. */
import type { GraphQLContext } from './context.js';
import { badUserInput, eventsExpired, storeUnavailable } from '../shared/graphql-errors.js';
import { EventsExpiredError } from '../events/index.js';
import type { GatewayApp } from '../apps/gateway-apps.js';
import type { WechatEventType } from '../generated/graphql.js';

export interface EventArgs {
  app: GatewayApp;
  kinds: readonly WechatEventType[] | undefined;
  after: string | null;
}

/** Errors of the event log as a client sees them. */
export function eventLogError(error: unknown): Error {
  if (error instanceof EventsExpiredError) return eventsExpired(error.after);
  if (error instanceof RangeError) {
    return badUserInput('"after" must be the id of an event (e.g. "1768442400000-0").');
  }
  return storeUnavailable('The event log could not be read; retry shortly.');
}

export async function eventArgs(
  context: GraphQLContext,
  args: { app?: string | null; types?: readonly WechatEventType[] | null; after?: string | null },
): Promise<EventArgs> {
  const app = context.apps.resolve(args.app);
  const after = args.after ?? null;
  if (after !== null) {
    try {
      await context.events.assertResumable(app, after);
    } catch (error) {
      throw eventLogError(error);
    }
  }
  return { app, kinds: args.types ?? undefined, after };
}
