import { z } from 'zod';
import { BOOKING_TYPES, VEHICLE_TYPES } from '../../../shared/vocabulary';
import { recordAudit, SYSTEM_ACTOR } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { classifySqliteError } from '../shared/sqlite-errors';
import { runInTransaction } from '../shared/unit-of-work';

/**
 * Bookings a restore lost, brought back from the central office (issue 15). A lot restored
 * from an older backup no longer has the bookings made between that backup and the restore,
 * but central does (they were sent before). A driver holding one of them is still parked, or
 * coming: the lot must not sell that slot again. So after central reports the divergence
 * (electron/sync/worker.ts), the lot asks for its bookings that are still running or to
 * come, and puts back each one it lacks, with its id, reference and times, so the driver's
 * reference and ticket work again. The database's own rules decide: a booking whose slot
 * was sold again since the restore (the overlap trigger), or whose slot is gone, is not put
 * back; staff see it in the audit log (`booking.restore_conflict`) with both references.
 * Bookings that have already ended stay at central only (its reports have them).
 */

/** A booking as central holds it for this lot: the outbox snapshot of its row (0013_outbox_triggers.sql). */
export const lostBookingSnapshot = z.object({
  id: z.number().int().positive(),
  reference: z.string().min(1).max(40),
  lotId: z.number().int().positive(),
  slotId: z.number().int().positive(),
  vehicleNumber: z.string().min(1).max(20),
  vehicleType: z.enum(VEHICLE_TYPES),
  bookingType: z.enum(BOOKING_TYPES),
  status: z.literal('booked'),
  startMs: z.number().int(),
  endMs: z.number().int(),
  price: z.number().int().nonnegative(),
  renewedFromId: z.number().int().positive().nullable().optional(),
  tariffVersionId: z.number().int().positive().nullable().optional(),
  tariffVersion: z.number().int().positive().nullable().optional(),
  priceBreakdown: z.unknown().optional(),
  chainStartMs: z.number().int().nullable().optional(),
  graceUntilMs: z.number().int().nullable().optional(),
  createdAt: z.number().int(),
});
export type LostBookingSnapshot = z.infer<typeof lostBookingSnapshot>;

export interface BroughtBack {
  /** References put back. */
  restored: string[];
  /** References that could not be: their slot was sold again since the restore, or is gone. */
  conflicts: string[];
}

export function bringBackBookings(core: KioskCore, snapshots: readonly LostBookingSnapshot[]): BroughtBack {
  return runInTransaction(core, (tx) => {
    const outcome: BroughtBack = { restored: [], conflicts: [] };
    for (const lost of snapshots) {
      const holdEndMs = lost.graceUntilMs ?? lost.endMs;
      // Already here (not lost), or over: nothing to protect.
      if (core.bookings.byId(lost.id) || core.bookings.byReference(lost.reference) || holdEndMs <= tx.now) continue;
      const slot = core.slots.adminById(lost.slotId, tx.now);
      const clash = slot ? core.bookings.slotOverlap({ slotId: lost.slotId, startMs: lost.startMs, holdEndMs }) : undefined;
      if (!slot || slot.lotId !== lost.lotId || clash) {
        outcome.conflicts.push(lost.reference);
        recordAudit(core, tx.now, SYSTEM_ACTOR, 'booking.restore_conflict', {
          reference: lost.reference,
          vehicleNumber: lost.vehicleNumber,
          slotId: lost.slotId,
          clashWith: clash ? (core.bookings.byId(clash.id)?.reference ?? clash.id) : null,
          why: slot ? 'slot sold again since the restore' : 'slot no longer exists',
        });
        continue;
      }
      // Links to rows this database may not have are dropped rather than guessed.
      const tariff = lost.tariffVersionId ? core.tariffs.byId(lost.tariffVersionId) : undefined;
      const renewedFrom = lost.renewedFromId && core.bookings.byId(lost.renewedFromId) ? lost.renewedFromId : null;
      try {
        // Nested: a savepoint, so a refusal by the database leaves the rest standing.
        runInTransaction(core, () =>
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
          }),
        );
      } catch (error) {
        if (!classifySqliteError(error)) throw error;
        outcome.conflicts.push(lost.reference);
        recordAudit(core, tx.now, SYSTEM_ACTOR, 'booking.restore_conflict', {
          reference: lost.reference,
          vehicleNumber: lost.vehicleNumber,
          slotId: lost.slotId,
          clashWith: null,
          why: (error as Error).message,
        });
        continue;
      }
      outcome.restored.push(lost.reference);
      recordAudit(core, tx.now, SYSTEM_ACTOR, 'booking.restored', { bookingId: lost.id, reference: lost.reference, slotId: lost.slotId });
      tx.events.push({ kind: 'booking', change: 'created', bookingId: lost.id, lotId: lost.lotId, slotId: lost.slotId });
    }
    return outcome;
  });
}
