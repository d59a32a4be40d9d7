/**
 * What GraphiQL opens with: tabs by kind of caller (anonymous, session, service, admin), the
 * service fields split by family (users, messages, tags, codes, events) so that the run button's
 * menu shows every operation of a tab at once. Each tab has its own Authorization header, one
 * named operation per field, ready to run, and a title that stays whatever runs in it. Without
 * more to go on the examples carry placeholders; a caller that knows real users, codes and keys
 * (the sandbox) passes its own GraphiqlPageFactory to createApp.
 */
import type { AppRegistry, GatewayApp } from '../apps/gateway-apps.js';
import { LOGIN_TOKEN_PLACEHOLDER } from './session-helper.js';
import type { ExampleValues } from './example-values.js';
import {
  adminOperations,
  eventOperations,
  loginOperations,
  sessionOperations,
  userOperations,
} from './operations.js';
import { writeOperations } from './write-operations.js';

export type { ExampleCodes, ExampleValues } from './example-values.js';

/** One GraphiQL tab: its title, its document and the request headers it sends. */
export interface GraphiqlTab {
  /** What the tab is for ("Session", "Service: tags"), shown whatever operation runs in it. */
  title: string;
  query: string;
  headers?: Record<string, string>;
}

/** What GraphiQL shows on one page load. */
export interface GraphiqlPage {
  tabs: GraphiqlTab[];
}

/** Builds the page for one load; `origin` is the gateway's as the browser reached it. */
export type GraphiqlPageFactory = (apps: AppRegistry, origin: string) => GraphiqlPage;

/** The apps the examples use: the default app if it is an official account, else the first one. */
export function exampleApps(apps: AppRegistry): { official?: GatewayApp; mini?: GatewayApp } {
  const official =
    apps.defaultApp.kind === 'official'
      ? apps.defaultApp
      : apps.all.find((app) => app.kind === 'official');
  return { official, mini: apps.all.find((app) => app.kind === 'miniprogram') };
}

/** The official account's name for `app:` arguments, when it is not the default app anyway. */
export function officialAppArgument(
  apps: AppRegistry,
  official: GatewayApp | undefined,
): string | undefined {
  return official && official !== apps.defaultApp ? official.name : undefined;
}

/** The examples with placeholders for openids, codes and keys: nothing here calls WeChat. */
export const placeholderPage: GraphiqlPageFactory = (apps) => {
  const { official, mini } = exampleApps(apps);
  return {
    tabs: graphiqlTabs({
      openids: [],
      officialApp: officialAppArgument(apps, official),
      miniProgram: mini && { app: mini.name },
    }),
  };
};

const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });

function keyNote(variable: string, generated: boolean): string[] {
  return generated
    ? [
        `# In this sandbox the header carries a throw-away key generated at start-up; set`,
        `# ${variable} to use your own.`,
      ]
    : [
        `# Put your key in place of <${variable}>; without a valid one the calls fail with`,
        `# UNAUTHENTICATED (HTTP 401).`,
      ];
}

function document(header: readonly string[], operations: readonly string[]): string {
  return `${header.join('\n')}\n\n${operations.join('\n\n')}\n`;
}

/**
 * GraphiQL's run menu is at most 400 px high (its style sheet), 40 px an operation: nine show in
 * full, the rest only by scrolling the menu. A tab holds at most this many.
 */
export const MAX_OPERATIONS_PER_TAB = 8;

/** The service tabs, one per family of fields, in this order. */
function serviceTabs(
  values: ExampleValues,
): { family: string; about: string; operations: string[] }[] {
  const writes = writeOperations(values);
  return [
    {
      family: 'users',
      about: 'Who the users are: profiles, followers, openids, phone numbers; remarks.',
      operations: [...userOperations(values), ...writes.users],
    },
    {
      family: 'messages',
      about: 'Template messages, subscribe messages, mass sends.',
      operations: writes.messages,
    },
    { family: 'tags', about: "The official account's tags.", operations: writes.tags },
    { family: 'codes', about: 'QR codes, mini program codes and links.', operations: writes.codes },
    {
      family: 'events',
      about: 'What WeChat pushed: the event log and a live subscription.',
      operations: eventOperations(values),
    },
  ];
}

/** The tabs, in the order a newcomer meets them: log in first. */
export function graphiqlTabs(values: ExampleValues): GraphiqlTab[] {
  const service = values.keys?.service;
  const admin = values.keys?.admin;
  return [
    {
      title: 'Anonymous',
      query: document(
        [
          '# wechat-graphql-gateway: example operations, a tab per kind of caller (services by family).',
          '# Pick one with the run button (▶) or put the cursor inside it and press Ctrl/Cmd+Enter.',
          '#',
          ...(values.notes ?? []),
          '# This tab is anonymous (no Authorization header). Login opens a session for the user',
          '# behind the code; the next tab sends the token it returns.',
        ],
        loginOperations(values),
      ),
    },
    {
      title: 'Session',
      query: document(
        [
          '# A logged-in user. The Headers tab below holds',
          `#   {"Authorization": "Bearer ${LOGIN_TOKEN_PLACEHOLDER}"}`,
          '# and this page puts the token of your last Login there (run Login first). Your own',
          '# pages send the token login returned. Logout ends the session everywhere.',
        ],
        sessionOperations(),
      ),
      headers: bearer(LOGIN_TOKEN_PLACEHOLDER),
    },
    ...serviceTabs(values).map(({ family, about, operations }) => ({
      title: `Service: ${family}`,
      query: document(
        [
          `# Back-office services: ${family}. ${about}`,
          '# A key from SERVICE_API_KEYS in the Headers tab below. These fields answer for any user,',
          '# so pages and mini programs never hold such a key.',
          ...keyNote('SERVICE_API_KEYS', service !== undefined),
        ],
        operations,
      ),
      headers: bearer(service ?? '<SERVICE_API_KEY>'),
    })),
    {
      title: 'Admin',
      query: document(
        [
          '# Administrators: ADMIN_API_KEY in the Headers tab below.',
          ...keyNote('ADMIN_API_KEY', admin !== undefined),
        ],
        adminOperations(),
      ),
      headers: bearer(admin ?? '<ADMIN_API_KEY>'),
    },
  ];
}
