import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiContext } from '../../electron/api/context';
import { fullRouter } from '../../electron/api/router';
import { createCallerFactory } from '../../electron/api/trpc';
import { MonotonicClock } from '../../electron/core/shared/clock';
import { runInTransaction } from '../../electron/core/shared/unit-of-work';
import { bootKiosk, newestInstant, type BootedKiosk } from '../../electron/app/boot';
import { HOUR, T0 } from '../support/core';
import { tempDbFile } from '../support/server';
import { withDb } from './support/db-checks';

const MIN = 60_000;
const createCaller = createCallerFactory(fullRouter);

/** A kiosk whose wall clock and monotonic timer are both in the test's hands. */
function fakeTimeKiosk(dbFile = tempDbFile(), wallAtStart = T0) {
  const time = { wall: wallAtStart, mono: 1_000 };
  const floor = newestFloor(dbFile);
  const clock = new MonotonicClock(
    floor,
    () => time.wall,
    () => time.mono,
  );
  const kiosk: BootedKiosk = bootKiosk({ dbFile, demo: true, staffPin: '482916', clock, backups: { everyMs: 0 } });
  kiosk.core.expiry.stop();
  // Not a grace test: the slot frees at the booking's end (issue 12's default grace is off here).
  kiosk.core.db.sqlite.prepare('UPDATE lots SET grace_minutes = 0').run();
  running.push(kiosk);
  const caller = (token?: string) => createCaller(createApiContext({ core: kiosk.core }, token, 'clock-test'));
  return { kiosk, time, clock, dbFile, caller };
}

function newestFloor(dbFile: string): number {
  try {
    return withDb(dbFile, (db) => newestInstant(db));
  } catch {
    return 0; // no database yet
  }
}

let running: BootedKiosk[] = [];
afterEach(() => {
  for (const kiosk of running) kiosk.close();
  running = [];
});

describe('clock changes: the rule is "monotonic while running, never behind stored data after a restart"', () => {
  it('a wall clock set back an hour does not resurrect a completed booking, running or after a restart', async () => {
    const k = fakeTimeKiosk();
    const booking = await k.caller().booking.create({ slotId: 1, vehicleNumber: 'KA100', bookingType: 'instant' });
    const driver = k.caller(booking.accessToken);
    k.time.mono += 61 * MIN;
    expect(await driver.booking.get({ id: booking.id })).toMatchObject({ status: 'completed', remainingSeconds: 0 });
    k.time.wall -= HOUR; // someone sets the kiosk's clock back
    expect(await driver.booking.get({ id: booking.id })).toMatchObject({ status: 'completed', isExpired: true });
    expect(k.clock.now()).toBe(T0 + 61 * MIN);
    // Reads derive "completed" without storing it (docs/reads.md); the next write (or the
    // expiry timer, stopped here) stores it with the sweep every write starts with.
    runInTransaction(k.kiosk.core, () => undefined);
    // Even a direct write cannot move a finished booking back: the trigger forbids it.
    expect(() => k.kiosk.core.db.sqlite.prepare("UPDATE bookings SET status = 'booked' WHERE id = ?").run(booking.id)).toThrow(/BOOKING_STATUS_FINAL/);
    k.kiosk.close();

    // Restart with the wall clock an hour behind: "now" is floored at the newest stored instant.
    const again = fakeTimeKiosk(k.dbFile, T0 - HOUR);
    expect(again.clock.now()).toBeGreaterThanOrEqual(T0 + 60 * MIN);
    const seen = await again.caller(booking.accessToken).booking.get({ id: booking.id });
    expect(seen).toMatchObject({ status: 'completed', remainingSeconds: 0 });
    const slot = (await again.caller().slot.list({})).find((s) => s.id === 1);
    expect(slot?.available).toBe(true);
  });

  it('a wall clock set forward an hour does not shorten a paid booking', async () => {
    const k = fakeTimeKiosk();
    const booking = await k.caller().booking.create({ slotId: 2, vehicleNumber: 'KA200', bookingType: 'instant' });
    const driver = k.caller(booking.accessToken);
    k.time.mono += 10 * MIN;
    k.time.wall += HOUR + 10 * MIN;
    const during = await driver.booking.get({ id: booking.id });
    expect(during).toMatchObject({ status: 'booked', remainingSeconds: 50 * 60, price: booking.price });
    k.kiosk.core.expiry.fire();
    expect((await driver.booking.get({ id: booking.id })).status).toBe('booked');
    k.time.mono += 50 * MIN - 1000;
    expect((await driver.booking.get({ id: booking.id })).remainingSeconds).toBe(1);
    k.time.mono += 1000;
    expect((await driver.booking.get({ id: booking.id })).status).toBe('completed');
  });

  it('after a restart on a clock set back, a running booking keeps at least what was left (never less)', async () => {
    const k = fakeTimeKiosk();
    const booking = await k.caller().booking.create({ slotId: 3, vehicleNumber: 'KA300', bookingType: 'instant' });
    k.time.mono += 20 * MIN;
    const left = (await k.caller(booking.accessToken).booking.get({ id: booking.id })).remainingSeconds;
    k.kiosk.close();
    const again = fakeTimeKiosk(k.dbFile, T0 - HOUR);
    const after = await again.caller(booking.accessToken).booking.get({ id: booking.id });
    expect(after.status).toBe('booked');
    expect(after.remainingSeconds).toBeGreaterThanOrEqual(left);
    expect(after.remainingSeconds).toBeLessThanOrEqual(60 * 60);
  });

  it('under any sequence of wall-clock jumps the countdown never crashes, never grows, never goes negative', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            wallJumpMs: fc.constantFrom(-HOUR, HOUR, -24 * HOUR, 24 * HOUR, 0, -1, 1),
            monoStepMs: fc.integer({ min: 0, max: 10 * MIN }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (steps) => {
          const k = fakeTimeKiosk();
          const booking = await k.caller().booking.create({ slotId: 4, vehicleNumber: 'KA400', bookingType: 'instant' });
          const driver = k.caller(booking.accessToken);
          const watch = await driver.booking.watch({ id: booking.id });
          const iterator = (watch as AsyncIterable<{ remainingSeconds: number; status: string }>)[Symbol.asyncIterator]();
          let previous = { remainingSeconds: 3600, status: 'booked' };
          let elapsed = 0;
          for (const step of steps) {
            k.time.wall += step.wallJumpMs;
            k.time.mono += step.monoStepMs;
            elapsed += step.monoStepMs;
            k.kiosk.core.expiry.fire();
            const seen = await driver.booking.get({ id: booking.id });
            expect(seen.remainingSeconds).toBeGreaterThanOrEqual(0);
            expect(seen.remainingSeconds).toBeLessThanOrEqual(previous.remainingSeconds);
            expect(seen.remainingSeconds).toBe(Math.max(0, Math.ceil((HOUR - elapsed) / 1000)));
            if (previous.status === 'completed') expect(seen.status).toBe('completed');
            expect(seen.status).toBe(elapsed >= HOUR ? 'completed' : 'booked');
            expect(seen.price).toBe(booking.price);
            previous = seen;
          }
          const first = await iterator.next();
          expect(first.done).toBe(false);
          await iterator.return?.();
          k.kiosk.close();
          running = running.filter((r) => r !== k.kiosk);
          expect(k.kiosk.core.events.listenerCount()).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});
