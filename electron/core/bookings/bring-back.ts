import { z } from 'zod';
import { BOOKING_TYPES } from '../../../shared/vocabulary';
import { recordAudit, SYSTEM_ACTOR } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { money, vehicleType } from '../shared/fields';
import { classifySqliteError, storageRefusesWrites } from '../shared/sqlite-errors';
import { runInTransaction, type Tx } from '../shared/unit-of-work';
import { markCancelled } from './service';

/**
 * Bookings a restore lost, brought back from the central office (issue 15). A lot restored
 * from an older backup no longer has the bookings made between that backup and the restore,
 * nor the extensions and cancels made to older ones, but central does (they were sent
 * before). A driver holding one of them is still parked, or coming: the lot must not sell
 * that slot again. So after central reports the divergence (electron/sync/worker.ts), the lot
 * asks for its bookings whose hold has not ended, and for each:
 * - one it lacks is put back with its id, reference, times and price, so the driver's
 *   reference works again (`booking.restored`);
 * - one it has in an older state (central's holds longer: an extension; or central's is
 *   cancelled) is brought to central's state, unless the lot changed it itself since the
 *   restore (an event from the first renumbered sequence on): then the lot's own change wins;
 * - one that cannot be (its slot was sold again since the restore, the slot is gone, the id
 *   is another booking's) is left, and staff see it in the audit log
 *   (`booking.restore_conflict`) with both references.
 * The database's own rules decide (the overlap trigger). Bookings that have ended stay at
 * central only (its reports have them).
 */

/** A booking as central holds it for this lot: the outbox snapshot of its row (0013_outbox_triggers.sql). */
export const lostBookingSnapshot = z.object({
  id: z.number().int().positive(),
  reference: z.string().min(1).max(40),
  lotId: z.number().int().positive(),
  slotId: z.number().int().positive(),
  vehicleNumber: z.string().min(1).max(20),
  vehicleType,
  bookingType: z.enum(BOOKING_TYPES),
  status: z.enum(['booked', 'cancelled']),
  startMs: z.number().int(),
  endMs: z.number().int(),
  price: money,
  renewedFromId: z.number().int().positive().nullable().optional(),
  tariffVersionId: z.number().int().positive().nullable().optional(),
  tariffVersion: z.number().int().positive().nullable().optional(),
  priceBreakdown: z.unknown().optional(),
  chainStartMs: z.number().int().nullable().optional(),
  graceUntilMs: z.number().int().nullable().optional(),
  createdAt: z.number().int(),
  cancelledBy: z.string().max(200).nullable().optional(),
  cancelReason: z.string().max(500).nullable().optional(),
});
export type LostBookingSnapshot = z.infer<typeof lostBookingSnapshot>;

export interface BroughtBack {
  /** References put back, brought up to date (extended, cancelled), in that order of the input. */
  restored: string[];
  /** References that could not be: their slot was sold again since the restore, or is gone. */
  conflicts: string[];
}

/** `changedSinceSeq`: the first renumbered sequence; a booking with an event from there on was changed here since the restore. */
export function bringBackBookings(core: KioskCore, snapshots: readonly LostBookingSnapshot[], changedSinceSeq: number): BroughtBack {
  return runInTransaction(core, (tx) => {
    const outcome: BroughtBack = { restored: [], conflicts: [] };
    const conflict = (lost: LostBookingSnapshot, why: string, clashWith: string | null) => {
      outcome.conflicts.push(lost.reference);
      recordAudit(core, tx.now, SYSTEM_ACTOR, 'booking.restore_conflict', {
        reference: lost.reference,
        vehicleNumber: lost.vehicleNumber,
        slotId: lost.slotId,
        clashWith: clashWith ?? '—',
        why,
      });
    };
    for (const lost of snapshots) {
      const holdEndMs = lost.graceUntilMs ?? lost.endMs;
      if (holdEndMs <= tx.now) continue;
      const here = core.bookings.byId(lost.id);
      if (here && here.reference !== lost.reference) {
        conflict(lost, `booking number ${lost.id} here is another booking (${here.reference})`, here.reference);
        continue;
      }
      if (!here && core.bookings.byReference(lost.reference)) {
        conflict(lost, 'its reference belongs to another booking here', lost.reference);
        continue;
      }
      // Changed here since the restore: the lot's own later change wins (and goes up after this).
      if (here && core.outbox.touchedSince(`booking:${lost.id}`, changedSinceSeq)) continue;
      const change = here ? bringUpToDate(core, tx, here, lost) : putBack(core, tx, lost);
      if (change === 'unchanged') continue;
      if (change === 'restored') {
        outcome.restored.push(lost.reference);
        recordAudit(core, tx.now, SYSTEM_ACTOR, 'booking.restored', {
          bookingId: lost.id,
          reference: lost.reference,
          slotId: lost.slotId,
          change: here ? 'updated' : 'added',
        });
      } else conflict(lost, change.why, change.clashWith);
    }
    return outcome;
  });
}

