/** What the page needs to know, from the JSON in index.html (the sandbox fills it in). */
export interface H5Config {
  /** The gateway's GraphQL endpoint. */
  readonly graphqlUrl: string;
  /** WeChat's authorize page (the sandbox: the emulator's). */
  readonly authorizeUrl: string;
  /** The official account's appId. */
  readonly appId: string;
  /** The official account's name on the gateway; null for the gateway's default app. */
  readonly app: string | null;
}

export function readConfig(document: Document): H5Config {
  const text = document.getElementById('h5-config')?.textContent ?? '';
  const value: unknown = JSON.parse(text);
  const { graphqlUrl, authorizeUrl, appId, app } = (value ?? {}) as Record<string, unknown>;
  if (
    typeof graphqlUrl !== 'string' ||
    typeof authorizeUrl !== 'string' ||
    typeof appId !== 'string' ||
    (app !== null && typeof app !== 'string')
  ) {
    throw new Error('index.html: #h5-config needs graphqlUrl, authorizeUrl, appId and app');
  }
  return { graphqlUrl, authorizeUrl, appId, app };
}
