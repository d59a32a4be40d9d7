/** The receiver as a yoga plugin: `/wechat/callback/<app>` answered before GraphQL sees it. */
import type { Plugin } from 'graphql-yoga';
import type { Receiver } from './receiver.js';

export function useWechatCallback(receiver: Receiver): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const response = receiver.handle(request, url.pathname);
      if (response) endResponse(await response);
    },
  };
}
