import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

describe('the seed lifecycle: create, expire, renew, renew again', () => {
  it('books, completes by itself after the hour, holds the slot for the driver through the grace and renews twice', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const [slot] = await anon.slot.list({});
    const created = await anon.booking.create({ slotId: slot!.id, vehicleNumber: 'kl 08 az 1234', bookingType: 'instant' });
    expect(created).toMatchObject({ status: 'booked', vehicleNumber: 'KL-08-AZ-1234', remainingSeconds: 3600, isExpired: false });
    expect(Date.parse(created.endTime) - Date.parse(created.startTime)).toBe(HOUR);
    // Others can have it once the lot's 10-minute grace after the end is over (issue 12).
    const graceEnd = new Date(Date.parse(created.endTime) + 10 * 60_000).toISOString();
    expect((await anon.slot.list({})).find((s) => s.id === slot!.id)).toMatchObject({ available: false, freesAt: graceEnd });

    const driver = kiosk.caller(created.accessToken);
    kiosk.clock.advance(HOUR);
    const expired = await driver.booking.get({ id: created.id });
    expect(expired).toMatchObject({ status: 'completed', isExpired: true, remainingSeconds: 0, graceEndsAt: graceEnd });
    // Ended but held for this driver: not available to others, renewable on the same slot.
    expect((await anon.slot.list({})).find((s) => s.id === slot!.id)).toMatchObject({ available: false, occupied: false, heldUntil: graceEnd });

    const renewed = await driver.booking.renew({ id: created.id });
    expect(renewed.message).toBe('Booking renewed successfully');
    expect(renewed.oldBookingId).toBe(created.id);
    expect(renewed.newBooking).toMatchObject({ status: 'booked', slotId: slot!.id, renewedFromId: created.id, remainingSeconds: 3600 });
    expect(renewed.newBooking.id).not.toBe(created.id);

    kiosk.clock.advance(HOUR + 1000);
    const again = await kiosk.caller(renewed.accessToken).booking.renew({ id: renewed.newBooking.id });
    expect(again.newBooking.renewedFromId).toBe(renewed.newBooking.id);
    await expect(driver.booking.renew({ id: created.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('refuses a second booking of a taken slot with CONFLICT', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01AB1111', bookingType: 'instant' });
    await expect(anon.booking.create({ slotId: 1, vehicleNumber: 'KA01AB2222', bookingType: 'instant' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
