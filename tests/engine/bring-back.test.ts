import { afterEach, describe, expect, it } from 'vitest';
import { bringBackBookings, type LostBookingSnapshot } from '../../electron/core/bookings/bring-back';
import { createBooking } from '../../electron/core/bookings/service';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

/** Bringing back bookings a restore lost (issue 15), the rule alone: what it puts back and what it leaves. */
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const snapshot = (over: Partial<LostBookingSnapshot> & { id: number; reference: string; slotId: number }): LostBookingSnapshot => ({
  lotId: 1,
  vehicleNumber: 'KA-01-BB-0001',
  vehicleType: 'car',
  bookingType: 'instant',
  status: 'booked',
  startMs: kiosk.clock.now() - HOUR / 2,
  endMs: kiosk.clock.now() + HOUR / 2,
  price: 6000,
  createdAt: kiosk.clock.now() - HOUR / 2,
  ...over,
});
const row = (id: number) =>
  kiosk.core.db.sqlite
    .prepare('SELECT id, reference, slot_id AS slotId, renewed_from_id AS renewedFrom, tariff_version_id AS tariff FROM bookings WHERE id = ?')
    .get(id);

describe('bringing back bookings a restore lost', () => {
  it('puts back what is running and free, skips what is here or over, and reports what clashes or has no slot', () => {
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const here = createBooking(kiosk.core, { slotId: 1, vehicleNumber: 'KA01BB0100', bookingType: 'instant' }).booking;
    const outcome = bringBackBookings(kiosk.core, [
      snapshot({ id: 500, reference: 'BB-RUN', slotId: 2, renewedFromId: 499, tariffVersionId: 77, tariffVersion: 3 }),
      snapshot({ id: here.id, reference: here.reference, slotId: 1 }),
      snapshot({ id: 501, reference: 'BB-OVER', slotId: 3, endMs: kiosk.clock.now() - 1 }),
      snapshot({ id: 502, reference: 'BB-CLASH', slotId: 1, vehicleNumber: 'KA-01-BB-0002' }),
      snapshot({ id: 503, reference: 'BB-NOSLOT', slotId: 9_999, vehicleNumber: 'KA-01-BB-0003' }),
      snapshot({ id: 504, reference: 'BB-LATER', slotId: 4, startMs: kiosk.clock.now() + HOUR, endMs: kiosk.clock.now() + 2 * HOUR, bookingType: 'advance' }),
    ]);
    expect(outcome).toEqual({ restored: ['BB-RUN', 'BB-LATER'], conflicts: ['BB-CLASH', 'BB-NOSLOT'] });
    // Links to rows this database lacks are dropped, not guessed.
    expect(row(500)).toEqual({ id: 500, reference: 'BB-RUN', slotId: 2, renewedFrom: null, tariff: null });
    expect(row(501)).toBeUndefined();
    expect(row(502)).toBeUndefined();
    // Put back rows go up to central like any other (the same id: central's row is updated, not doubled).
    const events = kiosk.core.db.sqlite.prepare("SELECT entity FROM outbox WHERE kind = 'booking.created' AND entity IN ('booking:500', 'booking:504')").all();
    expect(events).toHaveLength(2);
    const audit = kiosk.core.db.sqlite.prepare("SELECT action, detail FROM audit_log WHERE action LIKE 'booking.restore%' ORDER BY id").all() as {
      action: string;
      detail: string;
    }[];
    expect(audit.map((entry) => [entry.action, JSON.parse(entry.detail).reference, JSON.parse(entry.detail).why ?? null])).toEqual([
      ['booking.restored', 'BB-RUN', null],
      ['booking.restore_conflict', 'BB-CLASH', 'slot sold again since the restore'],
      ['booking.restore_conflict', 'BB-NOSLOT', 'slot no longer exists'],
      ['booking.restored', 'BB-LATER', null],
    ]);
    // The slot of a brought-back booking is taken again for everyone.
    expect(() => createBooking(kiosk.core, { slotId: 2, vehicleNumber: 'KA01BB0200', bookingType: 'instant' })).toThrow(/already booked/);
    // Asked again (a second divergence), nothing changes.
    expect(bringBackBookings(kiosk.core, [snapshot({ id: 500, reference: 'BB-RUN', slotId: 2 })])).toEqual({ restored: [], conflicts: [] });
  });
});
