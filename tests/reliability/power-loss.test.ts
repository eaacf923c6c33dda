import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR } from '../support/core';
import { isAlive, processesHoldingFile } from '../support/processes';
import { startServer, tempDbFile } from '../support/server';
import { waitFor } from '../support/wait';
import { bookingCount, integrity, malformedBookings, overlappingPairs, plate, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';

const ROUNDS = Number(process.env.RELIABILITY_KILL_ROUNDS ?? 10);
const WORKERS = 6;

interface Acked {
  id: number;
  reference: string;
  slotId: number;
  vehicleNumber: string;
  startTime: string;
  endTime: string;
  price: number;
  accessToken: string;
}

describe('power loss: SIGKILL in the middle of a stream of bookings', () => {
  it(`loses no confirmed booking and leaves no half-written one, over ${ROUNDS} kills`, async () => {
    const dbFile = tempDbFile('power-loss');
    const acked = new Map<string, Acked>();
    let attempts = 0;
    let next = 0;
    let unconfirmedButStored = 0;
    const unexpected: string[] = [];

    for (let round = 0; round < ROUNDS; round += 1) {
      const server = await startServer({ dbFile });
      const anon = server.client();
      // Everything from earlier rounds must be there, through the restarted server too.
      for (const booking of [...acked.values()].slice(-5)) {
        const seen = await server.client(booking.accessToken).booking.get.query({ id: booking.id });
        expect(seen.reference).toBe(booking.reference);
      }
      await anon.clock.advance.mutate({ ms: 2 * HOUR });
      const slots = await anon.slot.list.query({});
      let killed = false;
      const stream = Array.from({ length: WORKERS }, async () => {
        while (!killed) {
          const n = next++;
          const slot = slots[n % slots.length]!;
          attempts += 1;
          try {
            const made = await anon.booking.create.mutate({ slotId: slot.id, vehicleNumber: plate(n, 'PL'), bookingType: 'instant' });
            acked.set(made.reference, { ...made, slotId: made.slotId });
          } catch (error) {
            const code = (error as { data?: { code?: string } }).data?.code;
            if (killed) return;
            if (code === 'CONFLICT') {
              // The lot is full: let the hour pass so the stream keeps writing.
              await anon.clock.advance.mutate({ ms: HOUR }).catch(() => undefined);
              continue;
            }
            unexpected.push(`${code}: ${(error as Error).message}`);
          }
        }
      });
      // Kill after a random number of confirmed writes this round (not after a fixed time, which on
      // a loaded machine may pass before the first write): the stream is still writing when it lands.
      const before = acked.size;
      const target = 3 + Math.floor(Math.random() * 15);
      await waitFor(() => acked.size - before >= target || unexpected.length > 0, { timeout: 60_000, what: `${target} confirmed bookings in round ${round}` });
      killed = true;
      server.process.kill('SIGKILL');
      await Promise.all(stream);
      await server.stop('SIGKILL'); // resolves once the process and its group are gone
      // The process that was killed is the one that held the database: it died of the signal,
      // no such process exists any more, and nothing else has the file open before the restart.
      expect(server.process.signalCode).toBe('SIGKILL');
      expect(isAlive(server.pid)).toBe(false);
      expect(() => process.kill(server.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      expect(processesHoldingFile(dbFile), 'processes still holding the database after the kill').toEqual([]);

      withDb(dbFile, (db) => {
        expect(integrity(db)).toBe('ok');
        expect(malformedBookings(db)).toBe(0);
        expect(overlappingPairs(db)).toBe(0);
        const stored = new Map(
          (
            db.prepare('SELECT reference, slot_id AS slotId, vehicle_number AS v, start_ms AS s, end_ms AS e, price FROM bookings').all() as {
              reference: string;
              slotId: number;
              v: string;
              s: number;
              e: number;
              price: number;
            }[]
          ).map((row) => [row.reference, row]),
        );
        for (const booking of acked.values()) {
          const row = stored.get(booking.reference);
          expect(row, `confirmed booking ${booking.reference} missing after kill ${round}`).toBeDefined();
          expect(row).toMatchObject({
            slotId: booking.slotId,
            v: booking.vehicleNumber,
            s: Date.parse(booking.startTime),
            e: Date.parse(booking.endTime),
            price: booking.price,
          });
        }
        unconfirmedButStored = stored.size - acked.size;
        expect(bookingCount(db)).toBeGreaterThanOrEqual(acked.size);
      });
    }
    expect(unexpected).toEqual([]);
    // Nothing was ever set aside as damaged: every restart passed its start-up check.
    expect(readdirSync(dirname(dbFile)).filter((name) => name.includes('.damaged-'))).toEqual([]);
    expect(acked.size).toBeGreaterThan(ROUNDS * 5);
    recordFigures('power-loss', {
      kills: ROUNDS,
      createAttempts: attempts,
      confirmed: acked.size,
      committedButUnconfirmed: unconfirmedButStored,
      confirmedLost: 0,
      halfWritten: 0,
    });
  }, 400_000);
});
