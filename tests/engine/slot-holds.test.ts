import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../electron/core/shared/errors';
import { bootTestKiosk, T0, type TestKiosk } from '../support/core';
import { expectError, plate } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const MIN = 60_000;
const SLOT = 1; // A1 of the demo lot
const instant = (n: number, holdToken?: string) => ({
  slotId: SLOT,
  vehicleNumber: plate(n),
  bookingType: 'instant' as const,
  ...(holdToken ? { holdToken } : {}),
});

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError && error.cause instanceof DomainError) return error.cause.reason;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const slotA1 = async (holdToken?: string) => (await kiosk.caller().slot.list({ lotId: 1, ...(holdToken ? { holdToken } : {}) })).find((s) => s.id === SLOT)!;
const holdRows = () => (kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM slot_holds').get() as { n: number }).n;

describe('slot holds (issue 13)', () => {
  it('a hold refuses other creates and other holds, and shows "being booked" to everyone but its holder', async () => {
    kiosk = bootTestKiosk();
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    expect(hold).toEqual({ holdToken: expect.stringMatching(/^hd_[A-Za-z0-9_-]{32}$/), slotId: SLOT, expiresAt: new Date(T0 + 2 * MIN).toISOString() });

    expect(await reasonOf(kiosk.caller().booking.create(instant(1)))).toBe('SLOT_HELD');
    await expectError(kiosk.caller().booking.create(instant(1)), 'CONFLICT', /booking slot A1/);
    expect(await reasonOf(kiosk.caller().slot.hold({ slotId: SLOT }))).toBe('SLOT_HELD');
    // Staff from the console cannot book it either.
    const staff = await kiosk.staffToken();
    expect(await reasonOf(kiosk.caller(staff).booking.create(instant(2)))).toBe('SLOT_HELD');

    expect(await slotA1()).toMatchObject({ available: false, heldUntil: hold.expiresAt, occupied: false });
    expect(await slotA1(hold.holdToken)).toMatchObject({ available: true, heldUntil: null });
    const map = await kiosk.caller(staff).slotAdmin.lotMap({ lotId: 1 });
    expect(map.slots.find((s) => s.id === SLOT)).toMatchObject({ state: 'held', heldUntil: hold.expiresAt, occupant: null });
    const lot = (await kiosk.caller().lot.list())[0]!;
    expect(lot.freeSlots).toBe(lot.totalSlots - 1);
  });

  it('its own create converts the hold in the same transaction (the hold is gone, the slot is booked)', async () => {
    kiosk = bootTestKiosk();
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    const booking = await kiosk.caller().booking.create(instant(1, hold.holdToken));
    expect(booking).toMatchObject({ slotId: SLOT, status: 'booked' });
    expect(holdRows()).toBe(0);
    expect(await slotA1()).toMatchObject({ available: false, occupied: true, heldUntil: null });
    // A second use of the token books nothing more.
    expect(await reasonOf(kiosk.caller().booking.create(instant(2, hold.holdToken)))).toBe('SLOT_TAKEN');
  });

  it('a failed create keeps the hold (the transaction rolls back whole)', async () => {
    kiosk = bootTestKiosk();
    await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: plate(1), bookingType: 'instant' });
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    expect(await reasonOf(kiosk.caller().booking.create(instant(1, hold.holdToken)))).toBe('VEHICLE_BUSY');
    expect(await slotA1()).toMatchObject({ heldUntil: hold.expiresAt });
    expect(await reasonOf(kiosk.caller().booking.create(instant(3)))).toBe('SLOT_HELD');
  });

  it('a hold cannot be placed on a slot that is booked now; a hold for another slot is refused at create', async () => {
    kiosk = bootTestKiosk();
    await kiosk.caller().booking.create(instant(1));
    expect(await reasonOf(kiosk.caller().slot.hold({ slotId: SLOT }))).toBe('SLOT_TAKEN');
    const other = await kiosk.caller().slot.hold({ slotId: 2 });
    await expectError(
      kiosk.caller().booking.create({ slotId: 3, vehicleNumber: plate(2), bookingType: 'instant', holdToken: other.holdToken }),
      'BAD_REQUEST',
      /another slot/,
    );
  });

  it('expiry frees the slot by time alone: no sweep, the row still there, reads and the trigger agree', async () => {
    kiosk = bootTestKiosk();
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    kiosk.clock.advance(2 * MIN - 1);
    expect(await slotA1()).toMatchObject({ available: false });
    kiosk.clock.advance(1);
    expect(await slotA1()).toMatchObject({ available: true, heldUntil: null });
    expect(holdRows()).toBe(1); // reads wrote nothing
    // The database trigger alone (no core check, no sweep) lets a booking in once the hold ran out.
    const insert = kiosk.core.db.sqlite.prepare(
      `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
       VALUES (?, 1, ?, ?, 'car', 'instant', 'booked', ?, ?, 0, ?)`,
    );
    const now = T0 + 2 * MIN;
    expect(() => insert.run('HOLDX1', SLOT, plate(5), now - 1, now + 60 * MIN, now - 1)).toThrow(/SLOT_HELD/);
    insert.run('HOLDX2', SLOT, plate(5), now, now + 60 * MIN, now);
    // The lost hold neither renews nor converts.
    expect(await reasonOf(kiosk.caller().slot.renewHold({ holdToken: hold.holdToken }))).toBe('HOLD_EXPIRED');
  });

  it('an expired hold is no obstacle to its own driver when nobody else took the slot; write transactions tidy old rows', async () => {
    kiosk = bootTestKiosk();
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    kiosk.clock.advance(3 * MIN);
    const booking = await kiosk.caller().booking.create(instant(1, hold.holdToken));
    expect(booking.slotId).toBe(SLOT);
    await kiosk.caller().slot.hold({ slotId: 2 });
    kiosk.clock.advance(3 * MIN);
    await kiosk.caller().booking.create({ slotId: 3, vehicleNumber: plate(2), bookingType: 'instant' });
    expect(holdRows()).toBe(0);
  });

  it('renewal extends from now, within a 10-minute lifetime; release frees at once and is idempotent', async () => {
    kiosk = bootTestKiosk();
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    for (let minute = 1; minute <= 9; minute += 1) {
      kiosk.clock.advance(MIN);
      const renewed = await kiosk.caller().slot.renewHold({ holdToken: hold.holdToken });
      expect(Date.parse(renewed.expiresAt)).toBe(Math.min(T0 + (minute + 2) * MIN, T0 + 10 * MIN));
    }
    kiosk.clock.advance(MIN); // 10 minutes since it was placed
    expect(await reasonOf(kiosk.caller().slot.renewHold({ holdToken: hold.holdToken }))).toBe('HOLD_EXPIRED');
    expect(await slotA1()).toMatchObject({ available: true });
    // The database itself refuses a longer life.
    expect(() => kiosk.core.db.sqlite.prepare(`UPDATE slot_holds SET expires_ms = created_ms + 600001`).run()).toThrow(/CHECK|HOLD_EXPIRED/);

    const second = await kiosk.caller().slot.hold({ slotId: SLOT });
    expect(await kiosk.caller().slot.releaseHold({ holdToken: second.holdToken })).toEqual({ released: true });
    expect(await kiosk.caller().slot.releaseHold({ holdToken: second.holdToken })).toEqual({ released: false });
    expect(await slotA1()).toMatchObject({ available: true });
    await kiosk.caller().booking.create(instant(1));
  });

  it('the hold time is the lot setting (owner only, 1 to 10 minutes)', async () => {
    kiosk = bootTestKiosk();
    const owner = await kiosk.staffToken();
    await expectError(kiosk.caller(owner).slotAdmin.setLotSettings({ lotId: 1, slotHoldMinutes: 11 }), 'BAD_REQUEST');
    expect(await kiosk.caller(owner).slotAdmin.setLotSettings({ lotId: 1, slotHoldMinutes: 5 })).toMatchObject({ slotHoldMinutes: 5 });
    expect((await kiosk.caller().lot.list())[0]).toMatchObject({ slotHoldMinutes: 5 });
    const hold = await kiosk.caller().slot.hold({ slotId: SLOT });
    expect(hold.expiresAt).toBe(new Date(T0 + 5 * MIN).toISOString());
  });

  it('network callers hold one slot at a time and may not churn; the kiosk screen is not limited', async () => {
    kiosk = bootTestKiosk();
    const phone = kiosk.caller(undefined, 'phone-1', 'network');
    const first = await phone.slot.hold({ slotId: 1 });
    expect(await reasonOf(phone.slot.hold({ slotId: 2 }))).toBe('HOLD_LIMIT');
    await phone.slot.releaseHold({ holdToken: first.holdToken });
    for (let i = 0; i < 8; i += 1) {
      const again = await phone.slot.hold({ slotId: 2 + i });
      await phone.slot.releaseHold({ holdToken: again.holdToken });
    }
    expect(await reasonOf(phone.slot.hold({ slotId: 20 }))).toBe('HOLD_LIMIT'); // 10 attempts already this minute
    for (let i = 0; i < 5; i += 1) await kiosk.caller().slot.hold({ slotId: 10 + i });
  });

  it('deleting a slot takes its holds with it; a closed slot cannot be held', async () => {
    kiosk = bootTestKiosk();
    const owner = await kiosk.staffToken();
    await kiosk.caller().slot.hold({ slotId: 24 });
    await kiosk.caller(owner).slotAdmin.remove({ slotId: 24 });
    expect(holdRows()).toBe(0);
    await kiosk.caller(owner).slotAdmin.disable({ slotId: 23 });
    await expectError(kiosk.caller().slot.hold({ slotId: 23 }), 'PRECONDITION_FAILED');
  });
});
