import type Database from 'better-sqlite3';
import type { KioskDatabase } from '../../../db/client';
import { loadTokenSecret } from '../auth/booking-tokens';
import { createThrottle, type Throttle } from '../auth/throttle';
import { IdFloor, idFloorFile } from '../backup/id-floor';
import { createBookingStore, type BookingStore } from '../bookings/store';
import { createHoldStore, type HoldStore } from '../holds/store';
import { createLotStore, type LotStore } from '../lots/store';
import { createSlotStore, type SlotStore } from '../slots/store';
import { createTariffStore, type TariffStore } from '../pricing/store';
import type { Clock } from './clock';
import { ChangeBus, type ChangeEvent } from './events';
import { ExpiryScheduler } from './expiry-scheduler';

/** Everything a rule needs: the database, the clock and where to announce changes. */
export interface KioskCore {
  readonly db: KioskDatabase;
  readonly clock: Clock;
  readonly events: ChangeBus;
  readonly bookings: BookingStore;
  /** Queries on slots and lots (their domains own them; issue 11). */
  readonly slots: SlotStore;
  readonly lots: LotStore;
  readonly tariffs: TariffStore;
  /** Slot holds while a driver types (issue 13). */
  readonly holds: HoldStore;
  readonly expiry: ExpiryScheduler;
  readonly throttle: Throttle;
  readonly tokenSecret: Buffer;
  /** Keeps ids from ever being reused across restores, recovery and crashes. */
  readonly ids: IdFloor;
}

const statementCache = new WeakMap<object, Map<string, Database.Statement>>();

/** A prepared statement for this connection, prepared once and reused. */
export function statement(core: KioskCore, sql: string): Database.Statement {
  let cache = statementCache.get(core.db.sqlite);
  if (!cache) statementCache.set(core.db.sqlite, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = core.db.sqlite.prepare(sql)));
  return prepared;
}

/** What a read sees: one instant. */
export interface ReadTx {
  readonly now: number;
}

export interface Tx extends ReadTx {
  readonly events: ChangeEvent[];
}

export function createKioskCore(db: KioskDatabase, clock: Clock): KioskCore {
  const events = new ChangeBus();
  const bookings = createBookingStore(db.orm);
  const core: KioskCore = {
    db,
    clock,
    events,
    bookings,
    slots: createSlotStore(db.orm),
    lots: createLotStore(db.orm),
    tariffs: createTariffStore(db.orm),
    holds: createHoldStore(db.sqlite),
    expiry: new ExpiryScheduler(clock, () => bookings.nextDue(), () => runInTransaction(core, () => undefined)),
    throttle: createThrottle(db.sqlite),
    tokenSecret: loadTokenSecret(db.sqlite),
    ids: new IdFloor(db.sqlite, db.file === ':memory:' || db.file === '' ? null : idFloorFile(db.file)),
  };
  core.ids.open();
  return core;
}

/**
 * Runs one unit of work: BEGIN IMMEDIATE (so a second writer waits instead of
 * interleaving), complete every booking whose end has passed with a single UPDATE, then the
 * work itself. Change events go out only after COMMIT, so nobody hears of a rolled-back change.
 */
export function runInTransaction<T>(core: KioskCore, work: (tx: Tx) => T): T {
  let events: ChangeEvent[] = [];
  let result: T;
  try {
    result = core.db.sqlite
      .transaction(() => {
        const now = core.clock.now();
        for (const row of core.bookings.expireDue(now)) {
          events.push({ kind: 'booking', change: 'completed', bookingId: row.id, lotId: row.lotId, slotId: row.slotId });
        }
        // Slot holds (issue 13): expired holds are already absent for every rule; this only tidies rows.
        core.holds.sweep(now);
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
  core.ids.check();
  if (events.length > 0) {
    core.events.emit(events);
    core.expiry.reschedule();
  }
  return result;
}

const readTransactions = new WeakMap<object, (work: (tx: ReadTx) => unknown, now: number) => unknown>();

/**
 * Runs a read: one consistent snapshot (a deferred transaction, which in WAL mode never takes
 * the write lock and never waits for a writer) and no expiry write. Rules read through here
 * derive "completed" from `now` (bookings/completion.ts), so they return exactly what a
 * lazy-expiring write would have produced. Inside a write transaction it simply joins it.
 */
export function runRead<T>(core: KioskCore, work: (tx: ReadTx) => T): T {
  const sqlite = core.db.sqlite;
  if (sqlite.inTransaction) return work({ now: core.clock.now() });
  let read = readTransactions.get(sqlite);
  if (!read) {
    read = sqlite.transaction((fn: (tx: ReadTx) => unknown, now: number) => fn({ now })).deferred;
    readTransactions.set(sqlite, read);
  }
  return read(work, core.clock.now()) as T;
}

const storageRefusesWrites = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|READONLY|IOERR)/.test(code);
};
