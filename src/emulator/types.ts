import type { Clock } from '../shared/clock.js';
import type { JsapiConfigCheck, JsapiConfigInput } from './jssdk-config.js';
import type { EmulatedTemplate } from './catalogue.js';
import type { EmulatorApp } from './emulator-app.js';
import type { LinkTarget } from './links.js';
import type { PhoneGrant } from './phone.js';
import type { QrScene } from './qrcode.js';
import type { SentMessage } from './send-log.js';

export type { EmulatorApp };

export interface EmulatorOptions {
  /** Every expiry, quota-day and rate-limit decision reads this clock. Default: system clock. */
  clock?: Clock;
  /** Default: DEFAULT_EMULATOR_APPS. */
  apps?: readonly EmulatorApp[];
  /** Seed of the generated users (default 1): same seed, same followers. */
  seed?: number;
  /** Successful `/cgi-bin/token` calls per app per WeChat day (UTC+8); default 2000. */
  legacyTokenDailyQuota?: number;
  /**
   * user/info and batchget: send nickname, headimgurl, sex, province, city and country as empty
   * values, as some servers still do, instead of omitting them (wechat-api.md §3.3). Default false.
   */
  legacyUserInfoFields?: boolean;
  /**
   * Lifetime of every access_token issued, in seconds; default 7200 (WeChat's). Shorter lets
   * tests that run on real time see refresh-ahead and expiry within seconds.
   */
  tokenLifetimeSeconds?: number;
  /**
   * Legacy: how long a superseded token keeps working; stable: how early normal mode rotates.
   * Default 300 (WeChat's); must be shorter than the lifetime.
   */
  tokenHandoverSeconds?: number;
  /**
   * Serve the HTTP controls (control-table.ts, README): call counters, the clock, token
   * rotations, faults, login and phone codes, consents, the send log. For tests and tools that
   * run the emulator in another process (`npm run emulator` turns them on). Default false: only
   * WeChat's endpoints.
   */
  controls?: boolean;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
}

export interface Emulator {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly apps: readonly EmulatorApp[];
  readonly clock: Clock;
  /** Requests received for `path` (e.g. '/cgi-bin/token'), optionally only those for one appId. Controls below are not counted. */
  calls(path: string, appId?: string): number;
  resetCalls(): void;
  /** What the WeChat client does: mint a web-OAuth code (official accounts). Unknown openid → a new non-follower user. */
  mintOAuthCode(
    appId: string,
    options: { scope: 'snsapi_base' | 'snsapi_userinfo'; openid?: string },
  ): { code: string; openid: string };
  /** wx.login() in a mini program. */
  mintJsCode(appId: string, options?: { openid?: string }): { code: string; openid: string };
  /**
   * What WeChat's browser does on `wx.config()` in the page at `pageUrl`: checks the signature
   * against the account's current jsapi_ticket (§8.2). The ticket itself never leaves the emulator.
   */
  checkJsapiConfig(config: JsapiConfigInput, pageUrl: string): JsapiConfigCheck;
  /** Seeded follower openids in user/get order (subscribed users only). */
  followerOpenids(appId: string): readonly string[];
  /** Seeded users that exist but do not follow (subscribe: 0). */
  unsubscribedOpenids(appId: string): readonly string[];
  /** Faults: the next `count` requests to `path` ('*' = any) answer errcode (default -1, 'system error'). */
  failNext(path: string, count: number, options?: { errcode?: number; errmsg?: string }): void;
  /** Real added delay (ms) before answering requests to `path` ('*' = any); 0 removes it. */
  setLatency(path: string, ms: number): void;
  /** The next `count` requests to `path` never get an answer (until close). */
  hangNext(path: string, count?: number): void;
  /** The next `count` requests to `path` have their connection destroyed without a response. */
  resetNext(path: string, count?: number): void;
  /**
   * The next `count` requests to `path` are carried out (a message is sent, a tag created), then
   * their connection is cut before any answer: the caller cannot know that they were.
   */
  dropResponseNext(path: string, count?: number): void;
  /** Every message WeChat accepted (template, subscribe, mass, preview), oldest first. */
  sentMessages(appId?: string): readonly SentMessage[];
  /**
   * The user taps "accept" for a subscribe-message template (`wx.requestSubscribeMessage`):
   * `count` more messages (default 1) of that template may be sent to them. Returns how many.
   */
  grantSubscribeConsent(
    appId: string,
    grant: { openid: string; templateId: string; count?: number },
  ): number;
  /** The message templates the app has set up (template messages and subscribe templates). */
  templates(appId: string): readonly EmulatedTemplate[];
  /** The official account's media library (mass sends): ids and types. */
  mediaIds(appId: string): readonly { mediaId: string; type: string }[];
  /** The user taps the mini program's phone-number button: a single-use 5-minute code. */
  mintPhoneCode(
    appId: string,
    options?: { openid?: string; phoneNumber?: string; countryCode?: string },
  ): { code: string } & PhoneGrant;
  /** What scanning a QR code ticket reports: its scene; undefined when unknown or expired. */
  qrCodeScene(ticket: string): QrScene | undefined;
  /** Where a URL Scheme / URL Link opens; undefined when unknown or expired. */
  linkTarget(url: string): LinkTarget | undefined;
  /** Someone creates a tag in the console (no limits checked); returns its id. */
  consoleCreateTag(appId: string, name: string): number;
  /** Another service of the account mass-sends uploaded news to all followers; returns msg_id. */
  consoleMassSendNews(appId: string, mediaId: string): number;
  /** "Another environment" fetches a legacy token for this app: starts the 300 s countdown on ours. Not counted in calls(). Returns the new token. */
  takeLegacyToken(appId: string): string;
  /** Every token (legacy, stable, previous) of this app becomes expired (→ 42001). */
  expireTokens(appId: string): void;
  /** Rotate the stable token as a force_refresh would, outside any budget. Returns the new token. */
  forceRotateStable(appId: string): string;
  close(): Promise<void>;
}
