/**
 * GraphiQL examples for messages, mass sends, codes, links, phone numbers and tags (the service
 * tab). The sandbox fills in values that work on every page load (fresh de-duplication ids, a
 * phone code, a consent, a job and a tag to delete); elsewhere they are placeholders.
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

/** The official account's sends: a template message, mass sends and a QR code. */
function officialSends(values: ExampleValues, w: WriteExampleValues, app: string): string[] {
  const [openid = 'OPENID'] = values.openids;
  return [
    `# A template message to a follower. With clientMsgId WeChat sends one message per user and
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
}`,
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
}

/** The official account's tags and remarks: read, create, rename, delete, (un)tag users. */
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
    `mutation SetUserRemark {
  setUserRemark(${app}openid: ${q(openid)}, remark: "老客户")
}`,
  ];
}

function miniProgramWrites(mini: string, w: WriteExampleValues): string[] {
  const app = `app: ${q(mini)}`;
  return [
    `# One consent (wx.requestSubscribeMessage) allows one message; without one: NO_CONSENT.
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
}`,
    `# The page reads scene from query.scene; contentType is the real type of the bytes.
query MiniProgramCode {
  miniProgramCode(${app}, input: { scene: "id=1234&from=poster", page: "pages/order/detail", width: 280 }) {
    contentType
    base64
  }
}`,
    `mutation MiniProgramLink {
  miniProgramLink(${app}, input: { kind: URL_LINK, path: "pages/promo/landing", query: "from=sms", expiresInDays: 7 }) {
    url
    expiresAt
  }
}`,
    `# The code of <button open-type="getPhoneNumber"> (works once, for 5 minutes). A session of the
# mini program may ask too, for its own user's number only.
query PhoneNumber {
  phoneNumber(${app}, code: ${q(w.phoneCode)}) {
    phoneNumber
    purePhoneNumber
    countryCode
  }
}`,
  ];
}

export function writeOperations(values: ExampleValues): string[] {
  const w = values.writes ?? PLACEHOLDERS;
  const app = values.officialApp === undefined ? '' : `app: ${q(values.officialApp)}, `;
  const mini = values.miniProgram;
  return [
    ...officialSends(values, w, app),
    ...officialTags(values, w, app),
    ...(mini ? miniProgramWrites(mini.app, w) : []),
  ];
}
