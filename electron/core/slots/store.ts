import { and, count, eq, max, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Orm } from '../../../db/client';
import { prepareSql } from '../../../db/prepared';
import { fromSqlBoolean } from '../bookings/mapping';
import { bookings, lots, slots } from '../../../db/schema';
import { activeAt, heldUntilOf } from '../bookings/completion';
import { blocksInstantAt, inGraceAt, runningAt, upcomingAt } from '../bookings/rules';
import { leaseBlocksAt } from '../leases/sql';
import { newStayRule, rule } from '../pricing/lot-rule';

const p = sql.placeholder;
const b = alias(bookings, 'b');

type Slot = typeof slots.$inferSelect;
export type VehicleType = Slot['vehicleType'];

/** A slot with what an Instant booking now would meet (bookings/rules.ts); SQLite's 0/1 for enabled. */
export interface SlotAvailabilityRow extends Pick<Slot, 'id' | 'lotId' | 'label' | 'vehicleType' | 'hourlyPrice'> {
  enabled: number;
  bookingMinutes: number;
  currency: string;
  timeZone: string;
  /** The lot's grace setting (the flat tariff's graceMinutes). */
  graceMinutes: number;
  /** The end of the booking running now. */
  occupiedUntil: number | null;
  /** The end of the last hold that meets an Instant booking of the default length now. */
  blockingUntil: number | null;
  /** The end of a finished booking's grace hold. */
  heldUntil: number | null;
  /** The start of the next booking that starts later. */
  nextStart: number | null;
  /** The end of another driver's slot hold (slot_holds). */
  slotHeldUntil: number | null;
  /** 1 while a satellite kiosk's lease keeps the slot (issue 14). */
  leased: number;
}

// Availability is a query over bookings: a slot is taken now if some hold (a booking from its
// start to its end + grace, bookings/rules.ts) meets the hold an Instant booking of the lot's
// default length would have now. The partial index on holds keeps each probe small.
const availabilitySql = (lotFilter: SQL) => sql`
  WITH rule AS MATERIALIZED (${newStayRule})
  SELECT ${slots.id} AS id, ${slots.lotId} AS lotId, ${slots.label} AS label, ${slots.vehicleType} AS vehicleType,
         ${slots.hourlyPrice} AS hourlyPrice, ${slots.enabled} AS enabled, ${lots.bookingMinutes} AS bookingMinutes,
         ${lots.currency} AS currency, ${lots.timeZone} AS timeZone, ${lots.graceMinutes} AS graceMinutes,
         (SELECT max(${b.endMs}) FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${runningAt(b, p('now'))}) AS occupiedUntil,
         (SELECT max(${b.graceUntilMs}) FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id}
             AND ${blocksInstantAt(b, p('now'), rule.minutes, rule.grace)}) AS blockingUntil,
         (SELECT max(${b.graceUntilMs}) FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${inGraceAt(b, p('now'))}) AS heldUntil,
         (SELECT min(${b.startMs}) FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${upcomingAt(b, p('now'))}) AS nextStart,
         ${heldUntilOf(slots.id, p('now'), p('holdTokenHash'))} AS slotHeldUntil,
         ${leaseBlocksAt(slots.id, p('now'))} AS leased
    FROM ${slots} JOIN ${lots} ON ${lots.id} = ${slots.lotId} JOIN rule ON ${rule.lotId} = ${slots.lotId}
   ${lotFilter}
   ORDER BY ${slots.lotId}, ${slots.position}, ${slots.id}`;

/** One row per slot of a lot for the staff map; the running, held and next bookings come back as JSON. */
export interface LotMapRow extends Pick<Slot, 'id' | 'label' | 'vehicleType' | 'hourlyPrice'> {
  enabled: number;
  bookingMinutes: number;
  current: string | null;
  held: string | null;
  upcoming: string | null;
  heldUntil: number | null;
}

const occupantJson = (extra?: SQL) =>
  sql`json_object('bookingId', ${b.id}, 'reference', ${b.reference}, 'vehicleNumber', ${b.vehicleNumber},
                  'startMs', ${b.startMs}, 'endMs', ${b.endMs}${extra ?? sql``})`;

