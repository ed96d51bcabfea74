import { defineConfig } from 'vitest/config';

// Browser tests: each file starts the real server and drives Debian's Chromium (playwright-core).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
