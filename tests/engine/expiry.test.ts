import { afterEach, describe, expect, it } from 'vitest';
import { createApiContext } from '../../electron/api/context';
import { fullRouter } from '../../electron/api/router';
import { createCallerFactory } from '../../electron/api/trpc';
import { getBooking } from '../../electron/core/bookings/service';
import { AdjustableClock, MonotonicClock } from '../../electron/core/shared/clock';
import { runInTransaction } from '../../electron/core/shared/unit-of-work';
import { toBookingView } from '../../electron/core/bookings/view';
import type { ChangeEvent } from '../../electron/core/shared/events';
import { bootKiosk, type BootedKiosk } from '../../electron/app/boot';
import { HOUR, T0 } from '../support/core';
import { tempDbFile } from '../support/server';
import { bulkInsertBookings } from './helpers/bulk';
import { addLot } from './helpers/kiosk';

let kiosk: BootedKiosk | undefined;
afterEach(() => kiosk?.close());

/** A kiosk whose every SQL statement is logged, so tests can count what a call runs. */
function tracedKiosk() {
  const log: string[] = [];
  const sink: { target: string[] | undefined } = { target: undefined };
  const clock = new AdjustableClock({ now: () => T0 });
  kiosk = bootKiosk({
    dbFile: tempDbFile(),
    demo: true,
    clock,
    integrityCheck: false,
    verbose: (sql) => {
      log.push(String(sql));
      sink.target?.push(String(sql));
    },
  });
  traces.set(kiosk, sink);
  kiosk.core.expiry.stop();
  return { kiosk, clock, log, sqlite: kiosk.core.db.sqlite };
}

const statusCounts = (k: BootedKiosk) =>
  Object.fromEntries(
    (k.core.db.sqlite.prepare('SELECT status, count(*) AS n FROM bookings GROUP BY status').all() as { status: string; n: number }[]).map((r) => [
      r.status,
      r.n,
    ]),
  );

/** Starts copying the kiosk's statement trace into `into`; returns a function that stops. */
function openTrace(k: BootedKiosk, into: string[]): () => void {
  const sink = traces.get(k)!;
  sink.target = into;
  return () => (sink.target = undefined);
}
const traces = new WeakMap<BootedKiosk, { target: string[] | undefined }>();

/** Statements one request runs when `due` bookings are overdue (table also holds 2,000 old ones). */
function statementsForOneRequest(due: number) {
  const { kiosk: k, clock, log, sqlite } = tracedKiosk();
  const { lotId, slotIds } = addLot(sqlite, { count: Math.max(due, 1) });
  bulkInsertBookings(sqlite, { count: 2000, slotIds, lotId, startMs: T0 - 400 * HOUR, stepMs: 60_000, statuses: ['completed', 'cancelled'], tag: 'H' });
  const active = bulkInsertBookings(sqlite, { count: due, slotIds, lotId, startMs: T0, statuses: ['booked'], tag: 'A' });
  const events: ChangeEvent[] = [];
  k.core.events.subscribe((event) => events.push(event));
  clock.advance(HOUR);
  log.length = 0;
  const started = performance.now();
  // A write: every write transaction begins with the expiry sweep (reads never write).
  const view = runInTransaction(k.core, (tx) => toBookingView(k.core.bookings.byId(active[0]!)!, tx.now));
  const elapsedMs = performance.now() - started;
  const statements = [...log];
  return { k, view, statements, elapsedMs, events, active };
}