// One row per slot; the running booking and the next one come back as JSON so the whole map is one query.
const LOT_MAP_SQL = sql`
  SELECT ${slots.id} AS id, ${slots.label} AS label, ${slots.vehicleType} AS vehicleType, ${slots.hourlyPrice} AS hourlyPrice,
         ${slots.enabled} AS enabled,
         (SELECT ${lots.bookingMinutes} FROM ${lots} WHERE ${lots.id} = ${slots.lotId}) AS bookingMinutes,
         (SELECT ${occupantJson()} FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${runningAt(b, p('now'))}
           ORDER BY ${b.endMs} DESC LIMIT 1) AS current,
         (SELECT ${occupantJson(sql`, 'graceUntilMs', ${b.graceUntilMs}`)} FROM ${bookings} ${b}
           WHERE ${b.slotId} = ${slots.id} AND ${inGraceAt(b, p('now'))}
           ORDER BY ${b.graceUntilMs} DESC LIMIT 1) AS held,
         (SELECT ${occupantJson()} FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${upcomingAt(b, p('now'))}
           ORDER BY ${b.startMs} LIMIT 1) AS upcoming,
         ${heldUntilOf(slots.id, p('now'), null)} AS heldUntil
    FROM ${slots} WHERE ${slots.lotId} = ${p('lotId')} ORDER BY ${slots.position}, ${slots.id}`;

/** A slot as the console manages it, with how much booking history hangs on it (SQLite's 0/1 for enabled). */
interface AdminSlotRow extends Pick<Slot, 'id' | 'lotId' | 'label' | 'vehicleType' | 'hourlyPrice' | 'position'> {
  enabled: number;
  /** Booked bookings that have not ended yet (running now or starting later). */
  activeBookings: number;
  /** Every booking ever made on this slot; a slot with any cannot be deleted. */
  totalBookings: number;
}

// Hand-written (drizzle's builder drops the table names from a one-table select list, which
// would bind the correlated subqueries' columns to the bookings alias).
const adminSql = (where: SQL) => sql`
  SELECT ${slots.id} AS id, ${slots.lotId} AS lotId, ${slots.label} AS label, ${slots.vehicleType} AS vehicleType,
         ${slots.hourlyPrice} AS hourlyPrice, ${slots.enabled} AS enabled, ${slots.position} AS position,
         (SELECT count(*) FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id} AND ${activeAt(b, p('now'))}) AS activeBookings,
         (SELECT count(*) FROM ${bookings} ${b} WHERE ${b.slotId} = ${slots.id}) AS totalBookings
    FROM ${slots} WHERE ${where} ORDER BY ${slots.position}, ${slots.id}`;

const adminView = ({ enabled, ...row }: AdminSlotRow) => ({
  ...row,
  enabled: fromSqlBoolean(enabled),
});

/**
 * Every query on slots, prepared once per connection. Booking facts come from the rules of the
 * bookings domain (bookings/rules.ts, completion.ts), never written here again.
 */
