/**
 * `GET /healthz` (alive: the process answers) and `GET /readyz` (ready for traffic: listening and
 * not draining). Only a drain makes an instance unready. The token store is a shared cache:
 * without it each instance fetches its own tokens (in-process coordination) and serves on, so an
 * unreachable store must not take instances out of a load balancer or stop a scale-up; the token
 * breaker is fleet-wide (every instance would go unready together) and logins need no token; a
 * spent refresh budget refuses one app's calls for minutes, and the other apps and logins still
 * work. All are reported in the body, for an operator or a probe to read. No admin key: probes do
 * not send one, and the bodies name no secret or address.
 */
import type { Plugin } from 'graphql-yoga';
import type { CredentialCheck, CredentialReport } from '../apps/credential-check.js';
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
  /** Apps whose token breaker and refresh-budget refusal are reported. */
  apps?: readonly { name: string; tokens: Pick<TokenProvider, 'status' | 'refusedUntil'> }[];
  drain?: Pick<Drain, 'draining' | 'reason'>;
  /** Live mode's check of each app's credentials: not ready while one is rejected or unchecked. */
  credentials?: Pick<CredentialCheck, 'ready' | 'report'>;
}

export interface HealthBody {
  alive: true;
  status: 'serving' | 'draining';
}

export type BreakerReport =
  | { app: string; open: boolean; errcode: number | null; until: string | null }
  | { app: string; open: null; error: string };

/**
 * One app's refresh budget on this instance: `refusing` while WeChat rejected its token and no
 * refresh is left, when every call of the app fails until `until` although the breaker is closed.
 */
export interface RefreshBudgetReport {
  app: string;
  refusing: boolean;
  until: string | null;
}

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
  /** Reported only: a spent refresh budget refuses one app's calls, for minutes, not all. */
  tokenRefreshBudgets: RefreshBudgetReport[];
  /** Live mode: each app's credentials as the start-up check found them (absent in sandbox). */
  credentials?: CredentialReport[];
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

/** Why the credentials hold readiness: the rejected apps first, else the ones still unchecked. */
function credentialsReason(reports: readonly CredentialReport[]): string {
  const rejected = reports.filter((report) => report.state === 'rejected');
  if (rejected.length > 0) {
    return `WeChat rejected the credentials of ${rejected
      .map((report) => `app "${report.app}": ${report.reason ?? 'rejected'}`)
      .join('; ')}`;
  }
  const checking = reports.filter((report) => report.state === 'checking').map((r) => r.app);
  return `checking the credentials of ${checking.map((app) => `app "${app}"`).join(', ')} with WeChat`;
}

async function readiness(sources: HealthSources): Promise<ReadinessBody> {
  const { store, drain } = sources;
  const health = store?.health();
  const draining = drain?.draining === true;
  const credentials = sources.credentials?.report();
  const credentialsReady = sources.credentials?.ready() ?? true;
  return {
    ready: !draining && credentialsReady,
    status: draining ? 'draining' : 'serving',
    reason: draining
      ? `draining (${drain?.reason ?? 'shutting down'}): finishing in-flight requests, then stopping; send new traffic elsewhere`
      : credentialsReady
        ? 'listening and not draining'
        : credentialsReason(credentials ?? []),
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
    ...(credentials ? { credentials } : {}),
    tokenBreakers: await Promise.all(
      (sources.apps ?? []).map((app) =>
        health?.reachable === false
          ? { app: app.name, open: null, error: 'unknown: the token store is unreachable' }
          : breakerReport(app),
      ),
    ),
    // Known in memory: also while the store is unreachable (each instance then spends its own).
    tokenRefreshBudgets: (sources.apps ?? []).map((app) => {
      const until = app.tokens.refusedUntil();
      return {
        app: app.name,
        refusing: until !== null,
        until: until === null ? null : new Date(until).toISOString(),
      };
    }),
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
