import { afterEach, describe, expect, it } from 'vitest';
import { NETWORK_BOOKING_LIMITS } from '../../electron/core/bookings/limits';
import { RECENT_PLATE_DAYS } from '../../electron/core/bookings/plate-check';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

const MIN = 60_000;
const DAY = 24 * HOUR;

/** "CODE/REASON" of a refusal, or "ok". */
const verdict = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (error: { code?: string; cause?: { reason?: string } }) => `${error.code}${error.cause?.reason ? `/${error.cause.reason}` : ''}`,
  );

async function bookAs(slotId: number, vehicleNumber: string) {
  const made = await kiosk.caller().booking.create({ slotId, vehicleNumber, bookingType: 'instant' });
  return { made, driver: kiosk.caller(made.accessToken) };
}

describe('plate correction window (driver)', () => {
  it('lets the driver correct the plate once within the lot window, and says how long is left', async () => {
    kiosk = bootTestKiosk();
    const { made, driver } = await bookAs(1, 'KL08AZ1Z34');
    expect(made.plateCorrectableUntil).toBe(new Date(T0 + 5 * MIN).toISOString());
    kiosk.clock.advance(4 * MIN);
    const fixed = await driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL 08 AZ 1234' });
    expect(fixed.vehicleNumber).toBe('KL-08-AZ-1234');
    expect(fixed.plateCorrectableUntil).toBeNull();
    // Once only, even inside the window.
    expect(await verdict(driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1235' }))).toBe('PRECONDITION_FAILED/ALREADY_CORRECTED');
    // Find works with the corrected plate, not the old one.
    await expect(kiosk.caller().booking.find({ reference: made.reference, vehicleNumber: 'KL08AZ1234' })).resolves.toMatchObject({ id: made.id });
    await expect(kiosk.caller().booking.find({ reference: made.reference, vehicleNumber: 'KL08AZ1Z34' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('closes the window after the lot minutes, then only staff with a reason can, audited', async () => {
    kiosk = bootTestKiosk();
    const { made, driver } = await bookAs(1, 'MH12AB1Z34');
    kiosk.clock.advance(5 * MIN);
    expect((await driver.booking.get({ id: made.id })).plateCorrectableUntil).toBeNull();
    expect(await verdict(driver.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1234' }))).toBe('PRECONDITION_FAILED/CORRECTION_WINDOW_CLOSED');
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    expect(await verdict(staff.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1234' }))).toBe('BAD_REQUEST/REASON_NEEDED');
    expect(await verdict(staff.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1234', reason: '   ' }))).toBe('BAD_REQUEST/REASON_NEEDED');
    const fixed = await staff.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1234', reason: 'Checked at the vehicle' });
    expect(fixed.vehicleNumber).toBe('MH-12-AB-1234');
    const audit = kiosk.core.db.sqlite.prepare(`SELECT actor, action, detail FROM audit_log WHERE action = 'booking.correct_plate'`).all() as {
      actor: string;
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ bookingId: made.id, from: 'MH-12-AB-1-Z-34', to: 'MH-12-AB-1234', reason: 'Checked at the vehicle' });
    // Staff can correct again (each audited); a completed booking too, a cancelled one not.
    kiosk.clock.advance(2 * HOUR);
    await staff.booking.correctPlate({ id: made.id, vehicleNumber: 'MH12AB1235', reason: 'Second look' });
    expect(kiosk.core.db.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'booking.correct_plate'`).get()).toEqual({ n: 2 });
    const other = await bookAs(2, 'KA01AA0001');
    await other.driver.booking.cancel({ id: other.made.id });
    expect(await verdict(staff.booking.correctPlate({ id: other.made.id, vehicleNumber: 'KA01AA0002', reason: 'x y z' }))).toBe('PRECONDITION_FAILED');
  });

  it('follows the owner setting (0 turns the driver correction off), and refuses an unchanged plate', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    const [lot] = await owner.lot.list();
    expect(lot!.plateCorrectionMinutes).toBe(5);
    expect(await verdict(owner.slotAdmin.setLotSettings({ lotId: lot!.id, plateCorrectionMinutes: 61 }))).toBe('BAD_REQUEST');
    await owner.slotAdmin.setLotSettings({ lotId: lot!.id, plateCorrectionMinutes: 0 });
    const { made, driver } = await bookAs(1, 'KL08AZ1234');
    expect(made.plateCorrectableUntil).toBeNull();
    expect(await verdict(driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1235' }))).toBe('PRECONDITION_FAILED/CORRECTION_WINDOW_CLOSED');
    await owner.slotAdmin.setLotSettings({ lotId: lot!.id, plateCorrectionMinutes: 10 });
    const second = await bookAs(2, 'KL08AZ5678');
    expect(second.made.plateCorrectableUntil).toBe(new Date(T0 + 10 * MIN).toISOString());
    expect(await verdict(second.driver.booking.correctPlate({ id: second.made.id, vehicleNumber: 'kl-08-az-5678' }))).toBe('BAD_REQUEST/PLATE_UNCHANGED');
    // Another booking's token cannot correct this one.
    expect(await verdict(driver.booking.correctPlate({ id: second.made.id, vehicleNumber: 'KL08AZ5679' }))).toBe('FORBIDDEN');
    expect(await verdict(kiosk.caller().booking.correctPlate({ id: second.made.id, vehicleNumber: 'KL08AZ5679' }))).toBe('UNAUTHORIZED');
  });

  it('keeps one vehicle from holding two overlapping bookings after a correction', async () => {
    kiosk = bootTestKiosk();
    await bookAs(1, 'KL08AZ1234');
    const { made, driver } = await bookAs(2, 'KL08AZ1Z34');
    expect(await verdict(driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1234' }))).toBe('CONFLICT/VEHICLE_BUSY');
    // The refusal did not use up the one correction.
    await expect(driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ9999' })).resolves.toMatchObject({ vehicleNumber: 'KL-08-AZ-9999' });
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    expect(await verdict(staff.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1234', reason: 'Staff try' }))).toBe('CONFLICT/VEHICLE_BUSY');
    const active = kiosk.core.db.sqlite
      .prepare(`SELECT vehicle_number AS v, count(*) AS n FROM bookings WHERE status = 'booked' GROUP BY vehicle_number HAVING n > 1`)
      .all();
    expect(active).toEqual([]);
  });

  it('limits plate probing through corrections from the network', async () => {
    kiosk = bootTestKiosk();
    await bookAs(1, 'KA01AA1000');
    const made = await kiosk.caller(undefined, '10.0.0.5', 'network').booking.create({ slotId: 2, vehicleNumber: 'KA01AA2000', bookingType: 'instant' });
    const net = kiosk.caller(made.accessToken, '10.0.0.5', 'network');
    const answers: string[] = [];
    for (let i = 0; i <= NETWORK_BOOKING_LIMITS.vehicleBusyPerHour; i += 1)
      answers.push(await verdict(net.booking.correctPlate({ id: made.id, vehicleNumber: 'KA01AA1000' })));
    expect(answers.slice(0, -1).every((a) => a === 'CONFLICT/VEHICLE_BUSY')).toBe(true);
    expect(answers.at(-1)).toBe('TOO_MANY_REQUESTS/VEHICLE_CHECK_LIMIT');
  });
});

describe('booking history shows plate corrections', () => {
  it('lists the driver and staff corrections, with who and why, and the plate it was booked with', async () => {
    kiosk = bootTestKiosk();
    const { made, driver } = await bookAs(1, 'KL08AZ1Z34');
    kiosk.clock.advance(MIN);
    await driver.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1234' });
    kiosk.clock.advance(30 * MIN);
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    await staff.booking.correctPlate({ id: made.id, vehicleNumber: 'KL08AZ1235', reason: 'Checked at the vehicle' });
    const history = await staff.bookingAdmin.history({ id: made.id });
    expect(history.events.map((e) => e.kind)).toEqual(['created', 'plate_corrected', 'plate_corrected']);
    expect(history.events[0]!.text).toContain('KL-08-AZ-1-Z-34');
    expect(history.events[1]).toMatchObject({ by: 'the driver', text: 'Plate corrected from KL-08-AZ-1-Z-34 to KL-08-AZ-1234 by the driver' });
    expect(history.events[2]!.text).toBe('Plate corrected from KL-08-AZ-1234 to KL-08-AZ-1235 by staff Owner: Checked at the vehicle');
    expect(history.booking.vehicleNumber).toBe('KL-08-AZ-1235');
  });
});

describe('booking.plateCheck', () => {
  it('reads back grouped and suggests the common-pattern reading', async () => {
    kiosk = bootTestKiosk();
    await expect(kiosk.caller().booking.plateCheck({ vehicleNumber: 'kl08az1234' })).resolves.toEqual({
      normalized: 'KL-08-AZ-1234',
      grouped: 'KL 08 AZ 1234',
      patternSuggestion: null,
      seenLookAlike: null,
      seenChecked: true,
    });
    await expect(kiosk.caller().booking.plateCheck({ vehicleNumber: 'KLO8AZ1234' })).resolves.toMatchObject({
      grouped: 'KLO 8 AZ 1234',
      patternSuggestion: 'KL-08-AZ-1234',
    });
    expect(await verdict(kiosk.caller().booking.plateCheck({ vehicleNumber: '!!' }))).toBe('BAD_REQUEST');
  });

  it('names a recently seen plate one look-alike away, to the screen and staff only, and forgets after the window', async () => {
    kiosk = bootTestKiosk();
    const [lot] = await kiosk.caller().lot.list();
    await bookAs(1, 'KL08AZ1234');
    const screen = await kiosk.caller().booking.plateCheck({ vehicleNumber: 'KL08AZI234', lotId: lot!.id });
    expect(screen).toMatchObject({ seenLookAlike: 'KL-08-AZ-1234', seenChecked: true });
    const staff = kiosk.caller(await kiosk.staffToken('482916'), '10.0.0.9', 'network');
    await expect(staff.booking.plateCheck({ vehicleNumber: 'KL08AZI234' })).resolves.toMatchObject({ seenLookAlike: 'KL-08-AZ-1234' });
    // The network (anonymous, or with a booking token) never learns about other plates.
    const made = await kiosk.caller(undefined, '10.0.0.5', 'network').booking.create({ slotId: 2, vehicleNumber: 'KA01AA2000', bookingType: 'instant' });
    for (const token of [undefined, made.accessToken]) {
      await expect(kiosk.caller(token, '10.0.0.5', 'network').booking.plateCheck({ vehicleNumber: 'KL08AZI234' })).resolves.toMatchObject({
        seenLookAlike: null,
        seenChecked: false,
      });
    }
    // Two look-alike characters away is another plate, not a slip; the plate itself is not a look-alike.
    await expect(kiosk.caller().booking.plateCheck({ vehicleNumber: 'KLO8AZI234' })).resolves.toMatchObject({ seenLookAlike: null });
    await expect(kiosk.caller().booking.plateCheck({ vehicleNumber: 'KL08AZ1234' })).resolves.toMatchObject({ seenLookAlike: null });
    // Another lot's bookings do not count for this lot.
    await expect(kiosk.caller().booking.plateCheck({ vehicleNumber: 'KL08AZI234', lotId: lot!.id + 1 })).resolves.toMatchObject({ seenLookAlike: null });
    kiosk.clock.advance(RECENT_PLATE_DAYS * DAY + HOUR);
    await expect(kiosk.caller().booking.plateCheck({ vehicleNumber: 'KL08AZI234' })).resolves.toMatchObject({ seenLookAlike: null });
  });
});
