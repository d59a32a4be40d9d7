/**
 * The GraphiQL page's tab refresh (src/graphiql-tab-refresh.ts), run as the page runs it, on a
 * localStorage as GraphiQL leaves it: this load's examples replace an earlier page's, the user's
 * own tabs and edited examples stay, the open tab stays open.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLES_KEY,
  GRAPHIQL_TAB_REFRESH,
  GRAPHIQL_TAB_TITLES,
} from '../../src/graphiql/tab-refresh.js';

interface Tab {
  id: string;
  title: string;
  query: string | null;
  variables: string | null;
  headers: string | null;
  operationName: string | null;
  response: null;
  hash: null;
}

interface TabState {
  tabs: Tab[];
  activeTabIndex: number;
}

/** A page load: the script run against `storage` with `examples`; what it left behind. */
function load(
  storage: Map<string, string>,
  examples: { title?: string; query: string; headers: string | null }[],
  href = 'http://127.0.0.1:4000/graphql',
) {
  const replaced: string[] = [];
  const localStorage = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, String(value)),
    removeItem: (key: string) => storage.delete(key),
  };
  const history = {
    state: null,
    replaceState: (_state: unknown, _title: string, url: URL) => replaced.push(String(url)),
  };
  const served = runInNewContext(
    `(${GRAPHIQL_TAB_REFRESH})(localStorage, examples, location, history)`,
    { localStorage, examples, location: { href }, history, URL },
  ) as { id: string; title: string }[];
  const state = JSON.parse(storage.get('graphiql:tabState') ?? 'null') as TabState;
  return { state, replaced, served };
}

/** Examples as the gateway makes them for one load: a login code that works once. */
function examples(code: string) {
  return [
    {
      query: `# anonymous\nmutation Login {\n  login(code: "${code}") { token }\n}\n`,
      headers: null,
    },
    {
      query: 'query Me {\n  me { openid }\n}\n',
      headers: '{\n  "Authorization": "Bearer <token>"\n}',
    },
    {
      query: 'query AccessToken {\n  accessToken\n}\n',
      headers: `{\n  "Authorization": "Bearer key-${code}"\n}`,
    },
  ];
}

/** What GraphiQL stores after the user worked with the tabs: it saves them as they are. */
function saveAsGraphiql(storage: Map<string, string>, state: TabState): void {
  storage.set('graphiql:tabState', JSON.stringify(state));
}

const queries = (state: TabState) => state.tabs.map((tab) => tab.query);

