/**
 * Every errcode wechat-api-more.md lists for each new field's endpoint, injected on that endpoint
 * and read through yoga.fetch: the code of its row, with extensions.wechat. -1 is special: a send
 * answers UPSTREAM_OUTCOME_UNKNOWN after one request, anything else retries once and succeeds.
 */
import { describe, expect, it } from 'vitest';
import { errcodeRow } from '../../src/wechat/errcodes.js';
import { endpointOf } from '../../src/wechat/endpoints.js';
import * as api from '../support/wechat-api.js';
import { useGateway, type Gateway } from '../support/harness.js';
import {
  follower,
  massInput,
  miniSubscribeInput,
  miniUserWithConsent,
  NEWS_MEDIA,
  SEND_SUBSCRIBE,
  SEND_TEMPLATE,
  MASS_SEND,
  templateInput,
} from '../support/operations.js';

interface FieldCase {
  path: string;
  errcodes: number[];
  run(gw: Gateway): Promise<{ errors?: { extensions?: Record<string, unknown> }[] | undefined }>;
}

let unique = 0;
const body = async (promise: ReturnType<Gateway['query']>) => (await promise).body;

const CASES: Record<string, FieldCase> = {
  sendTemplateMessage: {
    path: api.TEMPLATE_SEND_API,
    errcodes: [40003, 40037, 43004, 43019, 47003, 40165, 45009, 48001, 40241, 45047],
    run: (gw) => body(gw.query(SEND_TEMPLATE, { variables: { input: templateInput(gw) } })),
  },
  sendSubscribeMessage: {
    path: api.SUBSCRIBE_SEND_API,
    errcodes: [40003, 40037, 43101, 47003, 41030, 45009],
    run: (gw) =>
      body(
        gw.query(SEND_SUBSCRIBE, {
          variables: { input: miniSubscribeInput(miniUserWithConsent(gw)), app: 'miniprogram' },
        }),
      ),
  },
  massSend: {
    path: api.MASS_SENDALL_API,
    errcodes: [45028, 45065, 45066, 45067, 40007, 45009, 48001, 9500002, 45159],
    run: (gw) =>
      body(gw.query(MASS_SEND, { variables: { input: massInput(`f-${(unique += 1)}`) } })),
  },
  massPreview: {
    path: api.MASS_PREVIEW_API,
    errcodes: [40003, 40007, 45009, 48001],
    run: (gw) =>
      body(
        gw.query(
          `mutation { massPreview(input: { openid: "${follower(gw)}", message: { type: MPNEWS, mediaId: "${NEWS_MEDIA}" } }) { msgId } }`,
        ),
      ),
  },
  massStatus: {
    path: api.MASS_GET_API,
    errcodes: [40059, 48001],
    run: (gw) => body(gw.query('{ massStatus(msgId: "1000000001") { status } }')),
  },
  massDelete: {
    path: api.MASS_DELETE_API,
    errcodes: [40059, 40060, 48001],
    run: (gw) => body(gw.query('mutation { massDelete(msgId: "1000000001") }')),
  },
  createQrCode: {
    path: api.QRCODE_CREATE_API,
    errcodes: [40053, 40013, 45009, 48001],
    run: (gw) =>
      body(
        gw.query(
          'mutation { createQrCode(input: { scene: { id: 1 }, expiresIn: 60 }) { ticket } }',
        ),
      ),
  },
  miniProgramCode: {
    path: api.WXACODE_UNLIMIT_API,
    errcodes: [40169, 40129, 41030, 40097, 47001, 45009, 45063, 48001],
    run: (gw) =>
      body(
        gw.query('{ miniProgramCode(app: "miniprogram", input: { scene: "a" }) { contentType } }'),
      ),
  },
  miniProgramLink: {
    path: api.GENERATE_URLLINK_API,
    errcodes: [40002, 40013, 85079, 40165, 40212, 85401, 85402, 85400, 45009, 47001, 44002],
    run: (gw) =>
      body(
        gw.query(
          'mutation { miniProgramLink(app: "miniprogram", input: { kind: URL_LINK }) { url } }',
        ),
      ),
  },
  phoneNumber: {
    path: api.PHONE_NUMBER_API,
    errcodes: [40029, 40013, 45011],
    run: (gw) => {
      const { code } = gw.emulator.mintPhoneCode(gw.mini.appId);
      return body(gw.query(`{ phoneNumber(code: "${code}", app: "miniprogram") { phoneNumber } }`));
    },
  },
  createTag: {
    path: api.TAGS_CREATE_API,
    errcodes: [45157, 45158, 45056],
    run: (gw) => body(gw.query(`mutation { createTag(name: "f-${(unique += 1)}") { id } }`)),
  },
  renameTag: {
    path: api.TAGS_UPDATE_API,
    errcodes: [45157, 45158, 45058, 45159],
    run: (gw) => body(gw.query('mutation { renameTag(tagId: 101, name: "x") { id } }')),
  },
  deleteTag: {
    path: api.TAGS_DELETE_API,
    errcodes: [45058, 45057, 45159],
    run: (gw) => body(gw.query('mutation { deleteTag(tagId: 101) }')),
  },
  tagUsers: {
    path: api.TAGS_BATCH_TAG_API,
    errcodes: [40032, 45059, 45159, 40003, 49003],
    run: (gw) => body(gw.query(`mutation { tagUsers(tagId: 100, openids: ["${follower(gw)}"]) }`)),
  },
  untagUsers: {
    path: api.TAGS_BATCH_UNTAG_API,
    errcodes: [40032, 45159, 40003, 49003],
    run: (gw) =>
      body(gw.query(`mutation { untagUsers(tagId: 100, openids: ["${follower(gw)}"]) }`)),
  },
  usersByTag: {
    path: api.USERS_BY_TAG_API,
    errcodes: [45159, 40003],
    run: (gw) => body(gw.query('{ usersByTag(tagId: 100) { totalCount } }')),
  },
  tags: {
    path: api.TAGS_GET_API,
    errcodes: [48001, 45009],
    run: (gw) => body(gw.query('{ tags { id } }')),
  },
  setUserRemark: {
    path: api.UPDATE_REMARK_API,
    errcodes: [40003, 40092, 45009, 48001],
    run: (gw) =>
      body(gw.query(`mutation { setUserRemark(openid: "${follower(gw)}", remark: "x") }`)),
  },
};

