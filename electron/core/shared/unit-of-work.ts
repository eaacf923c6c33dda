import type { KioskDatabase } from '../../../db/client';
import type { Clock } from './clock';
import type { ChangeBus, ChangeEvent } from './events';
import { storageRefusesWrites } from './sqlite-errors';

/** What a read sees: one instant. */
export interface ReadTx {
  readonly now: number;
}

export interface Tx extends ReadTx {
  readonly events: ChangeEvent[];
}

/**
 * What the unit of work needs from the core, kept below every domain: the domains' work that
 * must run at the start of every write (the expiry sweep) and after it (id floor, rescheduling)
 * is handed in as hooks by the composition root (electron/core/kiosk-core.ts).
 */
export interface UnitOfWork {
  /** Runs first in every write transaction; pushes the change events it causes. */
  readonly beforeWork: (now: number, events: ChangeEvent[]) => void;
  /** Runs after every write (committed or not). */
  readonly afterWork: () => void;
  /** Runs after change events went out. */
  readonly afterEmit: () => void;
  /** The deferred read transaction of this connection, built once. */
  read?: (work: (tx: ReadTx) => unknown, now: number) => unknown;
}

export interface UnitOfWorkHost {
  readonly db: KioskDatabase;
  readonly clock: Clock;
  readonly events: ChangeBus;
  readonly work: UnitOfWork;
}

/**
 * Runs one unit of work: BEGIN IMMEDIATE (so a second writer waits instead of
 * interleaving), complete every booking whose end has passed with a single UPDATE, then the
 * work itself. Change events go out only after COMMIT, so nobody hears of a rolled-back change.
 */
export function runInTransaction<T>(core: UnitOfWorkHost, work: (tx: Tx) => T): T {
  let events: ChangeEvent[] = [];
  let result: T;
  try {
    result = core.db.sqlite
      .transaction(() => {
        const now = core.clock.now();
        core.work.beforeWork(now, events);
        return work({ now, events });
      })
      .immediate();
  } catch (error) {
    // Storage refusing writes (disk full, read-only file): run the work once more as a plain
    // read without the expiry sweep, so drivers can still see their bookings (views derive
    // "expired" from the time anyway). Work that writes fails again with the same error.
    if (!storageRefusesWrites(error)) throw error;
    events = [];
    result = core.db.sqlite.transaction(() => work({ now: core.clock.now(), events })).deferred();
  }
  core.work.afterWork();
  if (events.length > 0) {
    core.events.emit(events);
    core.work.afterEmit();
  }
  return result;
}

/**
 * Runs a read: one consistent snapshot (a deferred transaction, which in WAL mode never takes
 * the write lock and never waits for a writer) and no expiry write. Rules read through here
 * derive "completed" from `now` (bookings/completion.ts), so they return exactly what a
 * lazy-expiring write would have produced. Inside a write transaction it simply joins it.
 */
export function runRead<T>(core: UnitOfWorkHost, work: (tx: ReadTx) => T): T {
  const sqlite = core.db.sqlite;
  if (sqlite.inTransaction) return work({ now: core.clock.now() });
  const read = (core.work.read ??= sqlite.transaction((fn: (tx: ReadTx) => unknown, now: number) => fn({ now })).deferred);
  return read(work, core.clock.now()) as T;
}
