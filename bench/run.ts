/**
 * `npm run bench`: latency of the booking engine's hot paths, in-process (core service
 * functions and the tRPC router through a caller) and over HTTP on loopback (the real
 * `npm run serve` process and @trpc/client), at 100 and at 100,000 bookings in the table,
 * plus the cost of expiring 1,000 bookings at once. Prints p50/p95 per operation and the
 * machine's floor for comparison. Not part of `npm test`.
 *
 * Env: BENCH_SCALES=100,100000 (table sizes), BENCH_OPS=300 (operations per measurement).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createApiContext } from '../electron/api/context';
import type { AppRouter } from '../electron/api/router';
import { createCallerFactory } from '../electron/api/trpc';
import {
  cancelBooking,
  createBooking,
  getBooking,
  listBookings,
  renewBooking,
} from '../electron/core/bookings/service';
import { AdjustableClock, MonotonicClock } from '../electron/core/shared/clock';
import { runInTransaction } from '../electron/core/shared/core';
import { bootKiosk, type BootedKiosk } from '../electron/server/boot';
import { createKioskHttpServer } from '../electron/server/http';

const SCALES = (process.env.BENCH_SCALES ?? '100,100000').split(',').map(Number);
const OPS = Number(process.env.BENCH_OPS ?? 300);
const HTTP_OPS = Math.min(OPS, 200);
const SLOTS = 1200; // enough free slots for OPS creates and for 1,000 expiring bookings
const EXPIRY_ROUNDS = 10;
const MIN = 60_000;
const root = join(import.meta.dirname, '..');

interface Row {
  scale: string;
  op: string;
  via: string;
  samples: number[];
  target?: number;
}
const rows: Row[] = [];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

function record(scale: number | string, op: string, via: string, samples: number[], target?: number) {
  rows.push({ scale: typeof scale === 'number' ? scale.toLocaleString('en-US') : scale, op, via, samples, target });
  const sorted = [...samples].sort((a, b) => a - b);
  process.stderr.write(`  ${String(scale).padEnd(7)} ${op.padEnd(30)} ${via.padEnd(10)} p50 ${fmt(pct(sorted, 0.5))}\n`);
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const plate = (n: number) => `BN-${String(Math.floor(n / 10000) % 100).padStart(2, '0')}-ZZ-${String(n % 10000).padStart(4, '0')}`;
let plateCounter = 0;
const nextPlate = () => plate(plateCounter++);

/** A lot with SLOTS car slots, and `count` finished bookings spread over the past year. */
function seed(kiosk: BootedKiosk, count: number): { lotId: number; slotIds: number[] } {
  const sqlite = kiosk.core.db.sqlite;
  const now = kiosk.core.clock.now();
  const lotId = Number(
    sqlite.prepare(`INSERT INTO lots (name, currency, booking_minutes, car_wash_price, created_at) VALUES ('Bench lot', 'INR', 60, 15000, ?)`).run(now)
      .lastInsertRowid,
  );
  const slotIds: number[] = [];
  const slot = sqlite.prepare(
    `INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, 'car', 6000, 1, ?, ?)`,
  );
  const booking = sqlite.prepare(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
     VALUES (?, ?, ?, ?, 'car', 'instant', ?, ?, ?, 6000, ?)`,
  );
  const started = performance.now();
  sqlite.transaction(() => {
    for (let i = 0; i < SLOTS; i += 1) slotIds.push(Number(slot.run(lotId, `S${i + 1}`, i, now).lastInsertRowid));
    const span = 365 * 24 * 60 * MIN;
    for (let i = 0; i < count; i += 1) {
      const start = now - span + Math.floor((i * span) / count) - 2 * 60 * MIN;
      booking.run(`H${i.toString(36).toUpperCase().padStart(6, '0')}`, lotId, slotIds[i % SLOTS], plate(500_000 + i), i % 10 === 0 ? 'cancelled' : 'completed', start, start + 60 * MIN, start);
    }
  })();
  process.stderr.write(`  seeded ${count.toLocaleString('en-US')} bookings in ${(performance.now() - started).toFixed(0)} ms\n`);
  return { lotId, slotIds };
}

/** Runs the create / get / list / cancel / renew cycle through one interface and records it. */
interface Api {
  via: string;
  create(slotId: number, vehicle: string): Promise<{ id: number; token: string }> | { id: number; token: string };
  get(id: number, token: string): unknown;
  list(cursor?: number): unknown;
  cancel(id: number, token: string): unknown;
  renew(id: number, token: string): unknown;
  advance(ms: number): Promise<unknown> | unknown;
  /** For an in-process HTTP server: how long the server spent on the last request. */
  lastServerMs?: () => number;
}

async function cycle(scale: number, api: Api, slotIds: number[], ops: number, midCursor: number) {
  const slots = slotIds.slice(0, ops);
  const target = api.via.startsWith('http') ? 5 : 1;
  /** Times `fn` once per item, recording round trips (and server-side times when known). */
  async function measure<T, R>(op: string, items: T[], fn: (item: T) => Promise<R> | R, opTarget = target): Promise<R[]> {
    const results: R[] = [];
    const samples: number[] = [];
    const server: number[] = [];
    for (const item of items) {
      const start = performance.now();
      results.push(await fn(item));
      samples.push(performance.now() - start);
      if (api.lastServerMs) server.push(api.lastServerMs());
    }
    record(scale, op, api.via, samples, opTarget);
    if (server.length) record(scale, op, `${api.via} (server side)`, server);
    return results;
  }
  const created = await measure('create', slots, (slotId) => api.create(slotId, nextPlate()));
  await measure('get', created, ({ id, token }) => api.get(id, token));
  const pages = Array.from({ length: ops }, () => undefined);
  await measure('list (page of 50, newest)', pages, () => api.list(), 5);
  await measure('list (page of 50, mid cursor)', pages.slice(0, 100), () => api.list(midCursor), 5);
  await measure('cancel', created, ({ id, token }) => api.cancel(id, token));

  // Renew needs completed bookings: book again, let the hour pass, then renew each.
  const again: { id: number; token: string }[] = [];
  for (const slotId of slots) again.push(await api.create(slotId, nextPlate()));
  await api.advance(61 * MIN);
  await measure('renew', again, ({ id, token }) => api.renew(id, token));
  await api.advance(61 * MIN); // the renewals end too, freeing the slots for the next round
}

/** Expiring 1,000 due bookings at once: the set-based UPDATE inside one committed transaction. */
function expiryCost(scale: number, kiosk: BootedKiosk, clock: AdjustableClock, lotId: number, slotIds: number[]) {
  const sqlite = kiosk.core.db.sqlite;
  const insert = sqlite.prepare(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
     VALUES (?, ?, ?, ?, 'car', 'instant', 'booked', ?, ?, 6000, ?)`,
  );
  const samples: number[] = [];
  for (let round = 0; round < EXPIRY_ROUNDS; round += 1) {
    runInTransaction(kiosk.core, () => undefined);
    const now = clock.now();
    sqlite.transaction(() => {
      for (let i = 0; i < 1000; i += 1) {
        insert.run(`E${round}${String(scale)}${i.toString(36).toUpperCase().padStart(4, '0')}`.slice(0, 16), lotId, slotIds[i], nextPlate(), now, now + MIN, now);
      }
    })();
    clock.advance(MIN);
    let expired = 0;
    const unsubscribe = kiosk.core.events.subscribe(() => (expired += 1));
    samples.push(time(() => runInTransaction(kiosk.core, () => undefined)));
    unsubscribe();
    if (expired !== 1000) throw new Error(`expected 1,000 expiries, saw ${expired}`);
  }
  record(scale, 'expire 1,000 due bookings', 'in-process', samples, 20);
}

