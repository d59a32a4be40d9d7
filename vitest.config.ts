import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * The slow tests: real processes (the gateway as an operator starts it, npm, the emulator's own
 * process, fleets of gateway processes or workers), redis-servers of their own, a browser. A test
 * that starts any of these belongs here. `npm test` runs them with the others (project `slow`);
 * `npm run test:fast` (project `fast`) leaves them out.
 */
const SLOW = [
  'test/e2e/**/*.test.ts',
  'test/fleet/**/*.test.ts',
  // Gateway processes or workers forked by the test, on the shared Redis.
  'test/auth/fleet-sessions.test.ts',
  'test/events/fleet.test.ts',
  'test/tokens/cluster.test.ts',
  'test/tokens/file-store-processes.test.ts',
  'test/tokens/file-store-rotation.test.ts',
  'test/emulator/standalone.test.ts',
  // redis-servers of their own (test/support/redis-servers.ts).
  'test/store/redis-cluster.test.ts',
  'test/store/redis-key-prefix.test.ts',
  'test/store/redis-tls.test.ts',
  'test/tokens/start-without-store.test.ts',
];

export default defineConfig({
  resolve: {
    // One copy of graphql: the CJS entry Node itself resolves for graphql-yoga and
    // graphql-scalars (a directory alias would make vite pick index.mjs, a second copy whose
    // GraphQLError yoga does not recognise, so it masks every error).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Gateways the tests start read no developer's .env and leave .data/sandbox-keys.json alone;
    // the tests of those features set them.
    env: { ENV_FILE: 'none', SANDBOX_KEYS_FILE: 'none' },
    // Both inherit everything above (`extends: true`).
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW],
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
