import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';
import { addLot, expectError, slotOf } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('lot.list', () => {
  it('lists the demo lot with its slot counts, free counts derived from bookings, and needs no token', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const [lot, ...rest] = await anon.lot.list();
    expect(rest).toHaveLength(0);
    expect(lot).toMatchObject({ currency: 'INR', bookingMinutes: 60, totalSlots: 24, freeSlots: 24, serverTime: iso(T0) });
    expect(lot!.freeByVehicleType).toEqual({ car: 8, suv: 4, ev: 4, bike: 6, truck: 2 });

    await anon.booking.create({ slotId: 1, vehicleNumber: 'KL01AA1111', bookingType: 'instant' });
    await anon.booking.create({ slotId: 13, vehicleNumber: 'KL01AA2222', bookingType: 'instant' });
    const [after] = await anon.lot.list();
    expect(after).toMatchObject({ freeSlots: 22 });
    expect(after!.freeByVehicleType).toMatchObject({ car: 7, ev: 3 });

    // At the end the lot's 10-minute grace still holds both slots for their drivers (issue 12)...
    kiosk.clock.advance(HOUR);
    expect((await anon.lot.list())[0]!.freeSlots).toBe(22);
    // ...and after it they count as free again.
    kiosk.clock.advance(10 * MIN);
    expect((await anon.lot.list())[0]!.freeSlots).toBe(24);
  });
});

describe('slot.list', () => {
  it('shows every slot as available on a quiet lot, with its booking price', async () => {
    kiosk = bootTestKiosk();
    const slots = await kiosk.caller().slot.list({});
    expect(slots).toHaveLength(24);
    expect(slots.every((s) => s.available && !s.occupied && s.freesAt === null && s.nextBookingAt === null)).toBe(true);
    expect(slots[0]).toMatchObject({ label: 'A1', vehicleType: 'car', hourlyPrice: 6000, bookingPrice: 6000, enabled: true });
    // The input may be left out entirely.
    expect(await kiosk.caller().slot.list()).toHaveLength(24);
  });

  it('derives availability and freesAt from bookings: taken while booked, free again on cancel or expiry', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const booking = await anon.booking.create({ slotId: 2, vehicleNumber: 'KL01AA1111', bookingType: 'instant' });
    // freesAt: when others can have it, the end plus the lot's 10-minute grace (issue 12).
    const graceAfter = (end: string) => iso(Date.parse(end) + 10 * MIN);
    expect(await slotOf(kiosk, 2)).toMatchObject({ available: false, occupied: true, freesAt: graceAfter(booking.endTime) });
    expect(await slotOf(kiosk, 3)).toMatchObject({ available: true, freesAt: null });

    await kiosk.caller(booking.accessToken).booking.cancel({ id: booking.id });
    expect(await slotOf(kiosk, 2)).toMatchObject({ available: true, occupied: false, freesAt: null });

    const second = await anon.booking.create({ slotId: 2, vehicleNumber: 'KL01AA1111', bookingType: 'instant' });
    kiosk.clock.advance(HOUR - 1000);
    expect(await slotOf(kiosk, 2)).toMatchObject({ available: false, freesAt: graceAfter(second.endTime) });
    kiosk.clock.advance(1000);
    // slot.list is a read: it derives the expiry from the time without storing it (ended, held in its grace)...
    expect(await slotOf(kiosk, 2)).toMatchObject({ available: false, occupied: false, heldUntil: graceAfter(second.endTime) });
    kiosk.clock.advance(10 * MIN);
    expect(await slotOf(kiosk, 2)).toMatchObject({ available: true, occupied: false, heldUntil: null });
    const stored = () => kiosk.core.db.sqlite.prepare('SELECT status FROM bookings WHERE id = ?').get(second.id);
    expect(stored()).toEqual({ status: 'booked' });
    // ...and the next write (here the expiry timer's sweep) stores it.
    kiosk.core.expiry.start();
    expect(stored()).toEqual({ status: 'completed' });
  });

  it('is blocked by an Advance booking that would overlap an Instant one, but not by a later one', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const soon = await anon.booking.create({ slotId: 4, vehicleNumber: 'KL01AA1111', bookingType: 'advance', startTime: iso(T0 + 30 * MIN) });
    const later = await anon.booking.create({ slotId: 5, vehicleNumber: 'KL01AA2222', bookingType: 'advance', startTime: iso(T0 + 3 * HOUR) });

    // It frees for others after the booking's end plus the lot's 10-minute grace (issue 12).
    expect(await slotOf(kiosk, 4)).toMatchObject({
      available: false,
      occupied: false,
      freesAt: iso(Date.parse(soon.endTime) + 10 * MIN),
      nextBookingAt: soon.startTime,
    });
    expect(await slotOf(kiosk, 5)).toMatchObject({ available: true, occupied: false, freesAt: null, nextBookingAt: later.startTime });
    await expectError(anon.booking.create({ slotId: 4, vehicleNumber: 'KL01AA3333', bookingType: 'instant' }), 'CONFLICT', /A4/);
    const instant = await anon.booking.create({ slotId: 5, vehicleNumber: 'KL01AA3333', bookingType: 'instant' });
    expect(instant.status).toBe('booked');

    kiosk.clock.advance(30 * MIN);
    expect(await slotOf(kiosk, 4)).toMatchObject({ available: false, occupied: true, nextBookingAt: null });
  });

  it('filters by lot, says NOT_FOUND for an unknown lot, and shows a disabled slot as unavailable', async () => {
    kiosk = bootTestKiosk();
    const { lotId, slotIds } = addLot(kiosk.core.db.sqlite, { count: 3, hourlyPrice: 9000, bookingMinutes: 90 });
    const slots = await kiosk.caller().slot.list({ lotId });
    expect(slots.map((s) => s.id)).toEqual(slotIds);
    expect(slots[0]).toMatchObject({ lotId, bookingPrice: 13500 });
    await expectError(kiosk.caller().slot.list({ lotId: 999 }), 'NOT_FOUND', /lot/);

    kiosk.core.db.sqlite.prepare('UPDATE slots SET enabled = 0 WHERE id = ?').run(slotIds[0]);
    expect(await slotOf(kiosk, slotIds[0]!)).toMatchObject({ enabled: false, available: false });
    await expectError(
      kiosk.caller().booking.create({ slotId: slotIds[0]!, vehicleNumber: 'KL01AA1111', bookingType: 'instant' }),
      'PRECONDITION_FAILED',
      /maintenance/,
    );
  });
});
