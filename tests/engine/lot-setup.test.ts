import { afterEach, describe, expect, it } from 'vitest';
import { expandLabels } from '../../shared/slot-labels';
import { bootTestKiosk, type TestKiosk } from '../support/core';

/**
 * A real lot without --demo: the owner creates the lot, adds rows of slots at once and edits
 * the lot later; every step is audited in the same transaction and refused with typed errors.
 */
const PIN = '482916';
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const LOT = { name: 'Fort Kochi Parking', currency: 'INR', timeZone: 'Asia/Kolkata', bookingMinutes: 90, carWashPrice: 12_000 };

async function emptyKiosk() {
  kiosk = bootTestKiosk({ demo: false, staffPin: PIN });
  return kiosk.caller(await kiosk.staffToken(PIN));
}

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string; cause?: { reason?: string } }) => `${error.code}:${error.cause?.reason ?? ''}`,
  );

describe('slot label rows', () => {
  it('expands ranges and lists, keeps zero padding, and refuses what is not a row of labels', () => {
    expect(expandLabels('A1–A4')).toEqual({ ok: true, labels: ['A1', 'A2', 'A3', 'A4'] });
    expect(expandLabels('A1-3, B7,\nP-1')).toEqual({ ok: true, labels: ['A1', 'A2', 'A3', 'B7', 'P-1'] });
    expect(expandLabels('B08..B10')).toEqual({ ok: true, labels: ['B08', 'B09', 'B10'] });
    expect(expandLabels('Bay 1 - Bay 3')).toEqual({ ok: true, labels: ['Bay 1', 'Bay 2', 'Bay 3'] });
    expect(expandLabels('A5-A1')).toMatchObject({ ok: false, problem: expect.stringContaining('backwards') });
    expect(expandLabels('A1, a1')).toMatchObject({ ok: false, problem: expect.stringContaining('twice') });
    expect(expandLabels('A1-A999')).toMatchObject({ ok: false, problem: expect.stringContaining('at most 500') });
    expect(expandLabels('#1')).toMatchObject({ ok: false });
    expect(expandLabels(' , ')).toMatchObject({ ok: false });
  });
});

