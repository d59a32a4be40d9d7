import type { MutationResolvers } from '../../generated/graphql.js';
import { assertOpenid } from '../input.js';
import {
  assertKind,
  assertTemplateId,
  clientMsgIdOf,
  dataItems,
  miniProgramLinkOf,
  webUrlOf,
} from '../message-input.js';

export const sendTemplateMessage: NonNullable<MutationResolvers['sendTemplateMessage']> = (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertKind(app, 'official', 'sendTemplateMessage');
  assertOpenid(input.openid, 'input.openid');
  assertTemplateId(input.templateId);
  return app.apis.messages.sendTemplate({
    openid: input.openid,
    templateId: input.templateId,
    data: dataItems(input.data),
    url: webUrlOf(input.url, 'input.url'),
    miniProgram: miniProgramLinkOf(input.miniProgram),
    clientMsgId: clientMsgIdOf(input.clientMsgId, false),
  });
};
