import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';
import { expectError, slotOf } from './helpers/kiosk';
import { tariffDocument } from '../../electron/core/tariffs/model';

// Issue 12: "For the grace period after a booking ends (a lot setting, default 10 minutes), its
// slot is held for that driver". These are the flat-rate lots (no saved tariff): the demo lot.

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const reasonOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string; cause?: { reason?: string } }) => `${error.code}:${error.cause?.reason ?? ''}`,
  );

describe('the lot grace on a flat-rate lot (default 10 minutes)', () => {
  it('holds the slot for its driver: renew in the grace succeeds on the same slot, others are refused, then it frees', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const made = await anon.booking.create({ slotId: 1, vehicleNumber: 'KA01GR0001', bookingType: 'instant' });
    expect(made).toMatchObject({ tariffVersion: null, graceEndsAt: iso(T0 + HOUR + 10 * MIN) });

    kiosk.clock.advance(HOUR + 9 * MIN);
    const ended = await kiosk.caller(made.accessToken).booking.get({ id: made.id });
    expect(ended).toMatchObject({ status: 'completed', isExpired: true, graceEndsAt: iso(T0 + HOUR + 10 * MIN) });
    expect(await reasonOf(anon.booking.create({ slotId: 1, vehicleNumber: 'KA01GR0002', bookingType: 'instant' }))).toBe('CONFLICT:SLOT_TAKEN');
    expect(
      await reasonOf(anon.booking.create({ slotId: 1, vehicleNumber: 'KA01GR0003', bookingType: 'advance', startTime: iso(T0 + HOUR + 9 * MIN + 30_000) })),
    ).toBe('CONFLICT:SLOT_TAKEN');
    expect(await slotOf(kiosk, 1)).toMatchObject({ available: false, occupied: false, heldUntil: iso(T0 + HOUR + 10 * MIN) });
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    expect((await owner.slotAdmin.lotMap({ lotId: 1 })).slots.find((s) => s.id === 1)).toMatchObject({ state: 'held', occupant: { bookingId: made.id } });

    const renewed = await kiosk.caller(made.accessToken).booking.renew({ id: made.id });
    expect(renewed.newBooking).toMatchObject({ slotId: 1, renewedFromId: made.id, startTime: iso(T0 + HOUR + 9 * MIN), price: 6000 });

    // Another booking left to lapse: at the end of its grace the slot is anyone's again.
    const other = await anon.booking.create({ slotId: 2, vehicleNumber: 'KA01GR0004', bookingType: 'instant' });
    kiosk.clock.advance(HOUR + 10 * MIN);
    expect((await kiosk.caller(other.accessToken).booking.get({ id: other.id })).graceEndsAt).toBeNull();
    expect(await slotOf(kiosk, 2)).toMatchObject({ available: true, heldUntil: null });
    await expect(anon.booking.create({ slotId: 2, vehicleNumber: 'KA01GR0005', bookingType: 'instant' })).resolves.toHaveProperty('slotId', 2);
  });

  it("is the owner's lot setting: validated, audited, applied to stays sold after it; 0 turns it off", async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    expect((await kiosk.caller().lot.list())[0]).toMatchObject({ graceMinutes: 10 });
    const before = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01GR0010', bookingType: 'instant' });

    expect(await owner.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 25 })).toMatchObject({ graceMinutes: 25 });
    await expectError(owner.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 121 }), 'BAD_REQUEST');
    await expectError(owner.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: -1 }), 'BAD_REQUEST');
    await expectError(owner.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 2.5 }), 'BAD_REQUEST');
    const audit = kiosk.core.db.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'settings.lot' ORDER BY id DESC LIMIT 1`).get() as {
      detail: string;
    };
    expect(JSON.parse(audit.detail)).toMatchObject({ changes: { graceMinutes: { from: 10, to: 25 } } });

    const after = await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'KA01GR0011', bookingType: 'instant' });
    expect(after.graceEndsAt).toBe(iso(T0 + HOUR + 25 * MIN));
    // A booking already made keeps the hold it was sold with.
    expect((await kiosk.caller(before.accessToken).booking.get({ id: before.id })).graceEndsAt).toBe(iso(T0 + HOUR + 10 * MIN));

    await owner.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 0 });
    const none = await kiosk.caller().booking.create({ slotId: 3, vehicleNumber: 'KA01GR0012', bookingType: 'instant' });
    expect(none.graceEndsAt).toBeNull();
    kiosk.clock.advance(HOUR);
    expect(await slotOf(kiosk, 3)).toMatchObject({ available: true });
  });

  it('only the owner changes it', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    await owner.staff.add({ name: 'Asha', role: 'staff', pin: '735204' });
    const staff = kiosk.caller(await kiosk.staffToken('735204'));
    await expectError(staff.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 5 }), 'FORBIDDEN');
    await expectError(kiosk.caller().slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 5 }), 'UNAUTHORIZED');
  });

  it('a saved tariff keeps its own grace whatever the lot setting', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    await owner.slotAdmin.setLotSettings({ lotId: 1, graceMinutes: 30 });
    await owner.tariff.save({
      document: tariffDocument.parse({
        schemaVersion: 1,
        currency: 'INR',
        stepMinutes: 15,
        minimumCharge: 0,
        dailyCap: null,
        maxStayMinutes: null,
        durations: { minMinutes: 60, maxMinutes: 60, stepMinutes: 60, defaultMinutes: 60 },
        graceMinutes: 5,
        rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] }],
      }),
    });
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01GR0020', bookingType: 'instant' });
    expect(made.graceEndsAt).toBe(iso(T0 + HOUR + 5 * MIN));
  });
});
