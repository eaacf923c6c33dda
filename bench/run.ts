/**
 * `npm run bench`: latency of the booking engine's hot paths, in-process (core service
 * functions and the tRPC router through a caller) and over HTTP on loopback against the real
 * server process, at 100 and at 100,000 bookings in the table, plus the cost of expiring 1,000
 * bookings at once. Every HTTP figure stands beside its floor from the same run, measured
 * interleaved with the same client (node:http, keep-alive agent): a bare node:http server in
 * its own process answering the very same body (bench/floor-server.mjs), and the bare SQLite
 * work of the same operation. Memory is the server process's own (the node process that holds
 * the database, not a launcher). See bench/README.md. Not part of `npm test`.
 *
 * Env: BENCH_SCALES=100,100000 (table sizes), BENCH_OPS=300 (operations per measurement),
 * BENCH_HTTP=0 (in-process only), BENCH_SECONDS=1 (each throughput window).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiContext } from '../electron/api/context';
import { createCallerFactory } from '../electron/api/trpc';
import { cancelBooking, createBooking, getBooking, listBookings, renewBooking } from '../electron/core/bookings/service';
import { extendBooking } from '../electron/core/bookings/extend';
import { quoteBooking } from '../electron/core/bookings/quote';
import { AdjustableClock, MonotonicClock } from '../electron/core/shared/clock';
import { runInTransaction } from '../electron/core/shared/unit-of-work';
import { bootKiosk, type BootedKiosk } from '../electron/app/boot';
import { createBookingStore } from '../electron/core/bookings/store';

const SCALES = (process.env.BENCH_SCALES ?? '100,100000').split(',').map(Number);
const OPS = Number(process.env.BENCH_OPS ?? 300);
const HTTP_OPS = Math.min(OPS, 200);
const WITH_HTTP = process.env.BENCH_HTTP !== '0';
const WINDOW_MS = Number(process.env.BENCH_SECONDS ?? 1) * 1000;
const PIN = '482916';
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
      booking.run(
        `H${i.toString(36).toUpperCase().padStart(6, '0')}`,
        lotId,
        slotIds[i % SLOTS],
        plate(500_000 + i),
        i % 10 === 0 ? 'cancelled' : 'completed',
        start,
        start + 60 * MIN,
        start,
      );
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
  /** booking.quote of an Instant stay of the default length. */
  quote(slotId: number): unknown;
  /** booking.extend by one lot duration (the flat rate's only step). */
  extend(id: number, token: string): unknown;
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
  await measure('quote', slots, (slotId) => api.quote(slotId));
  await measure('extend', created, ({ id, token }) => api.extend(id, token));
  const pages = Array.from({ length: ops }, () => undefined);
  await measure('list (page of 50, newest)', pages, () => api.list(), 5);
  await measure('list (page of 50, mid cursor)', pages.slice(0, 100), () => api.list(midCursor), 5);
  await measure('cancel', created, ({ id, token }) => api.cancel(id, token));

  // Renew needs completed bookings: book again, let the hour pass, then renew each.
  const again: { id: number; token: string }[] = [];
  for (const slotId of slots) again.push(await api.create(slotId, nextPlate()));
  await api.advance(61 * MIN);
  await measure('renew', again, ({ id, token }) => api.renew(id, token));
  // The renewals end and their grace (the lot's default 10 minutes) runs out, freeing the slots for the next round.
  await api.advance(72 * MIN);
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
        insert.run(
          `E${round}${String(scale)}${i.toString(36).toUpperCase().padStart(4, '0')}`.slice(0, 16),
          lotId,
          slotIds[i],
          nextPlate(),
          now,
          now + MIN,
          now,
        );
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

/** Starts a node process running `script` (TypeScript through `--import tsx`: the real process, no launcher). */
async function startProcess(args: string[], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`process exited with ${code}: ${out}`)));
  });
  return { url, child };
}

const startServer = (dbFile: string) =>
  startProcess(['--import', 'tsx', join(root, 'electron/server/cli.ts'), '--db', dbFile, '--port', '0'], {
    KIOSK_TEST_CLOCK: '1',
    KIOSK_BACKUP_EVERY_MIN: '0',
  });
const startFloor = () => startProcess([join(root, 'bench/floor-server.mjs')]);

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The one client for kiosk and floor alike: node:http with a keep-alive agent. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  token?: string;
}
function send(base: string, call: Call): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  const headers: Record<string, string> = {};
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(call.body));
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: call.method, path: call.path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

