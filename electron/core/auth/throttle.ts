import type Database from 'better-sqlite3';
import { DomainError } from '../shared/errors';

export interface ThrottlePolicy {
  /** Failures allowed inside the window before a lock-out. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

interface ThrottleRow {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

/**
 * Counts failed guesses per key (e.g. `login:<client>`) in the database, so a restart does
 * not reset a lock-out. Callers check before the attempt and record failures in their own
 * transaction, after the failing attempt has rolled back.
 */
export function createThrottle(sqlite: Database.Database) {
  const read = sqlite.prepare<[string], ThrottleRow>(
    'SELECT failures, window_start AS windowStart, locked_until AS lockedUntil FROM throttles WHERE key = ?',
  );
  const write = sqlite.prepare<{ key: string } & ThrottleRow>(
    `INSERT INTO throttles (key, failures, window_start, locked_until) VALUES (@key, @failures, @windowStart, @lockedUntil)
     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
                                     locked_until = excluded.locked_until`,
  );

  return {
    assertOpen(key: string, now: number): void {
      const row = read.get(key);
      if (row && row.lockedUntil > now) {
        const minutes = Math.max(1, Math.ceil((row.lockedUntil - now) / 60_000));
        throw new DomainError(
          'TOO_MANY_REQUESTS',
          `Too many wrong attempts. Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        );
      }
    },
    recordFailure(key: string, now: number, policy: ThrottlePolicy): void {
      sqlite.transaction(() => {
        const row = read.get(key);
        const fresh = !row || now - row.windowStart > policy.windowMs;
        const failures = (fresh ? 0 : row.failures) + 1;
        const locked = failures >= policy.maxFailures;
        write.run({
          key,
          failures: locked ? 0 : failures,
          windowStart: fresh || locked ? now : row.windowStart,
          lockedUntil: locked ? now + policy.lockMs : (row?.lockedUntil ?? 0),
        });
      }).immediate();
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
