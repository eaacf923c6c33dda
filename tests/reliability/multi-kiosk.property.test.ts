import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiContext } from '../../electron/api/context';
import { fullRouter } from '../../electron/api/router';
import { createCallerFactory } from '../../electron/api/trpc';
import { cancelBooking, renewBooking } from '../../electron/core/bookings/service';
import type { LeaseGrant } from '../../electron/core/leases/rules';
import { setLeaseSettings } from '../../electron/core/leases/settings';
import { registerSatellite } from '../../electron/core/pairing/satellites';
import { Journal } from '../../electron/satellite/journal';
import { SatelliteLink } from '../../electron/satellite/link';
import { bootTestKiosk, type TestKiosk } from '../support/core';
import { recordFigures } from './support/figures';
import { checkAtHub, scheduleFigures, countChecks, scheduleCommand } from './support/kiosk-schedules';

/**
 * Issue 14, the partition property (in-process: the hub is a real core on a SQLite file, each
 * satellite a real journal file and the real SatelliteLink; the "network" between them is a
 * switch per satellite that makes every hub call fail, as a black-holed link does). fast-check
 * generates bookings, cancels, renewals, partitions, heals and clock moves across 3 satellites
 * and the hub, each satellite's clock off the hub's by up to ±3 s; then everything heals and
 * replays, and the checks run over every database.
 */
const RUNS = Number(process.env.KIOSK_PROPERTY_RUNS) || 20;
const SATELLITES = 3;
const SKEW_MS = 10_000;
const createCaller = createCallerFactory(fullRouter);

interface Sale {
  kiosk: number; // -1: the hub's own screen
  price: number;
  cancelled: boolean;
  hubId?: number;
  globalId?: string;
  slotId: number;
  startMs: number;
  endMs: number;
  renewed: boolean;
}

interface Grant {
  sat: number;
  hubNow: number;
  expiresAt: number;
  slots: { slotId: number; stayMinutes: number }[];
}

const command = scheduleCommand({
  satellites: SATELLITES,
  weights: { book: 6, cancel: 2, renew: 2, partition: 2, heal: 2, advance: 4 },
  advance: { short: [500, 20_000], long: [30_000, 40 * 60_000] },
});

const figures = {
  ...scheduleFigures(),
  replayedEvents: 0,
  refusedSales: 0,
};
afterAll(() => recordFigures('multi-kiosk-partitions', figures));

