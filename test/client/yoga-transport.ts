import type { FetchLike } from '../../client/index.js';
import { CLIENT_ADDRESS, type Gateway } from '../support/harness.js';

/** fetch into the test gateway's yoga (no socket), as node:http would hand the request over. */
export function yogaFetch(gw: Pick<Gateway, 'yoga'>, requests: string[] = []): FetchLike {
  return async (url, init) => {
    requests.push(init.body);
    return gw.yoga.fetch(url, init, { req: { socket: { remoteAddress: CLIENT_ADDRESS } } });
  };
}

export const GATEWAY_URL = 'http://gateway.test/graphql';
