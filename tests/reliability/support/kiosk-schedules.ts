import fc from 'fast-check';
import type Database from 'better-sqlite3';

/**
 * The commands a multi-kiosk property test generates (issue 14): bookings at the hub's screen
 * (-1) or a satellite, cancels and renewals of an earlier sale of that kiosk, partitions and
 * heals of a satellite's link, and time passing. Both property tests (in-process and real
 * processes) run these; each sets how many satellites, how often each command comes, and how
 * far a clock move goes.
 */
export function scheduleCommand(options: {
  satellites: number;
  weights: { book: number; cancel: number; renew: number; partition: number; heal: number; advance: number };
  /** A short move (renew steps) and a long one (leases run out), in ms. */
  advance: { short: [number, number]; long: [number, number] };
}) {
  const kiosk = fc.integer({ min: -1, max: options.satellites - 1 });
  const sat = fc.nat(options.satellites - 1);
  const { weights: w, advance } = options;
  return fc.oneof(
    { weight: w.book, arbitrary: fc.record({ t: fc.constant('book' as const), kiosk, slot: fc.nat(30) }) },
    { weight: w.cancel, arbitrary: fc.record({ t: fc.constant('cancel' as const), kiosk, pick: fc.nat(20) }) },
    { weight: w.renew, arbitrary: fc.record({ t: fc.constant('renew' as const), kiosk, pick: fc.nat(20) }) },
    { weight: w.partition, arbitrary: fc.record({ t: fc.constant('partition' as const), sat }) },
    { weight: w.heal, arbitrary: fc.record({ t: fc.constant('heal' as const), sat }) },
    {
      weight: w.advance,
      arbitrary: fc.record({
        t: fc.constant('advance' as const),
        ms: fc.oneof(fc.integer({ min: advance.short[0], max: advance.short[1] }), fc.integer({ min: advance.long[0], max: advance.long[1] })),
      }),
    },
  );
}

export type ScheduleCommand = ReturnType<typeof scheduleCommand> extends fc.Arbitrary<infer T> ? T : never;

/** What one schedule's checks found; each must be 0. */
export interface ScheduleChecks {
  overlaps: number;
  lost: number;
  duplicated: number;
  unleased: number;
  leaseOverlaps: number;
  money: number;
}

/** The figures both property tests report over all their schedules: what ran, and what the checks found. */
export const scheduleFigures = () => ({
  schedules: 0,
  commands: 0,
  partitions: 0,
  bookings: 0,
  offlineSales: 0,
  overlaps: 0,
  lost: 0,
  duplicated: 0,
  unleasedSales: 0,
  leaseOverlaps: 0,
  moneyMismatches: 0,
});

/** Adds one schedule's checks to the figures. */
export function countChecks(counters: ReturnType<typeof scheduleFigures>, checks: ScheduleChecks): void {
  counters.overlaps += checks.overlaps;
  counters.lost += checks.lost;
  counters.duplicated += checks.duplicated;
  counters.unleasedSales += checks.unleased;
  counters.leaseOverlaps += checks.leaseOverlaps;
  if (checks.money !== 0) counters.moneyMismatches += 1;
}

/** A sale a kiosk acknowledged: by the hub's id, or a satellite's by its global id. */
export interface AcknowledgedSale {
  hubId?: number;
  globalId?: string;
  price: number;
  cancelled: boolean;
}

/**
 * Checks 2 and 5 over the hub's database: every acknowledged sale there exactly once, and the
 * money of the bookings not cancelled equal to the acknowledged sales not cancelled (`money` is
 * the difference).
 */
export function checkAtHub(hubDb: Database.Database, sales: readonly AcknowledgedSale[]): Pick<ScheduleChecks, 'lost' | 'duplicated' | 'money'> {
  const byId = hubDb.prepare('SELECT count(*) AS n FROM bookings WHERE id = ?');
  const byGlobalId = hubDb.prepare('SELECT count(*) AS n FROM bookings WHERE global_id = ?');
  let lost = 0;
  let duplicated = 0;
  for (const sale of sales) {
    const { n } = (sale.hubId !== undefined ? byId.get(sale.hubId) : byGlobalId.get(sale.globalId)) as { n: number };
    if (n === 0) lost += 1;
    if (n > 1) duplicated += 1;
  }
  const hubMoney = (hubDb.prepare(`SELECT coalesce(sum(price), 0) AS m FROM bookings WHERE status <> 'cancelled'`).get() as { m: number }).m;
  const acknowledged = sales.filter((s) => !s.cancelled).reduce((sum, s) => sum + s.price, 0);
  return { lost, duplicated, money: hubMoney - acknowledged };
}
