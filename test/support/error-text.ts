/**
 * Everything an error could show a log or a client: message, stack, own properties, and the same
 * for each `cause`. Tests search it for secrets, tokens and URL query strings.
 */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(String(current), current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  return parts.join('\n');
}
