import { afterEach, describe, expect, it } from 'vitest';
import { priceStay } from '../../electron/core/tariffs/price';
import { tariffDocument, type TariffDocument } from '../../electron/core/tariffs/model';
import type { ChangeEvent } from '../../electron/core/shared/events';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Cars: first hour ₹60, later hours ₹40, 15-minute steps; stays of 30–120 min; at most 3 h in all; 10 min grace. */
export const tieredTariff = (over: Partial<TariffDocument> = {}): TariffDocument =>
  tariffDocument.parse({
    schemaVersion: 1,
    currency: 'INR',
    stepMinutes: 15,
    minimumCharge: 0,
    dailyCap: null,
    maxStayMinutes: 180,
    durations: { minMinutes: 30, maxMinutes: 120, stepMinutes: 30, defaultMinutes: 60 },
    graceMinutes: 10,
    rates: [
      {
        name: 'Standard',
        tiers: [
          { fromMinute: 0, pricePerHour: 6000, label: 'first hour' },
          { fromMinute: 60, pricePerHour: 4000, label: 'later hours' },
        ],
      },
    ],
    ...over,
  });

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

async function withTariff(document = tieredTariff()) {
  kiosk = bootTestKiosk();
  const owner = kiosk.caller(await kiosk.staffToken('482916'));
  const saved = await owner.tariff.save({ document });
  return { owner, version: saved.version };
}

const reasonOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string; cause?: { reason?: string } }) => `${error.code}:${error.cause?.reason ?? ''}`,
  );

describe('quote and create: one rule', () => {
  it('quotes exactly what create charges, for the default and a chosen length, Instant and Advance', async () => {
    const { version } = await withTariff();
    const anon = kiosk.caller();
    const quote = await anon.booking.quote({ slotId: 1, bookingType: 'instant' });
    expect(quote).toMatchObject({ startTime: iso(T0), endTime: iso(T0 + HOUR), price: 6000, currency: 'INR', tariffVersion: version });
    // The slot list's price is the same quote; a bike is priced by the same single rate.
    expect((await anon.slot.list({})).filter((s) => s.id === 1 || s.id === 17).map((s) => s.bookingPrice)).toEqual([6000, 6000]);
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TQ0001', bookingType: 'instant' });
    expect([made.price, made.startTime, made.endTime, made.tariffVersion]).toEqual([quote.price, quote.startTime, quote.endTime, quote.tariffVersion]);
    expect(made.breakdown).toEqual(quote.breakdown);
    expect(made.graceEndsAt).toBe(iso(T0 + HOUR + 10 * MIN));
    expect(made.maxStayEndsAt).toBe(iso(T0 + 3 * HOUR));

    const startTime = iso(T0 + 5 * HOUR);
    const q90 = await anon.booking.quote({ slotId: 2, bookingType: 'advance', startTime, durationMinutes: 90 });
    expect(q90.price).toBe(6000 + 2000); // an hour at ₹60, half an hour at ₹40
    const c90 = await anon.booking.create({ slotId: 2, vehicleNumber: 'KA01TQ0002', bookingType: 'advance', startTime, durationMinutes: 90 });
    expect([c90.price, c90.endTime, c90.breakdown]).toEqual([q90.price, q90.endTime, q90.breakdown]);
    expect(c90.breakdown.reduce((sum, line) => sum + line.amount, 0)).toBe(c90.price);

    expect(await reasonOf(anon.booking.quote({ slotId: 3, bookingType: 'instant', durationMinutes: 45 }))).toBe('BAD_REQUEST:DURATION_NOT_OFFERED');
    expect(await reasonOf(anon.booking.create({ slotId: 3, vehicleNumber: 'KA01TQ0003', bookingType: 'instant', durationMinutes: 150 }))).toBe(
      'BAD_REQUEST:DURATION_NOT_OFFERED',
    );
  });

  it('keeps the flat per-slot prices while a lot has no saved tariff', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const quote = await anon.booking.quote({ slotId: 9, bookingType: 'instant' }); // SUV ₹80/h
    expect(quote).toMatchObject({ price: 8000, tariffVersion: null, endTime: iso(T0 + HOUR) });
    const durations = await anon.booking.durations({ slotId: 9, bookingType: 'instant' });
    expect(durations).toEqual({ currency: 'INR', tariffVersion: null, defaultMinutes: 60, options: [{ minutes: 60, endTime: iso(T0 + HOUR), price: 8000 }] });
    const made = await anon.booking.create({ slotId: 9, vehicleNumber: 'KA01TQ0009', bookingType: 'instant' });
    // Flat price, no version; the grace is the lot's setting (default 10 minutes, issue 12).
    expect([made.price, made.tariffVersion, made.graceEndsAt]).toEqual([8000, null, iso(T0 + HOUR + 10 * MIN)]);
  });

  it("offers durations cut at the slot's next booking (its grace kept free) and at the maximum stay", async () => {
    await withTariff();
    const anon = kiosk.caller();
    const all = await anon.booking.durations({ slotId: 1, bookingType: 'instant' });
    expect(all.defaultMinutes).toBe(60);
    expect(all.options.map((o) => [o.minutes, o.price])).toEqual([
      [30, 3000],
      [60, 6000],
      [90, 8000],
      [120, 10000],
    ]);
    await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TQ0100', bookingType: 'advance', startTime: iso(T0 + 100 * MIN) });
    const cut = await anon.booking.durations({ slotId: 1, bookingType: 'instant' });
    // A stay ending by 01:30 leaves its 10 minutes' grace before the booking at 01:40.
    expect(cut.options.map((o) => o.minutes)).toEqual([30, 60, 90]);
  });
});

