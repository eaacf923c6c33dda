import { afterEach, describe, expect, it } from 'vitest';
import { bringBackBookings, type LostBookingSnapshot } from '../../electron/core/bookings/bring-back';
import { createBooking } from '../../electron/core/bookings/service';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

/** Bringing back bookings a restore lost (issue 15), the rule alone: what it puts back and what it leaves. */
let kiosk: TestKiosk;
/** No event counts as a change made since the restore. */
const NOTHING_SINCE = Number.MAX_SAFE_INTEGER;
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
    const outcome = bringBackBookings(
      kiosk.core,
      [
        snapshot({ id: 500, reference: 'BB-RUN', slotId: 2, renewedFromId: 499, tariffVersionId: 77, tariffVersion: 3 }),
        snapshot({ id: here.id, reference: here.reference, slotId: 1 }),
        snapshot({ id: 501, reference: 'BB-OVER', slotId: 3, endMs: kiosk.clock.now() - 1 }),
        snapshot({ id: 502, reference: 'BB-CLASH', slotId: 1, vehicleNumber: 'KA-01-BB-0002' }),
        snapshot({ id: 503, reference: 'BB-NOSLOT', slotId: 9_999, vehicleNumber: 'KA-01-BB-0003' }),
        snapshot({ id: 504, reference: 'BB-LATER', slotId: 4, startMs: kiosk.clock.now() + HOUR, endMs: kiosk.clock.now() + 2 * HOUR, bookingType: 'advance' }),
        snapshot({ id: 505, reference: 'BB-GONE', slotId: 5, status: 'cancelled' }),
      ],
      NOTHING_SINCE,
    );
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
      ['booking.restore_conflict', 'BB-CLASH', 'its slot was sold again since the restore'],
      ['booking.restore_conflict', 'BB-NOSLOT', 'its slot no longer exists here'],
      ['booking.restored', 'BB-LATER', null],
    ]);
    // The slot of a brought-back booking is taken again for everyone.
    expect(() => createBooking(kiosk.core, { slotId: 2, vehicleNumber: 'KA01BB0200', bookingType: 'instant' })).toThrow(/already booked/);
    // Asked again (a second divergence), nothing changes.
    expect(bringBackBookings(kiosk.core, [snapshot({ id: 500, reference: 'BB-RUN', slotId: 2 })], NOTHING_SINCE)).toEqual({ restored: [], conflicts: [] });
  });

  it("brings a booking the lot has in its backup's state up to central's (an extension, a cancel), unless the lot changed it since the restore", () => {
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const book = (slotId: number, plate: string) => createBooking(kiosk.core, { slotId, vehicleNumber: plate, bookingType: 'instant' }).booking;
    const extended = book(1, 'KA01BB1001');
    const cancelled = book(2, 'KA01BB1002');
    const sinceSeq = (kiosk.core.db.sqlite.prepare('SELECT max(seq) AS s FROM outbox').get() as { s: number }).s + 1;
    const changedHere = book(3, 'KA01BB1003');
    const as = (b: typeof extended, over: Partial<LostBookingSnapshot>) =>
      snapshot({ id: b.id, reference: b.reference, slotId: b.slotId, startMs: Date.parse(b.startTime), endMs: Date.parse(b.endTime), ...over });
    const outcome = bringBackBookings(
      kiosk.core,
      [
        as(extended, { endMs: Date.parse(extended.endTime) + HOUR, price: extended.price + 6000 }),
        as(cancelled, { status: 'cancelled', cancelledBy: 'staff:Owner', cancelReason: 'driver left' }),
        // Changed here after the restore (its creation is an event from sinceSeq on): the lot's state stays.
        as(changedHere, { status: 'cancelled' }),
      ],
      sinceSeq,
    );
    expect(outcome).toEqual({ restored: [extended.reference, cancelled.reference], conflicts: [] });
    const rows = kiosk.core.db.sqlite.prepare('SELECT id, status, end_ms AS endMs, price, cancel_reason AS why FROM bookings ORDER BY id').all();
    expect(rows).toEqual([
      { id: extended.id, status: 'booked', endMs: Date.parse(extended.endTime) + HOUR, price: extended.price + 6000, why: null },
      { id: cancelled.id, status: 'cancelled', endMs: Date.parse(cancelled.endTime), price: cancelled.price, why: 'driver left' },
      { id: changedHere.id, status: 'booked', endMs: Date.parse(changedHere.endTime), price: changedHere.price, why: null },
    ]);
  });

  it("puts back a renewal made in its predecessor's grace", () => {
    kiosk = bootTestKiosk({ graceMinutes: 10 });
    const first = createBooking(kiosk.core, { slotId: 1, vehicleNumber: 'KA01BB2001', bookingType: 'instant' }).booking;
    const end = Date.parse(first.endTime);
    kiosk.clock.advance(end - kiosk.clock.now() + 60_000); // one minute into the grace
    const renewal = snapshot({
      id: 900,
      reference: 'BB-RENEW',
      slotId: 1,
      vehicleNumber: 'KA-01-BB-2001',
      renewedFromId: first.id,
      startMs: kiosk.clock.now(),
      endMs: kiosk.clock.now() + HOUR,
      graceUntilMs: kiosk.clock.now() + HOUR + 10 * 60_000,
    });
    expect(bringBackBookings(kiosk.core, [renewal], NOTHING_SINCE)).toEqual({ restored: ['BB-RENEW'], conflicts: [] });
    expect(row(900)).toMatchObject({ renewedFrom: first.id });
  });
});
