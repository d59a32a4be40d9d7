/**
 * The mini program's entry (app.ts of a mini program project): checked against the real `wx`
 * types (miniprogram-api-typings) by `npm run typecheck`.
 */
import { createMiniProgramGateway } from './gateway.js';

/** Your gateway's GraphQL endpoint; its host must be a request domain (request合法域名) of the mini program. */
const GATEWAY_URL = 'https://gw.example.com/graphql';

App({
  onLaunch() {
    const gateway = createMiniProgramGateway(wx, GATEWAY_URL);
    gateway
      .me()
      .then((me) => console.log('signed in as', me.openid))
      .catch((error: unknown) => console.error('sign-in failed', error));
  },
});
