/**
 * `GET /readyz`: the instance is ready as soon as it listens, token store or not. The token store
 * is a shared cache: without it each instance fetches its own tokens (in-process coordination)
 * and serves on, so an unreachable store must not take instances out of a load balancer or stop
 * a scale-up. The body says how the instance coordinates, for an operator or a probe to read.
 * No admin key: probes do not send one, and the body names no secret or address.
 */
import type { Plugin } from 'graphql-yoga';
import type { TokenStore } from './tokens/store.js';

export const READINESS_PATH = '/readyz';

/** What readiness needs of the token store. */
export type ReadinessSource = Pick<TokenStore, 'kind' | 'health'>;

export interface ReadinessBody {
  ready: true;
  tokenStore: {
    kind: TokenStore['kind'];
    reachable: boolean;
    state: ReturnType<TokenStore['health']>['state'];
    /** `store`: tokens are shared through the store; `in-process`: this instance fetches alone. */
    coordination: 'store' | 'in-process';
  } | null;
}

export function useReadiness(store: ReadinessSource | undefined): Plugin {
  return {
    // Not async: every request passes through here; only GET /readyz answers.
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== READINESS_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(
          new fetchAPI.Response('use GET\n', { status: 405, headers: { allow: 'GET, HEAD' } }),
        );
        return;
      }
      const health = store?.health();
      const body: ReadinessBody = {
        ready: true,
        tokenStore:
          store === undefined || health === undefined
            ? null
            : {
                kind: store.kind,
                reachable: health.reachable,
                state: health.state,
                coordination: health.reachable ? 'store' : 'in-process',
              },
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}
