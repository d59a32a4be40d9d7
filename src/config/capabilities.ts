/**
 * What a live gateway leaves off because a variable is unset, one sentence per capability naming
 * the variable that turns it on. main.ts writes each as one WARN line at start: a gateway with
 * only WECHAT_APP_ID and WECHAT_APP_SECRET serves almost nothing, and the log should say why.
 * Sandbox mode has throw-away keys for all of these, so it has nothing to report.
 */
import type { GatewayConfig } from './config.js';

export function disabledCapabilities(config: GatewayConfig): string[] {
  if (config.wechat.mode === 'sandbox') return [];
  const { access } = config;
  const off: string[] = [];
  if (access.adminApiKey === undefined) {
    off.push(
      'admin fields (accessToken, refreshAccessToken, tokenStatus, resetTokenBreaker) and /metrics are off: set ADMIN_API_KEY to a long random key (openssl rand -base64 32)',
    );
  }
  if (access.serviceApiKeys.length === 0) {
    off.push(
      'service fields (users, messages, tags, codes, events) are off for back-office services: set SERVICE_API_KEYS (comma-separated keys; openssl rand -base64 32 each)',
    );
  }
  if (access.sessionSecrets.length === 0) {
    off.push(
      'login, me and logout are off (no sessions for H5 pages and mini programs): set SESSION_SECRET (openssl rand -base64 48)',
    );
  }
  if (access.jssdkAllowedHosts === undefined) {
    off.push(
      'jsapiConfig signs no page: set JSSDK_ALLOWED_HOSTS to the hosts of your H5 pages (the JS接口安全域名 of the WeChat console)',
    );
  }
  if (Object.keys(config.events.callbacks).length === 0) {
    off.push(
      'WeChat push is off (no callback URL): set WECHAT_CALLBACK_TOKEN (and WECHAT_ENCODING_AES_KEY for safe mode) as in the console’s 服务器配置',
    );
  }
  return off;
}