describe('extend', () => {
  it('charges the whole extended stay minus the stay so far, moves the end and pushes it', async () => {
    await withTariff();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01TE0001', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    const events: ChangeEvent[] = [];
    kiosk.core.events.subscribe((event) => events.push(event));
    const options = await driver.booking.extendOptions({ id: made.id });
    expect(options).toEqual({
      currency: 'INR',
      unavailableReason: null,
      options: [
        { minutes: 30, endTime: iso(T0 + 90 * MIN), price: 2000 },
        { minutes: 60, endTime: iso(T0 + 120 * MIN), price: 4000 },
        { minutes: 90, endTime: iso(T0 + 150 * MIN), price: 6000 },
        { minutes: 120, endTime: iso(T0 + 180 * MIN), price: 8000 },
      ],
    });
    kiosk.clock.advance(20 * MIN);
    const { booking, charged } = await driver.booking.extend({ id: made.id, minutes: 30 });
    const doc = tieredTariff();
    const whole = (end: number) => priceStay(doc, { vehicleType: 'car', startMs: T0, endMs: end, timeZone: 'Asia/Kolkata' }).amount;
    expect(charged).toBe(whole(T0 + 90 * MIN) - whole(T0 + HOUR));
    expect(booking).toMatchObject({ endTime: iso(T0 + 90 * MIN), price: 8000, graceEndsAt: iso(T0 + 100 * MIN), status: 'booked' });
    expect(booking.breakdown.reduce((sum, line) => sum + line.amount, 0)).toBe(8000);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'booking', change: 'extended', bookingId: made.id }));
    expect((await driver.booking.get({ id: made.id })).endTime).toBe(iso(T0 + 90 * MIN));
    expect(options.options.find((o) => o.minutes === 30)!.price).toBe(charged);

    expect(await reasonOf(driver.booking.extend({ id: made.id, minutes: 20 }))).toBe('BAD_REQUEST:DURATION_NOT_OFFERED');
    // 90 min so far + 120 would pass the 3-hour maximum.
    expect(await reasonOf(driver.booking.extend({ id: made.id, minutes: 120 }))).toBe('PRECONDITION_FAILED:MAX_STAY_EXCEEDED');
    expect(await reasonOf(kiosk.caller().booking.extend({ id: made.id, minutes: 30 }))).toBe('UNAUTHORIZED:');
  });

  it('pushes the new end to booking.watch at once (before any heartbeat)', async () => {
    await withTariff();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01TE0009', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    const iterator = (await driver.booking.watch({ id: made.id }))[Symbol.asyncIterator]();
    try {
      expect((await iterator.next()).value).toMatchObject({ endTime: iso(T0 + HOUR) });
      const pending = iterator.next();
      await driver.booking.extend({ id: made.id, minutes: 30 });
      // The heartbeat is 5 s; the pushed view must come well before it.
      const next = await Promise.race([pending, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no push within 3 s')), 3000))]);
      expect(next.value).toMatchObject({ endTime: iso(T0 + 90 * MIN), remainingSeconds: 90 * 60 });
    } finally {
      await iterator.return?.();
    }
  });

  it("refuses to run into the slot's next booking, and says so in the options", async () => {
    await withTariff();
    const anon = kiosk.caller();
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TE0002', bookingType: 'instant' });
    await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TE0003', bookingType: 'advance', startTime: iso(T0 + 90 * MIN) });
    const driver = kiosk.caller(made.accessToken);
    expect(await driver.booking.extendOptions({ id: made.id })).toEqual({ currency: 'INR', options: [], unavailableReason: 'SLOT_BOOKED_NEXT' });
    expect(await reasonOf(driver.booking.extend({ id: made.id, minutes: 30 }))).toBe('CONFLICT:SLOT_BOOKED_NEXT');
    kiosk.clock.advance(HOUR);
    expect(await reasonOf(driver.booking.extend({ id: made.id, minutes: 30 }))).toBe('PRECONDITION_FAILED:');
  });

  it('says MAX_STAY_EXCEEDED in the options once the maximum stay is reached', async () => {
    await withTariff();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01TE0004', bookingType: 'instant', durationMinutes: 120 });
    const driver = kiosk.caller(made.accessToken);
    await driver.booking.extend({ id: made.id, minutes: 60 });
    expect(await driver.booking.extendOptions({ id: made.id })).toMatchObject({ options: [], unavailableReason: 'MAX_STAY_EXCEEDED' });
  });
});

