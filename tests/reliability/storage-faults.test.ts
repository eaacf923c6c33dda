import { afterEach, describe, expect, it } from 'vitest';
import { bootTestKiosk, HOUR, type TestKiosk } from '../support/core';
import { bookingCount, integrity, overlappingPairs, plate, withDb } from './support/db-checks';

let kiosk: TestKiosk | undefined;
afterEach(() => kiosk?.close());

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: { code?: string }) => error.code ?? 'THROWN',
  );

/** Books every slot it can, moving the clock an hour on whenever the lot is full, until `stop`. */
async function bookUntilRefused(k: TestKiosk, startAt: number, max: number) {
  const anon = k.caller();
  const slots = await anon.slot.list({});
  const made: { id: number; reference: string; accessToken: string }[] = [];
  for (let n = startAt; n < startAt + max; n += 1) {
    const slot = slots[n % slots.length]!;
    if (n % slots.length === 0) k.clock.advance(HOUR);
    try {
      made.push(await anon.booking.create({ slotId: slot.id, vehicleNumber: plate(n), bookingType: 'instant' }));
    } catch (error) {
      return { made, error: error as { code: string; message: string } };
    }
  }
  return { made, error: undefined };
}

describe('disk full and read-only storage', () => {
  it('disk full: refuses new bookings with SERVICE_UNAVAILABLE and a plain message, loses nothing, recovers when space returns', async () => {
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const before = await bookUntilRefused(kiosk, 0, 30);
    expect(before.error).toBeUndefined();
    // Simulated full disk: the file may not grow by a single page.
    const pages = kiosk.core.db.sqlite.pragma('page_count', { simple: true }) as number;
    kiosk.core.db.sqlite.pragma(`max_page_count = ${pages}`);
    kiosk.clock.advance(HOUR);
    const during = await bookUntilRefused(kiosk, 1000, 5000);
    expect(during.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/storage is full.*already made are safe/) });
    const stored = [...before.made, ...during.made];
    // Repeated attempts keep failing the same clear way (not INTERNAL_SERVER_ERROR).
    for (let i = 0; i < 20; i += 1) {
      expect(await codeOf(kiosk.caller().booking.create({ slotId: 1 + (i % 20), vehicleNumber: plate(9000 + i), bookingType: 'instant' }))).toMatch(
        /SERVICE_UNAVAILABLE|CONFLICT/,
      );
    }
    // Drivers still see their bookings; staff see what is wrong.
    for (const booking of stored.slice(-5)) {
      expect((await kiosk.caller(booking.accessToken).booking.get({ id: booking.id })).reference).toBe(booking.reference);
    }
    const status = await kiosk
      .caller(await kiosk.staffToken().catch(() => ''))
      .backup.status()
      .catch(() => undefined);
    // Login itself writes a session, so with a full disk staff may not log in; the fault is remembered either way.
    if (status) expect(status.lastStorageFault).toMatchObject({ kind: 'full', sqliteCode: 'SQLITE_FULL' });
    const { lastStorageFault } = await import('../../electron/core/backup/storage-faults');
    expect(lastStorageFault(kiosk.core)).toMatchObject({ kind: 'full' });

    kiosk.core.db.sqlite.pragma('max_page_count = 1073741823');
    kiosk.clock.advance(HOUR);
    const after = await bookUntilRefused(kiosk, 20_000, 10);
    expect(after.error).toBeUndefined();
    withDb(kiosk.dbFile, (db) => {
      expect(integrity(db)).toBe('ok');
      expect(overlappingPairs(db)).toBe(0);
      expect(bookingCount(db)).toBe(stored.length + after.made.length);
      const refs = new Set((db.prepare('SELECT reference FROM bookings').all() as { reference: string }[]).map((r) => r.reference));
      for (const booking of stored) expect(refs.has(booking.reference)).toBe(true);
    });
  });

  it('read-only storage: refuses writes with SERVICE_UNAVAILABLE, still serves reads, loses nothing', async () => {
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const { made } = await bookUntilRefused(kiosk, 0, 10);
    const staffToken = await kiosk.staffToken();
    // Root ignores file permissions, so tests make the connection itself refuse writes.
    kiosk.core.db.sqlite.pragma('query_only = ON');
    expect(await codeOf(kiosk.caller(made[0]!.accessToken).booking.cancel({ id: made[0]!.id }))).toBe('SERVICE_UNAVAILABLE');
    kiosk.clock.advance(HOUR + 1); // bookings are now due to complete, which needs a write
    const refused = await kiosk
      .caller()
      .booking.create({ slotId: 1, vehicleNumber: 'KA777', bookingType: 'instant' })
      .catch((e) => e);
    expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/read-only/) });
    // A booking that has ended cannot be cancelled: the same answer as once storage is back,
    // because reads and writes share one completion rule (docs/reads.md).
    expect(await codeOf(kiosk.caller(made[2]!.accessToken).booking.cancel({ id: made[2]!.id }))).toBe('PRECONDITION_FAILED');
    const seen = await kiosk.caller(made[1]!.accessToken).booking.get({ id: made[1]!.id });
    expect(seen).toMatchObject({ reference: made[1]!.reference, isExpired: true, remainingSeconds: 0 });
    expect((await kiosk.caller(staffToken).booking.list({})).items).toHaveLength(10);
    kiosk.core.db.sqlite.pragma('query_only = OFF');
    expect((await kiosk.caller(made[1]!.accessToken).booking.get({ id: made[1]!.id })).status).toBe('completed');
    withDb(kiosk.dbFile, (db) => {
      expect(integrity(db)).toBe('ok');
      expect(bookingCount(db)).toBe(10);
    });
  });

  it('a backup that cannot be written is reported, not fatal', async () => {
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const { backupNow, storageStatus } = await import('../../electron/core/backup/service');
    const { configureBackups } = await import('../../electron/core/backup/service');
    // A folder that cannot be created (its parent is a file) stands in for an unwritable disk.
    configureBackups(kiosk.core, { dir: `${kiosk.dbFile}/backups` });
    await expect(backupNow(kiosk.core)).rejects.toBeTruthy();
    expect(storageStatus(kiosk.core).lastBackupError?.message).toBeTruthy();
    expect((await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA1', bookingType: 'instant' })).status).toBe('booked');
  });
});
