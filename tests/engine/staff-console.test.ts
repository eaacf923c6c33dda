import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

/** A kiosk with the owner (PIN 2468) and one plain staff member (PIN 1357) signed in. */
async function bootWithRoles() {
  kiosk = bootTestKiosk();
  const ownerToken = await kiosk.staffToken('482916');
  const owner = kiosk.caller(ownerToken);
  await owner.staff.add({ name: 'Ravi', role: 'staff', pin: '735204' });
  const staffToken = await kiosk.staffToken('735204');
  const staff = kiosk.caller(staffToken);
  const anon = kiosk.caller();
  const [lot] = await anon.lot.list();
  return { owner, ownerToken, staff, staffToken, anon, lotId: lot!.id };
}

const book = (k: TestKiosk, slotId: number, vehicleNumber: string) => k.caller().booking.create({ slotId, vehicleNumber, bookingType: 'instant' });

describe('staff accounts (owner only)', () => {
  it('lets the owner list, add and deactivate staff; a deactivated member is signed out at once', async () => {
    const { owner, staff, staffToken } = await bootWithRoles();
    const list = await owner.staff.list();
    expect(list.map((m) => [m.name, m.role, m.active])).toEqual([
      ['Owner', 'owner', true],
      ['Ravi', 'staff', true],
    ]);
    expect(list.find((m) => m.name === 'Owner')!.lastLoginAt).toBe(new Date(T0).toISOString());
    const ravi = list.find((m) => m.name === 'Ravi')!;
    await expect(staff.auth.me()).resolves.toMatchObject({ name: 'Ravi', role: 'staff' });
    await owner.staff.deactivate({ staffId: ravi.id });
    // The context resolves the token per request, so ask with a fresh caller.
    await expect(kiosk.caller(staffToken).auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(kiosk.staffToken('735204')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await owner.staff.list()).find((m) => m.id === ravi.id)!.active).toBe(false);
  });

  it('refuses staff and anonymous callers, duplicate names, weak PINs, and removing the last owner or yourself', async () => {
    const { owner, staff, anon } = await bootWithRoles();
    await expect(staff.staff.list()).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only the lot owner can do that.' });
    await expect(staff.staff.add({ name: 'X', role: 'owner', pin: '861357' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(anon.staff.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // A PIN someone else already has is not refused: refusing it would tell the owner that PIN.
    await expect(owner.staff.add({ name: 'Dup', role: 'staff', pin: '735204' })).resolves.toMatchObject({ name: 'Dup' });
    await expect(kiosk.caller(undefined, 'desk').auth.login({ pin: '735204' })).rejects.toMatchObject({ code: 'CONFLICT', cause: { reason: 'NAME_NEEDED' } });
    await expect(kiosk.caller(undefined, 'desk').auth.login({ pin: '735204', name: 'dup' })).resolves.toMatchObject({ staff: { name: 'Dup' } });
    for (const weak of ['000000', '123456', '987654', '121212', '123123', '112233', '12345678']) {
      await expect(owner.staff.add({ name: `W${weak}`, role: 'staff', pin: weak })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        cause: { reason: 'PIN_WEAK' },
      });
    }
    await expect(owner.staff.add({ name: 'Four', role: 'staff', pin: '4829' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(owner.staff.add({ name: 'Ravi', role: 'staff', pin: '250918' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(owner.staff.add({ name: 'Short', role: 'staff', pin: '12' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const me = (await owner.staff.list()).find((m) => m.role === 'owner')!;
    await expect(owner.staff.deactivate({ staffId: me.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const second = await owner.staff.add({ name: 'Co-owner', role: 'owner', pin: '640271' });
    const coOwner = kiosk.caller(await kiosk.staffToken('640271'));
    await coOwner.staff.deactivate({ staffId: me.id });
    await expect(coOwner.staff.deactivate({ staffId: second.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(coOwner.staff.deactivate({ staffId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the staff lot map', () => {
  it('shows who is in each slot and when it frees, to staff only', async () => {
    const { staff, anon, lotId } = await bootWithRoles();
    const booking = await book(kiosk, 1, 'KA 01 AB 1234');
    const map = await staff.slotAdmin.lotMap({ lotId });
    expect(map.slots).toHaveLength(24);
    expect(map.slots.find((s) => s.id === 1)).toMatchObject({
      state: 'taken',
      occupant: { reference: booking.reference, vehicleNumber: 'KA-01-AB-1234', endTime: booking.endTime },
    });
    expect(map.slots.find((s) => s.id === 2)).toMatchObject({ state: 'free', occupant: null });
    // An Advance booking starting within the booking length makes a slot "reserved", one later only "next".
    const soon = await kiosk
      .caller()
      .booking.create({ slotId: 3, vehicleNumber: 'KA01AB5555', bookingType: 'advance', startTime: new Date(T0 + 30 * 60_000).toISOString() });
    await kiosk.caller().booking.create({ slotId: 4, vehicleNumber: 'KA01AB6666', bookingType: 'advance', startTime: new Date(T0 + 3 * HOUR).toISOString() });
    const later = await staff.slotAdmin.lotMap({ lotId });
    expect(later.slots.find((s) => s.id === 3)).toMatchObject({ state: 'reserved', occupant: null, next: { reference: soon.reference } });
    expect(later.slots.find((s) => s.id === 4)).toMatchObject({ state: 'free', next: { vehicleNumber: 'KA-01-AB-6666' } });
    await expect(anon.slotAdmin.lotMap({ lotId })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(kiosk.caller(booking.accessToken).slotAdmin.lotMap({ lotId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // At the end the lot's 10-minute grace holds the slot for its driver (issue 12); then it frees.
    kiosk.clock.advance(HOUR);
    expect((await staff.slotAdmin.lotMap({ lotId })).slots.find((s) => s.id === 1)).toMatchObject({
      state: 'held',
      occupant: { reference: booking.reference },
    });
    kiosk.clock.advance(10 * 60_000);
    expect((await staff.slotAdmin.lotMap({ lotId })).slots.find((s) => s.id === 1)).toMatchObject({ state: 'free', occupant: null });
    await expect(staff.slotAdmin.lotMap({ lotId: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('slots and prices', () => {
  it('adds, renames and re-prices slots with the right role, announcing each change to the lot', async () => {
    const { owner, staff, lotId } = await bootWithRoles();
    const heard: unknown[] = [];
    kiosk.core.events.subscribe((event) => heard.push(event));
    const added = await owner.slotAdmin.add({ lotId, label: 'C1', vehicleType: 'ev', hourlyPrice: 9000 });
    expect(added).toMatchObject({ label: 'C1', vehicleType: 'ev', hourlyPrice: 9000, enabled: true, totalBookings: 0 });
    expect(heard).toContainEqual({ kind: 'slots', lotId });
    expect((await kiosk.caller().slot.list({ lotId })).find((s) => s.id === added.id)).toMatchObject({ label: 'C1', available: true });

    await expect(staff.slotAdmin.add({ lotId, label: 'C2', vehicleType: 'car', hourlyPrice: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(owner.slotAdmin.add({ lotId, label: 'a1', vehicleType: 'car', hourlyPrice: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(owner.slotAdmin.add({ lotId, label: 'C2', vehicleType: 'plane' as never, hourlyPrice: 1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(owner.slotAdmin.add({ lotId, label: 'C2', vehicleType: 'car', hourlyPrice: -5 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const renamed = await staff.slotAdmin.update({ slotId: added.id, label: 'C-01', vehicleType: 'car' });
    expect(renamed).toMatchObject({ label: 'C-01', vehicleType: 'car' });
    await expect(staff.slotAdmin.setPrice({ slotId: added.id, hourlyPrice: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const priced = await owner.slotAdmin.setPrice({ slotId: added.id, hourlyPrice: 5000 });
    expect(priced.hourlyPrice).toBe(5000);
    const booking = await book(kiosk, added.id, 'MH12AB1234');
    expect(booking.price).toBe(5000);
    await expect(owner.slotAdmin.update({ slotId: 999, label: 'Z' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('will not close a slot with an active booking without a choice, and keeps or cancels it as chosen', async () => {
    const { staff, lotId } = await bootWithRoles();
    const running = await book(kiosk, 1, 'KA01AB1111');
    await expect(staff.slotAdmin.disable({ slotId: 1 })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining(running.reference),
    });
    expect((await staff.slotAdmin.list({ lotId })).find((s) => s.id === 1)).toMatchObject({ enabled: true, activeBookings: 1 });

    const kept = await staff.slotAdmin.disable({ slotId: 1, activeBookings: 'keep' });
    expect(kept.enabled).toBe(false);
    expect((await staff.booking.get({ id: running.id })).status).toBe('booked');
    await expect(
      kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01AB2222', bookingType: 'advance', startTime: new Date(T0 + 2 * HOUR).toISOString() }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(staff.slotAdmin.disable({ slotId: 1, activeBookings: 'keep' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await staff.slotAdmin.enable({ slotId: 1 });
    await expect(staff.slotAdmin.enable({ slotId: 1 })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    const other = await book(kiosk, 2, 'KA01AB3333');
    await staff.slotAdmin.disable({ slotId: 2, activeBookings: 'cancel', reason: 'Oil spill' });
    const cancelled = await staff.booking.get({ id: other.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'staff:Ravi', cancelReason: 'Oil spill' });
    await expect(staff.slotAdmin.disable({ slotId: 3, activeBookings: 'maybe' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('deletes a never-booked slot but refuses one with booking history (owner only)', async () => {
    const { owner, staff, lotId } = await bootWithRoles();
    const fresh = await owner.slotAdmin.add({ lotId, label: 'X9', vehicleType: 'bike', hourlyPrice: 1000 });
    await expect(staff.slotAdmin.remove({ slotId: fresh.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(owner.slotAdmin.remove({ slotId: fresh.id })).resolves.toMatchObject({ label: 'X9' });
    expect((await staff.slotAdmin.list({ lotId })).some((s) => s.id === fresh.id)).toBe(false);

    const done = await book(kiosk, 3, 'TN01AB1234');
    await staff.booking.cancel({ id: done.id, reason: 'test' });
    await expect(owner.slotAdmin.remove({ slotId: 3 })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('Close it for maintenance instead'),
    });
  });

  it('lets the owner set the booking duration and car wash price, which new bookings use', async () => {
    const { owner, staff, lotId } = await bootWithRoles();
    await expect(staff.slotAdmin.setLotSettings({ lotId, carWashPrice: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(owner.slotAdmin.setLotSettings({ lotId, bookingMinutes: 2 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const settings = await owner.slotAdmin.setLotSettings({ lotId, bookingMinutes: 90, carWashPrice: 20000 });
    expect(settings).toMatchObject({ bookingMinutes: 90, carWashPrice: 20000 });
    const booking = await book(kiosk, 1, 'KA01AB1234');
    expect(Date.parse(booking.endTime) - Date.parse(booking.startTime)).toBe(90 * 60_000);
    expect(booking.price).toBe(9000); // 6000 an hour for 1.5 h
    const washed = await kiosk.caller(booking.accessToken).booking.addCarWash({ id: booking.id });
    expect(washed.addOns[0]!.price).toBe(20000);
  });
});

describe('booking history', () => {
  it('tells a booking story: created, car wash, renewed from and to, cancelled by whom and why', async () => {
    const { staff } = await bootWithRoles();
    const first = await book(kiosk, 1, 'KA01AB1234');
    const driver = kiosk.caller(first.accessToken);
    kiosk.clock.advance(10 * 60_000);
    await driver.booking.addCarWash({ id: first.id });
    kiosk.clock.advance(HOUR);
    const renewal = await driver.booking.renew({ id: first.id });

    const history = await staff.bookingAdmin.history({ id: first.id });
    expect(history.booking.status).toBe('completed');
    expect(history.events.map((e) => e.kind)).toEqual(['created', 'car_wash', 'completed', 'renewed_to']);
    expect(history.events[1]!.at).toBe(new Date(T0 + 10 * 60_000).toISOString());
    expect(history.events[3]).toMatchObject({ relatedBookingId: renewal.newBooking.id, text: `Renewed as ${renewal.newBooking.reference}` });

    await staff.booking.cancel({ id: renewal.newBooking.id, reason: 'Blocked the exit' });
    const second = await staff.bookingAdmin.history({ id: renewal.newBooking.id });
    expect(second.events.map((e) => e.kind)).toEqual(['created', 'renewed_from', 'cancelled']);
    expect(second.events[2]).toMatchObject({ by: 'staff Ravi', text: 'Cancelled by staff Ravi: Blocked the exit' });

    await expect(driver.bookingAdmin.history({ id: first.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(staff.bookingAdmin.history({ id: 4242 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('reports', () => {
  it('computes occupancy per hour as booked minutes over slot-minutes, in SQL, for the chosen period', async () => {
    const { owner, staff, lotId } = await bootWithRoles();
    await book(kiosk, 1, 'KA01AB0001'); // 14:00-15:00
    kiosk.clock.advance(30 * 60_000);
    const half = await book(kiosk, 2, 'KA01AB0002'); // 14:30-15:30
    kiosk.clock.advance(10 * 60_000);
    await staff.booking.cancel({ id: half.id, reason: 'left' }); // held 14:30-14:40
    await owner.slotAdmin.disable({ slotId: 24 }); // 23 open slots

    const report = await staff.report.occupancy({
      lotId,
      from: '2026-01-15T13:00:00.000Z',
      to: '2026-01-15T16:00:00.000Z',
      utcOffsetMinutes: 0, // a fixed offset, as older consoles ask; the lot's zone is the default
    });
    expect(report.slots).toBe(23);
    expect(report.hours.map((h) => [h.hourStart.slice(11, 16), h.bookedMinutes])).toEqual([
      ['13:00', 0],
      ['14:00', 70],
      ['15:00', 0],
    ]);
    expect(report.hours[1]!.occupancy).toBeCloseTo(70 / (23 * 60));
    expect(report.peak!.hourStart).toBe('2026-01-15T14:00:00.000Z');

    await expect(staff.report.occupancy({ lotId, from: '2026-01-15T16:00:00Z', to: '2026-01-15T13:00:00Z' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(staff.report.occupancy({ lotId, from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(kiosk.caller().report.occupancy({ lotId, from: '2026-01-15T13:00:00Z', to: '2026-01-15T16:00:00Z' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('sums revenue per local day from non-cancelled bookings, add-ons included', async () => {
    const { staff, lotId } = await bootWithRoles();
    const a = await book(kiosk, 1, 'KA01AB0001'); // car 6000
    await kiosk.caller(a.accessToken).booking.addCarWash({ id: a.id }); // +15000
    const b = await book(kiosk, 9, 'KA01AB0002'); // suv 8000, cancelled: no revenue
    await staff.booking.cancel({ id: b.id, reason: 'x' });
    kiosk.clock.advance(24 * HOUR);
    await book(kiosk, 13, 'KA01AB0003'); // ev 7000 the next day

    const report = await staff.report.revenue({ lotId, from: '2026-01-15T00:00:00Z', to: '2026-01-18T00:00:00Z', utcOffsetMinutes: 0 });
    expect(report.days).toEqual([
      { day: '2026-01-15', bookings: 1, parking: 6000, addOns: 15000, total: 21000 },
      { day: '2026-01-16', bookings: 1, parking: 7000, addOns: 0, total: 7000 },
      { day: '2026-01-17', bookings: 0, parking: 0, addOns: 0, total: 0 },
    ]);
    expect(report.totals).toEqual({ bookings: 2, parking: 13000, addOns: 15000, total: 28000 });

    // At UTC+10:00 the 14:00Z booking falls on the local 16th.
    const east = await staff.report.revenue({ lotId, from: '2026-01-15T14:00:00Z', to: '2026-01-17T14:00:00Z', utcOffsetMinutes: 600 });
    expect(east.days.map((d) => [d.day, d.total])).toEqual([
      ['2026-01-16', 21000],
      ['2026-01-17', 7000],
    ]);
  });

  it('exports bookings as CSV matching the filters, audited, and defuses spreadsheet formulas', async () => {
    const { staff, lotId } = await bootWithRoles();
    const a = await book(kiosk, 1, 'KA01AB0001');
    const b = await book(kiosk, 2, 'KA01AB0002');
    await staff.booking.cancel({ id: b.id, reason: '=HYPERLINK("x"), "quoted"' });
    const all = await staff.report.bookingsCsv({ lotId });
    const lines = all.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'reference,status,lot_id,slot,vehicle_number,vehicle_type,booking_type,start_utc,end_utc,price,add_ons,total,currency,renewed_from_id,renewed_to_id,created_utc,cancelled_utc,cancelled_by,cancel_reason',
    );
    expect(all.rows).toBe(2);
    expect(lines[1]).toContain(`${b.reference},cancelled,${lotId},A2,KA-01-AB-0002`);
    expect(lines[1]).toContain(`staff:Ravi,"'=HYPERLINK(""x""), ""quoted"""`);
    expect(lines[2]).toContain(
      `${a.reference},booked,${lotId},A1,KA-01-AB-0001,car,instant,2026-01-15T14:00:00.000Z,2026-01-15T15:00:00.000Z,60.00,0.00,60.00,INR`,
    );
    const booked = await staff.report.bookingsCsv({ status: 'booked' });
    expect(booked.rows).toBe(1);
    const bySearch = await staff.report.bookingsCsv({ search: 'ka01ab0002' });
    expect(bySearch.csv).toContain(b.reference);
    expect(bySearch.rows).toBe(1);
    await expect(kiosk.caller(a.accessToken).report.bookingsCsv({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const audit = await staff.audit.list({ action: 'export' });
    expect(audit.items[0]).toMatchObject({ action: 'export.bookings', actor: 'Ravi' });
  });
});

describe('the audit log', () => {
  it('records every staff action with who and when, newest first, paginated and exportable', async () => {
    const { owner, staff, lotId } = await bootWithRoles();
    const booking = await book(kiosk, 1, 'KA01AB0001');
    await staff.booking.cancel({ id: booking.id, reason: 'Wrong slot' });
    kiosk.clock.advance(60_000);
    await owner.slotAdmin.setPrice({ slotId: 2, hourlyPrice: 6500 });
    await owner.slotAdmin.setLotSettings({ lotId, carWashPrice: 17500 });
    await staff.slotAdmin.update({ slotId: 3, label: 'A3-new' });

    const page1 = await staff.audit.list({ limit: 3 });
    expect(page1.items.map((e) => [e.action, e.actor])).toEqual([
      ['slot.update', 'Ravi'],
      ['price.lot', 'Owner'],
      ['price.slot', 'Owner'],
    ]);
    expect(page1.items[2]).toMatchObject({
      at: new Date(T0 + 60_000).toISOString(),
      detail: { slotId: 2, changes: { hourlyPrice: { from: 6000, to: 6500 } } },
    });
    const page2 = await staff.audit.list({ limit: 3, cursor: page1.nextCursor });
    expect(page2.items.map((e) => e.action)).toEqual(['booking.cancel', 'auth.login', 'staff.add']);
    expect(page2.items[0]!.detail).toMatchObject({ reference: booking.reference, reason: 'Wrong slot' });
    const page3 = await staff.audit.list({ limit: 3, cursor: page2.nextCursor });
    expect(page3).toMatchObject({ nextCursor: null });
    expect(page3.items.map((e) => e.action)).toEqual(['auth.login']);

    const prices = await staff.audit.list({ action: 'price' });
    expect(prices.items.map((e) => e.action)).toEqual(['price.lot', 'price.slot']);
    const csv = await staff.audit.csv({ action: 'price' });
    expect(csv.rows).toBe(2);
    expect(csv.csv.split('\r\n')[0]).toBe('id,at_utc,who,staff_id,action,detail');
    expect(csv.csv).toContain('price.lot');
    await expect(staff.audit.list({ action: 'DROP TABLE' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(kiosk.caller().audit.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('who may call the console procedures', () => {
  it('answers each new procedure by role: none UNAUTHORIZED, a driver FORBIDDEN, staff and owner as their role allows', async () => {
    const { owner, staff, anon, lotId } = await bootWithRoles();
    const booking = await book(kiosk, 1, 'KA01AB9999');
    const driver = kiosk.caller(booking.accessToken);
    const period = { lotId, from: '2026-01-15T00:00:00Z', to: '2026-01-16T00:00:00Z' };
    type Caller = typeof owner;
    let serial = 0;
    // [name, call, who may: 'staff' (staff and owner) or 'owner']
    const procedures: [string, (c: Caller) => Promise<unknown>, 'staff' | 'owner'][] = [
      ['staff.list', (c) => c.staff.list(), 'owner'],
      ['staff.add', (c) => c.staff.add({ name: `New ${(serial += 1)}`, role: 'staff', pin: String(604000 + serial * 13) }), 'owner'],
      ['staff.deactivate', (c) => c.staff.deactivate({ staffId: 999 }), 'owner'],
      ['slotAdmin.list', (c) => c.slotAdmin.list({ lotId }), 'staff'],
      ['slotAdmin.lotMap', (c) => c.slotAdmin.lotMap({ lotId }), 'staff'],
      ['slotAdmin.add', (c) => c.slotAdmin.add({ lotId, label: `Q${(serial += 1)}`, vehicleType: 'car', hourlyPrice: 100 }), 'owner'],
      ['slotAdmin.update', (c) => c.slotAdmin.update({ slotId: 5, vehicleType: 'car' }), 'staff'],
      ['slotAdmin.setPrice', (c) => c.slotAdmin.setPrice({ slotId: 5, hourlyPrice: 6000 }), 'owner'],
      ['slotAdmin.disable', (c) => c.slotAdmin.disable({ slotId: 999 }), 'staff'],
      ['slotAdmin.enable', (c) => c.slotAdmin.enable({ slotId: 999 }), 'staff'],
      ['slotAdmin.remove', (c) => c.slotAdmin.remove({ slotId: 999 }), 'owner'],
      ['slotAdmin.setLotSettings', (c) => c.slotAdmin.setLotSettings({ lotId, bookingMinutes: 60 }), 'owner'],
      ['bookingAdmin.history', (c) => c.bookingAdmin.history({ id: booking.id }), 'staff'],
      ['report.occupancy', (c) => c.report.occupancy(period), 'staff'],
      ['report.revenue', (c) => c.report.revenue(period), 'staff'],
      ['report.bookingsCsv', (c) => c.report.bookingsCsv({}), 'staff'],
      ['audit.list', (c) => c.audit.list(), 'staff'],
      ['audit.csv', (c) => c.audit.csv(), 'staff'],
    ];
    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        () => 'ok',
        (error: { code?: string }) => (error.code === 'NOT_FOUND' ? 'ok' : (error.code ?? 'error')),
      );
    const table: Record<string, string[]> = {};
    for (const [name, call, allowed] of procedures) {
      table[name] = [await outcome(call(anon)), await outcome(call(driver)), await outcome(call(staff)), await outcome(call(owner))];
      expect(table[name], name).toEqual(['UNAUTHORIZED', 'FORBIDDEN', allowed === 'owner' ? 'FORBIDDEN' : 'ok', 'ok']);
    }
    expect(Object.keys(table)).toHaveLength(18);
  });
});
