/**
 * A plate correction reissues the signed receipt (issue 13): the receipts naming the old plate
 * are marked superseded and one new receipt for the corrected plate replaces them, in the
 * correction's own transaction; verification says an old receipt is void.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const MIN = 60_000;
const rows = () =>
  kiosk.core.db.sqlite.prepare('SELECT id, kind, text, superseded_at AS supersededAt, superseded_by AS supersededBy FROM receipts ORDER BY id').all() as {
    id: number;
    kind: string;
    text: string;
    supersededAt: number | null;
    supersededBy: number | null;
  }[];

describe('receipts after a plate correction', () => {
  it('the driver corrects: old receipts void, one new receipt for the whole booking with the corrected plate', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1Z34', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    await driver.booking.addCarWash({ id: made.id });
    const before = rows();
    expect(before.map((r) => r.kind)).toEqual(['booking', 'extension']);

    kiosk.clock.advance(2 * MIN);
    await driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1234' });
    const after = rows();
    expect(after).toHaveLength(3);
    const fresh = after[2]!;
    // Both old receipts point at the new one, marked at the correction's instant.
    expect(after.slice(0, 2).map((r) => [r.supersededAt, r.supersededBy])).toEqual([
      [T0 + 2 * MIN, fresh.id],
      [T0 + 2 * MIN, fresh.id],
    ]);
    expect([fresh.kind, fresh.supersededAt]).toEqual(['booking', null]);
    // The old bytes are kept as issued (they are what the driver saw).
    expect(after.slice(0, 2).map((r) => r.text)).toEqual(before.map((r) => r.text));

    // The kiosk's receipt is the new one: corrected plate, the whole stay and the car wash.
    const current = await driver.receipt.get({ bookingId: made.id });
    expect(current.text).toBe(fresh.text);
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    const ok = await staff.receipt.verify({ text: current.text });
    expect(ok).toMatchObject({ valid: true, plate: 'KL-08-AZ-1234', supersededAt: null, booking: { plateNow: 'KL-08-AZ-1234' } });
    expect(ok.valid && ok.items.map((item) => item.kind)).toEqual(['parking', 'car_wash']);

    // An old receipt still has a good signature, but verification says it is void now.
    for (const old of before) {
      const verdict = await staff.receipt.verify({ text: old.text });
      expect(verdict).toMatchObject({
        valid: true,
        plate: 'KL-08-AZ-1-Z-34',
        supersededAt: new Date(T0 + 2 * MIN).toISOString(),
        booking: { plateNow: 'KL-08-AZ-1234' },
      });
    }
    // However the scanner types it (lower case, spaces around).
    expect(await staff.receipt.verify({ text: `  ${before[0]!.text.toLowerCase()}\n` })).toMatchObject({ supersededAt: new Date(T0 + 2 * MIN).toISOString() });
  });

  it('staff correct again later: the reissued receipt is superseded in turn', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'MH12AB1Z34', bookingType: 'instant' });
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    kiosk.clock.advance(10 * MIN);
    await staff.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1234', reason: 'Checked at the vehicle' });
    kiosk.clock.advance(HOUR);
    await staff.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1235', reason: 'Second look' });
    const all = rows();
    expect(all.map((r) => r.supersededBy)).toEqual([all[1]!.id, all[2]!.id, null]);
    expect(all[0]!.supersededAt).toBe(T0 + 10 * MIN); // not moved by the second correction
    expect(await staff.receipt.verify({ text: all[2]!.text })).toMatchObject({ plate: 'MH-12-AB-1235', supersededAt: null });
  });

  it('is one transaction: a receipt that cannot be stored leaves the plate, its history and the receipts as they were', async () => {
    kiosk = bootTestKiosk();
    const made = await kiosk.caller().booking.create({ slotId: 3, vehicleNumber: 'KA01AB1Z34', bookingType: 'instant' });
    const driver = kiosk.caller(made.accessToken);
    const before = rows();
    kiosk.core.db.sqlite.exec(`CREATE TEMP TRIGGER no_receipts BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KA01AB1234' })).rejects.toThrow();
    kiosk.core.db.sqlite.exec('DROP TRIGGER no_receipts');
    expect((await driver.booking.get({ id: made.id })).vehicleNumber).toBe('KA-01-AB-1-Z-34');
    expect(kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM plate_corrections').get()).toEqual({ n: 0 });
    expect(rows()).toEqual(before);
    // And the one correction the driver has is still there to use.
    await driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KA01AB1234' });
    expect(rows().map((r) => r.supersededBy)).toEqual([rows()[1]!.id, null]);
  });
});
