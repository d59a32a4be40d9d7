import type { MutationResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import type { MassAudience } from '../../wechat/mass.js';
import { assertOpenid } from '../input.js';
import { assertKind, clientMsgIdOf, massMessageOf } from '../message-input.js';

const MIN_OPENIDS = 2;
const MAX_OPENIDS = 10_000;

function audienceOf(input: {
  toAll?: boolean | null;
  tagId?: number | null;
  openids?: readonly string[] | null;
}): MassAudience {
  const given = [input.toAll === true, input.tagId != null, input.openids != null];
  if (given.filter(Boolean).length !== 1 || input.toAll === false) {
    throw badUserInput('"audience" needs exactly one of toAll: true, tagId or openids.');
  }
  if (input.toAll) return { toAll: true };
  if (input.tagId != null) return { tagId: input.tagId };
  const openids = input.openids ?? [];
  if (openids.length < MIN_OPENIDS || openids.length > MAX_OPENIDS) {
    throw badUserInput(
      `"audience.openids" must hold ${MIN_OPENIDS} to ${MAX_OPENIDS} openids (got ${openids.length}).`,
    );
  }
  openids.forEach((openid, index) => assertOpenid(openid, `audience.openids[${index}]`));
  return { openids };
}

export const massSend: NonNullable<MutationResolvers['massSend']> = (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertKind(app, 'official', 'massSend');
  const audience = audienceOf(input.audience);
  const message = massMessageOf(input.message);
  const clientMsgId = clientMsgIdOf(input.clientMsgId, true) ?? '';
  return app.apis.mass.send(audience, message, {
    clientMsgId,
    sendIgnoreReprint: input.sendIgnoreReprint ?? false,
  });
};
