import type { MutationResolvers } from '../../generated/graphql.js';
import { badUserInput } from '../../shared/graphql-errors.js';
import type { QrCodeRequest } from '../../wechat/qrcode.js';
import { assertIntInRange } from '../input.js';
import { assertKind } from '../message-input.js';

const MIN_EXPIRES_IN = 60;
const MAX_EXPIRES_IN = 2_592_000;
const MAX_TEMPORARY_ID = 4_294_967_295;
const MAX_PERMANENT_ID = 100_000;

function sceneOf(scene: { id?: number | null; str?: string | null }, permanent: boolean) {
  if ((scene.id == null) === (scene.str == null)) {
    throw badUserInput('"scene" needs exactly one of "id" and "str".');
  }
  if (scene.id != null) {
    const max = permanent ? MAX_PERMANENT_ID : MAX_TEMPORARY_ID;
    if (!Number.isInteger(scene.id) || scene.id < 1 || scene.id > max) {
      throw badUserInput(
        `"scene.id" must be a whole number from 1 to ${max} for this kind of code.`,
      );
    }
    return { id: scene.id };
  }
  const str = scene.str ?? '';
  if (str.length < 1 || str.length > 64) {
    throw badUserInput('"scene.str" must be 1 to 64 characters.');
  }
  return { str };
}

export const createQrCode: NonNullable<MutationResolvers['createQrCode']> = async (
  _parent,
  { input, app: appName },
  context,
) => {
  const app = context.apps.resolve(appName);
  assertKind(app, 'official', 'createQrCode');
  const permanent = input.permanent ?? false;
  if (permanent === (input.expiresIn != null)) {
    throw badUserInput('Give "expiresIn" for a temporary code, or "permanent: true" without it.');
  }
  const request: QrCodeRequest = { scene: sceneOf(input.scene, permanent) };
  if (input.expiresIn != null) {
    assertIntInRange(input.expiresIn, 'expiresIn', MIN_EXPIRES_IN, MAX_EXPIRES_IN);
    request.expiresIn = input.expiresIn;
  }
  const requestedAt = context.clock.now();
  const code = await app.apis.qrCodes.create(request);
  return {
    ticket: code.ticket,
    url: code.url,
    imageUrl: code.imageUrl,
    expiresAt: code.expiresIn === null ? null : new Date(requestedAt + code.expiresIn * 1000),
  };
};
