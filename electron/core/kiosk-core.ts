import type { KioskDatabase } from '../../db/client';
import { createAuditStore, type AuditStore } from './audit/store';
import { createStaffStore, type StaffStore } from './auth/store';
import { loadTokenSecret } from './auth/booking-tokens';
import { createThrottle, type Throttle } from './auth/throttle';
import { IdFloor, idFloorFile } from './backup/id-floor';
import { createBackupState, type BackupState } from './backup/state';
import { createBookingStore, type BookingStore } from './bookings/store';
import { createHoldStore, type HoldStore } from './holds/store';
import { createLeaseStore, type LeaseStore } from './leases/store';
import { applyDueDocumentsAt, createPendingDocuments, refreshPendingDocuments, type PendingDocuments } from './outbox/documents';
import { createOutboxStore, type OutboxStore } from './outbox/store';
import { createLotStore, type LotStore } from './lots/store';
import { createSatelliteStore, type SatelliteStore } from './pairing/store';
import type { PrintQueue } from './printing/print-queue';
import { SqliteReceiptKeyStore } from './receipts/sqlite-key-store';
import { createReceiptStore, type ReceiptStore } from './receipts/store';
import { createTariffStore, type TariffStore } from './pricing/store';
import { createSettingsStore, type SettingsStore } from './settings/store';
import { createSlotStore, type SlotStore } from './slots/store';
import type { Clock } from './shared/clock';
import { ChangeBus } from './shared/events';
import { ExpiryScheduler } from './shared/expiry-scheduler';
import { runInTransaction, type UnitOfWork, type UnitOfWorkHost } from './shared/unit-of-work';

/**
 * The composition root: everything a rule needs (the database, the clock, where to announce
 * changes) and every domain's store and state. It sits above the domains; `shared/` sits below
 * them and knows none of them.
 */
export interface KioskCore extends UnitOfWorkHost {
  readonly db: KioskDatabase;
  readonly clock: Clock;
  readonly events: ChangeBus;
  readonly bookings: BookingStore;
  /** Queries on slots and lots (their domains own them; issue 11). */
  readonly slots: SlotStore;
  readonly lots: LotStore;
  /** Saved tariff versions and their parsed documents (pricing/store.ts). */
  readonly tariffs: TariffStore;
  /** Slot holds while a driver types (issue 13). */
  readonly holds: HoldStore;
  /** Satellites' slot leases and replayed journal events (issue 14). */
  readonly leases: LeaseStore;
  readonly expiry: ExpiryScheduler;
  readonly throttle: Throttle;
  readonly tokenSecret: Buffer;
  /** Keeps ids from ever being reused across restores, recovery and crashes. */
  readonly ids: IdFloor;
  /** Backup configuration, the last backup error and storage fault, integrity verdicts. */
  readonly backup: BackupState;
  /** Staff accounts and their sessions. */
  readonly staff: StaffStore;
  readonly audit: AuditStore;
  /** The one-time first-run code (never stored: a restart prints a new one). */
  readonly setupCode: { value?: string };
  readonly settings: SettingsStore;
  /** The lot's outbox and the documents received from the central server (issue 15, electron/sync/). */
  readonly outbox: OutboxStore;
  /** When the next received central document takes effect (outbox/documents.ts). */
  readonly pendingDocuments: PendingDocuments;
  readonly receipts: ReceiptStore;
  /** The lot's receipt signing keys. */
  readonly receiptKeys: SqliteReceiptKeyStore;
  /** The print queue of the configured printer (printing/service.ts). */
  readonly printing: { queue?: { key: string; queue: PrintQueue } };
  /** Recent slot.hold attempts of each network client (holds/limits.ts). */
  readonly holdAttempts: Map<string, number[]>;
  /** Satellites paired with this hub, pairing codes, and this hub's TLS identity (pairing/store.ts; issue 14). */
  readonly satellites: SatelliteStore;
}

const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

export function createKioskCore(db: KioskDatabase, clock: Clock): KioskCore {
  const events = new ChangeBus();
  const bookings = createBookingStore(db.orm);
  const holds = createHoldStore(db.orm);
  const settings = createSettingsStore(db.orm);
  const outbox = createOutboxStore(db.orm);
  const work: UnitOfWork = {
    beforeWork(now, changes) {
      for (const row of bookings.expireDue(now)) {
        changes.push({
          kind: 'booking',
          change: 'completed',
          bookingId: row.id,
          lotId: row.lotId,
          slotId: row.slotId,
        });
      }
      // Slot holds (issue 13): expired holds are already absent for every rule; this only tidies rows.
      holds.sweep(now);
      // Central documents (issue 15) whose effective time has come, before the work that follows.
      applyDueDocumentsAt(core, now);
    },
    afterWork: () => {
      core.ids.check();
      refreshPendingDocuments(core);
    },
    afterEmit: () => core.expiry.reschedule(),
  };
  const core: KioskCore = {
    db,
    clock,
    events,
    work,
    bookings,
    slots: createSlotStore(db.orm),
    lots: createLotStore(db.orm),
    tariffs: createTariffStore(db.orm),
    holds,
    leases: createLeaseStore(db.orm),
    expiry: new ExpiryScheduler(
      clock,
      () => earliest(bookings.nextDue(), core.pendingDocuments.at),
      () => runInTransaction(core, () => undefined),
    ),
    throttle: createThrottle(db.sqlite),
    tokenSecret: loadTokenSecret(settings),
    ids: new IdFloor(db.sqlite, db.file === ':memory:' || db.file === '' ? null : idFloorFile(db.file)),
    backup: createBackupState(),
    staff: createStaffStore(db.orm),
    audit: createAuditStore(db.orm),
    setupCode: {},
    settings,
    outbox,
    pendingDocuments: createPendingDocuments(outbox),
    receipts: createReceiptStore(db.orm),
    receiptKeys: new SqliteReceiptKeyStore(db.sqlite),
    printing: {},
    holdAttempts: new Map(),
    satellites: createSatelliteStore(db.orm),
  };
  core.ids.open();
  return core;
}
