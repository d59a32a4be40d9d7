import type { MutationResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { assertOpenid } from '../input.js';
import { assertTemplateId, dataItems, miniProgramLinkOf, webUrlOf } from '../message-input.js';

const LANGS = { ZH_CN: 'zh_CN', EN_US: 'en_US', ZH_HK: 'zh_HK', ZH_TW: 'zh_TW' } as const;
const STATES = { DEVELOPER: 'developer', TRIAL: 'trial', FORMAL: 'formal' } as const;

export const sendSubscribeMessage: NonNullable<MutationResolvers['sendSubscribeMessage']> = (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertOpenid(input.openid, 'input.openid');
  assertTemplateId(input.templateId);
  const data = dataItems(input.data);
  if (app.kind === 'miniprogram') {
    if (input.miniProgram) {
      throw badUserInput('"miniProgram" is for official accounts; a mini program uses "page".');
    }
    if (input.page?.startsWith('/')) {
      throw badUserInput('"page" must be a page path without a leading "/".');
    }
    return app.apis.messages.sendSubscribe('miniprogram', {
      openid: input.openid,
      templateId: input.templateId,
      data,
      page: input.page ?? undefined,
      miniProgramState: input.miniProgramState ? STATES[input.miniProgramState] : undefined,
      lang: input.lang ? LANGS[input.lang] : undefined,
    });
  }
  if (input.miniProgramState || input.lang) {
    throw badUserInput('"miniProgramState" and "lang" are for mini programs.');
  }
  return app.apis.messages.sendSubscribe('official', {
    openid: input.openid,
    templateId: input.templateId,
    data,
    page: webUrlOf(input.page, 'input.page'),
    miniProgram: miniProgramLinkOf(input.miniProgram),
  });
};
