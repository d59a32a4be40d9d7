/**
 * Mini program server calls (wechat-api-more.md §6, §7, §9): the unlimited mini program code, URL
 * Scheme / URL Link, and the phone-number code exchange.
 */
import { isRecord } from '../shared/json.js';
import { UpstreamUnavailableError } from './errors.js';
import type { UpstreamImage, WechatHttp } from './http.js';
import type { AccessTokenSource } from './types.js';

export const WXACODE_UNLIMIT_API = '/wxa/getwxacodeunlimit';
export const GENERATE_SCHEME_API = '/wxa/generatescheme';
export const GENERATE_URLLINK_API = '/wxa/generate_urllink';
export const PHONE_NUMBER_API = '/wxa/business/getuserphonenumber';

export interface UnlimitedCodeRequest {
  scene: string;
  page?: string;
  width?: number;
  envVersion?: string;
  checkPath?: boolean;
  autoColor?: boolean;
  lineColor?: { r: number; g: number; b: number };
  transparent?: boolean;
}

export interface LinkRequest {
  kind: 'scheme' | 'urllink';
  path?: string;
  query?: string;
  envVersion?: string;
  /** Either whole days (1–30) or an instant (unix seconds). */
  expiry: { days: number } | { at: number };
}

export interface PhoneInfo {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface MiniProgramApi {
  unlimitedCode(request: UnlimitedCodeRequest): Promise<UpstreamImage>;
  link(request: LinkRequest): Promise<string>;
  /** `openid` makes WeChat check that the code belongs to that user. */
  phoneNumber(code: string, openid?: string): Promise<PhoneInfo>;
}

const defined = (entries: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));

function readPhone(raw: Record<string, unknown>): PhoneInfo {
  const info = isRecord(raw.phone_info) ? raw.phone_info : {};
  const { phoneNumber, purePhoneNumber, countryCode } = info;
  // countryCode is a string in captures and a number in the doc's example: both are read.
  if (
    typeof phoneNumber !== 'string' ||
    typeof purePhoneNumber !== 'string' ||
    (typeof countryCode !== 'string' && typeof countryCode !== 'number')
  ) {
    throw new UpstreamUnavailableError(
      PHONE_NUMBER_API,
      'bad-response',
      'answer without phone_info',
    );
  }
  return { phoneNumber, purePhoneNumber, countryCode: String(countryCode) };
}

export function createMiniProgramApi(http: WechatHttp, tokens: AccessTokenSource): MiniProgramApi {
  return {
    unlimitedCode(request) {
      const body = defined({
        // Always a string: a numeric scene reached the app altered (COMM).
        scene: request.scene,
        page: request.page,
        check_path: request.checkPath,
        env_version: request.envVersion,
        width: request.width,
        auto_color: request.autoColor,
        line_color: request.lineColor,
        is_hyaline: request.transparent,
      });
      return tokens.withAccessToken((accessToken) =>
        http.postForImage(WXACODE_UNLIMIT_API, { access_token: accessToken }, body),
      );
    },
    async link(request) {
      const target = defined({
        path: request.path,
        query: request.query,
        env_version: request.envVersion,
      });
      const expiry =
        'days' in request.expiry
          ? { expire_type: 1, expire_interval: request.expiry.days }
          : { expire_type: 0, expire_time: request.expiry.at };
      const scheme = request.kind === 'scheme';
      const api = scheme ? GENERATE_SCHEME_API : GENERATE_URLLINK_API;
      const body = scheme ? { jump_wxa: target, ...expiry } : { ...target, ...expiry };
      const raw = await tokens.withAccessToken((accessToken) =>
        http.postJson<Record<string, unknown>>(api, { access_token: accessToken }, body),
      );
      const url = scheme ? raw.openlink : raw.url_link;
      if (typeof url !== 'string' || url === '') {
        throw new UpstreamUnavailableError(api, 'bad-response', 'answer without a link');
      }
      return url;
    },
    async phoneNumber(code, openid) {
      const raw = await tokens.withAccessToken((accessToken) =>
        http.postJson<Record<string, unknown>>(
          PHONE_NUMBER_API,
          { access_token: accessToken },
          openid === undefined ? { code } : { code, openid },
        ),
      );
      return readPhone(raw);
    },
  };
}
