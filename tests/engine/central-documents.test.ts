import { afterEach, describe, expect, it } from 'vitest';
import { createBooking } from '../../electron/core/bookings/service';
import { addSlot, updateSlot } from '../../electron/core/slots/admin';
import { updateLotSettings } from '../../electron/core/slots/lot-settings';
import { applyDueDocuments, storeDocuments, type CentralDocument } from '../../electron/sync/documents';
import { defaultTariffFromFlatRate } from '../../electron/core/tariffs/model';
import { bootTestKiosk, type TestKiosk } from '../support/core';

/**
 * Slot maps and lot settings handed down by the central office (issue 15), applied at the lot
 * through the slot and settings rules. The conflict rule under test: central wins for what a
 * document names, and only for that; what the lot did itself is kept (unlisted slots, unset
 * settings) or stays in its history (audit log, outbox).
 */
const OWNER = { staffId: 1, name: 'Owner' };
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const HOUR = 3_600_000;
let version = 0;
const doc = (kind: string, document: unknown, effectiveFrom = kiosk.clock.now() - 1000, localLotId = 1): CentralDocument => ({
  version: ++version,
  kind,
  localLotId,
  document,
  effectiveFrom,
});

const slotRows = () =>
  kiosk.core.db.sqlite.prepare('SELECT label, vehicle_type AS type, hourly_price AS price, enabled FROM slots ORDER BY position').all() as {
    label: string;
    type: string;
    price: number;
    enabled: number;
  }[];
const slot = (label: string) => slotRows().find((row) => row.label === label);
const appliedAs = (v: number) =>
  JSON.parse((kiosk.core.db.sqlite.prepare('SELECT applied_as AS a FROM central_documents WHERE version = ?').get(v) as { a: string }).a) as Record<
    string,
    unknown
  >;
const centralAudit = () =>
  (kiosk.core.db.sqlite.prepare("SELECT action FROM audit_log WHERE actor = 'central' ORDER BY id").all() as { action: string }[]).map((row) => row.action);
const slotIdOf = (label: string) => (kiosk.core.db.sqlite.prepare('SELECT id FROM slots WHERE label = ?').get(label) as { id: number }).id;

