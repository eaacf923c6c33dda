import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';
import { bulkInsertBookings } from './helpers/bulk';
import { addLot, expectError } from './helpers/kiosk';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const DAY = 24 * HOUR;

describe('booking.list', () => {
  it('is for staff only', async () => {
    kiosk = bootTestKiosk();
    const created = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    await expectError(kiosk.caller().booking.list({}), 'UNAUTHORIZED');
    await expectError(kiosk.caller(created.accessToken).booking.list({}), 'FORBIDDEN');
    const page = await kiosk.caller(await kiosk.staffToken()).booking.list();
    expect(page).toEqual({ items: [expect.objectContaining({ id: created.id, status: 'booked' })], nextCursor: null });
  });

  it('walks 1,234 bookings in keyset pages of {items, nextCursor}: every row once, newest first, no gaps', async () => {
    kiosk = bootTestKiosk();
    const ids = bulkInsertBookings(kiosk.core.db.sqlite, { count: 1234, slotIds: [1, 2, 3, 4], startMs: T0 - 60 * DAY, stepMs: HOUR });
    const staff = kiosk.caller(await kiosk.staffToken());
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page: { items: { id: number }[]; nextCursor: number | null } = await staff.booking.list({ limit: 100, cursor });
      pages += 1;
      expect(page.items.length).toBe(page.nextCursor === null ? 34 : 100);
      if (page.nextCursor !== null) expect(page.nextCursor).toBe(page.items.at(-1)!.id);
      seen.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toBe(13);
    expect(seen).toEqual([...ids].reverse());

    // Oldest first, and the default page size of 50.
    const oldest = await staff.booking.list({ order: 'oldest' });
    expect(oldest.items.map((b) => b.id)).toEqual(ids.slice(0, 50));
    expect(oldest.nextCursor).toBe(ids[49]);
    const next = await staff.booking.list({ order: 'oldest', cursor: oldest.nextCursor });
    expect(next.items[0]!.id).toBe(ids[50]);

    // A page that ends exactly at the last row says there is nothing more.
    const exact = await staff.booking.list({ order: 'oldest', cursor: ids[1233 - 10], limit: 10 });
    expect(exact).toMatchObject({ nextCursor: null });
    expect(exact.items).toHaveLength(10);
  });

  it('filters by status, lot, slot and search (reference, or plate in any spelling)', async () => {
    kiosk = bootTestKiosk();
    const { lotId, slotIds } = addLot(kiosk.core.db.sqlite, { count: 2 });
    const anon = kiosk.caller();
    const a = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const b = await anon.booking.create({ slotId: slotIds[0]!, vehicleNumber: 'MH12DE1433', bookingType: 'instant' });
    const c = await anon.booking.create({ slotId: slotIds[1]!, vehicleNumber: 'TN09XY0001', bookingType: 'instant' });
    await kiosk.caller(c.accessToken).booking.cancel({ id: c.id });
    const staff = kiosk.caller(await kiosk.staffToken());
    const ids = async (input: Parameters<typeof staff.booking.list>[0]) => (await staff.booking.list(input)).items.map((x) => x.id);

    expect(await ids({ status: 'booked' })).toEqual([b.id, a.id]);
    expect(await ids({ status: 'cancelled' })).toEqual([c.id]);
    expect(await ids({ status: 'completed' })).toEqual([]);
    expect(await ids({ lotId })).toEqual([c.id, b.id]);
    expect(await ids({ lotId, status: 'booked' })).toEqual([b.id]);
    expect(await ids({ slotId: 1 })).toEqual([a.id]);
    expect(await ids({ search: 'kl 08 az 1234' })).toEqual([a.id]);
    expect(await ids({ search: 'KL-08-AZ-1234' })).toEqual([a.id]);
    expect(await ids({ search: b.reference.toLowerCase() })).toEqual([b.id]);
    expect(await ids({ search: '<junk>' })).toEqual([]);
    // Staff often have only part of a plate or the start of a reference.
    expect(await ids({ search: 'kl 08' })).toEqual([a.id]);
    expect(await ids({ search: 'AZ-12' })).toEqual([a.id]);
    expect(await ids({ search: b.reference.slice(0, 4).toLowerCase() })).toContain(b.id);
    await expectError(staff.booking.list({ limit: 0 }), 'BAD_REQUEST');
    await expectError(staff.booking.list({ limit: 201 }), 'BAD_REQUEST');
    await expectError(staff.booking.list({ status: 'expired' as 'booked' }), 'BAD_REQUEST');
  });

  it('applies lazy expiry before listing: overdue bookings show as completed, not booked', async () => {
    kiosk = bootTestKiosk();
    const anon = kiosk.caller();
    const early = await anon.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ0001', bookingType: 'instant' });
    kiosk.clock.advance(30 * 60_000);
    const late = await anon.booking.create({ slotId: 2, vehicleNumber: 'KL08AZ0002', bookingType: 'instant' });
    kiosk.clock.advance(30 * 60_000);
    const staff = kiosk.caller(await kiosk.staffToken());
    expect((await staff.booking.list({ status: 'booked' })).items.map((x) => x.id)).toEqual([late.id]);
    const completed = await staff.booking.list({ status: 'completed' });
    expect(completed.items).toEqual([expect.objectContaining({ id: early.id, status: 'completed', isExpired: true, remainingSeconds: 0 })]);
    const all = await staff.booking.list({});
    expect(all.items.find((x) => x.id === late.id)).toMatchObject({ status: 'booked', remainingSeconds: 1800 });
  });
});