async function runSchedule(commands: ReturnType<typeof command.generate>['value'][], offsets: number[]): Promise<void> {
  const hub: TestKiosk = bootTestKiosk();
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-sat-'));
  const journals: Journal[] = [];
  try {
    setLeaseSettings(hub.core, { slotsPerSatellite: 2, leaseMs: 60_000, renewMs: 5_000, skewMs: SKEW_MS });
    const env = { core: hub.core, testClock: hub.clock };
    const grants: Grant[] = [];
    const cut = new Array<boolean>(SATELLITES).fill(false);
    const sales: Sale[] = [];
    const sats = Array.from({ length: SATELLITES }, (_, i) => {
      const { credential } = registerSatellite(hub.core, { name: `sat-${i}` });
      const hubCaller = () => createCaller(createApiContext(env, undefined, `sat-${i}`, 'network', credential));
      const clock = { now: () => hub.clock.now() + offsets[i]! };
      const journal = new Journal(join(dir, `sat-${i}.db`));
      journals.push(journal);
      const reach = () => {
        if (cut[i]) throw new Error('black-holed');
      };
      const link = new SatelliteLink(
        journal,
        {
          lease: async (report) => {
            reach();
            const grant: LeaseGrant = await hubCaller().hub.lease({ report });
            grants.push({ sat: i, hubNow: Date.parse(grant.hubNow), expiresAt: Date.parse(grant.expiresAt), slots: grant.slots });
            reach(); // the answer can be lost too
            return grant;
          },
          replay: async (events) => {
            reach();
            const result = await hubCaller().hub.replay({ events: [...events] });
            figures.replayedEvents += result.outcomes.filter((o) => !o.repeat).length;
            reach();
            return result;
          },
        },
        clock,
        'in-process',
      );
      return { link, journal, clock, hubCaller };
    });
    const beatAll = async () => {
      for (const sat of sats) await sat.link.heartbeat();
    };
    await beatAll();
    const slotIds = (hub.core.db.sqlite.prepare('SELECT id FROM slots ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    let plate = 0;
    for (const cmd of commands) {
      figures.commands += 1;
      if (cmd.t === 'advance') {
        // Time passes in renew-interval steps (at most 12 of them, then one jump): satellites renew as they would.
        let left = cmd.ms;
        for (let step = 0; left > 0 && step < 12; step += 1) {
          const d = Math.min(left, 5_000);
          hub.clock.advance(d);
          left -= d;
          await beatAll();
        }
        if (left > 0) hub.clock.advance(left);
        await beatAll();
      } else if (cmd.t === 'partition') {
        if (!cut[cmd.sat]) figures.partitions += 1;
        cut[cmd.sat] = true;
      } else if (cmd.t === 'heal') {
        cut[cmd.sat] = false;
        await sats[cmd.sat]!.link.heartbeat();
      } else if (cmd.t === 'book') {
        const vehicleNumber = `KA01P${(plate += 1)}`;
        const online = cmd.kiosk === -1 || (!cut[cmd.kiosk] && sats[cmd.kiosk]!.link.online);
        // A driver at a kiosk off line mostly picks a slot it shows as available (a leased one); sometimes any.
        const leased = online ? [] : sats[cmd.kiosk]!.journal.liveLeases(sats[cmd.kiosk]!.clock.now());
        const slotId = leased.length > 0 && cmd.slot % 4 !== 0 ? leased[cmd.slot % leased.length]!.slotId : slotIds[cmd.slot % slotIds.length]!;
        if (cmd.kiosk >= 0 && cut[cmd.kiosk]) sats[cmd.kiosk]!.link.markUnreachable();
        try {
          if (online) {
            const caller = cmd.kiosk === -1 ? createCaller(createApiContext(env, undefined, 'hub-screen')) : sats[cmd.kiosk]!.hubCaller();
            const made = await caller.booking.create({ slotId, vehicleNumber, bookingType: 'instant' });
            sales.push({
              kiosk: cmd.kiosk,
              price: made.price,
              cancelled: false,
              hubId: made.id,
              slotId,
              startMs: Date.parse(made.startTime),
              endMs: Date.parse(made.endTime),
              renewed: false,
            });
          } else {
            const sat = sats[cmd.kiosk]!;
            const sold = sat.journal.sell({ slotId, vehicleNumber }, sat.clock.now());
            figures.offlineSales += 1;
            sales.push({
              kiosk: cmd.kiosk,
              price: sold.price,
              cancelled: false,
              globalId: sold.globalId,
              slotId,
              startMs: Date.parse(sold.startTime),
              endMs: Date.parse(sold.endTime),
              renewed: false,
            });
          }
          figures.bookings += 1;
        } catch (error) {
          figures.refusedSales += 1;
          expect((error as { code?: string }).code, String(error)).toMatch(/CONFLICT|SERVICE_UNAVAILABLE|PRECONDITION_FAILED/);
        }
      } else {
        const mine = sales.filter((s) => s.kiosk === cmd.kiosk && !s.cancelled && !s.renewed);
        const sale = mine[cmd.pick % Math.max(1, mine.length)];
        if (!sale) continue;
        const sat = cmd.kiosk === -1 ? undefined : sats[cmd.kiosk]!;
        const online = !sat || (!cut[cmd.kiosk] && sat.link.online);
        try {
          if (online) {
            // The hub owns every booking it acknowledged: cancel / renew there (relayed, as the screen would).
            if (sat && sale.globalId) await sat.link.heartbeat();
            const hubId =
              sale.hubId ?? (hub.core.db.sqlite.prepare('SELECT id FROM bookings WHERE global_id = ?').get(sale.globalId) as { id: number } | undefined)?.id;
            if (hubId === undefined) continue;
            if (cmd.t === 'cancel') {
              cancelBooking(hub.core, hubId, 'driver', null);
              sale.cancelled = true;
            } else {
              const renewed = renewBooking(hub.core, hubId);
              sale.renewed = true;
              const b = renewed.newBooking;
              sales.push({
                kiosk: cmd.kiosk,
                price: b.price,
                cancelled: false,
                hubId: b.id,
                slotId: sale.slotId,
                startMs: Date.parse(b.startTime),
                endMs: Date.parse(b.endTime),
                renewed: false,
              });
            }
          } else if (sale.globalId) {
            if (cmd.t === 'cancel') {
              sat!.journal.cancel(sale.globalId, sat!.clock.now());
              sale.cancelled = true;
            } else {
              const b = sat!.journal.renew(sale.globalId, sat!.clock.now());
              sale.renewed = true;
              sales.push({
                kiosk: cmd.kiosk,
                price: b.price,
                cancelled: false,
                globalId: b.globalId,
                slotId: sale.slotId,
                startMs: Date.parse(b.startTime),
                endMs: Date.parse(b.endTime),
                renewed: false,
              });
            }
          }
        } catch (error) {
          expect((error as { code?: string }).code, String(error)).toMatch(/CONFLICT|SERVICE_UNAVAILABLE|PRECONDITION_FAILED/);
        }
      }
    }
    // Heal everything; every satellite replays.
    cut.fill(false);
    await beatAll();
    await beatAll();
    for (const sat of sats) expect(sat.journal.backlog()).toBe(0);
    for (const sat of sats) expect(sat.journal.refusedEvents()).toEqual([]);

    const sqlite = hub.core.db.sqlite;
    // 1. Never two bookings holding one slot at once, across the hub and every journal.
    const rows = sqlite.prepare(`SELECT id, slot_id AS slotId, start_ms AS s, end_ms AS e, global_id AS g FROM bookings WHERE status <> 'cancelled'`).all() as {
      id: number;
      slotId: number;
      s: number;
      e: number;
      g: string | null;
    }[];
    const everywhere = [...rows.map((r) => ({ key: r.g ?? `hub:${r.id}`, slotId: r.slotId, s: r.s, e: r.e }))];
    for (const journal of journals) {
      for (const b of journal.allBookings(Number.MAX_SAFE_INTEGER)) {
        if (b.status !== 'cancelled' && !rows.some((r) => r.g === b.globalId))
          everywhere.push({ key: b.globalId, slotId: b.slotId, s: Date.parse(b.startTime), e: Date.parse(b.endTime) });
      }
    }
    let overlaps = 0;
    for (let a = 0; a < everywhere.length; a += 1) {
      for (let b = a + 1; b < everywhere.length; b += 1) {
        const x = everywhere[a]!;
        const y = everywhere[b]!;
        if (x.slotId === y.slotId && x.s < y.e && y.s < x.e) overlaps += 1;
      }
    }
    // 2. Every acknowledged booking exactly once at the hub; 5. money at the hub = the sum of acknowledged sales not cancelled.
    const { lost, duplicated, money } = checkAtHub(sqlite, sales);
    // 3. No satellite sold a slot without a lease (by the hub's clock: its own clock minus its offset).
    let unleased = 0;
    for (const sale of sales.filter((s) => s.globalId)) {
      const hubTime = sale.startMs - offsets[sale.kiosk]!;
      const covered = grants.some(
        (g) => g.sat === sale.kiosk && g.slots.some((s) => s.slotId === sale.slotId) && g.hubNow - SKEW_MS <= hubTime && hubTime < g.expiresAt + SKEW_MS,
      );
      if (!covered) unleased += 1;
    }
    // 4. Leases never overlap: two satellites' grants on one slot never block it at once.
    let leaseOverlaps = 0;
    for (let a = 0; a < grants.length; a += 1) {
      for (let b = a + 1; b < grants.length; b += 1) {
        const x = grants[a]!;
        const y = grants[b]!;
        if (x.sat === y.sat) continue;
        for (const sx of x.slots) {
          const sy = y.slots.find((s) => s.slotId === sx.slotId);
          if (!sy) continue;
          const xEnd = x.expiresAt + SKEW_MS + sx.stayMinutes * 60_000;
          const yEnd = y.expiresAt + SKEW_MS + sy.stayMinutes * 60_000;
          if (x.hubNow < yEnd && y.hubNow < xEnd) leaseOverlaps += 1;
        }
      }
    }
    countChecks(figures, { overlaps, lost, duplicated, unleased, leaseOverlaps, money });
    expect({ overlaps, lost, duplicated, unleased, leaseOverlaps, money }).toEqual({
      overlaps: 0,
      lost: 0,
      duplicated: 0,
      unleased: 0,
      leaseOverlaps: 0,
      money: 0,
    });
    figures.schedules += 1;
  } finally {
    for (const journal of journals) journal.close();
    hub.close();
  }
}

describe('several kiosks at one lot: partitions never double-book or lose a sale (issue 14)', () => {
  it(`holds over ${RUNS} generated schedules of 3 satellites and the hub`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 10, maxLength: 60 }),
        fc.array(fc.integer({ min: -3_000, max: 3_000 }), { minLength: SATELLITES, maxLength: SATELLITES }),
        (commands, offsets) => runSchedule(commands, offsets),
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(figures.offlineSales).toBeGreaterThan(0);
  }, 240_000);
});
