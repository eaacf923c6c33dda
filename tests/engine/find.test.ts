import { afterEach, describe, expect, it } from 'vitest';
import { FIND_THROTTLE } from '../../electron/core/bookings/service';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';
import { expectError } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

describe('booking.find', () => {
  it('finds a booking by reference (any case, with a hyphen) and vehicle (any spelling), with a fresh token that works', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    kiosk.clock.advance(60_000);
    const ref = created.reference.toLowerCase();
    for (const [reference, vehicleNumber] of [
      [created.reference, 'KL08AZ1234'],
      [`${ref.slice(0, 3)}-${ref.slice(3)}`, 'kl 08 az 1234'],
      [` ${ref} `, 'KL-08-AZ-1234'],
    ] as const) {
      const found = await kiosk.caller(undefined, 'driver-phone').booking.find({ reference, vehicleNumber });
      expect(found).toMatchObject({ id: created.id, reference: created.reference, status: 'booked', remainingSeconds: 3540 });
      expect(found.accessToken).toMatch(/^bk_/);
      expect(found.accessToken).not.toBe(created.accessToken);
      expect((await kiosk.caller(found.accessToken).booking.get({ id: created.id })).id).toBe(created.id);
    }
    // The kiosk's original token keeps working.
    expect((await kiosk.caller(created.accessToken).booking.get({ id: created.id })).id).toBe(created.id);
  });

  it('finds an ended booking too, so the driver can renew it', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    kiosk.clock.advance(HOUR);
    const found = await kiosk.caller().booking.find({ reference: created.reference, vehicleNumber: 'KL08AZ1234' });
    expect(found.status).toBe('completed');
    const renewed = await kiosk.caller(found.accessToken).booking.renew({ id: created.id });
    expect(renewed.newBooking.renewedFromId).toBe(created.id);
  });

  it('says NOT_FOUND (without telling which part is wrong) for a wrong vehicle or reference; BAD_REQUEST for junk', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const wrongVehicle = await expectError(kiosk.caller().booking.find({ reference: created.reference, vehicleNumber: 'KL08AZ1235' }), 'NOT_FOUND');
    const wrongReference = await expectError(kiosk.caller().booking.find({ reference: 'ZZZZZZ', vehicleNumber: 'KL08AZ1234' }), 'NOT_FOUND');
    expect(wrongVehicle).toBe(wrongReference);
    await expectError(kiosk.caller().booking.find({ reference: created.reference, vehicleNumber: '!!!' }), 'BAD_REQUEST');
    await expectError(kiosk.caller().booking.find({ reference: '', vehicleNumber: 'KL08AZ1234' }), 'BAD_REQUEST');
  });

  it('locks a guessing client out with TOO_MANY_REQUESTS after repeated misses, even for a right guess; others are unaffected; it lifts later', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const guesser = kiosk.caller(undefined, '10.0.0.66');
    for (let i = 0; i < FIND_THROTTLE.maxFailures; i += 1) {
      await expectError(guesser.booking.find({ reference: `AAAA${'ABCDEFGHJK'[i]}${i + 2}`, vehicleNumber: 'KL08AZ1234' }), 'NOT_FOUND');
    }
    await expectError(guesser.booking.find({ reference: created.reference, vehicleNumber: 'KL08AZ1234' }), 'TOO_MANY_REQUESTS', /try again/);
    expect((await kiosk.caller(undefined, '10.0.0.7').booking.find({ reference: created.reference, vehicleNumber: 'KL08AZ1234' })).id).toBe(created.id);

    // The lock-out lives in the database, so a restart does not lift it.
    kiosk.close();
    kiosk = bootTestKiosk({ dbFile: kiosk.dbFile });
    await expectError(kiosk.caller(undefined, '10.0.0.66').booking.find({ reference: created.reference, vehicleNumber: 'KL08AZ1234' }), 'TOO_MANY_REQUESTS');
    kiosk.clock.advance(FIND_THROTTLE.lockMs);
    expect((await kiosk.caller(undefined, '10.0.0.66').booking.find({ reference: created.reference, vehicleNumber: 'KL08AZ1234' })).id).toBe(created.id);
  });
});
