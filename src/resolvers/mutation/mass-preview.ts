import type { MutationResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { assertOpenid } from '../input.js';
import { assertKind, massMessageOf } from '../message-input.js';

export const massPreview: NonNullable<MutationResolvers['massPreview']> = (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertKind(app, 'official', 'massPreview');
  const message = massMessageOf(input.message);
  if ((input.openid == null) === (input.wxName == null)) {
    throw badUserInput('"massPreview" needs exactly one of "openid" and "wxName".');
  }
  if (input.openid != null) {
    assertOpenid(input.openid, 'input.openid');
    return app.apis.mass.preview({ openid: input.openid }, message);
  }
  const wxName = input.wxName ?? '';
  if (!/^[A-Za-z][\w-]{5,19}$/.test(wxName)) {
    throw badUserInput('"wxName" must be a WeChat id: 6–20 letters, digits, "_" or "-".');
  }
  return app.apis.mass.preview({ wxName }, message);
};
