import type { MutationResolvers } from '../../generated/graphql.js';
import { forbidden } from '../../shared/graphql-errors.js';
import { exchangeLoginCode } from '../../wechat/login.js';
import { assertCode } from '../input.js';

export const login: NonNullable<MutationResolvers['login']> = async (_parent, args, context) => {
  const { sessions } = context;
  if (sessions === undefined) {
    throw forbidden('Login is disabled: the server has no SESSION_SECRET configured.');
  }
  // Every attempt counts, before any input check or upstream call.
  await context.limit('login');
  const app = context.apps.resolve(args.app);
  assertCode(args.code);
  const exchange = await exchangeLoginCode(app.api, args.code);
  const { openid, unionid, scope, oauthAccessToken } = exchange;
  const { token, session } = await sessions.open(app, {
    openid,
    unionid,
    ...(exchange.sessionKey === null ? {} : { sessionKey: exchange.sessionKey }),
  });
  return { app, openid, unionid, scope, oauthAccessToken, token, expiresAt: session.expiresAt };
};
