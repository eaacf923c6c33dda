import { recordAudit, type AuditActor } from '../audit/service';
import { reissueForCorrectedPlate } from '../receipts/reissue';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';
import { normalizeVehicleNumber } from '../../../shared/plates';
import { statusAt } from './completion';
import { correctionEnd, toBookingView, type BookingView } from './view';

/** Who corrects: the driver (the booking's token, once, inside the lot's window) or staff (any time, with a reason). */
export type PlateCorrector = { kind: 'driver' } | { kind: 'staff'; staff: AuditActor };

export interface PlateCorrectionInput {
  id: number;
  vehicleNumber: string;
  reason: string | null;
  by: PlateCorrector;
}

/**
 * Changes a booking's plate. The driver may do it once, within the lot's
 * `plate_correction_minutes` of booking and while the booking runs; afterwards only staff, with
 * a reason, recorded in the audit log in the same transaction. The corrected plate obeys the
 * one rule for vehicles (no two overlapping active bookings), checked here as at booking.
 */
export function correctPlate(core: KioskCore, input: PlateCorrectionInput): BookingView {
  const vehicleNumber = normalizeVehicleNumber(input.vehicleNumber);
  const reason = input.reason?.trim() || null;
  if (input.by.kind === 'staff' && reason === null) {
    fail('BAD_REQUEST', 'Say why the plate is being changed; it goes into the audit log.', 'REASON_NEEDED');
  }
  return runInTransaction(core, (tx) => {
    const row = core.bookings.byId(input.id);
    if (!row) throw new DomainError('NOT_FOUND', `There is no booking number ${input.id}.`);
    const status = statusAt(row.status, row.endMs, tx.now);
    if (status === 'cancelled') fail('PRECONDITION_FAILED', 'This booking is cancelled, so its plate cannot be changed.');
    if (input.by.kind === 'driver') {
      if (row.plateCorrections > 0)
        fail('PRECONDITION_FAILED', 'The plate of this booking has already been corrected once. Please ask the lot staff.', 'ALREADY_CORRECTED');
      if (status !== 'booked' || tx.now >= correctionEnd(row)) {
        fail('PRECONDITION_FAILED', 'The time to correct the plate yourself has passed. Please ask the lot staff.', 'CORRECTION_WINDOW_CLOSED');
      }
    }
    if (vehicleNumber === row.vehicleNumber) fail('BAD_REQUEST', `The booking already has the plate ${vehicleNumber}.`, 'PLATE_UNCHANGED');
    // The booking itself still holds the old plate, so the existing rule finds only other bookings.
    if (status === 'booked' && core.bookings.vehicleOverlap(vehicleNumber, row.startMs, row.endMs)) {
      fail('CONFLICT', `${vehicleNumber} already has a booking for that time.`, 'VEHICLE_BUSY');
    }
    const by = input.by.kind === 'staff' ? `staff:${input.by.staff.name}` : 'driver';
    core.bookings.setPlate(row.id, vehicleNumber);
    // The receipts name the old plate: one new signed receipt replaces them, in this transaction.
    reissueForCorrectedPlate(core, tx, row.id);
    core.bookings.addPlateCorrection({
      bookingId: row.id,
      fromPlate: row.vehicleNumber,
      toPlate: vehicleNumber,
      by,
      staffId: input.by.kind === 'staff' ? input.by.staff.staffId : null,
      reason,
      at: tx.now,
    });
    if (input.by.kind === 'staff') {
      recordAudit(core, tx.now, input.by.staff, 'booking.correct_plate', {
        bookingId: row.id,
        reference: row.reference,
        from: row.vehicleNumber,
        to: vehicleNumber,
        reason,
      });
    }
    tx.events.push({ kind: 'booking', change: 'plate_corrected', bookingId: row.id, lotId: row.lotId, slotId: row.slotId });
    return toBookingView(core.bookings.byId(row.id)!, tx.now);
  });
}
