/**
 * What the GraphiQL examples are filled with (real users, codes and keys in the sandbox,
 * placeholders elsewhere). Types only, in a module of their own: the tabs (examples.ts) and the
 * operations they hold (operations.ts, write-operations.ts) both read them, and neither imports
 * the other back.
 */

/** What the write examples need beyond the read ones; placeholders when absent. */
export interface WriteExampleValues {
  /** A template of the official account (模板消息). */
  templateId: string;
  /** De-duplication ids, fresh per page load so the examples run again after a reload. */
  clientMsgId: string;
  /** A mini program user holding a consent for `subscribeTemplateId`. */
  subscriber: string;
  subscribeTemplateId: string;
  /** An uploaded mpnews media id. */
  newsMediaId: string;
  /** A mass job that massStatus and massDelete may use. */
  massJobId: string;
  /** A phone-number code of the mini program (single use). */
  phoneCode: string;
  /** A tag that deleteTag may delete, and a name createTag may use. */
  tagToDelete: number;
  newTagName: string;
}

/** Two single-use codes of one kind: one for `login`, one for `openid`. */
export interface ExampleCodes {
  login: string;
  openid: string;
}

export interface ExampleValues {
  /** Openids to show in the user queries (the first one is used for `userInfo`). */
  openids: readonly string[];
  /** The official account to name in official-only examples when it is not the default app. */
  officialApp?: string;
  /** Web-OAuth codes (official account, snsapi_userinfo); placeholders when none are at hand. */
  oauthCodes?: ExampleCodes;
  /** The mini program's app name and wx.login() codes. */
  miniProgram?: { app: string; jsCodes?: ExampleCodes };
  /** Comment lines for the first tab's header (the sandbox explains itself here). */
  notes?: readonly string[];
  /** Keys the service and admin tabs send as they are (sandbox: generated for this run). */
  keys?: { service?: string; admin?: string };
  /** Values for the message, code and tag examples; placeholders when absent. */
  writes?: WriteExampleValues;
  /** Comment lines under the event subscription: how to make events happen (the sandbox's routes). */
  eventTriggers?: readonly string[];
}
