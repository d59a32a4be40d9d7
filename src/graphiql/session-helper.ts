/**
 * A few lines of script on the GraphiQL page (never anywhere else): GraphiQL cannot carry a value
 * from one response into the next request's headers, so this page remembers the token of the last
 * `login` it ran and sends it wherever a tab's Authorization header holds the placeholder below.
 * Without a token yet the header is left out (the gateway then says `me` needs a session), and a
 * successful `logout` forgets the token.
 */
export const LOGIN_TOKEN_PLACEHOLDER = '<token from Login>';

export const GRAPHIQL_SESSION_HELPER = `(() => {
  const placeholder = ${JSON.stringify(LOGIN_TOKEN_PLACEHOLDER)};
  const realFetch = globalThis.fetch.bind(globalThis);
  let token;
  globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const usesPlaceholder = (headers.get('authorization') ?? '').includes(placeholder);
    if (usesPlaceholder) {
      if (token) headers.set('authorization', 'Bearer ' + token);
      else headers.delete('authorization');
      init = { ...init, headers };
    }
    const response = await realFetch(input, init);
    if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
    try {
      const data = (await response.clone().json())?.data;
      if (typeof data?.login?.token === 'string') token = data.login.token;
      if (usesPlaceholder && data?.logout === true) token = undefined;
    } catch {}
    return response;
  };
})();`;
