/**
 * `GET /healthz` (alive: the process answers) and `GET /readyz` (ready for traffic: listening and
 * not draining). Only a drain makes an instance unready. The token store is a shared cache:
 * without it each instance fetches its own tokens (in-process coordination) and serves on, so an
 * unreachable store must not take instances out of a load balancer or stop a scale-up; the token
 * breaker is fleet-wide (every instance would go unready together) and logins need no token. Both
 * are reported in the body, for an operator or a probe to read. No admin key: probes do not send
 * one, and the bodies name no secret or address.
 */
import type { Plugin } from 'graphql-yoga';
import type { Drain } from './drain.js';
import type { TokenStore } from '../store/store.js';
import type { TokenProvider } from '../tokens/types.js';

export const HEALTH_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/** How long /readyz waits for an app's breaker state before reporting it unknown. */
const BREAKER_READ_MS = 1000;

/** What readiness needs of the token store. */
export type ReadinessSource = Pick<TokenStore, 'kind' | 'health'>;

export interface HealthSources {
  store?: ReadinessSource;
  /** Apps whose token breaker is reported. */
  apps?: readonly { name: string; tokens: Pick<TokenProvider, 'status'> }[];
  drain?: Pick<Drain, 'draining' | 'reason'>;
}

export interface HealthBody {
  alive: true;
  status: 'serving' | 'draining';
}

export type BreakerReport =
  | { app: string; open: boolean; errcode: number | null; until: string | null }
  | { app: string; open: null; error: string };

export interface ReadinessBody {
  ready: boolean;
  status: 'serving' | 'draining';
  /** Why the instance is (not) ready, in words. */
  reason: string;
  tokenStore: {
    kind: TokenStore['kind'];
    reachable: boolean;
    state: ReturnType<TokenStore['health']>['state'];
    /** `store`: tokens are shared through the store; `in-process`: this instance fetches alone. */
    coordination: 'store' | 'in-process';
  } | null;
  /** Reported only: an open breaker pauses token calls fleet-wide, not this instance. */
  tokenBreakers: BreakerReport[];
}

async function breakerReport(app: NonNullable<HealthSources['apps']>[number]) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<BreakerReport>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({ app: app.name, open: null, error: 'unknown: the token store did not answer' }),
      BREAKER_READ_MS,
    );
  });
  const read = app.tokens.status().then(
    ({ breaker }): BreakerReport => ({
      app: app.name,
      open: breaker.open,
      errcode: breaker.errcode,
      until: breaker.until === null ? null : new Date(breaker.until).toISOString(),
    }),
    (): BreakerReport => ({ app: app.name, open: null, error: 'unknown: could not be read' }),
  );
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readiness(sources: HealthSources): Promise<ReadinessBody> {
  const { store, drain } = sources;
  const health = store?.health();
  const draining = drain?.draining === true;
  return {
    ready: !draining,
    status: draining ? 'draining' : 'serving',
    reason: draining
      ? `draining (${drain?.reason ?? 'shutting down'}): finishing in-flight requests, then stopping; send new traffic elsewhere`
      : 'listening and not draining',
    tokenStore:
      store === undefined || health === undefined
        ? null
        : {
            kind: store.kind,
            reachable: health.reachable,
            state: health.state,
            coordination: health.reachable ? 'store' : 'in-process',
          },
    // The breaker lives in the store: while it is unreachable, asking would only log a warning
    // per probe and app.
    tokenBreakers: await Promise.all(
      (sources.apps ?? []).map((app) =>
        health?.reachable === false
          ? { app: app.name, open: null, error: 'unknown: the token store is unreachable' }
          : breakerReport(app),
      ),
    ),
  };
}

/** A new object per response: fetch's Headers may keep the object and add content-length to it. */
const jsonHeaders = () => ({ 'content-type': 'application/json', 'cache-control': 'no-store' });

export function useHealth(sources: HealthSources): Plugin {
  return {
    // Every request passes through here; only the two probe paths answer.
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (url.pathname !== READINESS_PATH && url.pathname !== HEALTH_PATH) return undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(
          new fetchAPI.Response('use GET\n', { status: 405, headers: { allow: 'GET, HEAD' } }),
        );
        return undefined;
      }
      if (url.pathname === HEALTH_PATH) {
        const body: HealthBody = {
          alive: true,
          status: sources.drain?.draining === true ? 'draining' : 'serving',
        };
        endResponse(new fetchAPI.Response(JSON.stringify(body), { headers: jsonHeaders() }));
        return undefined;
      }
      return readiness(sources).then((body) => {
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: body.ready ? 200 : 503,
            headers: jsonHeaders(),
          }),
        );
      });
    },
  };
}
