/**
 * GraphiQL examples of the service fields that write (and a few that read with a single-use code),
 * by family, each family a tab of its own: messages and mass sends, tags, codes and links, and the
 * user's remark and phone number (in the users tab). The sandbox fills in values that work on
 * every page load (fresh de-duplication ids, a phone code, a consent, a job and a tag to delete);
 * elsewhere they are placeholders.
 */
import type { ExampleValues, WriteExampleValues } from './example-values.js';

export type { WriteExampleValues } from './example-values.js';

const PLACEHOLDERS: WriteExampleValues = {
  templateId: 'TEMPLATE_ID',
  clientMsgId: 'order-1234-shipped',
  subscriber: 'MINI_PROGRAM_OPENID',
  subscribeTemplateId: 'SUBSCRIBE_TEMPLATE_ID',
  newsMediaId: 'MPNEWS_MEDIA_ID',
  massJobId: '1000000001',
  phoneCode: 'CODE_FROM_PHONE_BUTTON',
  tagToDelete: 100,
  newTagName: '华东区',
};

const q = (value: string): string => JSON.stringify(value);

/** The official account's template message. */
function templateMessage(openid: string, w: WriteExampleValues, app: string): string {
  return `# A template message to a follower. With clientMsgId WeChat sends one message per user and
# id for ~10 minutes: a repeat answers ALREADY_SENT. A lost answer is UPSTREAM_OUTCOME_UNKNOWN.
mutation SendTemplateMessage {
  sendTemplateMessage(${app}input: {
    openid: ${q(openid)}
    templateId: ${q(w.templateId)}
    url: "https://shop.example.com/orders/1234"
    data: [{ key: "keyword1", value: "SF1234567890" }, { key: "keyword2", value: "已发货" }]
    clientMsgId: ${q(`tmpl-${w.clientMsgId}`)}
  }) {
    msgId
  }
}`;
}

/** The official account's mass sends: send, preview, status, delete. */
function massOperations(openid: string, w: WriteExampleValues, app: string): string[] {
  return [
    `# To all followers, a tag (tagId) or 2–10 000 openids. clientMsgId is required: repeat with the
# same id after a minute to learn whether a send with an unknown outcome went out.
mutation MassSend {
  massSend(${app}input: {
    audience: { toAll: true }
    message: { type: TEXT, text: "新品上架：春季系列" }
    clientMsgId: ${q(`mass-${w.clientMsgId}`)}
  }) {
    msgId
    msgDataId
  }
}`,
    `mutation MassPreview {
  massPreview(${app}input: { openid: ${q(openid)}, message: { type: MPNEWS, mediaId: ${q(w.newsMediaId)} } }) {
    msgId
  }
}`,
    `query MassStatus {
  massStatus(${app}msgId: ${q(w.massJobId)}) {
    msgId
    status
  }
}`,
    `# Only mpnews and mpvideo sends; articleIndex 0 deletes every article.
mutation MassDelete {
  massDelete(${app}msgId: ${q(w.massJobId)}, articleIndex: 0)
}`,
  ];
}

/** The official account's tags: read, create, rename, delete, (un)tag users. */
function officialTags(values: ExampleValues, w: WriteExampleValues, app: string): string[] {
  const [openid = 'OPENID', second = 'OPENID_2'] = values.openids;
  return [
    `query Tags {
  tags${app === '' ? '' : `(${app.replace(/, $/, '')})`} {
    id
    name
    count
  }
}`,
    `query UsersByTag {
  usersByTag(${app}tagId: 102, first: 5) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      openid
      tags {
        id
        name
      }
    }
  }
}`,
    `mutation CreateTag {
  createTag(${app}name: ${q(w.newTagName)}) {
    id
    name
    count
  }
}`,
    `mutation RenameTag {
  renameTag(${app}tagId: 101, name: "上海") {
    id
    name
  }
}`,
    `mutation DeleteTag {
  deleteTag(${app}tagId: ${w.tagToDelete})
}`,
    `# Up to 500 openids, sent to WeChat 50 at a time; safe to repeat.
mutation TagUsers {
  tagUsers(${app}tagId: 100, openids: [${q(openid)}, ${q(second)}])
}`,
    `mutation UntagUsers {
  untagUsers(${app}tagId: 100, openids: [${q(second)}])
}`,
  ];
}

