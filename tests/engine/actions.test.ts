import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';
import { expectError, slotOf } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const iso = (ms: number) => new Date(ms).toISOString();

async function book(k: TestKiosk, slotId = 1, vehicleNumber = 'KL08AZ1234') {
  const created = await k.caller().booking.create({ slotId, vehicleNumber, bookingType: 'instant' });
  return { created, driver: k.caller(created.accessToken) };
}

describe('booking.cancel', () => {
  it('cancels a booked booking, records when and by whom, and frees the slot at once', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk);
    kiosk.clock.advance(10 * 60_000);
    const cancelled = await driver.booking.cancel({ id: created.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: iso(T0 + 10 * 60_000), cancelledBy: 'driver', remainingSeconds: 0 });
    expect(await slotOf(kiosk, 1)).toMatchObject({ available: true });
    expect((await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ9999', bookingType: 'instant' })).status).toBe('booked');
  });

  it('refuses to cancel a cancelled or completed booking with PRECONDITION_FAILED', async () => {
    kiosk = bootTestKiosk();
    const first = await book(kiosk, 1, 'KL08AZ0001');
    await first.driver.booking.cancel({ id: first.created.id });
    await expectError(first.driver.booking.cancel({ id: first.created.id }), 'PRECONDITION_FAILED', /already cancelled/);

    const second = await book(kiosk, 2, 'KL08AZ0002');
    kiosk.clock.advance(HOUR);
    await expectError(second.driver.booking.cancel({ id: second.created.id }), 'PRECONDITION_FAILED', /already ended/);
    expect((await second.driver.booking.get({ id: second.created.id })).status).toBe('completed');
  });

  it('cancels an Advance booking before it starts, freeing its time', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const ahead = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0001', bookingType: 'advance', startTime: iso(T0 + 30 * 60_000) });
    expect((await slotOf(kiosk, 1)).available).toBe(false);
    await kiosk.caller(ahead.accessToken).booking.cancel({ id: ahead.id });
    expect((await slotOf(kiosk, 1)).available).toBe(true);
  });
});

describe('booking.renew', () => {
  it('renews a completed booking: a new booking with a fresh full duration and renewedFromId, plus its own token', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk, 3);
    kiosk.clock.advance(HOUR + 5 * 60_000);
    const renewed = await driver.booking.renew({ id: created.id });
    expect(Object.keys(renewed).sort()).toEqual(['accessToken', 'message', 'newBooking', 'oldBookingId']);
    expect(renewed).toMatchObject({ message: 'Booking renewed successfully', oldBookingId: created.id });
    expect(renewed.newBooking).toMatchObject({
      status: 'booked',
      slotId: 3,
      vehicleNumber: created.vehicleNumber,
      renewedFromId: created.id,
      startTime: iso(T0 + HOUR + 5 * 60_000),
      endTime: iso(T0 + 2 * HOUR + 5 * 60_000),
      remainingSeconds: 3600,
      price: created.price,
    });
    expect(renewed.newBooking.id).not.toBe(created.id);
    expect(renewed.newBooking.reference).not.toBe(created.reference);
    expect((await driver.booking.get({ id: created.id })).renewedToId).toBe(renewed.newBooking.id);
    // The new token opens the new booking; the old one still opens only the old booking.
    expect((await kiosk.caller(renewed.accessToken).booking.get({ id: renewed.newBooking.id })).status).toBe('booked');
    await expectError(driver.booking.get({ id: renewed.newBooking.id }), 'FORBIDDEN');
    expect((await slotOf(kiosk, 3)).available).toBe(false);
  });

  it('refuses to renew a booked or a cancelled booking with PRECONDITION_FAILED', async () => {
    kiosk = bootTestKiosk();
    const running = await book(kiosk, 1, 'KL08AZ0001');
    await expectError(running.driver.booking.renew({ id: running.created.id }), 'PRECONDITION_FAILED', /still running/);
    await running.driver.booking.cancel({ id: running.created.id });
    await expectError(running.driver.booking.renew({ id: running.created.id }), 'PRECONDITION_FAILED', /cancelled/);
    expect(kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 1 });
  });

  it('refuses to renew the same booking twice, even after the renewal itself has ended', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk);
    kiosk.clock.advance(HOUR);
    const renewed = await driver.booking.renew({ id: created.id });
    await expectError(driver.booking.renew({ id: created.id }), 'PRECONDITION_FAILED', /already been renewed/);
    kiosk.clock.advance(HOUR);
    await expectError(driver.booking.renew({ id: created.id }), 'PRECONDITION_FAILED', /already been renewed/);
    // The chain goes on from the newest booking instead.
    const again = await kiosk.caller(renewed.accessToken).booking.renew({ id: renewed.newBooking.id });
    expect(again.newBooking.renewedFromId).toBe(renewed.newBooking.id);
  });

  it('says CONFLICT when someone else has taken the slot since the booking ended', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk, 5, 'KL08AZ0001');
    // After the lot's 10-minute grace (issue 12): inside it nobody else could take the slot.
    kiosk.clock.advance(HOUR + 10 * 60_000 + 1000);
    await kiosk.caller().booking.create({ slotId: 5, vehicleNumber: 'KL08AZ0002', bookingType: 'instant' });
    await expectError(driver.booking.renew({ id: created.id }), 'CONFLICT', /someone else/);
    expect(kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM bookings WHERE renewed_from_id IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('says CONFLICT when an Advance booking starts on the slot within the renewed hour', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk, 6, 'KL08AZ0001');
    await kiosk.caller().booking.create({ slotId: 6, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: iso(T0 + HOUR + 30 * 60_000) });
    kiosk.clock.advance(HOUR);
    await expectError(driver.booking.renew({ id: created.id }), 'CONFLICT');
  });
});

describe('booking.addCarWash', () => {
  it('adds a car wash once while booked, at the lot price, raising the total', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk);
    const washed = await driver.booking.addCarWash({ id: created.id });
    expect(washed.addOns).toEqual([{ kind: 'car_wash', price: 15000, addedAt: iso(T0) }]);
    expect(washed).toMatchObject({ price: created.price, totalPrice: created.price + 15000 });
    await expectError(driver.booking.addCarWash({ id: created.id }), 'PRECONDITION_FAILED', /already added/);
    expect((await driver.booking.get({ id: created.id })).addOns).toHaveLength(1);
  });

  it('refuses a car wash on a completed or cancelled booking', async () => {
    kiosk = bootTestKiosk();
    const first = await book(kiosk, 1, 'KL08AZ0001');
    const second = await book(kiosk, 2, 'KL08AZ0002');
    await second.driver.booking.cancel({ id: second.created.id });
    await expectError(second.driver.booking.addCarWash({ id: second.created.id }), 'PRECONDITION_FAILED', /active/);
    kiosk.clock.advance(HOUR);
    await expectError(first.driver.booking.addCarWash({ id: first.created.id }), 'PRECONDITION_FAILED', /active/);
  });

  it('does not carry a car wash over to the renewed booking', async () => {
    kiosk = bootTestKiosk();
    const { created, driver } = await book(kiosk);
    await driver.booking.addCarWash({ id: created.id });
    kiosk.clock.advance(HOUR);
    const renewed = await driver.booking.renew({ id: created.id });
    expect(renewed.newBooking.addOns).toEqual([]);
    expect((await kiosk.caller(renewed.accessToken).booking.addCarWash({ id: renewed.newBooking.id })).addOns).toHaveLength(1);
  });
});