describe('lazy expiry', () => {
  it('completes 1,000 overdue bookings in one set-based UPDATE inside a write, not a loop', () => {
    const { k, view, statements, elapsedMs, events, active } = statementsForOneRequest(1000);
    expect(view.status).toBe('completed');
    expect(statusCounts(k)).toEqual({ completed: 1000 + 1000, cancelled: 1000 });
    const updates = statements.filter((sql) => /^\s*UPDATE\s+bookings/i.test(sql));
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatch(/status = 'completed'/);
    // BEGIN, the UPDATE, the slot-hold tidy-up DELETE (issue 13), the read, COMMIT: a handful of
    // statements, whatever the backlog.
    expect(statements.length).toBeLessThanOrEqual(7);
    expect(elapsedMs).toBeLessThan(250);
    // Every expiry is announced, after the commit.
    expect(
      events
        .filter((e) => e.kind === 'booking' && e.change === 'completed')
        .map((e) => (e as { bookingId: number }).bookingId)
        .sort((a, b) => a - b),
    ).toEqual(active);
  });

  it('runs the same number of statements for 1 overdue booking as for 1,000', () => {
    const one = statementsForOneRequest(1);
    const oneCount = one.statements.length;
    one.k.close();
    const many = statementsForOneRequest(1000);
    expect(many.statements.length).toBe(oneCount);
  });

  it('finds due and next-due bookings through the partial index on active end times, not by walking active rows', () => {
    const { statements, k } = statementsForOneRequest(3);
    const log: string[] = [];
    const sqlite = k.core.db.sqlite;
    // Plan the very statements the store ran, as the trace recorded them.
    const update = statements.find((sql) => /^\s*UPDATE\s+bookings/i.test(sql))!;
    const plan = (sql: string) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(update)).toMatch(/SEARCH bookings USING (COVERING )?INDEX bookings_active_end \(end_ms<\?\)/);
    const traced = openTrace(k, log);
    k.core.bookings.nextDue();
    traced();
    expect(log).toHaveLength(1);
    expect(plan(log[0]!)).toMatch(/bookings_active_end/);
  });

  it('flips a booking to completed on time with nobody calling (the expiry timer), announcing it', async () => {
    const clock = new AdjustableClock(new MonotonicClock());
    kiosk = bootKiosk({ dbFile: tempDbFile(), demo: true, clock });
    const caller = createCallerFactory(fullRouter)(createApiContext({ core: kiosk.core, testClock: clock }, undefined, 't'));
    const created = await caller.booking.create({ slotId: 1, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const heard = new Promise<number>((resolve) =>
      kiosk!.core.events.subscribe((e) => e.kind === 'booking' && e.change === 'completed' && resolve(Date.now())),
    );
    clock.advance(HOUR - 300);
    kiosk.core.expiry.reschedule();
    // How far the end is now (under 300 ms by however long the create took on a busy machine):
    // the timer must not fire sooner (a timer may round down by a millisecond), nor much later.
    const before = Date.now();
    const remaining = Date.parse(created.endTime) - clock.now();
    const at = await heard;
    expect(remaining).toBeGreaterThan(0);
    expect(at - before).toBeGreaterThanOrEqual(remaining - 2);
    expect(at - before).toBeLessThan(remaining + 1500);
    expect(kiosk.core.db.sqlite.prepare('SELECT status FROM bookings WHERE id = ?').get(created.id)).toEqual({ status: 'completed' });
  });

  it('a read derives the expiry without writing: no BEGIN IMMEDIATE, no UPDATE, no event, stored row untouched', () => {
    const { kiosk: k, clock, log, sqlite } = tracedKiosk();
    const { lotId, slotIds } = addLot(sqlite, { count: 3 });
    const active = bulkInsertBookings(sqlite, { count: 3, slotIds, lotId, startMs: T0, statuses: ['booked'], tag: 'A' });
    const events: ChangeEvent[] = [];
    k.core.events.subscribe((event) => events.push(event));
    clock.advance(HOUR);
    log.length = 0;
    expect(getBooking(k.core, active[0]!)).toMatchObject({ status: 'completed', isExpired: true, remainingSeconds: 0 });
    expect(log.filter((sql) => /IMMEDIATE|^\s*(UPDATE|INSERT|DELETE)/i.test(sql))).toEqual([]);
    expect(events).toEqual([]);
    expect(statusCounts(k)).toEqual({ booked: 3 });
  });

  it('announces nothing and changes nothing when no booking is due', () => {
    const { kiosk: k, log } = tracedKiosk();
    const events: ChangeEvent[] = [];
    k.core.events.subscribe((e) => events.push(e));
    log.length = 0;
    runInTransaction(k.core, () => undefined);
    expect(events).toEqual([]);
    expect(log.filter((sql) => /^\s*UPDATE/i.test(sql))).toHaveLength(1);
  });
});
