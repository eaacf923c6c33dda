/**
 * `BENCH_OLD_ROOT=/path/to/old/checkout npx tsx bench/ab.ts`: the in-process operations of this
 * checkout and of an older one side by side in ONE process, on copies of the same seeded
 * database, alternating call by call, so machine load hits both alike. Prints p50 per
 * operation and the ratio new / old. (Make the old checkout with
 * `git archive main | tar -x -C /tmp/old` and symlink node_modules into it.)
 *
 * Env: BENCH_AB_ROWS=100000 (finished bookings in the table), BENCH_OPS=300.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const OLD = process.env.BENCH_OLD_ROOT;
if (!OLD) throw new Error('Set BENCH_OLD_ROOT to an older checkout (with node_modules).');
const ROWS = Number(process.env.BENCH_AB_ROWS ?? 100_000);
const OPS = Number(process.env.BENCH_OPS ?? 300);
const MIN = 60_000;
const PIN = '482916';

async function load(root: string) {
  const at = (path: string) => import(pathToFileURL(join(root, path)).href);
  // bootKiosk moved from electron/server/ to electron/app/ and the composition root from
  // core/shared/core.ts to core/kiosk-core.ts (issue 11); an older checkout has the old paths.
  const atFirst = (...paths: string[]) => at(paths.find((path) => existsSync(join(root, path))) ?? paths[0]!);
  const [service, slots, lotMap, lots, boot, clock, core, trpc, context] = await Promise.all([
    at('electron/core/bookings/service.ts'),
    at('electron/core/slots/service.ts'),
    at('electron/core/slots/lot-map.ts'),
    at('electron/core/lots/service.ts'),
    atFirst('electron/app/boot.ts', 'electron/server/boot.ts'),
    at('electron/core/shared/clock.ts'),
    atFirst('electron/core/kiosk-core.ts', 'electron/core/shared/core.ts'),
    at('electron/api/trpc.ts'),
    at('electron/api/context.ts'),
  ]);
  return { service, slots, lotMap, lots, boot, clock, core, trpc, context };
}
type Code = Awaited<ReturnType<typeof load>>;

function seed(file: string, code: Code) {
  const kiosk = code.boot.bootKiosk({ dbFile: file, staffPin: PIN, integrityCheck: false, backups: { everyMs: 0 } });
  const sqlite = kiosk.core.db.sqlite;
  const now = Date.now();
  const lotId = Number(
    sqlite.prepare(`INSERT INTO lots (name, currency, booking_minutes, car_wash_price, created_at) VALUES ('AB lot', 'INR', 60, 15000, ?)`).run(now)
      .lastInsertRowid,
  );
  const slot = sqlite.prepare(
    `INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, 'car', 6000, 1, ?, ?)`,
  );
  const booking = sqlite.prepare(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
     VALUES (?, ?, ?, ?, 'car', 'instant', ?, ?, ?, 6000, ?)`,
  );
  const slotIds: number[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < OPS + 10; i += 1) slotIds.push(Number(slot.run(lotId, `S${i + 1}`, i, now).lastInsertRowid));
    const span = 365 * 24 * 60 * MIN;
    for (let i = 0; i < ROWS; i += 1) {
      const start = now - span + Math.floor((i * span) / ROWS) - 2 * 60 * MIN;
      booking.run(
        `H${i.toString(36).toUpperCase().padStart(6, '0')}`,
        lotId,
        slotIds[i % slotIds.length],
        `AB${String(i).padStart(8, '0')}`,
        i % 10 === 0 ? 'cancelled' : 'completed',
        start,
        start + 60 * MIN,
        start,
      );
    }
  })();
  kiosk.close();
  return { lotId, slotIds };
}

function open(file: string, code: Code) {
  const clock = new code.clock.AdjustableClock(new code.clock.MonotonicClock());
  const kiosk = code.boot.bootKiosk({ dbFile: file, clock, integrityCheck: false, backups: { everyMs: 0 } });
  kiosk.core.expiry.stop();
  const createCaller = code.trpc.createCallerFactory(kiosk.router);
  const as = (token?: string) => createCaller(code.context.createApiContext({ core: kiosk.core, testClock: clock }, token, 'ab'));
  return { kiosk, clock, core: kiosk.core, as };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-ab-'));
  try {
    const [older, newer] = [await load(OLD!), await load(join(import.meta.dirname, '..'))];
    const { lotId, slotIds } = seed(join(dir, 'seed.db'), newer);
    copyFileSync(join(dir, 'seed.db'), join(dir, 'old.db'));
    copyFileSync(join(dir, 'seed.db'), join(dir, 'new.db'));
    const sides = { old: { code: older, ...open(join(dir, 'old.db'), older) }, new: { code: newer, ...open(join(dir, 'new.db'), newer) } };
    const staff = { old: (await sides.old.as().auth.login({ pin: PIN })).token, new: (await sides.new.as().auth.login({ pin: PIN })).token };
    const samples = new Map<string, { old: number[]; new: number[] }>();
    const slots = slotIds.slice(0, OPS);
    const made = { old: [] as { id: number; token: string }[], new: [] as { id: number; token: string }[] };

    /** Runs `fn` on both sides for every item, alternating which goes first. */
    async function ab<T>(op: string, items: T[], fn: (side: 'old' | 'new', item: T, index: number) => unknown) {
      const entry = { old: [] as number[], new: [] as number[] };
      samples.set(op, entry);
      for (const [index, item] of items.entries()) {
        for (const side of (index % 2 === 0 ? ['old', 'new'] : ['new', 'old']) as ('old' | 'new')[]) {
          const start = performance.now();
          await fn(side, item, index);
          entry[side].push(performance.now() - start);
        }
      }
    }
    const plate = (side: string, i: number, round: number) => `KA${side === 'old' ? 1 : 2}${round}AB${String(i).padStart(4, '0')}`;
    await ab('create (core)', slots, (side, slotId, i) => {
      const { booking, accessToken } = sides[side].code.service.createBooking(sides[side].core, {
        slotId,
        vehicleNumber: plate(side, i, 1),
        bookingType: 'instant',
      });
      made[side].push({ id: booking.id, token: accessToken });
    });
    await ab('get (core)', slots, (side, _s, i) => sides[side].code.service.getBooking(sides[side].core, made[side][i]!.id));
    await ab('get (trpc caller)', slots, (side, _s, i) => sides[side].as(made[side][i]!.token).booking.get({ id: made[side][i]!.id }));
    await ab('list, page of 50 (core)', slots, (side) => sides[side].code.service.listBookings(sides[side].core, { limit: 50, order: 'newest' }));
    await ab('list, status booked (core)', slots, (side) =>
      sides[side].code.service.listBookings(sides[side].core, { status: 'booked', limit: 50, order: 'newest' }),
    );
    await ab('list, status completed (core)', slots, (side) =>
      sides[side].code.service.listBookings(sides[side].core, { status: 'completed', limit: 50, order: 'newest' }),
    );
    await ab('list, status cancelled (core)', slots, (side) =>
      sides[side].code.service.listBookings(sides[side].core, { status: 'cancelled', limit: 50, order: 'newest' }),
    );
    await ab('list, page of 50 (trpc caller)', slots, (side) => sides[side].as(staff[side]).booking.list({ limit: 50 }));
    await ab('slot list (core)', slots.slice(0, 100), (side) => sides[side].code.slots.listSlots(sides[side].core, lotId));
    await ab('lot map (core)', slots.slice(0, 100), (side) => sides[side].code.lotMap.lotMap(sides[side].core, lotId));
    await ab('lot list (core)', slots.slice(0, 100), (side) => sides[side].code.lots.listLots(sides[side].core));
    await ab('cancel (core)', slots, (side, _s, i) => sides[side].code.service.cancelBooking(sides[side].core, made[side][i]!.id, 'ab', null));
    const again = { old: [] as number[], new: [] as number[] };
    for (const side of ['old', 'new'] as const) {
      slots.forEach((slotId, i) =>
        again[side].push(
          sides[side].code.service.createBooking(sides[side].core, { slotId, vehicleNumber: plate(side, i, 2), bookingType: 'instant' }).booking.id,
        ),
      );
      sides[side].clock.advance(61 * MIN);
    }
    await ab('renew (core)', slots, (side, _s, i) => sides[side].code.service.renewBooking(sides[side].core, again[side][i]!));

    console.log(`\nIn-process A/B, one process, alternating call by call (${ROWS.toLocaleString('en-US')} bookings, ${OPS} ops; old = ${OLD})\n`);
    console.log(`${'operation'.padEnd(32)} ${'old p50'.padStart(9)} ${'new p50'.padStart(9)}  new / old`);
    for (const [op, s] of samples) {
      const [o, n] = [pct(s.old, 0.5), pct(s.new, 0.5)];
      console.log(`${op.padEnd(32)} ${fmt(o).padStart(9)} ${fmt(n).padStart(9)}  ${(n / o).toFixed(2)}`);
    }
    sides.old.kiosk.close();
    sides.new.kiosk.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
