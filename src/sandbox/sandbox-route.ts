/**
 * The one helper behind every sandbox route (routes.ts has the table): resolve the app the
 * caller names, do with the emulator what the WeChat client would, and answer as the emulator's
 * own controls do (src/emulator/control-surface.ts: the same parameter reader, GET or POST, JSON
 * answers, a caller's mistake a 400 with its reason).
 */
import type { Plugin } from 'graphql-yoga';
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import {
  answerControl,
  ControlInputError,
  GET_OR_POST,
  mediaType,
  refusingRangeErrors,
  type ControlParams,
  type ControlRoute,
  type ControlTable,
} from '../emulator/control-surface.js';

/**
 * Which app a route acts for, from its `app` parameter: `official` / `miniprogram` need that
 * kind (unnamed: the default app if it is one, else the first of the kind); `any` takes the named
 * app or the default one; `named` only a named one (else none).
 */
export type AppChoice = GatewayApp['kind'] | 'any' | 'named';

type AppFor<C extends AppChoice> = C extends 'named' ? GatewayApp | undefined : GatewayApp;

export interface SandboxCall<C extends AppChoice> {
  readonly app: AppFor<C>;
  readonly params: ControlParams;
  /** The origin this gateway was called on (the callback URL of a push is on it). */
  readonly origin: string;
}

export interface SandboxContext {
  readonly origin: string;
}

export type SandboxRoute = ControlRoute<SandboxContext>;
export type SandboxTable = ControlTable<SandboxContext>;

function resolveNamed(apps: AppRegistry, name: string | undefined): GatewayApp {
  try {
    return apps.resolve(name);
  } catch (error) {
    throw new ControlInputError(error instanceof Error ? error.message : String(error));
  }
}

function resolveApp(
  apps: AppRegistry,
  name: string | undefined,
  choice: AppChoice,
): GatewayApp | undefined {
  if (choice === 'any') return resolveNamed(apps, name);
  if (choice === 'named') return name === undefined ? undefined : resolveNamed(apps, name);
  const named = name === undefined ? undefined : resolveNamed(apps, name);
  const app =
    named ??
    (apps.defaultApp.kind === choice
      ? apps.defaultApp
      : apps.all.find((candidate) => candidate.kind === choice));
  if (app?.kind !== choice) {
    const what = choice === 'official' ? 'an official account' : 'a mini program';
    throw new ControlInputError(`this code needs ${what}; pass "app" naming one`);
  }
  return app;
}

/**
 * A sandbox route. The emulator's refusals (RangeError: a bad openid, a wrong template) are the
 * caller's and answered 400; with `pushes`, only the sandbox's own are: a push that fails is the
 * gateway's problem, never a 400.
 */
export function sandboxRoute<C extends AppChoice>(
  apps: AppRegistry,
  choice: C,
  run: (call: SandboxCall<C>) => object | Promise<object>,
  options: { pushes?: boolean } = {},
): SandboxRoute {
  return {
    methods: GET_OR_POST,
    async run(params, { origin }) {
      // resolveApp gives the app (or none) that AppFor<C> describes for this choice.
      const app = resolveApp(apps, params.text('app'), choice) as AppFor<C>;
      const call: SandboxCall<C> = { app, params, origin };
      return options.pushes ? run(call) : refusingRangeErrors(() => run(call));
    },
  };
}

/** Serves the table's paths as readable JSON; every other request goes on to the gateway. */
export function useSandboxTable(table: SandboxTable): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      if (!table.has(url.pathname)) return;
      const answer = await answerControl(
        table,
        {
          method: request.method,
          path: url.pathname,
          query: url.searchParams,
          body: request.method === 'POST' ? await request.text() : '',
          contentType: mediaType(request.headers.get('content-type')),
        },
        { origin: url.origin },
      );
      endResponse(
        new fetchAPI.Response(JSON.stringify(answer.body, null, 2), {
          status: answer.status,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
  };
}
