import { defineConfig } from 'vitest/config';

/** Browser tests: Debian's Chromium driven by playwright-core against `npm run serve`. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Cheap PIN hashing for the many logins in tests (electron/core/auth/pins.ts); child servers inherit it.
    env: { KIOSK_TEST_WEAK_PIN_HASH: '1' },
    fileParallelism: false,
  },
});