describe('a central slot map at the lot', () => {
  it("creates and changes the slots it lists, closes one with its booking running on, and keeps the lot's own slots", () => {
    version = 0;
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const before = slotRows();
    // The lot's own edits, made before the map arrives: a new slot, and a price of its own on A3.
    addSlot(kiosk.core, OWNER, { lotId: 1, label: 'Z9', vehicleType: 'car', hourlyPrice: 5500 });
    updateSlot(kiosk.core, OWNER, slotIdOf('A3'), { hourlyPrice: 6100 });
    const running = createBooking(kiosk.core, { slotId: slotIdOf('A2'), vehicleNumber: 'KA01AB1234', bookingType: 'instant' }).booking;
    const seqBefore = (kiosk.core.db.sqlite.prepare('SELECT max(seq) AS s FROM outbox').get() as { s: number }).s;

    storeDocuments(kiosk.core, [
      doc('slot_map', {
        slots: [
          { label: 'A1', vehicleType: 'car', hourlyPrice: 6500 },
          { label: 'A2', vehicleType: 'car', hourlyPrice: 6000, enabled: false },
          { label: 'a3', vehicleType: 'ev', hourlyPrice: 7500 },
          { label: 'C1', vehicleType: 'suv', hourlyPrice: 9000 },
          { label: 'C2', vehicleType: 'suv', hourlyPrice: 9000, enabled: false },
        ],
      }),
    ]);
    expect(applyDueDocuments(kiosk.core)).toBe(1);

    expect(slot('A1')).toMatchObject({ type: 'car', price: 6500, enabled: 1 });
    // Closed for maintenance: the running booking runs on to its end.
    expect(slot('A2')).toMatchObject({ enabled: 0 });
    expect(kiosk.core.db.sqlite.prepare('SELECT status FROM bookings WHERE id = ?').get(running.id)).toEqual({ status: 'booked' });
    // Matched without case; central's type and price win over the lot's own price.
    expect(slot('A3')).toMatchObject({ type: 'ev', price: 7500 });
    expect(slot('C1')).toMatchObject({ type: 'suv', price: 9000, enabled: 1 });
    expect(slot('C2')).toMatchObject({ enabled: 0 });
    // Unlisted slots, the lot's own Z9 among them, are as the lot keeps them.
    expect(slot('Z9')).toMatchObject({ price: 5500, enabled: 1 });
    for (const row of before.filter((r) => !['A1', 'A2', 'A3'].includes(r.label))) expect(slot(row.label)).toEqual(row);
    expect(slotRows()).toHaveLength(before.length + 3);

    expect(appliedAs(1)).toEqual({
      slotMap: { added: ['C1', 'C2'], changed: ['A1', 'A3'], closed: ['A2', 'C2'], opened: [], keptUnlisted: before.length + 1 - 3 },
    });
    // Each change is audited as central's, and goes up to central after the lot's own edits.
    expect(centralAudit()).toEqual(['price.slot', 'slot.disable', 'price.slot', 'slot.add', 'slot.add', 'slot.disable']);
    const events = kiosk.core.db.sqlite
      .prepare("SELECT seq, payload FROM outbox WHERE kind = 'slot.updated' AND entity = ? ORDER BY seq")
      .all(`slot:${slotIdOf('A3')}`) as { seq: number; payload: string }[];
    const ownEdit = events.filter((event) => event.seq <= seqBefore);
    expect(ownEdit.map((event) => JSON.parse(event.payload).hourlyPrice)).toEqual([6100]);
    expect(JSON.parse(events.at(-1)!.payload)).toMatchObject({ hourlyPrice: 7500, vehicleType: 'ev' });
    expect(events.at(-1)!.seq).toBeGreaterThan(seqBefore);

    // A map handed down again changes nothing more.
    storeDocuments(kiosk.core, [doc('slot_map', { slots: [{ label: 'A1', vehicleType: 'car', hourlyPrice: 6500 }] })]);
    applyDueDocuments(kiosk.core);
    expect(appliedAs(2)).toMatchObject({ slotMap: { added: [], changed: [], closed: [], opened: [] } });
    // Opening a closed slot again.
    storeDocuments(kiosk.core, [doc('slot_map', { slots: [{ label: 'A2', vehicleType: 'car', hourlyPrice: 6000, enabled: true }] })]);
    applyDueDocuments(kiosk.core);
    expect(slot('A2')).toMatchObject({ enabled: 1 });
    expect(appliedAs(3)).toMatchObject({ slotMap: { opened: ['A2'] } });
  });

  it('waits for its effective time, and refuses what the lot cannot apply without changing anything', () => {
    version = 0;
    kiosk = bootTestKiosk();
    const before = slotRows();
    storeDocuments(kiosk.core, [
      doc('slot_map', { slots: [{ label: 'D1', vehicleType: 'car', hourlyPrice: 100 }] }, kiosk.clock.now() + HOUR),
      // Listed twice (without case): invalid as a whole.
      doc('slot_map', {
        slots: [
          { label: 'A1', vehicleType: 'car', hourlyPrice: 1 },
          { label: 'a1', vehicleType: 'car', hourlyPrice: 2 },
        ],
      }),
      // A lot this hub does not have.
      doc('slot_map', { slots: [{ label: 'Q1', vehicleType: 'car', hourlyPrice: 100 }] }, kiosk.clock.now() - 1000, 7),
      doc('parking_rules', { anything: true }),
      doc('lot_settings', {}),
      doc('lot_settings', { currency: 'USD' }),
    ]);
    expect(applyDueDocuments(kiosk.core)).toBe(5);
    expect(slotRows()).toEqual(before);
    expect(appliedAs(2).refused).toMatch(/listed twice/);
    expect(appliedAs(3).refused).toMatch(/no lot number 7/);
    expect(appliedAs(4).refused).toMatch(/unknown kind parking_rules/);
    expect(appliedAs(5).refused).toMatch(/at least one setting/);
    expect(appliedAs(6).refused).toMatch(/currency/);
    expect(centralAudit()).toEqual([]);
    // Each outcome goes up to central as an event, refusals with their reason.
    const reported = kiosk.core.db.sqlite.prepare("SELECT entity, payload FROM outbox WHERE kind = 'document.applied' ORDER BY seq").all() as {
      entity: string;
      payload: string;
    }[];
    expect(reported.map((event) => event.entity)).toEqual(['document:2', 'document:3', 'document:4', 'document:5', 'document:6']);
    expect(JSON.parse(reported[1]!.payload)).toMatchObject({
      version: 3,
      kind: 'slot_map',
      localLotId: 7,
      outcome: { refused: expect.stringMatching(/no lot number 7/) },
    });

    kiosk.clock.advance(HOUR);
    expect(applyDueDocuments(kiosk.core)).toBe(1);
    expect(slot('D1')).toMatchObject({ price: 100, enabled: 1 });
  });
});