/** What this machine's disk and loopback cost at best, to judge the figures against. */
function floors(dir: string) {
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const samples: number[] = [];
  for (let i = 0; i < 300; i += 1) samples.push(time(() => insert.run('x')));
  record('floor', 'WAL commit, 1-row insert', 'sqlite', samples);
  db.close();
}

async function startServer(dbFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'electron/server/cli.ts'), '--db', dbFile, '--port', '0'], {
    cwd: root,
    env: { ...process.env, KIOSK_TEST_CLOCK: '1', KIOSK_BACKUP_EVERY_MIN: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, child };
}

/** The booking cycle over HTTP with @trpc/client, sending each call's token as a Bearer header. */
function httpApi(url: string, via: string, advance: (ms: number) => unknown) {
  let bearer = '';
  let staff = '';
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${url}/trpc`, headers: () => (bearer ? { authorization: `Bearer ${bearer}` } : {}) })],
  });
  const as = <T>(token: string, call: () => Promise<T>) => {
    bearer = token;
    return call();
  };
  const api: Api = {
    via,
    create: async (slotId, vehicle) => {
      const b = await as('', () => client.booking.create.mutate({ slotId, vehicleNumber: vehicle, bookingType: 'instant' }));
      return { id: b.id, token: b.accessToken };
    },
    get: (id, token) => as(token, () => client.booking.get.query({ id })),
    list: (cursor) => as(staff, () => client.booking.list.query({ limit: 50, cursor })),
    cancel: (id, token) => as(token, () => client.booking.cancel.mutate({ id })),
    renew: (id, token) => as(token, () => client.booking.renew.mutate({ id })),
    advance,
  };
  return {
    api,
    client,
    login: async () => {
      staff = (await as('', () => client.auth.login.mutate({ pin: '482916' }))).token;
    },
  };
}

const rssMb = (pid: number | 'self') => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

async function runScale(scale: number, dir: string) {
  process.stderr.write(`\n== ${scale.toLocaleString('en-US')} bookings in the table\n`);
  const dbFile = join(dir, `bench-${scale}.db`);
  const clock = new AdjustableClock(new MonotonicClock());
  const kiosk = bootKiosk({ dbFile, staffPin: '482916', clock, integrityCheck: false, backups: { everyMs: 0 } });
  kiosk.core.expiry.stop(); // the bench drives expiry itself
  const { lotId, slotIds } = seed(kiosk, scale);
  const ids = kiosk.core.db.sqlite.prepare('SELECT min(id) AS lo, max(id) AS hi FROM bookings').get() as { lo: number; hi: number };
  const midCursor = Math.floor((ids.lo + ids.hi) / 2);
  const core = kiosk.core;

  // 1. The core service functions, called directly.
  await cycle(scale, {
    via: 'core',
    create: (slotId, vehicle) => {
      const { booking, accessToken } = createBooking(core, { slotId, vehicleNumber: vehicle, bookingType: 'instant' });
      return { id: booking.id, token: accessToken };
    },
    get: (id) => getBooking(core, id),
    list: (cursor) => listBookings(core, { limit: 50, order: 'newest', cursor }),
    cancel: (id) => cancelBooking(core, id, 'bench', null),
    renew: (id) => renewBooking(core, id),
    advance: (ms) => {
      clock.advance(ms);
      runInTransaction(core, () => undefined);
    },
  }, slotIds, OPS, midCursor);

  // 2. The tRPC router through a caller: validation, authorization and token checks included.
  const createCaller = createCallerFactory(kiosk.router);
  const env = { core, testClock: clock };
  const as = (token?: string) => createCaller(createApiContext(env, token, 'bench'));
  const staffToken = (await as().auth.login({ pin: '482916' })).token;
  await cycle(scale, {
    via: 'trpc',
    create: async (slotId, vehicle) => {
      const b = await as().booking.create({ slotId, vehicleNumber: vehicle, bookingType: 'instant' });
      return { id: b.id, token: b.accessToken };
    },
    get: (id, token) => as(token).booking.get({ id }),
    list: (cursor) => as(staffToken).booking.list({ limit: 50, cursor }),
    cancel: (id, token) => as(token).booking.cancel({ id }),
    renew: (id, token) => as(token).booking.renew({ id }),
    advance: (ms) => {
      clock.advance(ms);
      runInTransaction(core, () => undefined);
    },
  }, slotIds, OPS, midCursor);

  // 3. An in-process HTTP server on loopback (same kiosk): round trips plus the time the
  // server itself spends per request, which client and scheduler noise cannot blur.
  const server = createKioskHttpServer(kiosk);
  let lastServerMs = 0;
  server.prependListener('request', (_req, res) => {
    const start = performance.now();
    res.once('finish', () => (lastServerMs = performance.now() - start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const local = httpApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'http-inproc', (ms) => {
    clock.advance(ms);
    runInTransaction(core, () => undefined);
  });
  const localHealth: number[] = [];
  const localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (let i = 0; i < 300; i += 1) localHealth.push(await timeAsync(async () => (await fetch(`${localUrl}/healthz`)).text()));
  record(scale, 'GET /healthz (loopback floor)', 'http-inproc', localHealth);
  await local.login();
  await cycle(scale, { ...local.api, lastServerMs: () => lastServerMs }, slotIds, HTTP_OPS, midCursor);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));

  expiryCost(scale, kiosk, clock, lotId, slotIds);
  const table = (kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;
  const inProcessRss = rssMb('self');
  kiosk.close();

  // 4. Over HTTP on loopback: the real server process, @trpc/client with a Bearer header.
  const { url, child } = await startServer(dbFile);
  const health: number[] = [];
  for (let i = 0; i < 300; i += 1) health.push(await timeAsync(async () => (await fetch(`${url}/healthz`)).text()));
  record(scale, 'GET /healthz (loopback floor)', 'http', health);
  const remote = httpApi(url, 'http', () => undefined);
  remote.api.advance = (ms) => remote.client.clock.advance.mutate({ ms });
  await remote.login();
  await cycle(scale, remote.api, slotIds, HTTP_OPS, midCursor);
  const serverRss = rssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { scale, table, inProcessRss, serverRss };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const started = performance.now();
  try {
    floors(dir);
    const memory = [];
    for (const scale of SCALES) memory.push(await runScale(scale, dir));
    print(memory, (performance.now() - started) / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(memory: { scale: number; table: number; inProcessRss: number; serverRss: number }[], seconds: number) {
  const header = ['bookings', 'operation', 'via', 'n', 'p50', 'p95', 'target p50', ''];
  const body = rows.map((row) => {
    const sorted = [...row.samples].sort((a, b) => a - b);
    const p50 = pct(sorted, 0.5);
    const verdict = row.target === undefined ? '' : p50 < row.target ? 'ok' : 'OVER';
    return [row.scale, row.op, row.via, String(sorted.length), fmt(p50), fmt(pct(sorted, 0.95)), row.target ? `< ${row.target} ms` : '', verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(`\nBooking engine benchmark (node ${process.version}, ${OPS} ops in-process, ${HTTP_OPS} over HTTP per row)\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let last = '';
  for (const r of body) {
    if (last && r[0] !== last) console.log('');
    last = r[0]!;
    console.log(line(r));
  }
  console.log('\nMemory (RSS):');
  for (const m of memory) {
    console.log(
      `  ${m.scale.toLocaleString('en-US')} scale (${m.table.toLocaleString('en-US')} rows at the end): bench process ${m.inProcessRss.toFixed(0)} MB, server process ${m.serverRss.toFixed(0)} MB`,
    );
  }
  console.log(`\nTotal bench time ${seconds.toFixed(1)} s.`);
}

await main();
