import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'db/**/*.test.ts', 'tests/engine/**/*.test.ts', 'tests/reliability/**/*.test.ts', 'tests/electron/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Cheap PIN hashing for the many logins in tests (electron/core/auth/pins.ts); child servers inherit it.
    env: { KIOSK_TEST_WEAK_PIN_HASH: '1' },
  },
});