describe('setting up a lot without the demo', () => {
  it('creates the lot, audited, and the kiosk sees it', async () => {
    const owner = await emptyKiosk();
    expect(await kiosk.caller().lot.list()).toEqual([]);
    const lot = await owner.lot.create(LOT);
    expect(lot).toMatchObject(LOT);
    const [seen] = await kiosk.caller().lot.list();
    expect(seen).toMatchObject({ id: lot.id, name: LOT.name, timeZone: 'Asia/Kolkata', totalSlots: 0, freeSlots: 0 });
    const audit = await owner.audit.list({ action: 'lot' });
    expect(audit.items.map((e) => [e.action, e.actor, e.detail.name])).toEqual([['lot.create', 'Owner', LOT.name]]);
  });

  it('refuses a second lot, an unknown time zone and a currency priced in other than hundredths', async () => {
    const owner = await emptyKiosk();
    await expect(owner.lot.create({ ...LOT, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await reasonOf(owner.lot.create({ ...LOT, currency: 'JPY' }))).toBe('BAD_REQUEST:CURRENCY_UNSUPPORTED');
    expect(await reasonOf(owner.lot.create({ ...LOT, currency: 'XYZ' }))).toBe('BAD_REQUEST:CURRENCY_UNSUPPORTED');
    await owner.lot.create(LOT);
    expect(await reasonOf(owner.lot.create({ ...LOT, name: 'Twin' }))).toBe('CONFLICT:LOT_EXISTS');
    expect(await kiosk.caller().lot.list()).toHaveLength(1);
    // Only the lot creation itself is in the log.
    expect((await owner.audit.list({ action: 'lot' })).items).toHaveLength(1);
  });

  it('adds a row of slots in one go; the kiosk can book them at once', async () => {
    const owner = await emptyKiosk();
    const lot = await owner.lot.create(LOT);
    const row = await owner.slotAdmin.addMany({ lotId: lot.id, labels: 'A1–A12', vehicleType: 'car', hourlyPrice: 5_000 });
    expect(row.map((s) => s.label)).toEqual(Array.from({ length: 12 }, (_, i) => `A${i + 1}`));
    await owner.slotAdmin.addMany({ lotId: lot.id, labels: 'M1, M2', vehicleType: 'bike', hourlyPrice: 1_500 });
    const slots = await kiosk.caller().slot.list({ lotId: lot.id });
    expect(slots.map((s) => s.label)).toEqual([...row.map((s) => s.label), 'M1', 'M2']);
    expect((await kiosk.caller().lot.list())[0]).toMatchObject({ totalSlots: 14, freeSlots: 14, freeByVehicleType: { car: 12, bike: 2 } });
    const booking = await kiosk.caller().booking.create({ slotId: row[0]!.id, vehicleNumber: 'KL07AB1234', bookingType: 'instant' });
    // 90 minutes at 50.00 an hour.
    expect(booking).toMatchObject({ price: 7_500 });
    expect(Date.parse(booking.endTime) - Date.parse(booking.startTime)).toBe(90 * 60_000);
    const audit = await owner.audit.list({ action: 'slot' });
    expect(audit.items.map((e) => [e.action, e.detail.count, e.detail.first, e.detail.last])).toEqual([
      ['slot.addMany', 2, 'M1', 'M2'],
      ['slot.addMany', 12, 'A1', 'A12'],
    ]);
  });

  it('adds all of a row or none: a clash names the taken labels and changes nothing', async () => {
    const owner = await emptyKiosk();
    const lot = await owner.lot.create(LOT);
    await owner.slotAdmin.addMany({ lotId: lot.id, labels: 'A1-A3', vehicleType: 'car', hourlyPrice: 5_000 });
    const clash = owner.slotAdmin.addMany({ lotId: lot.id, labels: 'a3-a6', vehicleType: 'car', hourlyPrice: 5_000 });
    await expect(clash).rejects.toMatchObject({ code: 'CONFLICT', message: 'The lot already has slot a3.' });
    expect(await reasonOf(owner.slotAdmin.addMany({ lotId: lot.id, labels: 'B1, B1', vehicleType: 'car', hourlyPrice: 5_000 }))).toBe(
      'BAD_REQUEST:LABELS_INVALID',
    );
    expect(await reasonOf(owner.slotAdmin.addMany({ lotId: 999, labels: 'B1', vehicleType: 'car', hourlyPrice: 5_000 }))).toBe('NOT_FOUND:');
    expect((await owner.slotAdmin.list({ lotId: lot.id })).map((s) => s.label)).toEqual(['A1', 'A2', 'A3']);
    expect((await owner.audit.list({ action: 'slot' })).items).toHaveLength(1);
  });

  it('keeps the name, time zone and prices editable; the currency only until the first booking', async () => {
    const owner = await emptyKiosk();
    const lot = await owner.lot.create(LOT);
    const changed = await owner.slotAdmin.setLotSettings({ lotId: lot.id, name: 'Fort Kochi Beach Parking', timeZone: 'europe/london', currency: 'usd' });
    expect(changed).toMatchObject({ name: 'Fort Kochi Beach Parking', timeZone: 'Europe/London', currency: 'USD' });
    expect((await kiosk.caller().lot.list())[0]).toMatchObject({ name: 'Fort Kochi Beach Parking', timeZone: 'Europe/London' });
    const [entry] = (await owner.audit.list({ action: 'settings' })).items;
    expect(entry!.detail.changes).toEqual({
      name: { from: LOT.name, to: 'Fort Kochi Beach Parking' },
      currency: { from: 'INR', to: 'USD' },
      timeZone: { from: 'Asia/Kolkata', to: 'Europe/London' },
    });
    const [slot] = await owner.slotAdmin.addMany({ lotId: lot.id, labels: 'A1', vehicleType: 'car', hourlyPrice: 5_000 });
    await kiosk.caller().booking.create({ slotId: slot!.id, vehicleNumber: 'KL07AB1234', bookingType: 'instant' });
    expect(await reasonOf(owner.slotAdmin.setLotSettings({ lotId: lot.id, currency: 'EUR' }))).toBe('PRECONDITION_FAILED:CURRENCY_UNSUPPORTED');
    await expect(owner.slotAdmin.setLotSettings({ lotId: lot.id, timeZone: 'Nowhere/Land' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lets only the owner set up the lot', async () => {
    await emptyKiosk();
    await expect(kiosk.caller().lot.create(LOT)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await kiosk.caller().lot.list()).toEqual([]);
  });
});
