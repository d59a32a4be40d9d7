/** What the page shows; main.ts decides when. */
import type { LoginMutation, MeQuery } from '../../client/index.js';

export type Profile = LoginMutation['login']['profile'];

function element<T extends HTMLElement = HTMLElement>(document: Document, id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`index.html has no #${id}`);
  return found as T;
}

export interface View {
  status(text: string): void;
  error(text: string | undefined): void;
  signedOut(): void;
  signedIn(me: MeQuery['me'], profile: Profile): void;
  jssdk(text: string): void;
  onSignIn(handler: (scope: 'snsapi_base' | 'snsapi_userinfo') => void): void;
  onLogout(handler: () => void): void;
}

export function createView(document: Document): View {
  const get = (id: string) => element(document, id);
  const text = (id: string, value: string) => {
    get(id).textContent = value;
  };
  return {
    status: (value) => text('status', value),
    error(value) {
      const box = get('error');
      box.hidden = value === undefined;
      box.textContent = value ?? '';
    },
    signedOut() {
      get('signed-in').hidden = true;
      get('signed-out').hidden = false;
    },
    signedIn(me, profile) {
      text('nickname', profile?.nickname ?? '– (snsapi_base: no profile)');
      text('openid', me.openid);
      text('unionid', me.unionid ?? '–');
      text('subscribed', me.user?.subscribed ? 'yes' : 'no');
      const avatar = element<HTMLImageElement>(document, 'avatar');
      avatar.hidden = !profile?.avatarUrl;
      if (profile?.avatarUrl) avatar.src = profile.avatarUrl;
      get('signed-out').hidden = true;
      get('signed-in').hidden = false;
    },
    jssdk: (value) => text('jssdk', value),
    onSignIn(handler) {
      get('sign-in').addEventListener('click', () => handler('snsapi_userinfo'));
      get('sign-in-base').addEventListener('click', () => handler('snsapi_base'));
    },
    onLogout: (handler) => get('logout').addEventListener('click', handler),
  };
}
