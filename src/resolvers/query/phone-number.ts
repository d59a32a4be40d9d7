import type { QueryResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { assertCode, assertOpenid } from '../input.js';
import { assertKind } from '../message-input.js';

/**
 * A session gets its own user's number: the session's openid goes with the code, so WeChat
 * refuses a code another user's tap produced. The access rule already refused a session of
 * another app; without `app` a session means its own app.
 */
export const phoneNumber: NonNullable<QueryResolvers['phoneNumber']> = async (
  _parent,
  args,
  context,
) => {
  context.auth.require('phoneNumber', 'SESSION_OR_SERVICE');
  const caller = await context.auth.caller();
  const session = caller.kind === 'session' ? caller.session : undefined;
  if (session && args.openid != null) {
    throw badUserInput('"openid" is for service keys; a session asks for its own number.');
  }
  const app = session && args.app == null ? session.app : context.apps.resolve(args.app);
  assertKind(app, 'miniprogram', 'phoneNumber');
  assertCode(args.code);
  if (args.openid != null) assertOpenid(args.openid, 'openid');
  const openid = session?.openid ?? args.openid ?? undefined;
  return app.apis.miniProgram.phoneNumber(args.code, openid);
};
