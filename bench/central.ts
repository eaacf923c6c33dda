/**
 * `npm run bench:central`: how fast lots' events reach the central PostgreSQL.
 *   1. backlog: a lot holding 100,000 unsent events (BENCH_BACKLOG: bookings made and completed,
 *      two events each) pushes them all; events/s.
 *   2. catch-up: a lot offline for a simulated week (~10,000 bookings, BENCH_WEEK_BOOKINGS, each
 *      made and completed: two events) comes back; time until central holds everything.
 * A throwaway PostgreSQL cluster (tests/support/postgres.ts) and the central server as its own
 * process; the lot's worker runs in this process against a real SQLite file, batches of
 * BENCH_BATCH (default 500) events over HTTP on loopback.
 */
import pg from 'pg';
import { bootKiosk } from '../electron/app/boot';
import { outboxStats } from '../electron/sync/outbox';
import { SyncWorker } from '../electron/sync/worker';
import { startCentralProcess } from '../tests/support/central-process';
import { startTestPostgres } from '../tests/support/postgres';
import { tempDbFile } from '../tests/support/server';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const WEEK_BOOKINGS = Number(process.env.BENCH_WEEK_BOOKINGS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const HOUR = 3_600_000;

function lotWithBookings(count: number, completeThem: boolean) {
  const kiosk = bootKiosk({ dbFile: tempDbFile('bench-central'), demo: true, staffPin: '482916', integrityCheck: false, backups: { everyMs: 0 } });
  kiosk.core.expiry.stop();
  const sqlite = kiosk.core.db.sqlite;
  const slots = (sqlite.prepare('SELECT id FROM slots').all() as { id: number }[]).map((row) => row.id);
  const insert = sqlite.prepare(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, grace_until_ms, created_at, chain_start_ms)
     VALUES (?, 1, ?, ?, 'car', 'instant', 'booked', ?, ?, 6000, ?, ?, ?)`,
  );
  const base = Date.now() - 8 * 24 * HOUR;
  // The same writes the triggers see at a lot, made fast: one transaction of plain INSERTs.
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const start = base + Math.floor(i / slots.length) * (HOUR + 1);
      insert.run(`B${String(i).padStart(7, '0')}`, slots[i % slots.length], `KA01AB${i}`, start, start + HOUR, start + HOUR, start, start);
    }
    if (completeThem) sqlite.prepare("UPDATE bookings SET status = 'completed' WHERE status = 'booked'").run();
  })();
  return kiosk;
}

async function drain(kiosk: ReturnType<typeof bootKiosk>, url: string, key: string): Promise<{ events: number; ms: number }> {
  const events = outboxStats(kiosk.core).unsent;
  const worker = new SyncWorker(kiosk.core, { centralUrl: url, centralKey: key, batchSize: BATCH, idleMs: 60_000, backoffBaseMs: 100, backoffMaxMs: 1000 });
  const started = performance.now();
  worker.start();
  while (outboxStats(kiosk.core).unsent > 0) {
    if (worker.state.failures > 20) throw new Error(`the worker keeps failing: ${worker.state.lastError}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = performance.now() - started;
  worker.stop();
  return { events, ms };
}

const cluster = await startTestPostgres();
try {
  const pgUrl = cluster.createDatabase('bench_central');
  const central = await startCentralProcess({ pgUrl, lotKeys: { backlog: 'bench-key-backlog-xxxxxxxxxxxxxxxx', week: 'bench-key-week-xxxxxxxxxxxxxxxxxxx' } });
  try {
    const backlogLot = lotWithBookings(Math.ceil(BACKLOG / 2), true);
    const backlog = await drain(backlogLot, central.url, 'bench-key-backlog-xxxxxxxxxxxxxxxx');
    backlogLot.close();
    const weekLot = lotWithBookings(WEEK_BOOKINGS, true);
    const week = await drain(weekLot, central.url, 'bench-key-week-xxxxxxxxxxxxxxxxxxx');
    weekLot.close();
    const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
    const stored = (
      await pool.query<{ events: string; bookings: string }>('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM bookings) AS bookings')
    ).rows[0]!;
    await pool.end();
    console.log(`\nCentral sync (batches of ${BATCH} events, loopback HTTP, PostgreSQL ${cluster.url.replace(/\/\/.*@/, '//…@')})\n`);
    console.log(`backlog:  ${backlog.events} events in ${(backlog.ms / 1000).toFixed(1)} s = ${Math.round(backlog.events / (backlog.ms / 1000))} events/s`);
    console.log(
      `catch-up: a week offline, ${WEEK_BOOKINGS} bookings (${week.events} events) in ${(week.ms / 1000).toFixed(1)} s = ${Math.round(week.events / (week.ms / 1000))} events/s`,
    );
    console.log(`central holds ${stored.events} events and ${stored.bookings} bookings`);
  } finally {
    await central.stop();
  }
} finally {
  cluster.stop();
}
