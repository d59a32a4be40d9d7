import { randomBytes } from 'node:crypto';
import type { QueryResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { normalizeSignUrl, signJsapi } from '../../wechat/jssdk.js';
import { assertOfficialAccount } from '../input.js';

function normalizeUrlArgument(url: string): string {
  try {
    return normalizeSignUrl(url);
  } catch (error) {
    if (error instanceof RangeError) throw badUserInput(error.message);
    throw error;
  }
}

export const jsapiConfig: NonNullable<QueryResolvers['jsapiConfig']> = async (
  _parent,
  args,
  context,
) => {
  // Every call counts, before any input check or upstream call.
  await context.limit('jsapiConfig');
  const app = context.apps.resolve(args.app);
  assertOfficialAccount(app, 'jsapiConfig');
  const url = normalizeUrlArgument(args.url);
  const refusal = context.jssdkHosts.refusal(new URL(url).hostname);
  if (refusal !== undefined) throw badUserInput(refusal);
  const ticket = await app.tokens.getJsapiTicket();
  const nonceStr = randomBytes(8).toString('hex');
  const timestamp = Math.floor(context.clock.now() / 1000);
  const signature = signJsapi({ ticket: ticket.value, nonceStr, timestamp, url });
  return { appId: app.appId, timestamp, nonceStr, signature, url };
};
