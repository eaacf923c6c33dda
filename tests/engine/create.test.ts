import { afterEach, describe, expect, it } from 'vitest';
import { REFERENCE_PATTERN } from '../../electron/core/bookings/references';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';
import { addLot, expectError, setLotGrace } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const MIN = 60_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

describe('booking.create: Instant', () => {
  it('starts now, ends one lot duration later, costs the hourly price for it, and returns the contract Booking + accessToken', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 9, vehicleNumber: 'kl 08 az 1234', bookingType: 'instant' });
    expect(created).toEqual({
      id: expect.any(Number),
      reference: expect.stringMatching(REFERENCE_PATTERN),
      lotId: 1,
      slotId: 9,
      slotLabel: 'B1',
      vehicleNumber: 'KL-08-AZ-1234',
      vehicleType: 'suv',
      bookingType: 'instant',
      status: 'booked',
      startTime: iso(T0),
      endTime: iso(T0 + HOUR),
      remainingSeconds: 3600,
      isExpired: false,
      price: 8000,
      addOns: [],
      totalPrice: 8000,
      currency: 'INR',
      renewedFromId: null,
      renewedToId: null,
      createdAt: iso(T0),
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      // A lot with no saved tariff: the slot's flat rate, one line, the lot's 10-minute grace, no maximum stay.
      tariffVersion: null,
      breakdown: [{ from: iso(T0), to: iso(T0 + HOUR), description: 'Standard', amount: 8000, kind: 'time' }],
      graceEndsAt: iso(T0 + HOUR + 10 * MIN),
      maxStayEndsAt: null,
      plateCorrectableUntil: iso(T0 + 5 * 60_000),
      serverTime: iso(T0),
      accessToken: expect.stringMatching(/^bk_/),
    });
  });

  it('uses the lot booking length and prices it pro rata (90 minutes at 90.00/h = 135.00)', async () => {
    kiosk = bootTestKiosk();
    const { slotIds } = addLot(kiosk.core.db.sqlite, { bookingMinutes: 90, hourlyPrice: 9000 });
    const created = await kiosk.caller().booking.create({ slotId: slotIds[0]!, vehicleNumber: 'MH12DE1433', bookingType: 'instant' });
    expect(Date.parse(created.endTime) - Date.parse(created.startTime)).toBe(90 * MIN);
    expect(created).toMatchObject({ price: 13500, remainingSeconds: 5400 });
  });

  it('refuses a startTime sent with an Instant booking (Instant always starts now)', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    await expectError(
      anon.booking.create({ slotId: 1, vehicleNumber: 'MH12DE1433', bookingType: 'instant', startTime: iso(T0 + 5 * HOUR) }),
      'BAD_REQUEST',
      /Instant booking starts now/,
    );
    expect((await anon.booking.create({ slotId: 1, vehicleNumber: 'MH12DE1433', bookingType: 'instant' })).startTime).toBe(iso(T0));
  });

  it('refuses a second active booking for the same vehicle with CONFLICT, in any spelling', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const first = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    await expectError(
      anon.booking.create({ slotId: 2, vehicleNumber: 'kl-08-az-1234', bookingType: 'instant' }),
      'CONFLICT',
      /KL-08-AZ-1234 already has a booking/,
    );
    // Anyone can read a plate, so the refusal must not hand out the other booking's reference
    // (reference + plate is what "Find my booking" asks for).
    const refusal = await anon.booking.create({ slotId: 2, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' }).catch((e: Error) => e);
    expect((refusal as Error).message).not.toContain(first.reference);
    kiosk.clock.advance(HOUR);
    expect((await anon.booking.create({ slotId: 2, vehicleNumber: 'KL 08 AZ 1234', bookingType: 'instant' })).status).toBe('booked');
  });

  it('says NOT_FOUND for an unknown slot and BAD_REQUEST for malformed input', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    await expectError(anon.booking.create({ slotId: 999, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' }), 'NOT_FOUND', /slot/);
    await expectError(anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'later' as 'instant' }), 'BAD_REQUEST');
    await expectError(anon.booking.create({ slotId: -1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' }), 'BAD_REQUEST');
    await expectError(anon.booking.create({ slotId: 1.5, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' }), 'BAD_REQUEST');
    await expectError(anon.booking.create({ slotId: 1, vehicleNumber: '', bookingType: 'instant' }), 'BAD_REQUEST');
    await expectError(anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant', extra: 1 } as never), 'BAD_REQUEST');
    expect(kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 0 });
  });
});

describe('booking.create: Advance', () => {
  it('starts at the given future time and ends one duration later; remaining time counts to the end', async () => {
    kiosk = bootTestKiosk();
    const start = T0 + 2 * HOUR;
    const created = await kiosk
      .caller()
      .booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'advance', startTime: '2026-01-15T21:30:00+05:30' });
    expect(created).toMatchObject({ bookingType: 'advance', status: 'booked', startTime: iso(start), endTime: iso(start + HOUR) });
    expect(created.remainingSeconds).toBe(3 * 3600);
  });

  it('accepts the far edge of the 7-day horizon and refuses anything beyond it', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const edge = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'advance', startTime: iso(T0 + 7 * DAY) });
    expect(edge.startTime).toBe(iso(T0 + 7 * DAY));
    await expectError(
      anon.booking.create({ slotId: 2, vehicleNumber: 'KL08AZ9999', bookingType: 'advance', startTime: iso(T0 + 7 * DAY + 1000) }),
      'BAD_REQUEST',
      /7 days/,
    );
  });

  it('refuses a missing, past, present or non-ISO start time with BAD_REQUEST', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const base = { slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'advance' as const };
    await expectError(anon.booking.create(base), 'BAD_REQUEST', /when/i);
    await expectError(anon.booking.create({ ...base, startTime: iso(T0 - MIN) }), 'BAD_REQUEST', /future/);
    await expectError(anon.booking.create({ ...base, startTime: iso(T0) }), 'BAD_REQUEST', /future/);
    await expectError(anon.booking.create({ ...base, startTime: 'tomorrow at noon' }), 'BAD_REQUEST');
    await expectError(anon.booking.create({ ...base, startTime: '2026-01-15T16:00:00' }), 'BAD_REQUEST');
    expect(kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM bookings').get()).toEqual({ n: 0 });
  });

  it('refuses an overlapping Advance booking of the same slot but allows back-to-back ones (a lot with no grace)', async () => {
    kiosk = bootTestKiosk();
    // Back to back needs a lot without grace; the default grace is the next test.
    setLotGrace(kiosk.core.db.sqlite, 1, 0);
    const anon = kiosk.caller();
    await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0001', bookingType: 'advance', startTime: iso(T0 + 2 * HOUR) });
    await expectError(
      anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: iso(T0 + 2 * HOUR + 59 * MIN) }),
      'CONFLICT',
    );
    await expectError(anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: iso(T0 + HOUR + MIN) }), 'CONFLICT');
    const after = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: iso(T0 + 3 * HOUR) });
    const before = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0003', bookingType: 'instant' });
    expect(before.endTime).toBe(iso(T0 + HOUR));
    const between = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0004', bookingType: 'advance', startTime: iso(T0 + HOUR) });
    expect(between.endTime).toBe(iso(T0 + 2 * HOUR));
    expect(after.status).toBe('booked');
  });

  it('with the default 10-minute grace refuses an Advance booking at the previous end until the grace is over', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const first = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0001', bookingType: 'advance', startTime: iso(T0 + 2 * HOUR) });
    const refused = await anon.booking
      .create({ slotId: 1, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: first.endTime })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', cause: { reason: 'SLOT_TAKEN' } });
    await expectError(
      anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: iso(T0 + 3 * HOUR + 9 * MIN) }),
      'CONFLICT',
    );
    // An Instant stay now would end at 01:00 with its grace to 01:10: it must not run into nor hold over the 02:00 booking.
    expect((await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0003', bookingType: 'instant' })).endTime).toBe(iso(T0 + HOUR));
    const after = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0002', bookingType: 'advance', startTime: iso(T0 + 3 * HOUR + 10 * MIN) });
    expect(after.status).toBe('booked');
  });

  it('lets an Advance booking become current on its own when its start passes, then complete at its end', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'advance', startTime: iso(T0 + HOUR) });
    const driver = kiosk.caller(created.accessToken);
    kiosk.clock.advance(90 * MIN);
    expect(await driver.booking.get({ id: created.id })).toMatchObject({ status: 'booked', remainingSeconds: 30 * 60 });
    kiosk.clock.advance(30 * MIN);
    expect(await driver.booking.get({ id: created.id })).toMatchObject({ status: 'completed', remainingSeconds: 0, isExpired: true });
  });
});