describe('central lot settings at the lot', () => {
  it('change only the settings they name; the next booking follows them, bookings made before keep theirs', () => {
    version = 0;
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    // The lot's own settings: its name and a 45-minute booking, set by the owner.
    updateLotSettings(kiosk.core, OWNER, 1, { name: 'Harbour gate', bookingMinutes: 45 });
    const earlier = createBooking(kiosk.core, { slotId: slotIdOf('A1'), vehicleNumber: 'KA01AB1111', bookingType: 'instant' }).booking;

    storeDocuments(kiosk.core, [doc('lot_settings', { bookingMinutes: 90, carWashPrice: 25000, graceMinutes: 5, timeZone: 'Asia/Kolkata' })]);
    applyDueDocuments(kiosk.core);

    const lot = kiosk.core.db.sqlite.prepare('SELECT name, booking_minutes AS m, car_wash_price AS wash, grace_minutes AS grace FROM lots').get();
    expect(lot).toEqual({ name: 'Harbour gate', m: 90, wash: 25000, grace: 5 });
    const later = createBooking(kiosk.core, { slotId: slotIdOf('A2'), vehicleNumber: 'KA01AB2222', bookingType: 'instant' }).booking;
    expect(Date.parse(later.endTime) - Date.parse(later.startTime)).toBe(90 * 60_000);
    expect(Date.parse(earlier.endTime) - Date.parse(earlier.startTime)).toBe(45 * 60_000);
    expect(appliedAs(1)).toMatchObject({ settings: { name: 'Harbour gate', bookingMinutes: 90, carWashPrice: 25000, graceMinutes: 5 } });
    // The owner's edit and central's are both in the audit log, in that order.
    const actors = kiosk.core.db.sqlite.prepare("SELECT actor AS who FROM audit_log WHERE action IN ('settings.lot', 'price.lot') ORDER BY id").all();
    expect(actors).toEqual([{ who: 'Owner' }, { who: 'central' }]);
  });
});

describe('the effective time of a central document', () => {
  it('is kept exactly: the first booking at or after it carries the new tariff, with no sync round between', () => {
    version = 0;
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const at = kiosk.clock.now() + HOUR;
    storeDocuments(kiosk.core, [doc('tariff', defaultTariffFromFlatRate(9900, 60, 'INR'), at)]);
    const book = (label: string, plate: string) => createBooking(kiosk.core, { slotId: slotIdOf(label), vehicleNumber: plate, bookingType: 'instant' }).booking;
    kiosk.clock.advance(HOUR - 1);
    const before = book('A1', 'KA01AB0001');
    expect(before.price).not.toBe(9900);
    kiosk.clock.advance(1);
    const after = book('A2', 'KA01AB0002');
    expect(after.price).toBe(9900);
    const version2 = (kiosk.core.db.sqlite.prepare('SELECT max(version) AS v FROM tariff_versions').get() as { v: number }).v;
    expect(after.tariffVersion).toBe(version2);
    expect(before.tariffVersion).not.toBe(version2);
    expect(appliedAs(1)).toEqual({ tariffVersion: version2 });
    // Applied once: later writes find nothing pending.
    expect(kiosk.core.pendingDocuments.at).toBeNull();
    book('A3', 'KA01AB0003');
    expect(kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM tariff_versions').get()).toEqual({ n: version2 });
  });

  it('stays pending when the write it was applied in rolls back, and applies with the next one', () => {
    version = 0;
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    storeDocuments(kiosk.core, [doc('lot_settings', { bookingMinutes: 30 })]);
    // The first write after its effective time fails (the slot is unknown): the document's apply rolls back with it.
    expect(() => createBooking(kiosk.core, { slotId: 99_999, vehicleNumber: 'KA01AB0009', bookingType: 'instant' })).toThrow();
    expect(kiosk.core.db.sqlite.prepare('SELECT applied_at AS at FROM central_documents').get()).toEqual({ at: null });
    expect(kiosk.core.pendingDocuments.at).not.toBeNull();
    const booked = createBooking(kiosk.core, { slotId: slotIdOf('A1'), vehicleNumber: 'KA01AB0010', bookingType: 'instant' }).booking;
    expect(Date.parse(booked.endTime) - Date.parse(booked.startTime)).toBe(30 * 60_000);
    expect(appliedAs(1)).toMatchObject({ settings: { bookingMinutes: 30 } });
  });
});
