import { asc, eq, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { prepareSql } from '../../../db/prepared';
import { lots, slots } from '../../../db/schema';
import { freeForInstantAt } from '../bookings/rules';
import { newStayRule, rule } from '../pricing/lot-rule';
import type { VehicleType } from '../slots/store';

const p = sql.placeholder;

type Lot = typeof lots.$inferSelect;
/** The lot columns a setting may change (lots/settings: updateLotSettings). */
export type LotSettingKey =
  'name' | 'currency' | 'timeZone' | 'bookingMinutes' | 'carWashPrice' | 'slotHoldMinutes' | 'plateCorrectionMinutes' | 'graceMinutes';

const LOT_FIELDS = {
  id: lots.id,
  name: lots.name,
  currency: lots.currency,
  bookingMinutes: lots.bookingMinutes,
  carWashPrice: lots.carWashPrice,
  timeZone: lots.timeZone,
  slotHoldMinutes: lots.slotHoldMinutes,
  plateCorrectionMinutes: lots.plateCorrectionMinutes,
  graceMinutes: lots.graceMinutes,
};

// Free: enabled, no hold meets an Instant stay of the default length now (bookings/rules.ts),
// and no other driver's slot hold is live.
const FREE_COUNTS_SQL = sql`
  WITH rule AS MATERIALIZED (${newStayRule})
  SELECT ${slots.lotId} AS lotId, ${slots.vehicleType} AS vehicleType, count(*) AS total,
         sum(${freeForInstantAt(slots, p('now'), rule.minutes, rule.grace, null)}) AS free
    FROM ${slots} JOIN rule ON ${rule.lotId} = ${slots.lotId} GROUP BY ${slots.lotId}, ${slots.vehicleType}`;

/**
 * Every query on lots, prepared once per connection: the lots domain's own, and the few facts
 * receipts, printing, backups and the tariff console read (a lot's name and zone, the first lot).
 */
export function createLotStore(orm: Orm) {
  const all = orm.select(LOT_FIELDS).from(lots).orderBy(asc(lots.id)).prepare();
  const byId = orm
    .select(LOT_FIELDS)
    .from(lots)
    .where(eq(lots.id, p('id')))
    .prepare();
  const first = orm.select({ id: lots.id, name: lots.name, timeZone: lots.timeZone }).from(lots).orderBy(asc(lots.id)).limit(1).prepare();
  const ids = orm.select({ id: lots.id }).from(lots).prepare();
  const freeCounts = prepareSql<{
    lotId: number;
    vehicleType: VehicleType;
    total: number;
    free: number;
  }>(orm, FREE_COUNTS_SQL);
  const insert = orm
    .insert(lots)
    .values({
      name: p('name'),
      currency: p('currency'),
      bookingMinutes: p('bookingMinutes'),
      carWashPrice: p('carWashPrice'),
      timeZone: p('timeZone'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const setters = new Map<LotSettingKey, { run(values: Record<string, unknown>): unknown }>();

  return {
    all: () => all.all(),
    byId: (id: number) => byId.get({ id }),
    exists: (id: number) => byId.get({ id }) !== undefined,
    /** The kiosk's lot: the first one (a kiosk serves one lot; the lowest id when a database holds several). */
    first: () => first.get(),
    firstId: (): number | null => first.get()?.id ?? null,
    ids: (): number[] => ids.all().map((row) => row.id),
    /** Per lot and vehicle type: slots, and those free for an Instant booking at `now`. */
    freeCounts: (now: number) => freeCounts.all({ now }),
    insert: (row: Pick<Lot, 'name' | 'currency' | 'bookingMinutes' | 'carWashPrice' | 'timeZone' | 'createdAt'>) => Number(insert.run(row).lastInsertRowid),
    set<K extends LotSettingKey>(id: number, key: K, value: Lot[K]): void {
      let setter = setters.get(key);
      if (setter === undefined) {
        setter = orm
          .update(lots)
          .set({ [key]: sql`${p('value')}` })
          .where(eq(lots.id, p('id')))
          .prepare();
        setters.set(key, setter);
      }
      setter.run({ id, value });
    },
  };
}

export type LotStore = ReturnType<typeof createLotStore>;
