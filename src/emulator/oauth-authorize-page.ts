/**
 * The HTML of open.weixin.qq.com's authorize step as the emulator plays it: the consent page for
 * `snsapi_userinfo` and the page WeChat shows instead of redirecting when a request is wrong.
 */
import type { Page } from './protocol.js';

/** Someone the sandbox user may sign in as. */
export interface AuthorizeChoice {
  /** '' for a user WeChat has never seen (created at consent). */
  readonly openid: string;
  readonly label: string;
}

/** The validated request, carried through the consent form unchanged. */
export interface AuthorizeRequest {
  readonly appid: string;
  readonly redirectUri: string;
  readonly scope: 'snsapi_base' | 'snsapi_userinfo';
  readonly state: string;
}

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? '',
  );

const STYLE = `body{font:16px/1.5 -apple-system,"PingFang SC",sans-serif;margin:0;background:#ededed;color:#111}
main{max-width:28rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:1.1rem}.muted{color:#777;font-size:.85rem;word-break:break-all}
label{display:block;padding:.5rem 0;border-bottom:1px solid #eee}
button{display:block;width:100%;margin-top:1rem;padding:.7rem;border:0;border-radius:.4rem;font-size:1rem}
.allow{background:#07c160;color:#fff}.deny{background:#f2f2f2;color:#07c160}`;

function page(status: number, title: string, content: string, formTarget?: string): Page {
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // The form posts here and WeChat then redirects to the page that asked: allow both.
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'${formTarget ? ` ${formTarget}` : ''}`,
    },
    body: `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${content}</main></body></html>`,
  };
}

/** What WeChat shows instead of redirecting (e.g. "10005 scope not permitted"). */
export function authorizeErrorPage(message: string): Page {
  return page(
    400,
    '微信网页授权 · error',
    `<h1>无法授权 · Cannot authorize</h1><p id="error">${escape(message)}</p><p class="muted">WeChat emulator (sandbox): WeChat shows such a page instead of going back to the page that asked.</p>`,
  );
}

/** The consent page of an `snsapi_userinfo` request: pick a user, allow or deny. */
export function consentPage(request: AuthorizeRequest, choices: readonly AuthorizeChoice[]): Page {
  const hidden = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${escape(value)}">`;
  const options = choices
    .map(
      (choice, index) =>
        `<label><input type="radio" name="openid" value="${escape(choice.openid)}"${index === 0 ? ' checked' : ''}> ${escape(choice.label)}</label>`,
    )
    .join('');
  const content = `<h1>网页授权 · Authorize</h1>
<p>The official account <b>${escape(request.appid)}</b> asks for your public profile (nickname, avatar) · 获取你的昵称、头像</p>
<p class="muted">Returns to ${escape(request.redirectUri)}</p>
<form method="post">
${hidden('appid', request.appid)}${hidden('redirect_uri', request.redirectUri)}${hidden('response_type', 'code')}${hidden('scope', request.scope)}${hidden('state', request.state)}
<fieldset style="border:0;padding:0"><legend class="muted">Sign in as (sandbox users)</legend>${options}</fieldset>
<button class="allow" name="decision" value="allow">允许 · Allow</button>
<button class="deny" name="decision" value="deny">拒绝 · Deny</button>
</form>
<p class="muted">WeChat emulator (sandbox): in WeChat the user is whoever holds the phone.</p>`;
  return page(200, '微信网页授权', content, new URL(request.redirectUri).origin);
}

/** WeChat's way back: `redirect_uri?code=CODE&state=STATE` (no code when the user refused). */
export function redirectPage(redirectUri: string, params: { code?: string; state: string }): Page {
  const hashAt = redirectUri.indexOf('#');
  const base = hashAt < 0 ? redirectUri : redirectUri.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : redirectUri.slice(hashAt);
  const query = [
    ...(params.code === undefined ? [] : [`code=${encodeURIComponent(params.code)}`]),
    `state=${encodeURIComponent(params.state)}`,
  ].join('&');
  const location = `${base}${base.includes('?') ? '&' : '?'}${query}${hash}`;
  return {
    status: 302,
    headers: { Location: location, 'Cache-Control': 'no-store', 'Content-Type': 'text/plain' },
    body: '',
  };
}
