import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql: the CJS entry Node itself resolves for graphql-yoga and
    // graphql-scalars (a directory alias would make vite pick index.mjs, a second copy whose
    // GraphQLError yoga does not recognise, so it masks every error).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Gateways the tests start read no developer's .env and leave .data/sandbox-keys.json alone;
    // the tests of those features set them.
    env: { ENV_FILE: 'none', SANDBOX_KEYS_FILE: 'none' },
  },
});