const query = (path: string, input: unknown, token?: string): Call => ({
  method: 'GET',
  path: `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
  token,
});
const mutation = (path: string, input: unknown, token?: string): Call => ({ method: 'POST', path: `/trpc/${path}`, body: JSON.stringify(input), token });

async function trpc<T>(base: string, call: Call): Promise<T> {
  const { status, text } = await send(base, call);
  if (status !== 200) throw new Error(`${call.path} answered ${status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

interface HttpRow {
  scale: string;
  op: string;
  kiosk: number[];
  floor: number[];
  /** The bare SQLite work of the same operation, when it has any beyond the floor. */
  bare?: number[];
}
const httpRows: HttpRow[] = [];
interface ThroughputRow {
  scale: string;
  concurrency: number;
  kiosk: number;
  floor: number;
}
const throughputRows: ThroughputRow[] = [];

/**
 * Times each call against the kiosk and, right after (or before: the order alternates), the
 * same request against the floor, which first learns the body the kiosk answered.
 */
async function interleaved<T>(
  scale: number,
  op: string,
  kioskUrl: string,
  floorUrl: string,
  items: T[],
  toCall: (item: T) => Call,
  prime: Call,
  bareOp?: (index: number) => unknown,
) {
  const kiosk: number[] = [];
  const floor: number[] = [];
  const bare: number[] | undefined = bareOp ? [] : undefined;
  const results: string[] = [];
  // `prime` is one more call of the same kind (on a spare slot or booking): its answer is the
  // body the floor will send.
  const first = await send(kioskUrl, prime);
  if (first.status !== 200) throw new Error(`${op} (priming) answered ${first.status}: ${first.text.slice(0, 300)}`);
  const key = prime.path.split('?')[0]!;
  await new Promise<void>((resolve, reject) => {
    const req = request(
      { host: new URL(floorUrl).hostname, port: new URL(floorUrl).port, method: 'PUT', path: `/__body?key=${encodeURIComponent(key)}`, agent },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(first.text);
  });
  for (const [index, item] of items.entries()) {
    const call = toCall(item);
    const timeOne = async (base: string, into: number[]) => {
      const start = performance.now();
      const { status, text } = await send(base, call);
      into.push(performance.now() - start);
      return { status, text };
    };
    if (index % 2 === 0) {
      const answer = await timeOne(kioskUrl, kiosk);
      if (answer.status !== 200) throw new Error(`${op} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      results.push(answer.text);
      await timeOne(floorUrl, floor);
    } else {
      await timeOne(floorUrl, floor);
      const answer = await timeOne(kioskUrl, kiosk);
      if (answer.status !== 200) throw new Error(`${op} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      results.push(answer.text);
    }
    if (bareOp) bare!.push(time(() => bareOp(index)));
  }
  httpRows.push({ scale: scale.toLocaleString('en-US'), op, kiosk, floor, bare });
  const p = (xs: number[]) =>
    fmt(
      pct(
        [...xs].sort((a, b) => a - b),
        0.5,
      ),
    );
  process.stderr.write(
    `  ${String(scale).padEnd(7)} ${op.padEnd(30)} http       p50 ${p(kiosk)} (floor ${p(floor)}${bare ? `, bare SQLite ${p(bare)}` : ''})\n`,
  );
  return results.map((text) => (JSON.parse(text) as { result: { data: unknown } }).result.data);
}

/** Requests per second with `concurrency` callers looping for WINDOW_MS. */
async function throughput(base: string, concurrency: number, calls: Call[]): Promise<number> {
  let done = 0;
  const until = performance.now() + WINDOW_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let n = worker; performance.now() < until; n += concurrency) {
        const { status } = await send(base, calls[n % calls.length]!);
        if (status !== 200) throw new Error(`throughput call answered ${status}`);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/**
 * The SQLite work of each operation and nothing else, on a copy of the bench database: the
 * kiosk's own prepared statements (store.ts), the expiry sweep and a durable COMMIT for writes;
 * no rules, no JSON, no transport. Each function does the work for the index-th item, so the
 * HTTP loop can time it beside the kiosk's and the floor's call (the disk's fsync cost drifts
 * with the machine's load, so only figures taken side by side compare).
 */
function bareSqlite(file: string, slotIds: number[]) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const store = createBookingStore(db);
  let now = (db.prepare('SELECT max(end_ms) AS t FROM bookings').get() as { t: number }).t + 60 * MIN;
  let serial = 0;
  const write = <T>(fn: () => T): T =>
    db
      .transaction(() => {
        store.expireDue(now);
        return fn();
      })
      .immediate();
  const insert = (slotId: number, renewedFromId: number | null) => {
    const slot = store.slotForBooking(slotId)!;
    const vehicle = nextPlate();
    store.slotOverlap({ slotId, startMs: now, holdEndMs: now + 70 * MIN });
    store.vehicleOverlap(vehicle, now, now + 60 * MIN);
    const reference = `X${(serial += 1).toString(36).toUpperCase().padStart(7, '0')}`;
    store.referenceTaken(reference);
    const id = store.insert({
      reference,
      lotId: slot.lotId,
      slotId,
      vehicleNumber: vehicle,
      vehicleType: slot.vehicleType,
      bookingType: 'instant',
      startMs: now,
      endMs: now + 60 * MIN,
      price: 6000,
      renewedFromId,
      createdAt: now,
    });
    return store.byId(id)!;
  };
  const created: number[] = [];
  let again: number[] = [];
  return {
    create: (index: number) => created.push(write(() => insert(slotIds[index]!, null)).id),
    get: (index: number) => store.byId(created[index]!),
    list: () => store.list({ limit: 51, order: 'newest' }, now),
    cancel: (index: number) =>
      write(() => (store.byId(created[index]!), store.cancel({ id: created[index]!, at: now, by: 'bench', reason: null }), store.byId(created[index]!))),
    /** Books every slot again and lets the hour pass, ready for renew. */
    prepareRenew: (count: number) => {
      again = slotIds.slice(0, count).map((slotId) => write(() => insert(slotId, null)).id);
      now += 61 * MIN;
    },
    renew: (index: number) => write(() => (store.byId(again[index]!), insert(slotIds[index]!, again[index]!))),
    close: () => db.close(),
  };
}
type Bare = ReturnType<typeof bareSqlite>;

/** The HTTP cycle against the real server process, each call beside the floor's. */
async function overHttp(scale: number, dbFile: string, slotIds: number[], bare: Bare) {
  const server = await startServer(dbFile);
  const floor = await startFloor();
  try {
    const k = server.url;
    const f = floor.url;
    const staff = (await trpc<{ token: string }>(k, mutation('auth.login', { pin: PIN }))).token;
    const slots = slotIds.slice(0, HTTP_OPS);
    const spare = slotIds.slice(HTTP_OPS, HTTP_OPS + 4);
    const createCall = (slotId: number) => mutation('booking.create', { slotId, vehicleNumber: nextPlate(), bookingType: 'instant' });
    const created = (await interleaved(scale, 'create', k, f, slots, createCall, createCall(spare[0]!), bare.create)) as { id: number; accessToken: string }[];
    const extra = await trpc<{ id: number; accessToken: string }>(k, createCall(spare[1]!));
    await interleaved(
      scale,
      'get',
      k,
      f,
      created,
      (b) => query('booking.get', { id: b.id }, b.accessToken),
      query('booking.get', { id: extra.id }, extra.accessToken),
      bare.get,
    );
    const quoteCall = (slotId: number) => query('booking.quote', { slotId, bookingType: 'instant' });
    await interleaved(scale, 'quote', k, f, slots, quoteCall, quoteCall(spare[3]!));
    await interleaved(
      scale,
      'extend',
      k,
      f,
      created,
      (b) => mutation('booking.extend', { id: b.id, minutes: 60 }, b.accessToken),
      mutation('booking.extend', { id: extra.id, minutes: 60 }, extra.accessToken),
    );
    const list = query('booking.list', { limit: 50 }, staff);
    await interleaved(scale, 'list (page of 50, newest)', k, f, created, () => list, list, bare.list);

    const gets = created.map((b) => query('booking.get', { id: b.id }, staff));
    for (const concurrency of [8, 64]) {
      let kiosk = 0;
      let bare = 0;
      for (let round = 0; round < 2; round += 1) {
        kiosk += await throughput(k, concurrency, gets);
        bare += await throughput(f, concurrency, gets);
      }
      throughputRows.push({ scale: scale.toLocaleString('en-US'), concurrency, kiosk: kiosk / 2, floor: bare / 2 });
      process.stderr.write(
        `  ${String(scale).padEnd(7)} get throughput, concurrency ${concurrency}: ${(kiosk / 2).toFixed(0)}/s (floor ${(bare / 2).toFixed(0)}/s)\n`,
      );
    }

    await interleaved(
      scale,
      'cancel',
      k,
      f,
      created,
      (b) => mutation('booking.cancel', { id: b.id }, b.accessToken),
      mutation('booking.cancel', { id: extra.id }, extra.accessToken),
      bare.cancel,
    );

    // Renew needs completed bookings: book again, let the hour pass, then renew each.
    await trpc(k, mutation('clock.advance', { ms: 61 * MIN }));
    const again: { id: number; accessToken: string }[] = [];
    for (const slotId of [...slots, spare[2]!]) again.push(await trpc(k, createCall(slotId)));
    await trpc(k, mutation('clock.advance', { ms: 61 * MIN }));
    bare.prepareRenew(again.length - 1);
    const primer = again.pop()!;
    await interleaved(
      scale,
      'renew',
      k,
      f,
      again,
      (b) => mutation('booking.renew', { id: b.id }, b.accessToken),
      mutation('booking.renew', { id: primer.id }, primer.accessToken),
      bare.renew,
    );
    await trpc(k, mutation('clock.advance', { ms: 61 * MIN }));
    return { serverRss: rssOf(server.child.pid!), floorRss: rssOf(floor.child.pid!) };
  } finally {
    await stop(server.child);
    await stop(floor.child);
  }
}

/** Resident and peak resident memory of a process, from /proc (MB). */
const rssOf = (pid: number | 'self') => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
};
async function runScale(scale: number, dir: string) {
  process.stderr.write(`\n== ${scale.toLocaleString('en-US')} bookings in the table\n`);
  const dbFile = join(dir, `bench-${scale}.db`);
  const clock = new AdjustableClock(new MonotonicClock());
  const kiosk = bootKiosk({ dbFile, staffPin: PIN, clock, integrityCheck: false, backups: { everyMs: 0 } });
  kiosk.core.expiry.stop(); // the bench drives expiry itself
  const { lotId, slotIds } = seed(kiosk, scale);
  const ids = kiosk.core.db.sqlite.prepare('SELECT min(id) AS lo, max(id) AS hi FROM bookings').get() as { lo: number; hi: number };
  const midCursor = Math.floor((ids.lo + ids.hi) / 2);
  const core = kiosk.core;

  // 1. The core service functions, called directly.
  await cycle(
    scale,
    {
      via: 'core',
      create: (slotId, vehicle) => {
        const { booking, accessToken } = createBooking(core, { slotId, vehicleNumber: vehicle, bookingType: 'instant' });
        return { id: booking.id, token: accessToken };
      },
      get: (id) => getBooking(core, id),
      list: (cursor) => listBookings(core, { limit: 50, order: 'newest', cursor }),
      cancel: (id) => cancelBooking(core, id, 'bench', null),
      renew: (id) => renewBooking(core, id),
      quote: (slotId) => quoteBooking(core, { slotId, bookingType: 'instant' }),
      extend: (id) => extendBooking(core, id, 60),
      advance: (ms) => {
        clock.advance(ms);
        runInTransaction(core, () => undefined);
      },
    },
    slotIds,
    OPS,
    midCursor,
  );

  // 2. The tRPC router through a caller: validation, authorization and token checks included.
  const createCaller = createCallerFactory(kiosk.router);
  const env = { core, testClock: clock };
  const as = (token?: string) => createCaller(createApiContext(env, token, 'bench'));
  const staffToken = (await as().auth.login({ pin: PIN })).token;
  await cycle(
    scale,
    {
      via: 'trpc',
      create: async (slotId, vehicle) => {
        const b = await as().booking.create({ slotId, vehicleNumber: vehicle, bookingType: 'instant' });
        return { id: b.id, token: b.accessToken };
      },
      get: (id, token) => as(token).booking.get({ id }),
      list: (cursor) => as(staffToken).booking.list({ limit: 50, cursor }),
      cancel: (id, token) => as(token).booking.cancel({ id }),
      renew: (id, token) => as(token).booking.renew({ id }),
      quote: (slotId) => as().booking.quote({ slotId, bookingType: 'instant' }),
      extend: (id, token) => as(token).booking.extend({ id, minutes: 60 }),
      advance: (ms) => {
        clock.advance(ms);
        runInTransaction(core, () => undefined);
      },
    },
    slotIds,
    OPS,
    midCursor,
  );

  expiryCost(scale, kiosk, clock, lotId, slotIds);
  const table = (kiosk.core.db.sqlite.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;
  kiosk.close();
  if (!WITH_HTTP) return { scale, table };

  // 3. Over HTTP on loopback: the real server process beside the floor, same client.
  const bareFile = join(dir, `bare-${scale}.db`);
  copyFileSync(dbFile, bareFile);
  const bare = bareSqlite(bareFile, slotIds);
  const memory = await overHttp(scale, dbFile, slotIds, bare).finally(() => bare.close());
  return { scale, table, ...memory };
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
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Memory = { rss: number; peak: number };
function print(memory: { scale: number; table: number; serverRss?: Memory; floorRss?: Memory }[], seconds: number) {
  const table = (header: string[], body: string[][], numeric: (i: number) => boolean) => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    let last = '';
    for (const r of body) {
      if (last && r[0] !== last) console.log('');
      last = r[0]!;
      console.log(line(r));
    }
  };
  const p50 = (xs: number[]) =>
    pct(
      [...xs].sort((a, b) => a - b),
      0.5,
    );
  console.log(`\nBooking engine benchmark (node ${process.version}, ${OPS} ops in-process, ${HTTP_OPS} over HTTP per row)\n`);
  console.log('In process:\n');
  table(
    ['bookings', 'operation', 'via', 'n', 'p50', 'p95', 'target p50', ''],
    rows.map((row) => {
      const sorted = [...row.samples].sort((a, b) => a - b);
      const mid = pct(sorted, 0.5);
      const verdict = row.target === undefined ? '' : mid < row.target ? 'ok' : 'OVER';
      return [row.scale, row.op, row.via, String(sorted.length), fmt(mid), fmt(pct(sorted, 0.95)), row.target ? `< ${row.target} ms` : '', verdict];
    }),
    (i) => i >= 3 && i <= 5,
  );
  if (httpRows.length) {
    console.log('\nOver HTTP (real server process), each beside its floor from the same run, interleaved:\n');
    table(
      ['bookings', 'operation', 'kiosk p50', 'floor p50', 'bare SQLite p50', 'kiosk p95', 'ratio', 'target', ''],
      httpRows.map((row) => {
        const floor = p50(row.floor) + (row.bare && row.op !== 'get' ? p50(row.bare) : 0);
        const ratio = p50(row.kiosk) / floor;
        return [
          row.scale,
          row.op,
          fmt(p50(row.kiosk)),
          fmt(p50(row.floor)),
          row.bare ? fmt(p50(row.bare)) : '',
          fmt(
            pct(
              [...row.kiosk].sort((a, b) => a - b),
              0.95,
            ),
          ),
          `${ratio.toFixed(2)}x ${row.op === 'get' ? 'floor' : 'floor+SQLite'}`,
          '≤ 2.5x',
          ratio <= 2.5 ? 'ok' : 'OVER',
        ];
      }),
      (i) => i >= 2 && i <= 5,
    );
    console.log('\nThroughput of booking.get (requests per second, keep-alive agent):\n');
    table(
      ['bookings', 'concurrency', 'kiosk', 'floor', 'kiosk / floor', 'target', ''],
      throughputRows.map((row) => {
        const share = row.kiosk / row.floor;
        const target = row.concurrency === 8 ? 0.25 : undefined;
        return [
          row.scale,
          String(row.concurrency),
          row.kiosk.toFixed(0),
          row.floor.toFixed(0),
          share.toFixed(2),
          target ? `≥ ${target}` : '',
          target ? (share >= target ? 'ok' : 'UNDER') : '',
        ];
      }),
      (i) => i >= 1 && i <= 4,
    );
  }
  console.log('\nMemory (RSS of the process that holds the database; peak in brackets):');
  for (const m of memory) {
    const mb = (x?: Memory) => (x ? `${x.rss.toFixed(0)} MB (peak ${x.peak.toFixed(0)} MB)` : 'not measured');
    console.log(
      `  ${m.scale.toLocaleString('en-US')} scale (${m.table.toLocaleString('en-US')} rows after the in-process runs): server process ${mb(m.serverRss)}; floor process ${mb(m.floorRss)}`,
    );
  }
  console.log(`\nTotal bench time ${seconds.toFixed(1)} s.`);
}

await main();
