import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sdk/test/**/*.test.ts', 'widget/test/**/*.test.ts', 'console/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