describe("GraphiQL page's tab refresh", () => {
  it('opens the examples of this load when nothing is saved', () => {
    const storage = new Map<string, string>();
    const { state } = load(storage, examples('code-1'));
    expect(queries(state)).toEqual(examples('code-1').map((tab) => tab.query));
    expect(state.tabs.map((tab) => tab.title)).toEqual(['Login', 'Me', 'AccessToken']);
    expect(state.activeTabIndex).toBe(0);
    expect(storage.get('graphiql:query')).toBe(examples('code-1')[0]?.query);
    expect(JSON.parse(storage.get(EXAMPLES_KEY) ?? '[]')).toHaveLength(3);
  });

  it("replaces an earlier page's examples, keeps the user's tabs and edited examples, and the open tab", () => {
    const storage = new Map<string, string>();
    const first = load(storage, examples('code-1')).state;
    const [login, me, admin] = first.tabs;
    if (!login || !me || !admin) throw new Error('three tabs expected');
    // The user ran Login (GraphiQL renames the tab), edited the admin tab's header, opened a
    // tab of their own and left it open.
    const own: Tab = {
      ...login,
      id: 'own-tab',
      title: 'Mine',
      query: 'query Mine { tokenStatus { app } }',
      operationName: 'Mine',
    };
    const edited: Tab = { ...admin, headers: '{"Authorization": "Bearer my-own-key"}' };
    saveAsGraphiql(storage, {
      tabs: [
        { ...login, title: 'Login', operationName: 'Login' },
        { ...me, variables: '' },
        edited,
        own,
      ],
      activeTabIndex: 3,
    });
    const second = load(storage, examples('code-2')).state;
    expect(queries(second)).toEqual([
      ...examples('code-2').map((tab) => tab.query),
      edited.query,
      own.query,
    ]);
    expect(second.tabs[2]?.headers).toContain('key-code-2');
    expect(second.tabs[3]).toEqual(edited);
    expect(second.tabs[4]).toEqual(own);
    expect(second.activeTabIndex).toBe(4);
    // GraphiQL opens the tab these name.
    expect(storage.get('graphiql:query')).toBe(own.query);
    expect(storage.get('graphiql:headers')).toBe(own.headers ?? undefined);

    // Next load: the edited example is the user's now; the examples are replaced again.
    saveAsGraphiql(storage, { ...second, activeTabIndex: 1 });
    const third = load(storage, examples('code-3')).state;
    expect(queries(third)).toEqual([
      ...examples('code-3').map((tab) => tab.query),
      edited.query,
      own.query,
    ]);
    expect(third.activeTabIndex).toBe(1);
    expect(storage.get('graphiql:query')).toBe(examples('code-3')[1]?.query);
  });

  it("drops an earlier example's query from the URL (it would come back as a tab)", () => {
    const storage = new Map<string, string>();
    load(storage, examples('code-1'));
    const stale = examples('code-1')[0]?.query ?? '';
    const href = `http://127.0.0.1:4000/graphql?query=${encodeURIComponent(stale)}`;
    expect(load(storage, examples('code-2'), href).replaced).toEqual([
      'http://127.0.0.1:4000/graphql',
    ]);
    const own = `http://127.0.0.1:4000/graphql?query=${encodeURIComponent('{ __typename }')}`;
    expect(load(storage, examples('code-3'), own).replaced).toEqual([]);
  });

  it('titles the examples as the page says, and keeps those titles whatever GraphiQL makes of them', () => {
    const storage = new Map<string, string>();
    const titled = examples('code-1').map((tab, index) => ({ ...tab, title: `Role ${index}` }));
    const { state, served } = load(storage, titled);
    expect(state.tabs.map((tab) => tab.title)).toEqual(['Role 0', 'Role 1', 'Role 2']);
    expect(served).toEqual(state.tabs.map(({ id, title }) => ({ id, title })));

    // GraphiQL's next state after Logout ran in the second tab, with a tab of the user's own.
    const keepTitles = runInNewContext(`(${GRAPHIQL_TAB_TITLES})`) as (
      examples: { id: string; title: string }[],
    ) => (state: TabState) => void;
    const onTabChange = keepTitles(served);
    const next: TabState = {
      tabs: [
        ...state.tabs.map((tab, index) =>
          index === 1 ? { ...tab, title: 'Logout', operationName: 'Logout' } : tab,
        ),
        { ...state.tabs[0], id: 'own-tab', title: 'Mine' } as Tab,
      ],
      activeTabIndex: 1,
    };
    onTabChange(next);
    expect(next.tabs.map((tab) => tab.title)).toEqual(['Role 0', 'Role 1', 'Role 2', 'Mine']);
    expect(next.tabs[1]?.operationName).toBe('Logout');

    // Saved so, with the admin example edited: on the next load it is the user's, titled as
    // GraphiQL titles a tab, beside this load's fresh examples.
    const edited = { ...next.tabs[2], headers: '{"Authorization": "Bearer my-own-key"}' } as Tab;
    saveAsGraphiql(storage, { tabs: [...next.tabs.slice(0, 2), edited], activeTabIndex: 0 });
    const titledAgain = examples('code-2').map((tab, index) => ({
      ...tab,
      title: `Role ${index}`,
    }));
    const after = load(storage, titledAgain).state;
    expect(after.tabs.map((tab) => tab.title)).toEqual([
      'Role 0',
      'Role 1',
      'Role 2',
      'AccessToken',
    ]);
  });
});
