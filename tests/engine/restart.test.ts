import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

describe('restart safety (close and reopen the database file)', () => {
  it('keeps every booking, status, add-on and renewal link, and the old tokens (except those of cancelled bookings) and staff session still work', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const running = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0001', bookingType: 'instant' });
    const cancelled = await anon.booking.create({ slotId: 2, vehicleNumber: 'KL08AZ0002', bookingType: 'instant' });
    const ended = await anon.booking.create({ slotId: 3, vehicleNumber: 'KL08AZ0003', bookingType: 'instant' });
    await kiosk.caller(cancelled.accessToken).booking.cancel({ id: cancelled.id });
    kiosk.clock.advance(HOUR);
    const renewed = await kiosk.caller(ended.accessToken).booking.renew({ id: ended.id });
    await kiosk.caller(renewed.accessToken).booking.addCarWash({ id: renewed.newBooking.id });
    const staffToken = await kiosk.staffToken();
    const before = (await kiosk.caller(staffToken).booking.list({ limit: 200 })).items;
    const secret = kiosk.core.tokenSecret.toString('hex');
    const { dbFile } = kiosk;
    kiosk.close();

    kiosk = bootTestKiosk({ dbFile });
    kiosk.clock.advance(HOUR);
    expect(kiosk.core.tokenSecret.toString('hex')).toBe(secret);
    const after = (await kiosk.caller(staffToken).booking.list({ limit: 200 })).items;
    const strip = ({ serverTime: _s, remainingSeconds: _r, ...rest }: (typeof before)[number]) => rest;
    expect(after.map(strip)).toEqual(before.map(strip));
    expect(after.map((b) => [b.id, b.status])).toEqual([
      [renewed.newBooking.id, 'booked'],
      [ended.id, 'completed'],
      [cancelled.id, 'cancelled'],
      [running.id, 'completed'],
    ]);
    for (const [token, id] of [
      [running.accessToken, running.id],
      [renewed.accessToken, renewed.newBooking.id],
    ] as const) {
      expect((await kiosk.caller(token).booking.get({ id })).id).toBe(id);
    }
    // A cancelled booking's token lapses 15 minutes after the cancel (two hours have passed).
    await expect(kiosk.caller(cancelled.accessToken).booking.get({ id: cancelled.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await kiosk.caller(renewed.accessToken).booking.get({ id: renewed.newBooking.id })).addOns).toHaveLength(1);
    // The renewal is still final: the old booking cannot be renewed a second time after a restart.
    await expect(kiosk.caller(ended.accessToken).booking.renew({ id: ended.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('does not double-seed the demo lot or the owner on a second start', async () => {
    kiosk = bootTestKiosk({ staffPin: '419283' });
    const { dbFile } = kiosk;
    kiosk.close();
    kiosk = bootTestKiosk({ dbFile, staffPin: '593817' });
    expect(await kiosk.caller().slot.list({})).toHaveLength(24);
    expect((await kiosk.caller().lot.list()).length).toBe(1);
    expect((await kiosk.caller(undefined, 'c').auth.login({ pin: '419283' })).token).toMatch(/^st_/);
    await expect(kiosk.caller(undefined, 'd').auth.login({ pin: '593817' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
