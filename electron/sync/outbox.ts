import type { KioskCore } from '../core/kiosk-core';
import { recordAudit, SYSTEM_ACTOR } from '../core/audit/service';
import { bringBackBookings, type BroughtBack, type LostBookingSnapshot } from '../core/bookings/bring-back';
import { runInTransaction, runRead } from '../core/shared/unit-of-work';

/** One outbox row as it goes over the wire (central/sync/schemas.ts: wireEvent). */
export interface OutboxEvent {
  seq: number;
  eventId: string;
  kind: string;
  entity: string;
  payload: Record<string, unknown>;
  occurredAt: number;
}

/** The installation's global id, made by the outbox migration on first start. */
export function lotGlobalId(core: KioskCore): string {
  const value = core.settings.get('sync.lot_id');
  if (value === undefined) throw new Error('The database has no sync.lot_id (outbox migration missing).');
  return value;
}

/** Events from `fromSeq` on, in sequence order (sent or not: after a refusal the worker resends from where central asks). */
export function readEvents(core: KioskCore, fromSeq: number, limit: number): OutboxEvent[] {
  return runRead(core, () => core.outbox.eventsFrom(fromSeq, limit).map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> })));
}

/** The first sequence not yet confirmed by the central server (max + 1 when all are). */
export function firstUnsentSeq(core: KioskCore): number {
  return runRead(core, () => {
    return core.outbox.firstUnsentSeq() ?? core.outbox.lastSeq() + 1;
  });
}

/** Marks everything up to `lastSeq` sent: only ever called with the sequence central confirmed it holds. */
export function markSent(core: KioskCore, lastSeq: number): number {
  return runInTransaction(core, (tx) => core.outbox.markSent(lastSeq, tx.now));
}

export interface OutboxStats {
  unsent: number;
  oldestUnsentAt: number | null;
  lastSeq: number;
}

export function outboxStats(core: KioskCore): OutboxStats {
  return runRead(core, () => {
    const unsent = core.outbox.unsent();
    return { unsent: unsent.count, oldestUnsentAt: unsent.oldestAt, lastSeq: core.outbox.lastSeq() };
  });
}

/**
 * After a restore from an older backup the lot's sequence numbers repeat ones central holds for
 * events this database never had. Central names the first such sequence; every event from it on
 * is renumbered, in order and unsent, to follow central's last, so nothing made since the restore
 * is lost and nothing central holds is overwritten (event ids and booking ids stay unique:
 * backup/id-floor.ts never hands out an id twice). One transaction.
 */
export function renumberAfterDivergence(core: KioskCore, divergedSeq: number, centralLastSeq: number): number {
  if (centralLastSeq < divergedSeq) throw new Error(`Cannot renumber from ${divergedSeq} to follow ${centralLastSeq}.`);
  return runInTransaction(core, (tx) => {
    core.outbox.markSent(divergedSeq - 1, tx.now);
    const events = core.outbox.renumberFrom(divergedSeq, centralLastSeq + 1);
    recordAudit(core, tx.now, SYSTEM_ACTOR, 'sync.renumber', { events, fromSeq: divergedSeq, toSeq: centralLastSeq + 1 });
    // Kept in the database, so a bring-back that fails or is cut short by a crash is tried again.
    core.settings.set('sync.bring_back_from', String(centralLastSeq + 1));
    return events;
  });
}

/** The first renumbered sequence while lost bookings wait to be brought back from central, else null. */
export function pendingBringBack(core: KioskCore): number | null {
  const value = Number(runRead(core, () => core.settings.get('sync.bring_back_from')) ?? 0);
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** Brings back what central holds and the restore lost, and marks it done, in one transaction. */
export function completeBringBack(core: KioskCore, snapshots: readonly LostBookingSnapshot[], fromSeq: number): BroughtBack {
  return runInTransaction(core, () => {
    const brought = bringBackBookings(core, snapshots, fromSeq);
    core.settings.set('sync.bring_back_from', '0');
    return brought;
  });
}

/** How long the lot keeps events central confirmed (central keeps them for good). */
export const OUTBOX_KEEP_MS = 14 * 24 * 60 * 60 * 1000;
const PRUNE_BATCH = 5_000;

/** Deletes events central confirmed more than OUTBOX_KEEP_MS ago, in short transactions; how many went. */
export function pruneOutbox(core: KioskCore, keepMs = OUTBOX_KEEP_MS): number {
  let total = 0;
  for (;;) {
    const gone = runInTransaction(core, (tx) => core.outbox.prune(tx.now - keepMs, PRUNE_BATCH));
    total += gone;
    if (gone < PRUNE_BATCH) return total;
  }
}

/** The oldest sequence this lot still keeps (the outbox's first row; null when empty). */
export function firstKeptSeq(core: KioskCore): number | null {
  return runRead(core, () => core.outbox.firstSeq());
}
