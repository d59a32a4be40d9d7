/**
 * Live mode's start-up check of each app's credentials: one token call per app before the
 * gateway reports ready, so a wrong secret, a missing IP whitelist entry or a frozen secret is
 * found at start instead of by the first request. A rejection makes /readyz answer 503 naming the
 * app and the reason, and writes one ERROR line per check; the gateway keeps running and checks
 * again every `recheckMs` (the token provider's breaker keeps those checks from spending WeChat's
 * quota while it is open), so a fixed whitelist or an admin's breaker reset recovers without a
 * restart. A failure that is not about credentials (WeChat unreachable, the store down) does not
 * hold readiness: the token core already serves through those, and it is reported as unverified.
 */
import type { Logger } from '../observability/logger.js';
import { TokenUnavailableError } from '../tokens/errors.js';
import type { TokenProvider } from '../tokens/types.js';
import { errcodeRow } from '../wechat/errcodes.js';
import { WechatApiError } from '../wechat/errors.js';

export type CredentialState = 'checking' | 'verified' | 'rejected' | 'unverified';

export interface CredentialReport {
  app: string;
  state: CredentialState;
  /** WeChat's errcode behind a rejection (40125: wrong secret, 40164: IP not whitelisted…). */
  errcode: number | null;
  /** What the operator should know, in words; never a secret. */
  reason: string | null;
}

export interface CredentialCheck {
  /** Checks every app now (and again every `recheckMs` while one is not verified). */
  start(): Promise<void>;
  /** False until every app was checked once, and while an app's credentials are rejected. */
  ready(): boolean;
  report(): CredentialReport[];
  stop(): void;
}

export interface CredentialCheckDeps {
  apps: readonly {
    readonly name: string;
    readonly tokens: Pick<TokenProvider, 'getAccessToken'>;
  }[];
  logger: Logger;
  /** Default 60 s: at most one ERROR line per app per minute. */
  recheckMs?: number;
  /** Runs `run` after `ms`; returns what cancels it. Default: an unref'd setTimeout. */
  schedule?: (run: () => void, ms: number) => () => void;
}

function scheduleTimer(run: () => void, ms: number): () => void {
  const timer = setTimeout(run, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export const DEFAULT_RECHECK_MS = 60_000;

/** The errcode of a token failure, if WeChat gave one. */
function errcodeOf(error: unknown): number | undefined {
  if (error instanceof TokenUnavailableError || error instanceof WechatApiError) {
    return error.errcode;
  }
  return undefined;
}

function judge(app: string, error: unknown): CredentialReport {
  const errcode = errcodeOf(error);
  const row = errcode === undefined ? undefined : errcodeRow(errcode);
  if (errcode !== undefined && row?.kind === 'credentials') {
    return { app, state: 'rejected', errcode, reason: `${row.message} (errcode ${errcode})` };
  }
  const detail = error instanceof Error ? error.message : 'unknown failure';
  return { app, state: 'unverified', errcode: errcode ?? null, reason: detail };
}

export function createCredentialCheck(deps: CredentialCheckDeps): CredentialCheck {
  const recheckMs = deps.recheckMs ?? DEFAULT_RECHECK_MS;
  const reports = new Map<string, CredentialReport>(
    deps.apps.map((app) => [
      app.name,
      { app: app.name, state: 'checking', errcode: null, reason: null },
    ]),
  );
  const schedule = deps.schedule ?? scheduleTimer;
  let cancel: (() => void) | undefined;
  let stopped = false;

  async function checkOne(app: CredentialCheckDeps['apps'][number]): Promise<void> {
    let report: CredentialReport;
    try {
      await app.tokens.getAccessToken();
      report = { app: app.name, state: 'verified', errcode: null, reason: null };
    } catch (error) {
      report = judge(app.name, error);
    }
    const before = reports.get(app.name)?.state;
    reports.set(app.name, report);
    if (report.state === 'rejected') {
      deps.logger.error(
        { app: app.name, errcode: report.errcode },
        `app "${app.name}": WeChat rejected its credentials: ${report.reason}. /readyz answers 503 until this is fixed; checking again in ${Math.round(recheckMs / 1000)} s`,
      );
    } else if (report.state === 'unverified') {
      deps.logger.warn(
        { app: app.name, errcode: report.errcode },
        `app "${app.name}": its credentials could not be checked (${report.reason}); serving anyway, checking again in ${Math.round(recheckMs / 1000)} s`,
      );
    } else if (before === 'rejected' || before === 'unverified') {
      deps.logger.info({ app: app.name }, `app "${app.name}": credentials verified`);
    }
  }

  async function checkPending(): Promise<void> {
    const pending = deps.apps.filter((app) => reports.get(app.name)?.state !== 'verified');
    await Promise.all(pending.map(checkOne));
    if (stopped || pending.length === 0) return;
    if ([...reports.values()].every((report) => report.state === 'verified')) return;
    cancel = schedule(() => void checkPending(), recheckMs);
  }

  return {
    start: checkPending,
    ready: () =>
      [...reports.values()].every(
        (report) => report.state === 'verified' || report.state === 'unverified',
      ),
    report: () => [...reports.values()],
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