const cells = Object.entries(CASES).flatMap(([field, { errcodes }]) =>
  errcodes.map((errcode) => [field, errcode, errcodeRow(errcode).code] as const),
);

describe('each errcode of each new field', () => {
  const fx = useGateway();

  it.each(cells)('%s: errcode %i → %s', async (field, errcode, code) => {
    const fieldCase = CASES[field];
    if (!fieldCase) throw new Error(field);
    fx.gw.emulator.failNext(fieldCase.path, 1, { errcode });
    const result = await fieldCase.run(fx.gw);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, wechat: { errcode } });
    expect(fx.gw.emulator.calls(fieldCase.path)).toBe(1);
  });

  it.each(Object.keys(CASES))('%s: -1 once', async (field) => {
    const fieldCase = CASES[field];
    if (!fieldCase) throw new Error(field);
    fx.gw.emulator.failNext(fieldCase.path, 1, { errcode: -1 });
    const result = await fieldCase.run(fx.gw);
    if (endpointOf(fieldCase.path)?.repeat === 'send') {
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_OUTCOME_UNKNOWN',
        wechat: { errcode: -1 },
      });
      expect(fx.gw.emulator.calls(fieldCase.path)).toBe(1);
    } else {
      expect(fx.gw.emulator.calls(fieldCase.path)).toBe(2);
      const wechat = result.errors?.[0]?.extensions?.['wechat'] as { errcode?: number } | undefined;
      expect(wechat?.errcode).not.toBe(-1);
    }
  });
});
