import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql, whatever imports it (graphql-yoga, graphql-scalars, our code).
    alias: { graphql: require.resolve('graphql/index.js').replace(/index\.js$/, '') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
