import { defineConfig } from 'vitest/config';

/** Browser tests: Debian's Chromium driven by playwright-core against `npm run serve`. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
