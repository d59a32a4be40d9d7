import type { QueryResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import { assertIntInRange } from '../input.js';
import { assertKind } from '../message-input.js';

const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;
const ENV = { RELEASE: 'release', TRIAL: 'trial', DEVELOP: 'develop' } as const;

export const miniProgramCode: NonNullable<QueryResolvers['miniProgramCode']> = async (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertKind(app, 'miniprogram', 'miniProgramCode');
  if (!SCENE.test(input.scene)) {
    throw badUserInput(
      `"scene" must be 1–32 characters of 0-9 A-Z a-z and !#$&'()*+,/:;=?@-._~ (no "%").`,
    );
  }
  if (input.page != null && (input.page.startsWith('/') || input.page.includes('?'))) {
    throw badUserInput('"page" must be a page path without a leading "/" and without a query.');
  }
  if (input.width != null) assertIntInRange(input.width, 'width', 280, 1280);
  const color = input.lineColor;
  if (color) {
    for (const [channel, value] of Object.entries(color)) {
      assertIntInRange(value, `lineColor.${channel}`, 0, 255);
    }
  }
  const image = await app.apis.miniProgram.unlimitedCode({
    scene: input.scene,
    page: input.page ?? undefined,
    width: input.width ?? undefined,
    envVersion: input.envVersion ? ENV[input.envVersion] : undefined,
    checkPath: input.checkPath ?? undefined,
    autoColor: input.autoColor ?? undefined,
    lineColor: color ? { r: color.r, g: color.g, b: color.b } : undefined,
    transparent: input.transparent ?? undefined,
  });
  return { contentType: image.contentType, base64: image.bytes.toString('base64') };
};
