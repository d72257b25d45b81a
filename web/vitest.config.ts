import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The browser build of tus-js-client (the one the bundles ship) reads Blobs; its network boundary
    // (HttpStack) is replaced by an in-memory tus server in the tests.
    alias: { 'tus-js-client': fileURLToPath(new URL('node_modules/tus-js-client/lib.esm/browser/index.js', import.meta.url)) },
  },
  test: {
    include: ['sdk/test/**/*.test.ts', 'widget/test/**/*.test.ts', 'console/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
