import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { bookingHistory } from '../../electron/core/bookings/history';
import { activeSql, dueSql, isDueAt, statusAt, statusAtSql, statusIsSql, type BookingStatus } from '../../electron/core/bookings/completion';
import { cancelBooking, getBooking, listBookings, renewBooking } from '../../electron/core/bookings/service';
import { listLots } from '../../electron/core/lots/service';
import { occupancyByHour } from '../../electron/core/reports/occupancy';
import { revenueByDay } from '../../electron/core/reports/revenue';
import { listAdminSlots } from '../../electron/core/slots/admin';
import { lotMap } from '../../electron/core/slots/lot-map';
import { listSlots } from '../../electron/core/slots/service';
import { runInTransaction } from '../../electron/core/shared/unit-of-work';
import { DomainError } from '../../electron/core/shared/errors';
import type { ChangeEvent } from '../../electron/core/shared/events';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../support/core';

/**
 * The read rule (docs/reads.md): a read returns exactly what a lazy-expiring write at the same
 * instant would have produced, and writes nothing. Random bookings (any status, any length,
 * ending on or around the instants the clock visits), a random walk of the clock, random
 * writes in between.
 */
const MIN = 60_000;
const SLOTS = [1, 2, 3, 4];
const STATUSES: BookingStatus[] = ['booked', 'completed', 'cancelled'];

const segment = fc.record({ gapMin: fc.integer({ min: 0, max: 90 }), durMin: fc.integer({ min: 1, max: 120 }), status: fc.constantFrom(...STATUSES) });
const layout = fc.array(fc.array(segment, { maxLength: 4 }), { minLength: SLOTS.length, maxLength: SLOTS.length });
const step = fc.record({
  // Whole minutes land exactly on booking ends; ±1 ms checks either side of the boundary.
  advanceMin: fc.integer({ min: 0, max: 150 }),
  nudgeMs: fc.constantFrom(-1, 0, 0, 1),
  write: fc.constantFrom('sweep', 'cancel', 'renew'),
  pick: fc.nat(),
});

let kiosk: TestKiosk | undefined;
afterEach(() => kiosk?.close());