type Change = 'restored' | 'unchanged' | { why: string; clashWith: string | null };

/** A booking the lot has, in the state of the backup: central's later cancel or extension. */
function bringUpToDate(core: KioskCore, tx: Tx, here: NonNullable<ReturnType<KioskCore['bookings']['byId']>>, lost: LostBookingSnapshot): Change {
  if (here.status !== 'booked') return 'unchanged';
  if (lost.status === 'cancelled') {
    markCancelled(core, tx, { id: here.id, lotId: here.lotId, slotId: here.slotId }, lost.cancelledBy ?? 'central', lost.cancelReason ?? null);
    return 'restored';
  }
  const holdEndMs = lost.graceUntilMs ?? lost.endMs;
  if (lost.endMs <= here.endMs && holdEndMs <= (here.graceUntilMs ?? here.endMs)) return 'unchanged';
  return guarded(core, () => {
    core.bookings.extend({
      id: here.id,
      endMs: lost.endMs,
      graceUntilMs: holdEndMs,
      price: lost.price,
      priceBreakdown: JSON.stringify(lost.priceBreakdown ?? []),
    });
    tx.events.push({ kind: 'booking', change: 'extended', bookingId: here.id, lotId: here.lotId, slotId: here.slotId });
  });
}

/** A booking the lot lacks: put back whole, if its slot is still free for it. */
function putBack(core: KioskCore, tx: Tx, lost: LostBookingSnapshot): Change {
  if (lost.status !== 'booked') return 'unchanged';
  const holdEndMs = lost.graceUntilMs ?? lost.endMs;
  const slot = core.slots.adminById(lost.slotId, tx.now);
  if (!slot || slot.lotId !== lost.lotId) return { why: 'its slot no longer exists here', clashWith: null };
  // Links to rows this database may not have are dropped rather than guessed.
  const renewedFrom = lost.renewedFromId && core.bookings.byId(lost.renewedFromId) ? lost.renewedFromId : null;
  const clash = core.bookings.slotOverlap({ slotId: lost.slotId, startMs: lost.startMs, holdEndMs, selfId: lost.id, renewedFromId: renewedFrom });
  if (clash) return { why: 'its slot was sold again since the restore', clashWith: core.bookings.byId(clash.id)?.reference ?? String(clash.id) };
  const tariff = lost.tariffVersionId ? core.tariffs.byId(lost.tariffVersionId) : undefined;
  return guarded(core, () => {
    core.bookings.insertBroughtBack({
      id: lost.id,
      reference: lost.reference,
      lotId: lost.lotId,
      slotId: lost.slotId,
      vehicleNumber: lost.vehicleNumber,
      vehicleType: lost.vehicleType,
      bookingType: lost.bookingType,
      startMs: lost.startMs,
      endMs: lost.endMs,
      price: lost.price,
      renewedFromId: renewedFrom,
      tariffVersionId: tariff && tariff.version === lost.tariffVersion ? tariff.id : null,
      priceBreakdown: lost.priceBreakdown === undefined || lost.priceBreakdown === null ? null : JSON.stringify(lost.priceBreakdown),
      chainStartMs: lost.chainStartMs ?? lost.startMs,
      graceUntilMs: lost.graceUntilMs ?? null,
      createdAt: lost.createdAt,
    });
    tx.events.push({ kind: 'booking', change: 'created', bookingId: lost.id, lotId: lost.lotId, slotId: lost.slotId });
  });
}

/**
 * Runs one change in a savepoint: a refusal by the database's rules (the overlap trigger, a
 * unique index) leaves the rest standing and is this booking's conflict; a disk refusing
 * writes is a passing fault and fails the whole bring-back, to be tried again.
 */
function guarded(core: KioskCore, change: () => void): Change {
  try {
    runInTransaction(core, change);
    return 'restored';
  } catch (error) {
    if (storageRefusesWrites(error) || !classifySqliteError(error)) throw error;
    return { why: `the database refused it (${(error as Error).message})`, clashWith: null };
  }
}