describe('a tariff edit never touches a booking already made', () => {
  it("keeps the version, price and breakdown; extensions use the booking's own version; new stays the new one", async () => {
    const { owner, version } = await withTariff();
    const anon = kiosk.caller();
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TV0001', bookingType: 'instant' });
    const doubled = tieredTariff({ rates: [{ name: 'Dear', tiers: [{ fromMinute: 0, pricePerHour: 12000 }] }] });
    expect(await owner.tariff.save({ document: doubled })).toEqual({ version: version + 1 });
    const after = await kiosk.caller(made.accessToken).booking.get({ id: made.id });
    expect([after.price, after.tariffVersion, after.breakdown]).toEqual([made.price, version, made.breakdown]);
    const { charged, booking } = await kiosk.caller(made.accessToken).booking.extend({ id: made.id, minutes: 30 });
    expect(charged).toBe(2000); // the old version's later-hours price, not ₹120/h
    expect(booking.tariffVersion).toBe(version);
    expect((await anon.booking.quote({ slotId: 2, bookingType: 'instant' })).price).toBe(12000);
    expect((await anon.booking.create({ slotId: 2, vehicleNumber: 'KA01TV0002', bookingType: 'instant' })).tariffVersion).toBe(version + 1);
    const stored = kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM tariff_versions').get() as { n: number };
    expect(stored.n).toBe(2);
    expect(() => kiosk.core.db.sqlite.prepare("UPDATE tariff_versions SET document = '{}'").run()).toThrow(/TARIFF_VERSION_FINAL/);
  });

  it('saves versions only for the owner, validated, audited with old and new version, and lists them', async () => {
    const { owner } = await withTariff();
    const { addStaff } = await import('../../electron/core/auth/staff');
    addStaff(kiosk.core, 'Sam', 'staff', '735204');
    const staff = kiosk.caller(await kiosk.staffToken('735204'));
    expect(await reasonOf(staff.tariff.save({ document: tieredTariff() }))).toBe('FORBIDDEN:');
    expect(await reasonOf(owner.tariff.save({ document: { ...tieredTariff(), stepMinutes: -1 } }))).toBe('BAD_REQUEST:');
    const current = await staff.tariff.current();
    expect(current).toMatchObject({ version: 1, savedBy: 'Owner', prefill: null });
    expect(current.document).toEqual(tieredTariff());
    expect(await staff.tariff.history()).toEqual([{ version: 1, savedAt: iso(T0), savedBy: 'Owner' }]);
    const audit = kiosk.core.db.sqlite.prepare("SELECT detail FROM audit_log WHERE action = 'tariff.save'").all() as { detail: string }[];
    expect(audit.map((row) => JSON.parse(row.detail))).toEqual([{ lotId: 1, fromVersion: null, toVersion: 1 }]);
    const preview = await staff.tariff.preview({ document: tieredTariff(), vehicleType: 'car', startTime: iso(T0), durationMinutes: 90 });
    expect(preview.price).toBe(8000);
    expect(preview.breakdown.map((line) => line.amount)).toEqual([6000, 2000]);
  });

  it('prefills the first tariff from the slot prices and says whether they were uniform', async () => {
    kiosk = bootTestKiosk();
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    const current = await staff.tariff.current();
    expect(current).toMatchObject({ version: null, savedAt: null, savedBy: null, prefill: { uniform: true } });
    expect(current.document.rates.find((rate) => rate.vehicleTypes?.includes('suv'))?.tiers[0]?.pricePerHour).toBe(8000);
    expect(await staff.tariff.history()).toEqual([]);
  });
});

