/**
 * A few lines of script on the GraphiQL page, run before GraphiQL starts. GraphiQL keeps its tabs
 * in localStorage and, once it has some, ignores the tabs the page offers: a second visit would
 * reopen the examples of the first, whose login and phone codes are spent, whose tag is deleted
 * and (after a restart of the gateway) whose keys are gone. So the example tabs of an earlier
 * page are replaced by this page's, which the gateway made for this load, and every other tab
 * stays: the user's own, and an example the user edited (it is theirs now).
 *
 * An example is recognised by the id this script gave it (kept in EXAMPLES_KEY with the content
 * it had), and counts as unedited while its query, variables and headers are still that content.
 */
export const EXAMPLES_KEY = 'wechat-graphql-gateway:exampleTabs';

/** `refreshExampleTabs(localStorage, defaultTabs, location, history)`: an expression. */
export const GRAPHIQL_TAB_REFRESH = `((storage, examples, location, history) => {
  const TABS = 'graphiql:tabState';
  const SERVED = ${JSON.stringify(EXAMPLES_KEY)};
  const read = (key) => {
    try {
      return JSON.parse(storage.getItem(key) ?? 'null');
    } catch {
      return null;
    }
  };
  const write = (key, value) => {
    if (value === null || value === undefined) storage.removeItem(key);
    else storage.setItem(key, value);
  };
  const newId = () =>
    Array.from({ length: 4 }, () => Math.random().toString(16).slice(2, 10)).join('-');
  // As GraphiQL names a tab: after its first named operation.
  const nameOf = (query) =>
    /^(?!#).*(query|subscription|mutation)\\s+([a-zA-Z0-9_]+)/m.exec(query ?? '')?.[2] ?? null;
  const fresh = examples.map((tab) => ({
    id: newId(),
    hash: null,
    title: nameOf(tab.query) ?? '<untitled>',
    query: tab.query ?? null,
    variables: tab.variables ?? null,
    headers: tab.headers ?? null,
    operationName: nameOf(tab.query),
    response: null,
  }));
  // An empty editor is stored as '' or null.
  const content = (tab) => JSON.stringify([tab.query || null, tab.variables || null, tab.headers || null]);
  const state = read(TABS);
  const served = read(SERVED);
  let tabs = fresh;
  let active = 0;
  if (state && Array.isArray(state.tabs)) {
    const earlier = new Map((Array.isArray(served) ? served : []).map((tab, index) => [tab.id, { tab, index }]));
    const kept = [];
    state.tabs.forEach((tab, index) => {
      const example = earlier.get(tab.id);
      const unedited = example !== undefined && content(example.tab) === content(tab);
      if (index === state.activeTabIndex) {
        active = unedited ? Math.min(example.index, fresh.length - 1) : fresh.length + kept.length;
      }
      if (!unedited) kept.push(tab);
    });
    tabs = [...fresh, ...kept];
  }
  storage.setItem(TABS, JSON.stringify({ tabs, activeTabIndex: active }));
  write(SERVED, JSON.stringify(fresh.map(({ id, query, variables, headers }) => ({ id, query, variables, headers }))));
  // GraphiQL opens the tab whose query, variables and headers equal these, and adds one otherwise.
  const open = tabs[active];
  write('graphiql:query', open?.query);
  write('graphiql:variables', open?.variables);
  write('graphiql:headers', open?.headers);
  // Yoga's GraphiQL mirrors the query into the URL; after a reload that would add a tab again.
  const url = new URL(location.href);
  const inUrl = url.searchParams.get('query');
  const examplesNow = [...fresh, ...(Array.isArray(served) ? served : [])];
  if (inUrl !== null && examplesNow.some((tab) => tab.query === inUrl)) {
    url.searchParams.delete('query');
    history.replaceState(history.state, '', url);
  }
})`;
