import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueBookingToken } from '../../electron/core/auth/booking-tokens';
import { newReference } from '../../electron/core/bookings/references';
import { runInTransaction, statement } from '../../electron/core/shared/core';
import { bootKiosk } from '../../electron/server/boot';
import { HOUR } from '../support/core';
import { startServer, tempDbFile } from '../support/server';
import { integrity, overlappingPairs, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';

const DRIVERS = Number(process.env.RELIABILITY_SOAK_DRIVERS ?? 1000);
const DAYS = Number(process.env.RELIABILITY_SOAK_DAYS ?? 2);
const STEP_MS = Number(process.env.RELIABILITY_SOAK_STEP_MS ?? 250);
/**
 * Stated bounds, measured after the drivers of a day have left: the server's heap after a full
 * GC may grow by at most HEAP_GROWTH_BOUND_MB from the end of day 1 to the end of the last day
 * (a leak of even 10 kB per watch session would exceed it), its resident size by at most
 * RSS_GROWTH_BOUND_MB (the allocator keeps freed pages, so this one is looser).
 */
const HEAP_GROWTH_BOUND_MB = 8;
const RSS_GROWTH_BOUND_MB = 160;
const SLOTS = 48;

interface Driver {
  id: number;
  token: string;
  endsAt: number;
  events: number;
  completed: boolean;
  controller: AbortController;
  done: Promise<void>;
}

/** Seeds `DAYS × DRIVERS` one-hour bookings spread over the lot so each day's all end inside that day. */
function seed(dbFile: string) {
  const kiosk = bootKiosk({ dbFile, demo: true, staffPin: '482916', backups: { everyMs: 0 } });
  try {
    const core = kiosk.core;
    return runInTransaction(core, (tx) => {
      const lotId = (statement(core, 'SELECT id FROM lots LIMIT 1').get() as { id: number }).id;
      const existing = (statement(core, 'SELECT count(*) AS n FROM slots').get() as { n: number }).n;
      for (let n = existing; n < SLOTS; n += 1) {
        statement(core, `INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, 'car', 5000, 1, ?, ?)`)
          .run(lotId, `S${n}`, n, tx.now);
      }
      const slots = (statement(core, 'SELECT s.id, s.hourly_price AS price FROM slots s ORDER BY id').all() as { id: number; price: number }[]).slice(0, SLOTS);
      const days: { id: number; token: string; endsAt: number }[][] = [];
      for (let day = 0; day < DAYS; day += 1) {
        const bookings: { id: number; token: string; endsAt: number }[] = [];
        for (let i = 0; i < DRIVERS; i += 1) {
          const slot = slots[i % SLOTS]!;
          const startMs = tx.now + day * 24 * HOUR + (1 + Math.floor(i / SLOTS)) * HOUR;
          const reference = newReference(core.bookings.referenceTaken);
          const id = core.bookings.insert({
            reference,
            lotId,
            slotId: slot.id,
            vehicleNumber: `SK-${day}-${i}`,
            vehicleType: 'car',
            bookingType: 'advance',
            startMs,
            endMs: startMs + HOUR,
            price: slot.price,
            renewedFromId: null,
            createdAt: tx.now,
          });
          bookings.push({ id, token: issueBookingToken(core.tokenSecret, { id, reference, createdAt: tx.now }, tx.now), endsAt: startMs + HOUR });
        }
        days.push(bookings);
      }
      if (Math.floor((DRIVERS - 1) / SLOTS) + 2 > 23) throw new Error('too many drivers for one day on this lot');
      return days;
    });
  } finally {
    kiosk.close();
  }
}

function watch(url: string, booking: { id: number; token: string; endsAt: number }): Driver {
  const controller = new AbortController();
  const driver: Driver = { ...booking, events: 0, completed: false, controller, done: Promise.resolve() };
  driver.done = (async () => {
    const res = await fetch(`${url}/trpc/booking.watch?input=${encodeURIComponent(JSON.stringify({ id: booking.id }))}`, {
      headers: { authorization: `Bearer ${booking.token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (res.status !== 200) throw new Error(`watch ${booking.id}: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let tail = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        tail = (tail + decoder.decode(chunk, { stream: true })).slice(-8192);
        const frames = tail.split('\n\n');
        tail = frames.pop()!;
        for (const frame of frames) {
          if (!frame.includes('"status"')) continue;
          driver.events += 1;
          if (frame.includes('"status":"completed"')) driver.completed = true;
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return driver;
}

/** `tsx` runs the server in a child process; measure the innermost node process, not the wrapper. */
function serverPid(pid: number): number {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length ? serverPid(Number(children[0])) : pid;
  } catch {
    return pid;
  }
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

describe('long run: drivers watching their bookings over SSE for simulated days (memory, handles, subscriptions)', () => {
  it(`${DRIVERS} drivers × ${DAYS} simulated days: every countdown ends, no leaked subscriptions, memory and handles bounded`, async () => {
    const dbFile = tempDbFile('soak');
    const days = seed(dbFile);
    // One stream per driver, all from this machine: above the default cap of 800 live streams (sized for 1,024 fds).
    const server = await startServer({ dbFile, env: { KIOSK_BACKUP_EVERY_MIN: '0', NODE_OPTIONS: '--expose-gc', KIOSK_MAX_STREAMS: String(DRIVERS + 100) } });
    const pid = serverPid(server.process.pid!);
    try {
      const anon = server.client();
      const login = async () => server.client((await anon.auth.login.mutate({ pin: '482916' })).token);
      let staff = await login();
      const subscriptions = async () => (await staff.backup.status.query()).liveSubscriptions;
      const fdsAtStart = openFds(pid);
      const rssAfterDay: number[] = [];
      const heapAfterDay: number[] = [];
      let events = 0;
      const started = Date.now();

      for (const bookings of days) {
        staff = await login();
        const drivers: Driver[] = [];
        for (let i = 0; i < bookings.length; i += 100) {
          drivers.push(...bookings.slice(i, i + 100).map((booking) => watch(server.url, booking)));
          await sleep(50);
        }
        expect(await until(async () => (await subscriptions()) >= bookings.length, 30_000)).toBe(true);
        expect(await until(() => drivers.every((d) => d.events > 0), 30_000)).toBe(true);
        // A simulated day in one-hour steps; the expiry timer completes bookings as their hour ends.
        for (let hour = 0; hour < 24; hour += 1) {
          await anon.clock.advance.mutate({ ms: HOUR });
          await sleep(STEP_MS);
        }
        expect(await until(() => drivers.every((d) => d.completed), 30_000)).toBe(true);
        staff = await login(); // a staff session lasts 12 h of (simulated) time
        events += drivers.reduce((sum, d) => sum + d.events, 0);
        for (const driver of drivers) driver.controller.abort();
        await Promise.all(drivers.map((d) => d.done));
        // Every watcher that left has unsubscribed from the change bus.
        expect(await until(async () => (await subscriptions()) === 0, 20_000)).toBe(true);
        await sleep(500);
        rssAfterDay.push(rssMb(pid));
        const memory = (await staff.backup.status.query()).memory;
        expect(memory.collected).toBe(true);
        heapAfterDay.push(memory.heapUsedMb);
      }

      // Closed sockets are released a moment after the clients leave.
      expect(await until(() => openFds(pid) <= fdsAtStart + 5, 15_000)).toBe(true);
      const fdsAtEnd = openFds(pid);
      const growth = rssAfterDay[rssAfterDay.length - 1]! - rssAfterDay[0]!;
      const heapGrowth = heapAfterDay[heapAfterDay.length - 1]! - heapAfterDay[0]!;
      console.log(`[soak] heap after each day (MB): ${heapAfterDay.join(', ')}; rss: ${rssAfterDay.map(Math.round).join(', ')}`);
      expect(heapGrowth).toBeLessThan(HEAP_GROWTH_BOUND_MB);
      expect(growth).toBeLessThan(RSS_GROWTH_BOUND_MB);
      expect(server.process.exitCode).toBeNull();
      withDb(dbFile, (db) => {
        expect(integrity(db)).toBe('ok');
        expect(overlappingPairs(db)).toBe(0);
        expect(db.prepare("SELECT count(*) AS n FROM bookings WHERE status = 'completed'").get()).toEqual({ n: DRIVERS * DAYS });
      });
      recordFigures('soak', {
        drivers: DRIVERS,
        simulatedDays: DAYS,
        watchSessions: DRIVERS * DAYS,
        updatesReceived: events,
        rssAfterDay1Mb: Math.round(rssAfterDay[0]!),
        rssAfterLastDayMb: Math.round(rssAfterDay[rssAfterDay.length - 1]!),
        rssGrowthMb: Math.round(growth * 10) / 10,
        rssBoundMb: RSS_GROWTH_BOUND_MB,
        heapAfterDay1Mb: heapAfterDay[0]!,
        heapAfterLastDayMb: heapAfterDay[heapAfterDay.length - 1]!,
        heapGrowthMb: Math.round(heapGrowth * 10) / 10,
        heapBoundMb: HEAP_GROWTH_BOUND_MB,
        fdsAtStart,
        fdsAtEnd,
        liveSubscriptionsAtEnd: 0,
        wallSeconds: Math.round((Date.now() - started) / 1000),
      });
    } finally {
      await server.stop();
    }
  }, 240_000);
});
