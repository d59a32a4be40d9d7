/**
 * A WeChat H5 page on the gateway: web OAuth → `login` → `me`, `jsapiConfig` → `wx.config`, and
 * `logout`. The session token lives in sessionStorage (gone when the tab closes).
 */
import {
  createGatewayClient,
  GatewayError,
  JsapiConfigDocument,
  MeDocument,
  storageSession,
  type GatewayClient,
} from '../../client/index.js';
import { readConfig, type H5Config } from './config.js';
import { configureJssdk } from './jssdk.js';
import { authorizeUrl, takeOAuthReturn } from './oauth.js';
import { createView, type Profile, type View } from './view.js';

const PROFILE_KEY = 'h5.profile';

/** A failure in words for the page; the gateway's code is kept for whoever reads the page. */
function explain(error: unknown): string {
  if (error instanceof GatewayError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function savedProfile(): Profile {
  const text = sessionStorage.getItem(PROFILE_KEY);
  return text === null ? null : (JSON.parse(text) as Profile);
}

/** Opens a session with the code WeChat sent back; false when the page is to stop here. */
async function signInFromRedirect(client: GatewayClient, config: H5Config, view: View) {
  const returned = takeOAuthReturn(location, history, sessionStorage);
  if (returned.kind === 'declined') {
    view.error('You declined to sign in with WeChat.');
  } else if (returned.kind === 'bad-state') {
    view.error('This sign-in did not start on this page (state mismatch): sign in again.');
  } else if (returned.kind === 'code') {
    view.status('Signing in…');
    const login = await client.login({ code: returned.code, app: config.app });
    sessionStorage.setItem(PROFILE_KEY, JSON.stringify(login.profile));
  }
}

async function enableJssdk(client: GatewayClient, config: H5Config, view: View): Promise<void> {
  view.jssdk('configuring…');
  try {
    // The page's own URL without its #fragment: what WeChat checks the signature against.
    const url = location.href.split('#')[0] ?? location.href;
    const { jsapiConfig } = await client.request(JsapiConfigDocument, { url, app: config.app });
    await configureJssdk(jsapiConfig, ['updateAppMessageShareData', 'updateTimelineShareData']);
    view.jssdk('ready');
  } catch (error) {
    view.jssdk(`error: ${explain(error)}`);
  }
}

async function showUser(client: GatewayClient, config: H5Config, view: View): Promise<void> {
  if (client.session.get() === undefined) {
    view.status('Not signed in.');
    view.signedOut();
    return;
  }
  try {
    const { me } = await client.request(MeDocument, { app: config.app });
    view.signedIn(me, savedProfile());
    view.status('Signed in.');
  } catch (error) {
    view.signedOut();
    view.status('Not signed in.');
    const ended = error instanceof GatewayError && error.code === 'UNAUTHENTICATED';
    // The client dropped the token already; the saved profile goes with it.
    if (ended) sessionStorage.removeItem(PROFILE_KEY);
    view.error(
      ended ? `Your session has ended: sign in again. (${explain(error)})` : explain(error),
    );
    return;
  }
  await enableJssdk(client, config, view);
}

async function start(): Promise<void> {
  const view = createView(document);
  const config = readConfig(document);
  const client = createGatewayClient({
    url: config.graphqlUrl,
    session: storageSession(sessionStorage, 'h5.session'),
  });
  view.onSignIn((scope) => location.assign(authorizeUrl(config, scope, location, sessionStorage)));
  view.onLogout(() => {
    client.logout().then(
      () => {
        sessionStorage.removeItem(PROFILE_KEY);
        view.signedOut();
        view.error(undefined);
        view.status('Logged out.');
      },
      (error: unknown) => view.error(`Logout failed: ${explain(error)}`),
    );
  });
  try {
    await signInFromRedirect(client, config, view);
  } catch (error) {
    view.error(`Sign-in failed: ${explain(error)}`);
  }
  await showUser(client, config, view);
}

start().catch((error: unknown) => {
  const box = document.getElementById('error');
  if (box !== null) {
    box.hidden = false;
    box.textContent = explain(error);
  }
});
