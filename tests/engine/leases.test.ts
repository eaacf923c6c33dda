import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiContext } from '../../electron/api/context';
import { fullRouter } from '../../electron/api/router';
import { createCallerFactory } from '../../electron/api/trpc';
import { createBooking } from '../../electron/core/bookings/service';
import { placeHold } from '../../electron/core/holds/service';
import { grantLeases } from '../../electron/core/leases/rules';
import { registerSatellite, verifySatelliteCredential } from '../../electron/core/pairing/satellites';
import { bootTestKiosk, type TestKiosk } from '../support/core';

/** Slot leases and replay at the hub (issue 14): the rules and the trigger behind them. */
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());
const createCaller = createCallerFactory(fullRouter);
const satelliteCaller = (credential: string) =>
  createCaller(createApiContext({ core: kiosk.core, testClock: kiosk.clock }, undefined, 'sat', 'network', credential));
const report = { state: 'online' as const, journalBacklog: 0, leasedSlots: 0 };
/** A sale as a satellite's journal records it (core/leases/journal-events.ts). */
const saleEvent = (sale: { globalId: string; slotId: number; reference: string; vehicleNumber: string; startMs: number; endMs: number; price: number }) => ({
  kind: 'book' as const,
  eventId: randomUUID(),
  globalId: sale.globalId,
  slotId: sale.slotId,
  reference: sale.reference,
  vehicleNumber: sale.vehicleNumber,
  startTime: new Date(sale.startMs).toISOString(),
  endTime: new Date(sale.endMs).toISOString(),
  price: sale.price,
  at: new Date(sale.startMs).toISOString(),
});

