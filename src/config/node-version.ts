/**
 * The Node.js versions the gateway runs on: package.json's `engines` (graphql-yoga's dependencies
 * need 22.15). An older Node may start and then fail in ways that look like the gateway's bugs, so
 * main.ts refuses it first, in words.
 */
export const REQUIRED_NODE = { major: 22, minor: 15 } as const;

/** Why `version` (e.g. process.versions.node, "20.20.2") cannot run the gateway, or undefined. */
export function unsupportedNode(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  const { major: needMajor, minor: needMinor } = REQUIRED_NODE;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `wechat-graphql-gateway needs Node.js ${needMajor}.${needMinor} or newer (package.json "engines"); this is Node.js ${version}. Install Node.js ${needMajor} LTS (https://nodejs.org/en/download) and run the same command again.`;
}