describe('maximum stay across extend and renew chains', () => {
  it('counts from the first booking of the renewal chain', async () => {
    await withTariff();
    const first = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01TM0001', bookingType: 'instant' });
    await kiosk.caller(first.accessToken).booking.extend({ id: first.id, minutes: 60 }); // to T0+2h
    kiosk.clock.advance(2 * HOUR + 5 * MIN); // ended, in its grace
    // Renewing (default 60 min) from T0+2h05 would end at T0+3h05: past T0 + 3 h.
    expect(await reasonOf(kiosk.caller(first.accessToken).booking.renew({ id: first.id }))).toBe('PRECONDITION_FAILED:MAX_STAY_EXCEEDED');

    const second = await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'KA01TM0002', bookingType: 'instant' });
    kiosk.clock.advance(HOUR + 5 * MIN);
    const renewed = await kiosk.caller(second.accessToken).booking.renew({ id: second.id });
    expect(renewed.newBooking.maxStayEndsAt).toBe(iso(Date.parse(second.startTime) + 3 * HOUR));
    const next = kiosk.caller(renewed.accessToken);
    // The chain began at its first start: 65 min + 60 min so far, so only 30 more minutes fit... and 60 do not.
    expect(await reasonOf(next.booking.extend({ id: renewed.newBooking.id, minutes: 60 }))).toBe('PRECONDITION_FAILED:MAX_STAY_EXCEEDED');
    await expect(next.booking.extend({ id: renewed.newBooking.id, minutes: 30 })).resolves.toHaveProperty('charged', 2000);
  });
});