describe('slot leases at the hub', () => {
  it('grants 2 free slots per satellite, never one slot twice, and the hub refuses to sell or hold them', async () => {
    kiosk = bootTestKiosk();
    const a = registerSatellite(kiosk.core, { name: 'a' });
    const b = registerSatellite(kiosk.core, { name: 'b' });
    const leaseA = await satelliteCaller(a.credential).hub.lease({ report });
    const leaseB = await satelliteCaller(b.credential).hub.lease({ report });
    const slotsA = leaseA.slots.map((s) => s.slotId);
    expect(slotsA).toHaveLength(2);
    expect(leaseB.slots.map((s) => s.slotId).filter((id) => slotsA.includes(id))).toEqual([]);
    // Renewing keeps the same slots.
    expect((await satelliteCaller(a.credential).hub.lease({ report })).slots.map((s) => s.slotId)).toEqual(slotsA);
    const caller = kiosk.caller();
    await expect(caller.booking.create({ slotId: slotsA[0]!, vehicleNumber: 'KA01L1', bookingType: 'instant' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => placeHold(kiosk.core, { slotId: slotsA[0]!, clientKey: 'x' })).toThrow(/another kiosk/);
    expect((await caller.slot.list({})).filter((s) => slotsA.includes(s.id)).every((s) => !s.available)).toBe(true);
    // The trigger refuses even a write that skips the core.
    expect(() =>
      kiosk.core.db.sqlite
        .prepare(
          `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, grace_until_ms, created_at) VALUES ('RAWX22', 1, ?, 'KA01L2', 'car', 'instant', 'booked', ?, ?, 0, ?, ?)`,
        )
        .run(slotsA[0], kiosk.clock.now(), kiosk.clock.now() + 60_000, kiosk.clock.now() + 60_000, kiosk.clock.now()),
    ).toThrow(/SLOT_LEASED/);
  });

  it("counts leased slots out of the hub's free counts, as its slot list does", async () => {
    kiosk = bootTestKiosk();
    const caller = kiosk.caller();
    const freeOf = async () => {
      const [lot] = await caller.lot.list();
      return lot!.freeSlots;
    };
    const before = await freeOf();
    const availableBefore = (await caller.slot.list({})).filter((slot) => slot.available).length;
    expect(before).toBe(availableBefore);
    const a = registerSatellite(kiosk.core, { name: 'a' });
    expect(grantLeases(kiosk.core, a.id).slots).toHaveLength(2);
    expect(await freeOf()).toBe(before - 2);
    expect((await caller.slot.list({})).filter((slot) => slot.available).length).toBe(availableBefore - 2);
  });

  it("keeps a lapsed lease blocking until expiry + skew + the offline stay + the lot's grace, then frees the slot", async () => {
    kiosk = bootTestKiosk({ graceMinutes: 7 });
    const a = registerSatellite(kiosk.core, { name: 'a' });
    const slot = grantLeases(kiosk.core, a.id).slots[0]!;
    kiosk.clock.advance(60_000 + 10_000 + (slot.stayMinutes + 7) * 60_000 - 1);
    expect(() => createBooking(kiosk.core, { slotId: slot.slotId, vehicleNumber: 'KA01L3', bookingType: 'instant' })).toThrow(/another kiosk/);
    kiosk.clock.advance(1);
    expect(createBooking(kiosk.core, { slotId: slot.slotId, vehicleNumber: 'KA01L3', bookingType: 'instant' }).booking.slotId).toBe(slot.slotId);
  });

  it("gives a sale replayed from a satellite the lot's grace, as a hub sale has, even when it was sold as the lease ran out", async () => {
    kiosk = bootTestKiosk({ graceMinutes: 7 });
    const a = registerSatellite(kiosk.core, { name: 'a' });
    const grant = await satelliteCaller(a.credential).hub.lease({ report });
    const leased = grant.slots[0]!;
    // The satellite's last sale: the moment its lease ends (by the hub's clock, the latest it can be).
    const soldAt = Date.parse(grant.expiresAt);
    const endMs = soldAt + leased.stayMinutes * 60_000;
    const globalId = randomUUID();
    const sale = saleEvent({ globalId, slotId: leased.slotId, reference: 'GRC234', vehicleNumber: 'KA01G7', startMs: soldAt, endMs, price: leased.price });
    // It comes back long after: the lease has lapsed and the stay is over.
    kiosk.clock.advance(endMs + 60_000 - kiosk.clock.now());
    const [outcome] = (await satelliteCaller(a.credential).hub.replay({ events: [sale] })).outcomes;
    expect(outcome).toMatchObject({ result: 'applied' });
    const replayed = await kiosk.caller(await kiosk.staffToken()).booking.get({ id: (outcome as { bookingId: number }).bookingId });
    expect(replayed.graceEndsAt).toBe(new Date(endMs + 7 * 60_000).toISOString());
    // The grace holds the slot for that driver: the hub does not sell it until the grace is over.
    expect(() => createBooking(kiosk.core, { slotId: leased.slotId, vehicleNumber: 'KA01G8', bookingType: 'instant' })).toThrow();
    // Then the slot frees (after the lease's clock-skew allowance, which covers the same sale).
    kiosk.clock.advance(endMs + 7 * 60_000 + grant.skewMs - kiosk.clock.now());
    expect(createBooking(kiosk.core, { slotId: leased.slotId, vehicleNumber: 'KA01G8', bookingType: 'instant' }).booking.slotId).toBe(leased.slotId);
  });

  it('replays a journal exactly once, in order, and refuses callers that are not paired satellites', async () => {
    kiosk = bootTestKiosk();
    const a = registerSatellite(kiosk.core, { name: 'a' });
    const grant = await satelliteCaller(a.credential).hub.lease({ report });
    const slotId = grant.slots[0]!.slotId;
    const now = kiosk.clock.now();
    const globalId = randomUUID();
    const events = [
      saleEvent({ globalId, slotId, reference: 'QWE234', vehicleNumber: 'KA01R1', startMs: now, endMs: now + 3_600_000, price: 6000 }),
      { kind: 'cancel' as const, eventId: randomUUID(), globalId, at: new Date(now + 1000).toISOString() },
    ];
    const first = await satelliteCaller(a.credential).hub.replay({ events });
    expect(first.outcomes.map((o) => [o.result, o.repeat])).toEqual([
      ['applied', false],
      ['applied', false],
    ]);
    const again = await satelliteCaller(a.credential).hub.replay({ events });
    expect(again.outcomes.map((o) => o.repeat)).toEqual([true, true]);
    const rows = kiosk.core.db.sqlite.prepare('SELECT status, satellite_id AS sat FROM bookings WHERE global_id = ?').all(globalId);
    expect(rows).toEqual([{ status: 'cancelled', sat: a.id }]);
    await expect(kiosk.caller().hub.replay({ events })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    kiosk.core.db.sqlite.prepare('UPDATE satellites SET revoked_at = 1 WHERE id = ?').run(a.id);
    expect(verifySatelliteCredential(kiosk.core, a.credential)).toBeNull();
    await expect(satelliteCaller(a.credential).hub.lease({ report })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it("gives a satellite the hub's id and a token for its own replayed sale only, and that token opens it", async () => {
    kiosk = bootTestKiosk();
    const a = registerSatellite(kiosk.core, { name: 'a' });
    const b = registerSatellite(kiosk.core, { name: 'b' });
    const slotId = (await satelliteCaller(a.credential).hub.lease({ report })).slots[0]!.slotId;
    const now = kiosk.clock.now();
    const globalId = randomUUID();
    const sale = saleEvent({ globalId, slotId, reference: 'HND234', vehicleNumber: 'KA01H1', startMs: now, endMs: now + 3_600_000, price: 6000 });
    // Not replayed yet: the hub does not know it.
    await expect(satelliteCaller(a.credential).hub.bookingAccess({ globalId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [outcome] = (await satelliteCaller(a.credential).hub.replay({ events: [sale] })).outcomes;
    const access = await satelliteCaller(a.credential).hub.bookingAccess({ globalId });
    expect(access.bookingId).toBe(outcome!.bookingId);
    // The token is the hub's own for that booking: a driver's call with it opens and cancels it.
    const driver = kiosk.caller(access.accessToken);
    expect((await driver.booking.get({ id: access.bookingId })).reference).toBe('HND234');
    await expect(kiosk.caller(access.accessToken).booking.get({ id: access.bookingId + 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Another satellite, a screen relayed through one, and a caller with no credential get nothing.
    await expect(satelliteCaller(b.credential).hub.bookingAccess({ globalId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(kiosk.caller().hub.bookingAccess({ globalId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(satelliteCaller(a.credential).hub.bookingAccess({ globalId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
