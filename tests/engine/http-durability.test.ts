import Database from 'better-sqlite3';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { plate } from './helpers/kiosk';

// Server processes are slow to start, so this file shares one (`shared`) in order: races and
// the raw-SQL check first, then the crash test kills it and restarts it without a test clock.
const running: RunningServer[] = [];
let shared: RunningServer;
let restarted: RunningServer;
beforeAll(async () => {
  shared = await start({ staffPin: '482916' });
});
afterAll(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
const start = async (options: Parameters<typeof startServer>[0] = {}) => {
  const server = await startServer(options);
  running.push(server);
  return server;
};

const codeOf = (result: PromiseSettledResult<unknown>) =>
  result.status === 'fulfilled' ? 'OK' : result.reason instanceof TRPCClientError ? String(result.reason.data?.code) : String(result.reason);

describe('double booking under concurrency', () => {
  it('lets exactly one of 50 simultaneous creates for one slot win; the other 49 get CONFLICT', async () => {
    const server = shared;
    const clients = Array.from({ length: 50 }, () => server.client());
    const results = await Promise.allSettled(
      clients.map((client, i) => client.booking.create.mutate({ slotId: 7, vehicleNumber: plate(i), bookingType: 'instant' })),
    );
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(49);
    const db = new Database(server.dbFile, { readonly: true });
    try {
      expect(db.prepare(`SELECT count(*) AS n FROM bookings WHERE slot_id = 7 AND status = 'booked'`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('holds across two server processes sharing one database file (25 + 25 creates)', async () => {
    const first = shared;
    const second = await start({ dbFile: first.dbFile });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? first : second).client().booking.create.mutate({ slotId: 9, vehicleNumber: plate(1000 + i), bookingType: 'instant' }),
      ),
    );
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(49);
    await second.stop();
  });

  it('has the database refuse an overlapping insert written straight into the live file, bypassing all code', async () => {
    const server = shared;
    const created = await server.client().booking.create.mutate({ slotId: 3, vehicleNumber: 'KL08AZ1234', bookingType: 'instant' });
    const db = new Database(server.dbFile);
    try {
      const start = Date.parse(created.startTime) + 60_000;
      expect(() =>
        db
          .prepare(
            `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
             VALUES ('SQLSQL', 1, 3, 'KL-99-ZZ-9999', 'car', 'instant', 'booked', ?, ?, 6000, ?)`,
          )
          .run(start, start + 3_600_000, start),
      ).toThrow(/BOOKING_OVERLAP/);
      expect(db.prepare(`SELECT count(*) AS n FROM bookings WHERE slot_id = 3`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});

describe('one-shot actions under concurrency', () => {
  it('adds a car wash once and renews once when 10 identical requests race', async () => {
    const client = shared.client();
    const created = await client.booking.create.mutate({ slotId: 12, vehicleNumber: 'KL08RC0001', bookingType: 'instant' });
    const holder = () => shared.client(created.accessToken);
    const washes = (await Promise.allSettled(Array.from({ length: 10 }, () => holder().booking.addCarWash.mutate({ id: created.id })))).map(codeOf);
    expect(washes.sort()).toEqual(['OK', ...Array(9).fill('PRECONDITION_FAILED')]);

    await client.clock.advance.mutate({ ms: 3_600_000 });
    const renewals = await Promise.allSettled(Array.from({ length: 10 }, () => holder().booking.renew.mutate({ id: created.id })));
    expect(renewals.map(codeOf).sort()).toEqual(['OK', ...Array(9).fill('PRECONDITION_FAILED')]);
    const db = new Database(shared.dbFile, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM bookings WHERE renewed_from_id = ?').get(created.id)).toEqual({ n: 1 });
      expect(db.prepare('SELECT count(*) AS n FROM booking_add_ons WHERE booking_id = ?').get(created.id)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});

describe('restart safety of the server process', () => {
  it('loses nothing when the server is killed (SIGKILL) and started again on the same file; tokens still work', async () => {
    const server = shared;
    const anon = server.client();
    const a = await anon.booking.create.mutate({ slotId: 1, vehicleNumber: 'KL08AZ0001', bookingType: 'instant' });
    const b = await anon.booking.create.mutate({ slotId: 2, vehicleNumber: 'KL08AZ0002', bookingType: 'instant' });
    const c = await anon.booking.create.mutate({ slotId: 4, vehicleNumber: 'KL08AZ0003', bookingType: 'instant' });
    await server.client(b.accessToken).booking.cancel.mutate({ id: b.id });
    await server.client(c.accessToken).booking.addCarWash.mutate({ id: c.id });
    const staffToken = (await anon.auth.login.mutate({ pin: '482916' })).token;
    const before = (await server.client(staffToken).booking.list.query({ limit: 200 })).items;
    await server.stop('SIGKILL');

    restarted = await start({ dbFile: server.dbFile, staffPin: '861357', testClock: false });
    const again = restarted;
    const after = (await again.client(staffToken).booking.list.query({ limit: 200 })).items;
    expect(after.map((x) => [x.id, x.reference, x.status, x.startTime, x.endTime, x.totalPrice])).toEqual(
      before.map((x) => [x.id, x.reference, x.status, x.startTime, x.endTime, x.totalPrice]),
    );
    expect(after.length).toBeGreaterThanOrEqual(5);
    expect(after.slice(0, 3).map((x) => x.status)).toEqual(['booked', 'cancelled', 'booked']);
    for (const booking of [a, b, c]) {
      expect((await again.client(booking.accessToken).booking.get.query({ id: booking.id })).reference).toBe(booking.reference);
    }
    // The slot taken before the crash is still taken after it.
    await expect(anon.booking.create.mutate({ slotId: 1, vehicleNumber: 'KL08AZ0009', bookingType: 'instant' })).rejects.toBeDefined();
    await expect(again.client().booking.create.mutate({ slotId: 1, vehicleNumber: 'KL08AZ0009', bookingType: 'instant' })).rejects.toMatchObject({
      data: { code: 'CONFLICT' },
    });
  });
});

describe('test clock procedures', () => {
  it('do not exist without KIOSK_TEST_CLOCK: clock.advance and clock.now are NOT_FOUND', async () => {
    // The server restarted above runs without KIOSK_TEST_CLOCK.
    const client = restarted.client();
    await expect(client.clock.advance.mutate({ ms: 3_600_000 })).rejects.toMatchObject({ data: { code: 'NOT_FOUND', httpStatus: 404 } });
    await expect(client.clock.now.query()).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect((await client.lot.list.query()).length).toBe(1);
  });
});
