import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server';
import { integrity, overlappingPairs, plate, withDb } from './support/db-checks';
import { recordFigures } from './support/figures';

/**
 * Slot holds (issue 13) racing creates. Two real server processes share one database file, so
 * the only thing between them is SQLite's write lock and the triggers of migration 0005.
 */
const ROUNDS = Number(process.env.RELIABILITY_HOLD_ROUNDS ?? 20);
const SLOTS = [1, 2, 3];
const MIN = 60_000;
const SEC = 1000;
const HOLD_MS = 2 * MIN; // the demo lot's default
/** How long before their expiry half the holds are renewed. */
const RENEW_MARGIN_MS = 60 * SEC;

let servers: RunningServer[] = [];
beforeAll(async () => {
  const first = await startServer();
  // Started after the first has seeded the demo lot and migrated the file.
  const second = await startServer({ dbFile: first.dbFile, demo: false });
  servers = [first, second];
  // Holds are the subject here, not the grace period (issue 12): slots free at a booking's end.
  const db = new Database(first.dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE lots SET grace_minutes = 0').run();
  } finally {
    db.close();
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  for (const server of servers) expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
});

const codeOf = (error: unknown) => (error as { data?: { code?: string } }).data?.code ?? 'NO_CODE';
const reasonOf = (error: unknown) => (error as { data?: { reason?: string } }).data?.reason ?? 'none';
const pick = () => servers[Math.floor(Math.random() * servers.length)]!.client();
/** Both processes' test clocks move together (each has its own offset). */
const advance = (ms: number) => Promise.all(servers.map((server) => server.client().clock.advance.mutate({ ms })));
const shuffle = <T>(items: T[]) => {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
};

describe('races: slot holds against creates, renewals and expiry, across two processes', () => {
  it('never yields two bookings on a slot, and no hold outlives its expiry', async () => {
    const outcomes: Record<string, number> = {};
    const unexpected: string[] = [];
    const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
    let vehicle = 0;
    let calls = 0;
    const attempt = async <T>(kind: string, call: () => Promise<T>, allowed: string[]): Promise<T | undefined> => {
      calls += 1;
      try {
        const result = await call();
        count(`${kind}:ok`);
        return result;
      } catch (error) {
        const key = `${codeOf(error)}/${reasonOf(error)}`;
        count(`${kind}:${key}`);
        if (!allowed.includes(key)) unexpected.push(`${kind} → ${key}: ${(error as Error).message}`);
        return undefined;
      }
    };
    const plainCreate = (slotId: number, kind = 'create') =>
      attempt(kind, () => pick().booking.create.mutate({ slotId, vehicleNumber: plate(vehicle++, 'HR'), bookingType: 'instant' }), [
        'CONFLICT/SLOT_HELD',
        'CONFLICT/SLOT_TAKEN',
      ]);

    for (let round = 0; round < ROUNDS; round += 1) {
      // 1. At one instant, on each slot: drivers who hold and then book with their hold, drivers
      //    who only hold (still typing), and drivers who book with no hold, on either process.
      const won = new Map<number, { holds: string[]; plain: number; converted: number }>(SLOTS.map((slot) => [slot, { holds: [], plain: 0, converted: 0 }]));
      const ops: (() => Promise<unknown>)[] = [];
      for (const slotId of SLOTS) {
        const tally = won.get(slotId)!;
        for (let i = 0; i < 3; i += 1) {
          ops.push(async () => {
            const hold = await attempt('hold', () => pick().slot.hold.mutate({ slotId }), ['CONFLICT/SLOT_HELD', 'CONFLICT/SLOT_TAKEN']);
            if (!hold) return;
            tally.holds.push(hold.holdToken);
            if (i === 0) return; // this one is still typing its plate
            const made = await attempt(
              'convert',
              () => pick().booking.create.mutate({ slotId, vehicleNumber: plate(vehicle++, 'HR'), bookingType: 'instant', holdToken: hold.holdToken }),
              [],
            );
            if (made) {
              tally.converted += 1;
              tally.holds.splice(tally.holds.indexOf(hold.holdToken), 1);
            }
          });
          ops.push(async () => {
            if (await plainCreate(slotId)) tally.plain += 1;
          });
        }
      }
      await Promise.all(shuffle(ops).map((op) => op()));
      for (const [slotId, tally] of won) {
        // One driver gets the slot: a hold (kept or converted) or a plain booking, never two.
        const winners = tally.holds.length + tally.converted + tally.plain;
        if (winners > 1) unexpected.push(`round ${round} slot ${slotId}: ${JSON.stringify(tally)}`);
      }
      withDb(servers[0]!.dbFile, (db) => expect(overlappingPairs(db)).toBe(0));

      // 2. Shortly before they run out, half the kept holds are renewed while others try to book those slots.
      const kept = SLOTS.flatMap((slotId) => won.get(slotId)!.holds.map((token) => ({ slotId, token })));
      // A minute's margin: on a busy machine real seconds pass between steps, and the test clocks run with them.
      await advance(HOLD_MS - RENEW_MARGIN_MS);
      const renewed = kept.filter((_, i) => i % 2 === round % 2);
      await Promise.all(
        shuffle<() => Promise<unknown>>([
          ...renewed.map((hold) => () => attempt('renew', () => pick().slot.renewHold.mutate({ holdToken: hold.token }), [])),
          ...kept.flatMap((hold) =>
            [0, 1].map(() => async () => {
              if (await plainCreate(hold.slotId, 'create-while-held')) unexpected.push(`round ${round}: slot ${hold.slotId} booked while held`);
            }),
          ),
        ]).map((op) => op()),
      );

      // 3. Just after the first expiry: the holds not renewed are gone (by time alone), the renewed ones still hold.
      await advance(RENEW_MARGIN_MS + 10 * SEC);
      for (const hold of kept) {
        const isRenewed = renewed.includes(hold);
        const listed = (await pick().slot.list.query({ lotId: 1 })).find((slot) => slot.id === hold.slotId)!;
        if ((listed.heldUntil !== null) !== isRenewed)
          unexpected.push(`round ${round}: slot ${hold.slotId} heldUntil=${listed.heldUntil} (renewed: ${isRenewed})`);
        if (!isRenewed) {
          await attempt('renew-expired', () => pick().slot.renewHold.mutate({ holdToken: hold.token }), ['CONFLICT/HOLD_EXPIRED']);
          if (!(await plainCreate(hold.slotId, 'create-after-expiry')))
            unexpected.push(`round ${round}: slot ${hold.slotId} still blocked after its hold ran out`);
        } else if (await plainCreate(hold.slotId, 'create-while-held')) {
          unexpected.push(`round ${round}: slot ${hold.slotId} booked while its renewed hold was live`);
        }
      }

      // 4. After the renewed holds' expiry nothing holds anything, whichever process is asked.
      await advance(HOLD_MS);
      const now = Date.parse((await servers[0]!.client().clock.now.query()).now);
      for (const server of servers) {
        const held = (await server.client().slot.list.query({ lotId: 1 })).filter((slot) => slot.heldUntil !== null);
        if (held.length > 0) unexpected.push(`round ${round}: ${held.map((slot) => slot.label).join(', ')} still held after expiry`);
      }
      withDb(servers[0]!.dbFile, (db) => {
        expect(overlappingPairs(db)).toBe(0);
        // Rows may linger until a write sweeps them, but none is live: the rule is time, not the sweep.
        const live = db.prepare('SELECT count(*) AS n FROM slot_holds WHERE expires_ms > ?').get(now - SEC) as { n: number };
        expect(live.n).toBe(0);
      });
      await advance(61 * MIN); // every booking of this round ends
    }

    withDb(servers[0]!.dbFile, (db) => {
      expect(integrity(db)).toBe('ok');
      expect(overlappingPairs(db, true)).toBe(0);
    });
    expect(unexpected).toEqual([]);
    expect(outcomes['hold:ok']).toBeGreaterThan(0);
    expect(outcomes['hold:CONFLICT/SLOT_HELD'] ?? 0).toBeGreaterThan(0);
    expect((outcomes['create:CONFLICT/SLOT_HELD'] ?? 0) + (outcomes['create-while-held:CONFLICT/SLOT_HELD'] ?? 0)).toBeGreaterThan(0);
    expect(outcomes['create-after-expiry:ok']).toBeGreaterThan(0);
    expect(outcomes['renew:ok']).toBeGreaterThan(0);
    recordFigures('races-holds', { rounds: ROUNDS, processes: servers.length, calls, ...outcomes, overlaps: 0 });
  }, 240_000);
});