describe('the grace hold', () => {
  it('holds the slot for the driver after the end: others are refused, the slot shows held, renew succeeds; after grace it frees', async () => {
    await withTariff();
    const anon = kiosk.caller();
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TG0001', bookingType: 'instant' });
    kiosk.clock.advance(HOUR + 4 * MIN);
    const view = await kiosk.caller(made.accessToken).booking.get({ id: made.id });
    expect([view.status, view.graceEndsAt]).toEqual(['completed', iso(T0 + HOUR + 10 * MIN)]);
    expect(await reasonOf(anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TG0002', bookingType: 'instant' }))).toBe('CONFLICT:SLOT_TAKEN');
    expect(await reasonOf(anon.booking.create({ slotId: 1, vehicleNumber: 'KA01TG0003', bookingType: 'advance', startTime: iso(T0 + HOUR + 6 * MIN) }))).toBe(
      'CONFLICT:SLOT_TAKEN',
    );
    const slot = (await anon.slot.list({})).find((s) => s.id === 1)!;
    expect(slot).toMatchObject({ available: false, occupied: false, heldUntil: iso(T0 + HOUR + 10 * MIN) });
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    const map = await owner.slotAdmin.lotMap({ lotId: 1 });
    expect(map.slots[0]).toMatchObject({ state: 'held', heldUntil: iso(T0 + HOUR + 10 * MIN), occupant: { bookingId: made.id } });
    const renewed = await kiosk.caller(made.accessToken).booking.renew({ id: made.id });
    expect(renewed.newBooking).toMatchObject({ slotId: 1, startTime: iso(T0 + HOUR + 4 * MIN), price: 6000 });

    // Another booking, left to lapse: after its grace the slot frees for anyone.
    const other = await anon.booking.create({ slotId: 2, vehicleNumber: 'KA01TG0004', bookingType: 'instant' });
    kiosk.clock.advance(HOUR + 10 * MIN);
    expect((await kiosk.caller(other.accessToken).booking.get({ id: other.id })).graceEndsAt).toBeNull();
    await expect(anon.booking.create({ slotId: 2, vehicleNumber: 'KA01TG0005', bookingType: 'instant' })).resolves.toHaveProperty('slotId', 2);
  });

  it('is enforced by the database itself (trigger), not only by the core', async () => {
    await withTariff();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01TG0010', bookingType: 'instant' });
    const insert = (start: number) =>
      kiosk.core.db.sqlite
        .prepare(
          `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at, grace_until_ms)
           VALUES (?, 1, 1, 'KA01TG0011', 'car', 'advance', 'booked', ?, ?, 0, ?, ?)`,
        )
        .run(`RAW${start}`, start, start + HOUR, T0, start + HOUR);
    expect(() => insert(Date.parse(made.endTime) + 5 * MIN)).toThrow(/BOOKING_OVERLAP/);
    expect(() => insert(Date.parse(made.endTime) + 10 * MIN)).not.toThrow();
  });
});

describe("reports in the lot's zone", () => {
  it('has 23- and 25-hour days on the DST changes of Europe/London', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    await owner.slotAdmin.setLotSettings({ lotId: 1, timeZone: 'Europe/London' });
    expect((await kiosk.caller().lot.get({ lotId: 1 })).timeZone).toBe('Europe/London');
    expect(await reasonOf(owner.slotAdmin.setLotSettings({ lotId: 1, timeZone: 'Mars/Olympus' }))).toBe('BAD_REQUEST:');
    const spring = await owner.report.occupancy({ lotId: 1, from: '2026-03-29T00:00:00Z', to: '2026-03-29T23:00:00Z' });
    expect(spring.hours).toHaveLength(23);
    const autumn = await owner.report.occupancy({ lotId: 1, from: '2026-10-24T23:00:00Z', to: '2026-10-26T00:00:00Z' });
    expect(autumn.hours).toHaveLength(25);
    expect(autumn.hours[1]!.hourStart).toBe('2026-10-25T00:00:00.000Z');
    expect(autumn.hours[2]!.hourStart).toBe('2026-10-25T01:00:00.000Z'); // 01:00 BST then 01:00 GMT
    const days = await owner.report.revenue({ lotId: 1, from: '2026-03-28T00:00:00Z', to: '2026-03-30T23:00:00Z' });
    expect(days.days.map((d) => d.day)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
  });

  it('buckets Kolkata days from local midnight (18:30Z) by default', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01TR0001', bookingType: 'instant' }); // 19:30 IST on the 15th
    kiosk.clock.advance(5 * HOUR); // 00:30 IST on the 16th
    await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'KA01TR0002', bookingType: 'instant' });
    const report = await owner.report.revenue({ lotId: 1, from: '2026-01-14T18:30:00Z', to: '2026-01-16T18:30:00Z' });
    expect(report.days.map((d) => [d.day, d.bookings])).toEqual([
      ['2026-01-15', 1],
      ['2026-01-16', 1],
    ]);
  });
});
