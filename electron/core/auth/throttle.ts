import type Database from 'better-sqlite3';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { throttles } from '../../../db/schema';
import { DomainError } from '../shared/errors';
import { backoffDelay, type BackoffPolicy } from './backoff';

export interface ThrottlePolicy {
  /** Failures allowed inside the window before a lock-out. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export { backoffDelay, type BackoffPolicy };

type ThrottleRow = Omit<typeof throttles.$inferSelect, 'key'>;

const p = sql.placeholder;

/**
 * Counts failed guesses per key (e.g. `login:<client>`) in the database, so a restart does
 * not reset a lock-out. Callers check before the attempt and record failures in their own
 * transaction, after the failing attempt has rolled back.
 */
export function createThrottle(sqlite: Database.Database) {
  const orm = drizzle(sqlite);
  const readRow = orm
    .select({ failures: throttles.failures, windowStart: throttles.windowStart, lockedUntil: throttles.lockedUntil })
    .from(throttles)
    .where(eq(throttles.key, p('key')))
    .prepare();
  const writeRow = orm
    .insert(throttles)
    .values({ key: p('key'), failures: p('failures'), windowStart: p('windowStart'), lockedUntil: p('lockedUntil') })
    .onConflictDoUpdate({
      target: throttles.key,
      set: { failures: sql`excluded.failures`, windowStart: sql`excluded.window_start`, lockedUntil: sql`excluded.locked_until` },
    })
    .prepare();
  const removeRow = orm
    .delete(throttles)
    .where(eq(throttles.key, p('key')))
    .prepare();
  const read = { get: (key: string): ThrottleRow | undefined => readRow.get({ key }) };
  const write = { run: (row: { key: string } & ThrottleRow) => writeRow.run(row) };
  const remove = { run: (key: string) => removeRow.run({ key }) };

  return {
    assertOpen(key: string, now: number): void {
      const row = read.get(key);
      if (row && row.lockedUntil > now) {
        const waitMs = row.lockedUntil - now;
        const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        const wait = waitMs < 60_000 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
        throw new DomainError('TOO_MANY_REQUESTS', `Too many wrong attempts. Please try again in ${wait}.`, {
          reason: 'TOO_MANY_ATTEMPTS',
          retryAfterSeconds: Math.ceil(waitMs / 1000),
        });
      }
    },
    /** Counts one more failure; true when this one reached the limit (the key is now locked). */
    recordFailure(key: string, now: number, policy: ThrottlePolicy): boolean {
      return sqlite
        .transaction(() => {
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
          return locked;
        })
        .immediate();
    },
    /** Counts one more wrong try under a growing-delay policy; returns how long the key must now wait. */
    recordBackoffFailure(key: string, now: number, policy: BackoffPolicy): number {
      return sqlite
        .transaction(() => {
          const row = read.get(key);
          // windowStart holds the last failure here: a long quiet spell forgets the count.
          const failures = (!row || now - row.windowStart > policy.forgetMs ? 0 : row.failures) + 1;
          const delay = backoffDelay(failures, policy);
          write.run({ key, failures, windowStart: now, lockedUntil: now + delay });
          return delay;
        })
        .immediate();
    },
    /** Forgets a key's failures (a correct PIN). */
    clear(key: string): void {
      remove.run(key);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
