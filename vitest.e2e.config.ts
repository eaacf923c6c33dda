import { defineConfig } from 'vitest/config';

/**
 * Browser tests: Debian's Chromium driven by playwright-core against `npm run serve`. One file
 * at a time (each drives a real browser). Servers and browsers a file leaves open are closed
 * when it ends; the run fails if any process it started is still running at the end.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // Cheap PIN hashing for the many logins in tests (electron/core/auth/pins.ts); child servers inherit it.
    env: { KIOSK_TEST_WEAK_PIN_HASH: '1' },
    fileParallelism: false,
    setupFiles: ['tests/support/after-file.ts', 'tests/support/after-file-browsers.ts'],
    globalSetup: ['tests/support/global-leftovers.ts'],
  },
});
