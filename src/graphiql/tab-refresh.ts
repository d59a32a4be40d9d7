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
 * It returns this load's examples as `[{ id, title }]`, for GRAPHIQL_TAB_TITLES.
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
    title: tab.title ?? nameOf(tab.query) ?? '<untitled>',
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
      // An example the user edited is theirs now: titled as GraphiQL titles a tab, not as the
      // example it was (whose fresh copy is among this load's).
      if (unedited) return;
      kept.push(example === undefined ? tab : { ...tab, title: nameOf(tab.query) ?? tab.title });
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
  return fresh.map(({ id, title }) => ({ id, title }));
})`;

/**
 * GraphiQL titles a tab after the operation that last ran in it (or the first one its document
 * names): run Logout in the session tab and the tab says "Logout". It has no option to keep a
 * title, but it passes every new tab state to its onTabChange callback just before it makes it
 * the state it shows. This callback puts back the title of each example tab (by its id, as the
 * tab refresh returned them), so a tab says what it is for ("Session") whatever runs in it.
 * Tabs of the user's own keep GraphiQL's titles.
 *
 * `keepExampleTitles(examples)`: an expression, a function of `[{ id, title }]` that returns
 * the onTabChange callback.
 */
export const GRAPHIQL_TAB_TITLES = `((examples) => {
  const titles = new Map(examples.map(({ id, title }) => [id, title]));
  return (state) => {
    for (const tab of state?.tabs ?? []) {
      const title = titles.get(tab?.id);
      if (title !== undefined) tab.title = title;
    }
  };
})`;
