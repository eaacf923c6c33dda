import { defineConfig } from 'vitest/config';

/**
 * Unit, engine, reliability and Electron tests. Timeouts are sized for a busy 2-core machine
 * (CI runs on one); tests wait on conditions, so a generous bound costs nothing when all is well.
 * Every server a file starts is stopped when the file ends (after-file.ts), and the run fails if
 * any process it started is still running at the end (global-leftovers.ts).
 */
export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'db/**/*.test.ts',
      'tests/engine/**/*.test.ts',
      'tests/reliability/**/*.test.ts',
      'tests/electron/**/*.test.ts',
      'tests/central/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    // Cheap PIN hashing for the many logins in tests (electron/core/auth/pins.ts); child servers inherit it.
    env: { KIOSK_TEST_WEAK_PIN_HASH: '1' },
    setupFiles: ['tests/support/after-file.ts'],
    globalSetup: ['tests/support/global-leftovers.ts'],
  },
});