export function createSlotStore(orm: Orm) {
  const availabilityAll = prepareSql<SlotAvailabilityRow>(orm, availabilitySql(sql``));
  const availabilityOfLot = prepareSql<SlotAvailabilityRow>(orm, availabilitySql(sql`WHERE ${slots.lotId} = ${p('lotId')}`));
  const lotMap = prepareSql<LotMapRow>(orm, LOT_MAP_SQL);
  const adminOfLot = prepareSql<AdminSlotRow>(orm, adminSql(sql`${slots.lotId} = ${p('lotId')}`));
  const adminById = prepareSql<AdminSlotRow>(orm, adminSql(sql`${slots.id} = ${p('slotId')}`));
  const nextPosition = orm
    .select({ position: sql<number>`coalesce(${max(slots.position)}, -1) + 1` })
    .from(slots)
    .where(eq(slots.lotId, p('lotId')))
    .prepare();
  const insert = orm
    .insert(slots)
    .values({
      lotId: p('lotId'),
      label: p('label'),
      vehicleType: p('vehicleType'),
      hourlyPrice: p('hourlyPrice'),
      enabled: true,
      position: p('position'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const labels = orm
    .select({ label: slots.label })
    .from(slots)
    .where(eq(slots.lotId, p('lotId')))
    .prepare();
  const byLabel = orm
    .select({ id: slots.id })
    .from(slots)
    .where(and(eq(slots.lotId, p('lotId')), sql`${slots.label} = ${p('label')} COLLATE NOCASE`))
    .prepare();
  const setLabel = orm
    .update(slots)
    .set({ label: sql`${p('value')}` })
    .where(eq(slots.id, p('id')))
    .prepare();
  const setVehicleType = orm
    .update(slots)
    .set({ vehicleType: sql`${p('value')}` })
    .where(eq(slots.id, p('id')))
    .prepare();
  const setHourlyPrice = orm
    .update(slots)
    .set({ hourlyPrice: sql`${p('value')}` })
    .where(eq(slots.id, p('id')))
    .prepare();
  const setEnabled = orm
    .update(slots)
    .set({ enabled: sql`${p('value')}` })
    .where(eq(slots.id, p('id')))
    .prepare();
  const remove = orm
    .delete(slots)
    .where(eq(slots.id, p('id')))
    .prepare();
  const openCount = orm
    .select({ n: count() })
    .from(slots)
    .where(and(eq(slots.lotId, p('lotId')), eq(slots.enabled, true)))
    .prepare();
  const identity = orm
    .select({ id: slots.id, lotId: slots.lotId, vehicleType: slots.vehicleType })
    .from(slots)
    .where(eq(slots.id, p('id')))
    .prepare();
  const ratesOfLot = orm
    .select({ vehicleType: slots.vehicleType, hourlyPrice: slots.hourlyPrice })
    .from(slots)
    .where(eq(slots.lotId, p('lotId')))
    .prepare();

  return {
    /** Every slot (of one lot, or all) with its availability facts at `now`; holdTokenHash: the caller's own hold. */
    availability: (now: number, holdTokenHash: string | null, lotId?: number) =>
      lotId === undefined ? availabilityAll.all({ now, holdTokenHash }) : availabilityOfLot.all({ now, holdTokenHash, lotId }),
    /** The staff map of a lot at `now` (staff hold nothing, so every live hold shows). */
    lotMap: (lotId: number, now: number) => lotMap.all({ now, lotId }),
    adminOfLot: (lotId: number, now: number) => adminOfLot.all({ lotId, now }).map(adminView),
    adminById: (slotId: number, now: number) => {
      const row = adminById.get({ slotId, now });
      return row === undefined ? undefined : adminView(row);
    },
    /** Where a new slot goes: after the lot's last one. */
    nextPosition: (lotId: number) => nextPosition.get({ lotId })?.position ?? 0,
    insert: (row: { lotId: number; label: string; vehicleType: VehicleType; hourlyPrice: number; position: number; createdAt: number }) =>
      Number(insert.run(row).lastInsertRowid),
    labelsOf: (lotId: number) => labels.all({ lotId }).map((row) => row.label),
    /** The slot of the lot called `label`, compared without case. */
    idByLabel: (lotId: number, label: string) => byLabel.get({ lotId, label })?.id,
    setLabel: (id: number, value: string) => setLabel.run({ id, value }),
    setVehicleType: (id: number, value: VehicleType) => setVehicleType.run({ id, value }),
    setHourlyPrice: (id: number, value: number) => setHourlyPrice.run({ id, value }),
    setEnabled: (id: number, value: boolean) => setEnabled.run({ id, value: value ? 1 : 0 }),
    remove: (id: number) => remove.run({ id }),
    /** How many of the lot's slots are open (not closed for maintenance). */
    openCount: (lotId: number) => openCount.get({ lotId })?.n ?? 0,
    /** A slot's lot and vehicle type (undefined: no such slot). */
    identity: (id: number) => identity.get({ id }),
    /** The flat rates of a lot's slots (a tariff drafted from them). */
    ratesOfLot: (lotId: number) => ratesOfLot.all({ lotId }),
  };
}

export type SlotStore = ReturnType<typeof createSlotStore>;
