/**
 * A mutation changed users of an app (a remark, a tag put on or taken off, a tag deleted): this
 * instance drops them from its user cache at once (the next read here sees the change), and every
 * instance hears of it through the event backend. Nothing to do without a user cache.
 */
import type { GraphQLContext } from './context.js';
import type { GatewayApp } from '../apps/gateway-apps.js';

export function usersChanged(
  context: GraphQLContext,
  app: GatewayApp,
  change: { openids?: readonly string[]; tagId?: number },
): void {
  if (!app.users.caching) return;
  if (change.openids) app.users.forget(change.openids);
  if (change.tagId !== undefined) app.users.forgetTag(change.tagId);
  context.events.announceUsers(app, change);
}