/** `app: "<mini program>"`, for the mini program's examples. */
const miniArg = (mini: string): string => `app: ${q(mini)}`;

function subscribeMessage(mini: string, w: WriteExampleValues): string {
  const app = miniArg(mini);
  return `# One consent (wx.requestSubscribeMessage) allows one message; without one: NO_CONSENT.
mutation SendSubscribeMessage {
  sendSubscribeMessage(${app}, input: {
    openid: ${q(w.subscriber)}
    templateId: ${q(w.subscribeTemplateId)}
    page: "pages/order/detail?id=1234"
    data: [
      { key: "character_string1", value: "A20260115001" }
      { key: "thing2", value: "已发货" }
      { key: "amount3", value: "¥99.00" }
      { key: "time4", value: "2026-01-15 10:30" }
    ]
  }) {
    msgId
  }
}`;
}

/** The official account's QR code, the mini program's code and link. */
function codes(mini: string | undefined, app: string): string[] {
  const operations = [
    `# Temporary (expiresIn, up to 30 days) or permanent; the scene comes back in the scan event.
mutation CreateQrCode {
  createQrCode(${app}input: { scene: { str: "promo-spring" }, expiresIn: 86400 }) {
    ticket
    url
    imageUrl
    expiresAt
  }
}`,
  ];
  if (mini === undefined) return operations;
  const miniApp = miniArg(mini);
  return [
    ...operations,
    `# The page reads scene from query.scene; contentType is the real type of the bytes.
query MiniProgramCode {
  miniProgramCode(${miniApp}, input: { scene: "id=1234&from=poster", page: "pages/order/detail", width: 280 }) {
    contentType
    base64
  }
}`,
    `mutation MiniProgramLink {
  miniProgramLink(${miniApp}, input: { kind: URL_LINK, path: "pages/promo/landing", query: "from=sms", expiresInDays: 7 }) {
    url
    expiresAt
  }
}`,
  ];
}

/** The examples of this file, by the tab they go to. */
export interface WriteFamilies {
  /** A remark on a user, a phone number (a code of the mini program): the users tab. */
  users: string[];
  /** Template, subscribe and mass messages. */
  messages: string[];
  tags: string[];
  /** QR codes, mini program codes and links. */
  codes: string[];
}

export function writeOperations(values: ExampleValues): WriteFamilies {
  const w = values.writes ?? PLACEHOLDERS;
  const app = values.officialApp === undefined ? '' : `app: ${q(values.officialApp)}, `;
  const [openid = 'OPENID'] = values.openids;
  const mini = values.miniProgram?.app;
  const remark = `mutation SetUserRemark {
  setUserRemark(${app}openid: ${q(openid)}, remark: "老客户")
}`;
  return {
    users: mini === undefined ? [remark] : [phoneNumber(mini, w), remark],
    messages: [
      templateMessage(openid, w, app),
      ...(mini === undefined ? [] : [subscribeMessage(mini, w)]),
      ...massOperations(openid, w, app),
    ],
    tags: officialTags(values, w, app),
    codes: codes(mini, app),
  };
}

/** A user's phone number, from a code of the mini program's phone-number button. */
function phoneNumber(mini: string, w: WriteExampleValues): string {
  const app = miniArg(mini);
  return `# The code of <button open-type="getPhoneNumber"> (works once, for 5 minutes). A session of the
# mini program may ask too, for its own user's number only.
query PhoneNumber {
  phoneNumber(${app}, code: ${q(w.phoneCode)}) {
    phoneNumber
    purePhoneNumber
    countryCode
  }
}`;
}
