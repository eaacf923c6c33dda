import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { integrity, malformedBookings, overlappingPairs, plate, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';

const ROUNDS = Number(process.env.RELIABILITY_GRACE_ROUNDS ?? 12);
const SLOTS = [1, 2, 3];
const RIVALS = 6;
const MIN = 60_000;
const GRACE_MIN = 10;

const TARIFF = {
  schemaVersion: 1 as const,
  currency: 'INR',
  stepMinutes: 15,
  minimumCharge: 0,
  dailyCap: null,
  maxStayMinutes: null,
  durations: { minMinutes: 30, maxMinutes: 120, stepMinutes: 30, defaultMinutes: 60 },
  graceMinutes: GRACE_MIN,
  rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] }],
};

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const codeOf = (error: unknown) => (error as { data?: { code?: string } }).data?.code ?? 'NO_CODE';

/** Pairs of not-cancelled bookings on one slot whose holds (start to end + grace) meet, outside a renewal chain. */
const heldClashes = (file: string) =>
  withDb(
    file,
    (db) =>
      (
        db
          .prepare(
            `SELECT count(*) AS n FROM bookings a JOIN bookings b ON a.slot_id = b.slot_id AND a.id < b.id
          WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
            AND a.start_ms < b.grace_until_ms AND b.start_ms < a.grace_until_ms
            AND b.renewed_from_id IS NOT a.id`,
          )
          .get() as { n: number }
      ).n,
  );

/**
 * Rounds of: book SLOTS, let them end, race RIVALS creates per slot (and, for some, the driver's
 * renew) inside the grace; then past the holds one rival per slot wins. `withTariff` saves TARIFF
 * (its graceMinutes); without it the lot is flat-rate and its own grace setting (default 10) holds.
 */
async function raceThroughGrace(server: RunningServer, withTariff: boolean, label: string) {
  const anon = server.client();
  if (withTariff) {
    const owner = server.client((await anon.auth.login.mutate({ pin: '482916' })).token);
    await owner.tariff.save.mutate({ document: TARIFF });
  }
  const outcomes: Record<string, number> = {};
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  const unexpected: string[] = [];
  let vehicle = 0;

  for (let round = 0; round < ROUNDS; round += 1) {
    const held = await Promise.all(
      SLOTS.map((slotId) => anon.booking.create.mutate({ slotId, vehicleNumber: plate(vehicle++, 'GR'), bookingType: 'instant' })),
    );
    // The bookings end; now inside their grace (1 to 9 minutes after the end).
    await anon.clock.advance.mutate({ ms: 60 * MIN + (1 + (round % 9)) * MIN });
    const ops: Promise<void>[] = [];
    for (const booking of held) {
      for (let i = 0; i < RIVALS; i += 1) {
        ops.push(
          anon.booking.create.mutate({ slotId: booking.slotId, vehicleNumber: plate(vehicle++, 'RV'), bookingType: 'instant' }).then(
            () => {
              count('rival-in-grace:ok');
              unexpected.push(`a rival booked slot ${booking.slotId} in its grace`);
            },
            (error) => {
              const code = codeOf(error);
              count(`rival-in-grace:${code}`);
              if (code !== 'CONFLICT') unexpected.push(`rival → ${code}`);
            },
          ),
        );
      }
      // Half the drivers renew inside the grace (racing the rivals); the others let it lapse.
      if (round % 2 === 0 || booking.slotId === 1) {
        ops.push(
          server
            .client(booking.accessToken)
            .booking.renew.mutate({ id: booking.id })
            .then(
              (renewed) => {
                count('renew-in-grace:ok');
                if (renewed.newBooking.slotId !== booking.slotId) unexpected.push('renewed on another slot');
              },
              (error) => {
                count(`renew-in-grace:${codeOf(error)}`);
                unexpected.push(`renew in grace → ${codeOf(error)}`);
              },
            ),
        );
      }
    }
    // Fire in a random order, so rivals sometimes go first.
    await Promise.all(ops.sort(() => Math.random() - 0.5));
    expect(heldClashes(server.dbFile)).toBe(0);

    // Past every hold (renewals included): the slots free and exactly one rival of each wins.
    await anon.clock.advance.mutate({ ms: 2 * 60 * MIN });
    const wins = await Promise.all(
      SLOTS.map(async (slotId) => {
        const tries = await Promise.allSettled(
          Array.from({ length: RIVALS }, () => anon.booking.create.mutate({ slotId, vehicleNumber: plate(vehicle++, 'AF'), bookingType: 'instant' })),
        );
        return tries.filter((t) => t.status === 'fulfilled').length;
      }),
    );
    expect(wins).toEqual(SLOTS.map(() => 1));
    count('after-grace:won');
    // Those bookings run out and their grace too before the next round.
    await anon.clock.advance.mutate({ ms: 60 * MIN + GRACE_MIN * MIN + 1 });
  }

  withDb(server.dbFile, (db) => {
    expect(integrity(db)).toBe('ok');
    expect(malformedBookings(db)).toBe(0);
    expect(overlappingPairs(db, true)).toBe(0);
  });
  expect(heldClashes(server.dbFile)).toBe(0);
  expect(unexpected).toEqual([]);
  expect(outcomes['rival-in-grace:CONFLICT']).toBe(ROUNDS * SLOTS.length * RIVALS);
  expect(outcomes['renew-in-grace:ok']).toBeGreaterThan(0);
  recordFigures(label, { rounds: ROUNDS, ...outcomes });
}

describe('races: the grace hold under racing creates', () => {
  it("keeps an ended booking's slot for its driver through the grace: every rival create fails, the renew wins; after the grace one rival wins", async () => {
    server = await startServer();
    await raceThroughGrace(server, true, 'races-grace');
  }, 180_000);

  it("holds the same on a flat-rate lot (no saved tariff) through the lot's default 10-minute grace", async () => {
    server = await startServer();
    await raceThroughGrace(server, false, 'races-grace-flat');
  }, 180_000);
});