function seed(k: TestKiosk, slots: { gapMin: number; durMin: number; status: BookingStatus }[][]): number[] {
  const insert = k.core.db.sqlite.prepare(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at, cancelled_at, cancelled_by)
     VALUES (?, 1, ?, ?, 'car', 'instant', ?, ?, ?, 6000, ?, ?, ?)`,
  );
  const ids: number[] = [];
  let n = 0;
  slots.forEach((segments, index) => {
    let at = T0 - 2 * HOUR;
    for (const s of segments) {
      const start = at + s.gapMin * MIN;
      const end = start + s.durMin * MIN;
      at = end;
      n += 1;
      const cancelled = s.status === 'cancelled';
      ids.push(
        Number(
          insert.run(
            `P${String(n).padStart(7, '0')}`,
            SLOTS[index],
            `KA01AB${String(n).padStart(4, '0')}`,
            s.status,
            start,
            end,
            start - MIN,
            cancelled ? start : null,
            cancelled ? 'staff:test' : null,
          ).lastInsertRowid,
        ),
      );
    }
  });
  return ids;
}

/** Everything a screen can read, at the clock's current instant. */
function readAll(k: TestKiosk, ids: number[]) {
  const core = k.core;
  const now = core.clock.now();
  const period = { fromMs: T0 - 4 * HOUR, toMs: T0 + 12 * HOUR, utcOffsetMinutes: 0 };
  return {
    bookings: ids.map((id) => getBooking(core, id)),
    history: ids.map((id) => bookingHistory(core, id)),
    list: listBookings(core, { limit: 200, order: 'newest' }),
    byStatus: STATUSES.map((status) => listBookings(core, { status, limit: 200, order: 'oldest' })),
    slots: listSlots(core),
    map: lotMap(core, 1),
    lots: listLots(core),
    adminSlots: listAdminSlots(core, 1),
    occupancy: occupancyByHour(core, 1, period),
    revenue: revenueByDay(core, 1, period),
    now,
  };
}

const storedStatus = (k: TestKiosk) =>
  new Map(
    (k.core.db.sqlite.prepare('SELECT id, status, end_ms AS endMs FROM bookings').all() as { id: number; status: BookingStatus; endMs: number }[]).map((r) => [
      r.id,
      r,
    ]),
  );

const outcome = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe('reads and lazy-expiring writes never disagree', () => {
  it('the JS and SQL forms of the completion rule agree for every status, end and instant', () => {
    kiosk = bootTestKiosk({ graceMinutes: 0 });
    const sqlite = kiosk.core.db.sqlite;
    const probe = sqlite.prepare(
      `SELECT ${statusAtSql('t')} AS status, ${dueSql('t')} AS due, ${activeSql('t')} AS active,
              ${statusIsSql('t', 'booked')} AS isBooked, ${statusIsSql('t', 'completed')} AS isCompleted, ${statusIsSql('t', 'cancelled')} AS isCancelled
         FROM (SELECT @status AS status, @end AS end_ms) t`,
    );
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (status, offset, base) => {
        const now = T0 + base;
        const end = now + offset;
        const row = probe.get({ status, end, now }) as Record<string, unknown>;
        const expected = statusAt(status, end, now);
        expect(row.status).toBe(expected);
        expect(row.due === 1).toBe(isDueAt(status, end, now));
        expect(row.active === 1).toBe(expected === 'booked');
        expect([row.isBooked, row.isCompleted, row.isCancelled]).toEqual(STATUSES.map((s) => (s === expected ? 1 : 0)));
      }),
      { numRuns: 300 },
    );
  });

  it('over random clocks and bookings: a read writes nothing and equals what the next write sees; every due booking is announced', () => {
    fc.assert(
      fc.property(layout, fc.array(step, { minLength: 1, maxLength: 6 }), (slots, steps) => {
        kiosk?.close();
        const k = (kiosk = bootTestKiosk({ graceMinutes: 0 }));
        const ids = seed(k, slots);
        const events: ChangeEvent[] = [];
        k.core.events.subscribe((e) => events.push(e));
        const changes = k.core.db.sqlite.prepare('SELECT total_changes() AS n');
        for (const s of steps) {
          k.clock.advance(s.advanceMin * MIN + s.nudgeMs);
          const before = storedStatus(k);
          const writesBefore = changes.get();
          const read = readAll(k, ids);
          // A read takes no write lock and stores nothing.
          expect(changes.get()).toEqual(writesBefore);
          expect(storedStatus(k)).toEqual(before);
          expect(k.core.db.sqlite.inTransaction).toBe(false);
          // What the read showed is the completion rule applied to the stored rows.
          for (const view of read.bookings) {
            const row = before.get(view.id)!;
            expect(view.status).toBe(statusAt(row.status, row.endMs, read.now));
          }

          // The lazy-expiring write at the same instant: the sweep every write starts with.
          events.length = 0;
          runInTransaction(k.core, () => undefined);
          const due = [...before.values()].filter((r) => isDueAt(r.status, r.endMs, read.now)).map((r) => r.id);
          expect(
            events
              .filter((e) => e.kind === 'booking' && e.change === 'completed')
              .map((e) => (e as { bookingId: number }).bookingId)
              .sort((a, b) => a - b),
          ).toEqual(due);
          expect(readAll(k, ids)).toEqual(read);

          // A real write decides as the read said: cancel only what reads show as booked,
          // renew only what reads show as completed (and not yet renewed, on a free slot).
          if (s.write !== 'sweep' && ids.length > 0) {
            const view = read.bookings[s.pick % ids.length]!;
            if (s.write === 'cancel') {
              const result = outcome(() => cancelBooking(k.core, view.id, 'staff:test', null));
              expect(result).toBe(view.status === 'booked' ? 'ok' : 'PRECONDITION_FAILED');
            } else {
              const result = outcome(() => renewBooking(k.core, view.id));
              if (view.status !== 'completed' || view.renewedToId !== null) expect(result).toBe('PRECONDITION_FAILED');
              else expect(result).toBe(read.slots.find((x) => x.id === view.slotId)!.available ? 'ok' : 'CONFLICT');
            }
            ids.splice(0, ids.length, ...(k.core.db.sqlite.prepare('SELECT id FROM bookings ORDER BY id').pluck().all() as number[]));
          }
        }
      }),
      { numRuns: Number(process.env.READS_PROPERTY_RUNS ?? 60) },
    );
  }, 180_000);
});
