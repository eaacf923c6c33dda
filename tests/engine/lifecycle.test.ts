import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

describe('the seed lifecycle: create, expire, renew, renew again', () => {
  it('books, completes by itself after the hour, frees the slot and renews twice', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const [slot] = await anon.slot.list({});
    const created = await anon.booking.create({ slotId: slot!.id, vehicleNumber: 'kl 08 az 1234', bookingType: 'instant' });
    expect(created).toMatchObject({ status: 'booked', vehicleNumber: 'KL-08-AZ-1234', remainingSeconds: 3600, isExpired: false });
    expect(Date.parse(created.endTime) - Date.parse(created.startTime)).toBe(HOUR);
    expect((await anon.slot.list({})).find((s) => s.id === slot!.id)).toMatchObject({ available: false, freesAt: created.endTime });

    const driver = kiosk.caller(created.accessToken);
    kiosk.clock.advance(HOUR);
    const expired = await driver.booking.get({ id: created.id });
    expect(expired).toMatchObject({ status: 'completed', isExpired: true, remainingSeconds: 0 });
    expect((await anon.slot.list({})).find((s) => s.id === slot!.id)?.available).toBe(true);

    const renewed = await driver.booking.renew({ id: created.id });
    expect(renewed.message).toBe('Booking renewed successfully');
    expect(renewed.oldBookingId).toBe(created.id);
    expect(renewed.newBooking).toMatchObject({ status: 'booked', renewedFromId: created.id, remainingSeconds: 3600 });
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
