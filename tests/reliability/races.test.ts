import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../support/core';
import { startServer, type RunningServer } from '../support/server';
import { integrity, malformedBookings, overlappingPairs, plate, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';

const ROUNDS = Number(process.env.RELIABILITY_RACE_ROUNDS ?? 40);
const SLOTS = [1, 2, 3];
const MIN = 60_000;

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const codeOf = (error: unknown) => (error as { data?: { code?: string } }).data?.code ?? 'NO_CODE';

describe('races: concurrent create, renew and cancel over HTTP on the same few slots', () => {
  it('never lets two bookings hold one slot at once, and a renew never steals a slot booked meanwhile', async () => {
    const anon = server.client();
    let staff = server.client((await anon.auth.login.mutate({ pin: '482916' })).token);
    const outcomes: Record<string, number> = {};
    const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
    const unexpected: string[] = [];
    const known: { id: number; token: string; slotId: number }[] = [];
    let attempts = 0;
    let contested = 0;
    let vehicle = 0;

    const attempt = async <T>(kind: string, call: () => Promise<T>, allowed: string[]): Promise<T | undefined> => {
      attempts += 1;
      try {
        const result = await call();
        count(`${kind}:ok`);
        return result;
      } catch (error) {
        const code = codeOf(error);
        count(`${kind}:${code}`);
        if (!allowed.includes(code)) unexpected.push(`${kind} → ${code}: ${(error as Error).message}`);
        return undefined;
      }
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      // Staff sessions last 12 h and the test moves days ahead: log in afresh every 8 rounds.
      if (round % 8 === 7) staff = server.client((await anon.auth.login.mutate({ pin: '482916' })).token);
      const ops: (() => Promise<unknown>)[] = [];
      // Creates: several drivers tap the same slot at the same moment (some rounds leave slots to the renews).
      for (const slotId of round % 3 === 2 ? SLOTS.slice(0, 1) : SLOTS) {
        for (let i = 0; i < 5; i += 1) {
          const startTime = i % 2 === 1 ? new Date(Date.parse((await anon.clock.now.query()).now) + (10 + i) * MIN).toISOString() : undefined;
          ops.push(() =>
            attempt(
              'create',
              () => anon.booking.create.mutate({ slotId, vehicleNumber: plate(vehicle++, 'RC'), bookingType: startTime ? 'advance' : 'instant', startTime }),
              ['CONFLICT'],
            ).then((made) => made && known.push({ id: made.id, token: made.accessToken, slotId })),
          );
        }
      }
      // Renews of finished bookings, twice each (a double tap), racing the creates above for the freed slots.
      const recent = known.slice(-30);
      for (const booking of recent.filter((_, i) => i % 2 === round % 2)) {
        contested += 1;
        for (const client of [server.client(booking.token), staff]) {
          // A driver's token lapses 15 min after a cancel and a day after the end (UNAUTHORIZED); staff's calls never do.
          const allowed = client === staff ? ['CONFLICT', 'PRECONDITION_FAILED'] : ['CONFLICT', 'PRECONDITION_FAILED', 'UNAUTHORIZED'];
          ops.push(() =>
            attempt('renew', () => client.booking.renew.mutate({ id: booking.id }), allowed).then((renewed) => {
              if (renewed) known.push({ id: renewed.newBooking.id, token: renewed.accessToken, slotId: renewed.newBooking.slotId });
            }),
          );
        }
      }
      // Cancels, some by the driver and some by staff at the same time.
      for (const booking of recent.filter((_, i) => i % 3 === round % 3)) {
        ops.push(() =>
          attempt('cancel', () => server.client(booking.token).booking.cancel.mutate({ id: booking.id }), ['PRECONDITION_FAILED', 'UNAUTHORIZED']),
        );
        ops.push(() => attempt('cancel', () => staff.booking.cancel.mutate({ id: booking.id, reason: 'race test' }), ['PRECONDITION_FAILED']));
      }
      // Fire everything at once, in a random order, so no kind of call always goes first.
      for (let i = ops.length - 1; i > 0; i -= 1) {
        const j = Math.floor(Math.random() * (i + 1));
        [ops[i], ops[j]] = [ops[j]!, ops[i]!];
      }
      await Promise.all(ops.map((op) => op()));
      withDb(server.dbFile, (db) => expect(overlappingPairs(db)).toBe(0));
      // Let time pass by uneven steps so bookings finish while others are mid-flight next round.
      await anon.clock.advance.mutate({ ms: [0, 20 * MIN, 61 * MIN, HOUR + 1][round % 4]! });
    }

    withDb(server.dbFile, (db) => {
      expect(integrity(db)).toBe('ok');
      expect(malformedBookings(db)).toBe(0);
      // Strongest form: over all time, no two bookings that were not cancelled ever overlapped on a slot.
      expect(overlappingPairs(db, true)).toBe(0);
      // Each booking was renewed at most once.
      expect(
        db.prepare('SELECT count(*) AS n FROM (SELECT renewed_from_id FROM bookings WHERE renewed_from_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1)').get(),
      ).toEqual({ n: 0 });
    });
    expect(unexpected).toEqual([]);
    expect(outcomes['create:ok']).toBeGreaterThan(0);
    expect(outcomes['create:CONFLICT']).toBeGreaterThan(0);
    expect(outcomes['renew:ok']).toBeGreaterThan(0);
    expect((outcomes['renew:CONFLICT'] ?? 0) + (outcomes['renew:PRECONDITION_FAILED'] ?? 0)).toBeGreaterThan(0);
    expect(outcomes['cancel:ok']).toBeGreaterThan(0);
    expect(attempts).toBeGreaterThan(ROUNDS * 15);
    recordFigures('races', { rounds: ROUNDS, attempts, contestedRenews: contested, ...outcomes, overlaps: 0 });
  }, 300_000);
});
