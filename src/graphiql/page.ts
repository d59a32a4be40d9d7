/**
 * The GraphiQL page of one load: a few kilobytes of HTML that reference GraphiQL's files
 * (assets.ts) and carry this load's options (its example tabs). Besides GraphiQL, the page runs
 * a few scripts of ours: the session helper (the last login's token in the session tab), the
 * schema over GET (GraphiQL's introspection as a GET the browser may cache), the tab refresh
 * (this load's examples in place of an earlier page's) and the tab titles (each example tab
 * keeps its title).
 */
import type { GraphiQLOptions } from 'graphql-yoga';
import type { GraphiqlAssets } from './assets.js';
import { GRAPHIQL_SCHEMA_OVER_GET } from './introspection.js';
import { GRAPHIQL_SESSION_HELPER } from './session-helper.js';
import { GRAPHIQL_TAB_REFRESH, GRAPHIQL_TAB_TITLES } from './tab-refresh.js';

/**
 * Two fixes to GraphiQL's look. Its code font (Fira Code) draws `8x1` as `8×1`, and openids are
 * full of such sequences: someone retyping an openid from the screen would get it wrong, so the
 * characters are shown as they are. And its tab-reordering animation leaves tabs opened from
 * `defaultTabs` shifted (a frozen transform): a click's pointerup then lands beside the tab and
 * the tab does not switch. Pinned in place, tabs switch on the first click.
 */
const GRAPHIQL_STYLE =
  '<style>body * { font-variant-ligatures: none !important; font-feature-settings: "liga" 0, "calt" 0 !important; } .graphiql-tab { transform: none !important; }</style>';

/** JSON inside a <script> element: no string in it can end the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderGraphiqlPage(options: GraphiQLOptions, urls: GraphiqlAssets['urls']): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${urls.icon}" />
    <link rel="stylesheet" href="${urls.style}" />
    ${GRAPHIQL_STYLE}
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(urls.workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${urls.script}"></script>
    <script>
      ${GRAPHIQL_SESSION_HELPER}
      ${GRAPHIQL_SCHEMA_OVER_GET}
      const options = ${scriptJson(options)};
      let examples = [];
      try {
        examples = ${GRAPHIQL_TAB_REFRESH}(localStorage, options.defaultTabs ?? [], location, history);
      } catch (error) {
        console.warn('GraphiQL examples: could not refresh the saved tabs', error);
      }
      options.onTabChange = ${GRAPHIQL_TAB_TITLES}(examples);
      YogaGraphiQL.renderYogaGraphiQL(window.document.querySelector('#root'), options);
    </script>
  </body>
</html>
`;
}

/** What a browser gets at the GraphQL URL when GraphiQL is off (with status 406). */
export function graphiqlOffPage(endpointUrl: string): string {
  const url = escapeHtml(endpointUrl);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GraphQL endpoint (GraphiQL is off)</title>
  </head>
  <body>
    <h1>GraphQL endpoint</h1>
    <p>
      This URL answers GraphQL requests, not browsers: GraphiQL, the in-browser editor, is off on
      this server. It is off by default when <code>NODE_ENV=production</code>;
      <code>GRAPHIQL=true</code> turns it on.
    </p>
    <p>Send a GraphQL request as a POST with a JSON body, for example:</p>
    <pre>curl -X POST ${url} -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}'</pre>
    <p>
      A GET works too, for queries: <code>?query=</code> in the URL, an
      <code>Accept: application/graphql-response+json</code> header and, against cross-site
      requests, <code>Authorization</code> or <code>X-GraphQL-Yoga-CSRF: 1</code>.
    </p>
  </body>
</html>
`;
}
