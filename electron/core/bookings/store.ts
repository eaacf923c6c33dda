import Database from 'better-sqlite3';
import { and, asc, count, desc, eq, gt, gte, inArray, like, lt, max, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Orm } from '../../../db/client';
import { prepareSql } from '../../../db/prepared';
import * as schema from '../../../db/schema';
import { bookingAddOns, bookings, lots, plateCorrections, slots, tariffVersions } from '../../../db/schema';
import type { TokenBooking } from '../auth/booking-tokens';
import { activeAt, dueAt, statusIs, type BookingStatus } from './completion';
import { addOnsFromJson, priceLinesFromJson, type AddOnRecord } from './mapping';
import { bookedOverlapping, clashesWith, occupiedEndOf, renewedToIdOf, soldOf } from './rules';
import type { PriceLine } from '../tariffs/price';

/** A bookings row as written: the schema's insert type, status left to its default ('booked'). */
export type NewBooking = Omit<typeof bookings.$inferInsert, 'id' | 'status' | 'cancelledAt' | 'cancelledBy' | 'cancelReason'> & {
  renewedFromId: number | null;
};

export interface ListFilter {
  status?: BookingStatus;
  lotId?: number;
  slotId?: number;
  vehicleNumber?: string;
  reference?: string;
  /** Upper-case letters and digits: matches a reference prefix or any part of a plate. */
  searchText?: string;
  fromMs?: number;
  toMs?: number;
  cursor?: number;
  limit: number;
  order: 'newest' | 'oldest';
}

const p = sql.placeholder;
const addOn = alias(bookingAddOns, 'a');
const b = alias(bookings, 'b');

// Booked minutes per report bucket (reports/occupancy.ts), in SQL: the bookings touching the
// window are picked once, then each bucket sums the part of every booking that overlaps it.
// @buckets is JSON [[startMs, endMs], ...].
const OCCUPANCY_SQL = sql`
  WITH
    hours(h, e) AS MATERIALIZED (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${p('buckets')})),
    held AS MATERIALIZED (
      SELECT ${bookings.startMs} AS s, ${occupiedEndOf(bookings)} AS e
        FROM ${bookings}
       WHERE ${bookings.lotId} = ${p('lotId')} AND ${bookings.startMs} < ${p('to')} AND ${bookings.endMs} > ${p('from')}
    )
  SELECT h AS hourStart,
         hours.e - h AS lengthMs,
         coalesce(sum(CASE WHEN held.e > held.s THEN min(held.e, hours.e) - max(held.s, h) END), 0) AS bookedMs
    FROM hours LEFT JOIN held ON held.s < hours.e AND held.e > h
   GROUP BY h ORDER BY h`;

// Revenue per report bucket (reports/revenue.ts): what sold bookings were sold for (price plus
// add-ons), counted in the bucket the booking starts in.
const REVENUE_SQL = sql`
  WITH days(dayIndex, s, e) AS MATERIALIZED (
    SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${p('buckets')}))
  SELECT days.dayIndex AS dayIndex,
         count(*) AS bookings,
         sum(${b.price}) AS parking,
         coalesce(sum((SELECT sum(${addOn.price}) FROM ${bookingAddOns} ${addOn} WHERE ${addOn.bookingId} = ${b.id})), 0) AS addOns
    FROM ${bookings} ${b} JOIN days ON ${b.startMs} >= days.s AND ${b.startMs} < days.e
   WHERE ${b.lotId} = ${p('lotId')} AND ${soldOf(b)} AND ${b.startMs} >= ${p('from')} AND ${b.startMs} < ${p('to')}
   GROUP BY days.dayIndex ORDER BY days.dayIndex`;

/** A bookings report window: the lot, its [from, to) and its buckets as [startMs, endMs] pairs. */
export interface ReportWindow {
  lotId: number;
  from: number;
  to: number;
  buckets: readonly (readonly [number, number])[];
}
const windowValues = (w: ReportWindow) => ({ lotId: w.lotId, from: w.from, to: w.to, buckets: JSON.stringify(w.buckets) });

// A completed booking proves time passed its end; a cancellation proves time reached that instant.
const NEWEST_INSTANT_SQL = sql`SELECT max(
     (SELECT coalesce(max(${bookings.createdAt}), 0) FROM ${bookings}),
     (SELECT coalesce(max(${bookings.cancelledAt}), 0) FROM ${bookings}),
     (SELECT coalesce(max(${bookings.endMs}), 0) FROM ${bookings} WHERE ${bookings.status} = 'completed')) AS at`;

const ormOf = (source: Orm | Database.Database): Orm => (source instanceof Database ? drizzle(source, { schema }) : source);

/** The latest instant the bookings prove time reached (boot guards the clock with it, before the core exists). */
export const newestBookingInstant = (source: Orm | Database.Database): number =>
  prepareSql<{ at: number | null }>(ormOf(source), NEWEST_INSTANT_SQL).get()?.at ?? 0;

/** A booking as read for display: the booking joined with its slot, lot, tariff version and add-ons. */
const VIEW_FIELDS = {
  id: bookings.id,
  reference: bookings.reference,
  lotId: bookings.lotId,
  slotId: bookings.slotId,
  slotLabel: slots.label,
  vehicleNumber: bookings.vehicleNumber,
  vehicleType: bookings.vehicleType,
  bookingType: bookings.bookingType,
  status: bookings.status,
  startMs: bookings.startMs,
  endMs: bookings.endMs,
  price: bookings.price,
  renewedFromId: bookings.renewedFromId,
  renewedToId: renewedToIdOf(bookings),
  createdAt: bookings.createdAt,
  cancelledAt: bookings.cancelledAt,
  cancelledBy: bookings.cancelledBy,
  cancelReason: bookings.cancelReason,
  addOns: sql<string>`(SELECT json_group_array(json_object('kind', ${addOn.kind}, 'price', ${addOn.price}, 'addedAt', ${addOn.createdAt}))
      FROM ${bookingAddOns} ${addOn} WHERE ${addOn.bookingId} = ${bookings.id})`,
  currency: lots.currency,
  timeZone: lots.timeZone,
  tariffVersionId: bookings.tariffVersionId,
  /** The version number of tariffVersionId (null: the slot's flat rate). */
  tariffVersion: tariffVersions.version,
  priceBreakdown: bookings.priceBreakdown,
  chainStartMs: sql<number>`coalesce(${bookings.chainStartMs}, ${bookings.startMs})`,
  graceUntilMs: sql<number>`coalesce(${bookings.graceUntilMs}, ${bookings.endMs})`,
  /** The maximum stay of the booking's own tariff version (null: none). */
  maxStayMinutes: sql<number | null>`json_extract(${tariffVersions.document}, '$.maxStayMinutes')`,
  /** The lot's window for the driver's one plate correction, and how many corrections the booking had. */
  plateCorrectionMinutes: lots.plateCorrectionMinutes,
  plateCorrections: sql<number>`(SELECT count(*) FROM ${plateCorrections} WHERE ${plateCorrections.bookingId} = ${bookings.id})`,
};

const viewQueryOf = (orm: Orm) =>
  orm
    .select(VIEW_FIELDS)
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(lots, eq(lots.id, bookings.lotId))
    .leftJoin(tariffVersions, eq(tariffVersions.id, bookings.tariffVersionId));

/** A row of the view query, typed by drizzle from the schema and VIEW_FIELDS. */
type BookingViewRow = ReturnType<ReturnType<typeof viewQueryOf>['all']>[number];

/** A booking as the rules and views use it (mapping.ts decodes its JSON columns). */
export type BookingRecord = Omit<BookingViewRow, 'addOns' | 'priceBreakdown'> & {
  addOns: AddOnRecord[];
  /** The price lines as sold; null for bookings made before tariffs. */
  priceBreakdown: PriceLine[] | null;
};

const toRecord = (row: BookingViewRow | undefined): BookingRecord | undefined =>
  row === undefined ? undefined : { ...row, addOns: addOnsFromJson(row.addOns), priceBreakdown: priceLinesFromJson(row.priceBreakdown) };

/** The slot and lot facts a new booking on a slot needs. */
const SLOT_FOR_BOOKING_FIELDS = {
  id: slots.id,
  lotId: slots.lotId,
  label: slots.label,
  vehicleType: slots.vehicleType,
  hourlyPrice: slots.hourlyPrice,
  enabled: slots.enabled,
  bookingMinutes: lots.bookingMinutes,
  carWashPrice: lots.carWashPrice,
  currency: lots.currency,
  timeZone: lots.timeZone,
  graceMinutes: lots.graceMinutes,
};

/**
 * Every query on bookings (and their add-ons and plate corrections), prepared once per
 * connection. Nothing else queries these tables: other domains ask this store. The literal
 * `status = 'booked'` of the rules (not a parameter) lets SQLite pick the partial indexes.
 */
export function createBookingStore(source: Orm | Database.Database) {
  const orm = ormOf(source);
  const viewQuery = () => viewQueryOf(orm);

  // INDEXED BY pins the partial index on active end times: left to itself the planner
  // prefers (status, id), which walks every active row (all future Advance bookings) on
  // every request instead of just the few that are due.
  // The write side of the completion rule (completion.ts): store what reads already derive.
  const expireDue = prepareSql<{ id: number; lotId: number; slotId: number }>(
    orm,
    // The table is named as text (not ${bookings}, which drizzle quotes) so the statement reads as
    // the tests and the trace expect: UPDATE bookings ... status = 'completed'.
    sql`UPDATE bookings INDEXED BY bookings_active_end SET status = 'completed'
      WHERE ${dueAt(bookings, p('now'))}
      RETURNING ${bookings.id} AS id, ${bookings.lotId} AS lotId, ${bookings.slotId} AS slotId`,
  );
  const nextDue = prepareSql<{ due: number | null }>(
    orm,
    sql`SELECT min(${bookings.endMs}) AS due FROM ${bookings} INDEXED BY bookings_active_end WHERE ${bookings.status} = 'booked'`,
  );
  const byId = viewQuery()
    .where(eq(bookings.id, p('id')))
    .prepare();
  const byReference = viewQuery()
    .where(eq(bookings.reference, p('reference')))
    .prepare();
  const slotForBooking = orm
    .select(SLOT_FOR_BOOKING_FIELDS)
    .from(slots)
    .innerJoin(lots, eq(lots.id, slots.lotId))
    .where(eq(slots.id, p('slotId')))
    .prepare();
  // The overlap rule of the trigger (rules.ts), so the core refuses with a typed reason first.
  const slotOverlap = orm
    .select({ id: bookings.id, startMs: bookings.startMs, endMs: bookings.endMs })
    .from(bookings)
    .where(
      clashesWith(bookings, { slotId: p('slotId'), startMs: p('startMs'), holdEndMs: p('holdEndMs'), selfId: p('selfId'), renewedFromId: p('renewedFromId') }),
    )
    .orderBy(asc(bookings.startMs))
    .limit(1)
    .prepare();
  const nextHoldStart = prepareSql<{ startMs: number | null }>(
    orm,
    sql`SELECT min(${bookings.startMs}) AS startMs FROM ${bookings} INDEXED BY bookings_held_slot
      WHERE ${bookings.slotId} = ${p('slotId')} AND ${bookings.status} <> 'cancelled' AND ${activeAt(bookings, p('fromMs'))}
        AND ${bookings.graceUntilMs} > ${p('fromMs')} AND ${bookings.startMs} >= ${p('fromMs')} AND ${bookings.id} <> ${p('selfId')}`,
  );
  const vehicleOverlap = prepareSql<{ reference: string }>(
    orm,
    sql`SELECT ${bookings.reference} AS reference FROM ${bookings} INDEXED BY bookings_active_vehicle
      WHERE ${bookings.vehicleNumber} = ${p('vehicle')} AND ${bookedOverlapping(bookings, p('startMs'), p('endMs'))} LIMIT 1`,
  );
  const referenceTaken = orm
    .select({ id: bookings.id })
    .from(bookings)
    .where(eq(bookings.reference, p('reference')))
    .prepare();
  const forToken = orm
    .select({
      id: bookings.id,
      reference: bookings.reference,
      createdAt: bookings.createdAt,
      status: bookings.status,
      endMs: bookings.endMs,
      cancelledAt: bookings.cancelledAt,
    })
    .from(bookings)
    .where(eq(bookings.id, p('id')))
    .prepare();
  // The columns every new booking row sets, whoever sold it (this kiosk, or a satellite's replay).
  const newRowColumns = {
    reference: p('reference'),
    lotId: p('lotId'),
    slotId: p('slotId'),
    vehicleNumber: p('vehicleNumber'),
    vehicleType: p('vehicleType'),
    status: 'booked' as const,
    startMs: p('startMs'),
    endMs: p('endMs'),
    price: p('price'),
    renewedFromId: p('renewedFromId'),
    chainStartMs: p('chainStartMs'),
    graceUntilMs: p('graceUntilMs'),
    createdAt: p('createdAt'),
  };
  const insert = orm
    .insert(bookings)
    .values({ ...newRowColumns, bookingType: p('bookingType'), tariffVersionId: p('tariffVersionId'), priceBreakdown: p('priceBreakdown') })
    .prepare();
  // A booking the central office held and a restored database had lost (bookings/bring-back.ts): it keeps its id.
  const insertBroughtBack = orm
    .insert(bookings)
    .values({ id: p('id'), ...newRowColumns, bookingType: p('bookingType'), tariffVersionId: p('tariffVersionId'), priceBreakdown: p('priceBreakdown') })
    .prepare();
  const stillBooked = (id: Placeholder) => and(eq(bookings.id, id), sql`${bookings.status} = 'booked'`);
  const extend = orm
    .update(bookings)
    .set({ endMs: sql`${p('endMs')}`, graceUntilMs: sql`${p('graceUntilMs')}`, price: sql`${p('price')}`, priceBreakdown: sql`${p('priceBreakdown')}` })
    .where(stillBooked(p('id')))
    .prepare();
  const cancel = orm
    .update(bookings)
    .set({ status: 'cancelled', cancelledAt: sql`${p('at')}`, cancelledBy: sql`${p('by')}`, cancelReason: sql`${p('reason')}` })
    .where(stillBooked(p('id')))
    .prepare();
  const addAddOn = orm
    .insert(bookingAddOns)
    .values({ bookingId: p('bookingId'), kind: p('kind'), price: p('price'), createdAt: p('at') })
    .prepare();
  const setPlate = orm
    .update(bookings)
    .set({ vehicleNumber: sql`${p('plate')}` })
    .where(eq(bookings.id, p('id')))
    .prepare();
  const addPlateCorrection = orm
    .insert(plateCorrections)
    .values({
      bookingId: p('bookingId'),
      fromPlate: p('fromPlate'),
      toPlate: p('toPlate'),
      by: p('by'),
      staffId: p('staffId'),
      reason: p('reason'),
      at: p('at'),
    })
    .prepare();
  const correctionsOf = orm
    .select({
      fromPlate: plateCorrections.fromPlate,
      toPlate: plateCorrections.toPlate,
      by: plateCorrections.by,
      reason: plateCorrections.reason,
      at: plateCorrections.at,
    })
    .from(plateCorrections)
    .where(eq(plateCorrections.bookingId, p('bookingId')))
    .orderBy(asc(plateCorrections.at), asc(plateCorrections.id))
    .prepare();
  const brief = orm
    .select({ reference: bookings.reference, createdAt: bookings.createdAt })
    .from(bookings)
    .where(eq(bookings.id, p('id')))
    .prepare();
  const activeOnSlot = orm
    .select({ id: bookings.id, reference: bookings.reference, endMs: bookings.endMs })
    .from(bookings)
    .where(and(eq(bookings.slotId, p('slotId')), activeAt(bookings, p('now'))))
    .orderBy(asc(bookings.startMs))
    .prepare();
  const bookedOnSlotDuring = orm
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.slotId, p('slotId')), bookedOverlapping(bookings, p('fromMs'), p('untilMs'))))
    .limit(1)
    .prepare();
  const byGlobalId = orm
    .select({
      id: bookings.id,
      lotId: bookings.lotId,
      slotId: bookings.slotId,
      status: bookings.status,
      endMs: bookings.endMs,
      chainStartMs: bookings.chainStartMs,
      satelliteId: bookings.satelliteId,
    })
    .from(bookings)
    .where(eq(bookings.globalId, p('globalId')))
    .prepare();
  // A booking a satellite sold while the hub was out of reach (leases/replay.ts): it keeps its global id.
  const insertReplayed = orm
    .insert(bookings)
    .values({ ...newRowColumns, bookingType: 'instant', globalId: p('globalId'), satelliteId: p('satelliteId') })
    .prepare();
  const anyInLot = orm
    .select({ id: bookings.id })
    .from(bookings)
    .where(eq(bookings.lotId, p('lotId')))
    .limit(1)
    .prepare();
  const occupancy = prepareSql<{ hourStart: number; lengthMs: number; bookedMs: number }>(orm, OCCUPANCY_SQL);
  const revenue = prepareSql<{ dayIndex: number; bookings: number; parking: number; addOns: number }>(orm, REVENUE_SQL);
  const listCache = new Map<string, { all(values: Record<string, unknown>): BookingViewRow[] }>();

  return {
    expireDue: (now: number) => expireDue.all({ now }),
    nextDue: () => nextDue.get()?.due ?? null,
    byId: (id: number) => toRecord(byId.get({ id })),
    byReference: (reference: string) => toRecord(byReference.get({ reference })),
    /** The facts a booking token is checked against. */
    forToken: (id: number): TokenBooking | undefined => forToken.get({ id }),
    slotForBooking: (slotId: number) => slotForBooking.get({ slotId }),
    /** The first booking whose hold meets [startMs, holdEndMs) on the slot (not selfId, not the renewed one). */
    slotOverlap: (args: { slotId: number; startMs: number; holdEndMs: number; selfId?: number; renewedFromId?: number | null }) =>
      slotOverlap.get({ selfId: 0, renewedFromId: null, ...args }),
    /** The start of the slot's first hold beginning at or after fromMs (the next booking), or null. */
    nextHoldStart: (slotId: number, fromMs: number, selfId = 0) => nextHoldStart.get({ slotId, fromMs, selfId })?.startMs ?? null,
    extend: (args: { id: number; endMs: number; graceUntilMs: number; price: number; priceBreakdown: string }) => extend.run(args).changes === 1,
    vehicleOverlap: (vehicle: string, startMs: number, endMs: number) => vehicleOverlap.get({ vehicle, startMs, endMs }),
    referenceTaken: (reference: string) => referenceTaken.get({ reference }) !== undefined,
    insertBroughtBack: (row: NewBooking & { id: number }) =>
      insertBroughtBack.run({ tariffVersionId: null, priceBreakdown: null, chainStartMs: null, graceUntilMs: null, ...row }),
    insert: (row: NewBooking) =>
      Number(insert.run({ tariffVersionId: null, priceBreakdown: null, chainStartMs: null, graceUntilMs: null, ...row }).lastInsertRowid),
    cancel: (args: { id: number; at: number; by: string; reason: string | null }) => cancel.run(args).changes === 1,
    addAddOn: (args: { bookingId: number; kind: AddOnRecord['kind']; price: number; at: number }) => addAddOn.run(args),
    /** Changes the plate a booking holds; the correction is recorded beside it (addPlateCorrection). */
    setPlate: (id: number, plate: string) => setPlate.run({ id, plate }),
    addPlateCorrection: (args: Omit<typeof plateCorrections.$inferInsert, 'id'>) => addPlateCorrection.run(args),
    /** A booking's plate corrections, oldest first. */
    plateCorrectionsOf: (bookingId: number) => correctionsOf.all({ bookingId }),
    /** Reference and creation instant of a booking (history names the other end of a renewal). */
    brief: (id: number) => brief.get({ id }),
    /** Active bookings (running or yet to start) on a slot, by start. */
    activeOnSlot: (slotId: number, now: number) => activeOnSlot.all({ slotId, now }),
    /** How many of these bookings are active at `now` (per-client limits). Not prepared: the id list varies. */
    activeAmong: (ids: number[], now: number): number =>
      ids.length === 0
        ? 0
        : (orm
            .select({ n: count() })
            .from(bookings)
            .where(and(inArray(bookings.id, ids), activeAt(bookings, now)))
            .get()?.n ?? 0),
    /** Of these plates, those booked since `sinceMs` (optionally in one lot), newest booking first. */
    platesBookedSince: (plates: string[], sinceMs: number, lotId?: number) =>
      orm
        .select({ plate: bookings.vehicleNumber, at: max(bookings.createdAt) })
        .from(bookings)
        .where(and(inArray(bookings.vehicleNumber, plates), gte(bookings.createdAt, sinceMs), lotId === undefined ? undefined : eq(bookings.lotId, lotId)))
        .groupBy(bookings.vehicleNumber)
        .orderBy(desc(max(bookings.createdAt)))
        .all(),
    /** Whether a booking is running on the slot at `now` (booked, started, not ended). */
    /** Whether a booking on the slot overlaps [fromMs, untilMs): running now, or starting before then. */
    bookedOnSlotDuring: (slotId: number, fromMs: number, untilMs: number) => bookedOnSlotDuring.get({ slotId, fromMs, untilMs }) !== undefined,
    /** The hub's booking with this global id (a satellite's replay refers to bookings by it). */
    byGlobalId: (globalId: string) => byGlobalId.get({ globalId }),
    insertReplayed: (
      row: Pick<NewBooking, 'reference' | 'lotId' | 'slotId' | 'vehicleNumber' | 'vehicleType' | 'startMs' | 'endMs' | 'price' | 'createdAt'> & {
        renewedFromId: number | null;
        chainStartMs: number;
        graceUntilMs: number;
        globalId: string;
        satelliteId: string;
      },
    ) => Number(insertReplayed.run(row).lastInsertRowid),
    /** Whether the lot has any booking at all (its currency is then fixed). */
    anyInLot: (lotId: number) => anyInLot.get({ lotId }) !== undefined,
    /** Per bucket: its start, its length and the booked ms of the lot's slots in it (occupancy report). */
    occupancyByBucket: (w: ReportWindow) => occupancy.all(windowValues(w)),
    /** Per bucket index with sales: bookings sold, parking and add-on revenue (revenue report). */
    revenueByBucket: (w: ReportWindow) => revenue.all(windowValues(w)),
    /** `now` decides which bookings count as completed for a status filter (completion.ts). */
    list(filter: ListFilter, now: number): BookingRecord[] {
      const values: Record<string, unknown> = { limit: filter.limit, now };
      const where: SQL[] = [];
      const shape: string[] = [filter.order];
      const add = (key: keyof ListFilter, value: unknown, clause: () => SQL) => {
        if (value === undefined) return;
        shape.push(key);
        values[key] = value;
        where.push(clause());
      };
      if (filter.status !== undefined) {
        shape.push(`status:${filter.status}`);
        where.push(statusIs(bookings, filter.status, p('now')));
      }
      add('lotId', filter.lotId, () => eq(bookings.lotId, p('lotId')));
      add('slotId', filter.slotId, () => eq(bookings.slotId, p('slotId')));
      add('vehicleNumber', filter.vehicleNumber, () => eq(bookings.vehicleNumber, p('vehicleNumber')));
      add('reference', filter.reference, () => eq(bookings.reference, p('reference')));
      if (filter.searchText !== undefined) {
        shape.push('searchText');
        values.searchPrefix = `${filter.searchText}%`;
        values.searchAnywhere = `%${filter.searchText}%`;
        where.push(or(like(bookings.reference, p('searchPrefix')), like(sql`replace(${bookings.vehicleNumber}, '-', '')`, p('searchAnywhere')))!);
      }
      add('fromMs', filter.fromMs, () => gte(bookings.startMs, p('fromMs')));
      add('toMs', filter.toMs, () => lt(bookings.startMs, p('toMs')));
      add('cursor', filter.cursor, () => (filter.order === 'newest' ? lt(bookings.id, p('cursor')) : gt(bookings.id, p('cursor'))));
      const key = shape.join(',');
      let query = listCache.get(key);
      if (query === undefined) {
        query = viewQuery()
          .where(where.length ? and(...where) : undefined)
          .orderBy(filter.order === 'newest' ? desc(bookings.id) : asc(bookings.id))
          .limit(p('limit'))
          .prepare();
        listCache.set(key, query);
      }
      return query.all(values).map((row) => toRecord(row)!);
    },
  };
}

export type BookingStore = ReturnType<typeof createBookingStore>;
/** The slot facts a new booking needs (slotForBooking). */
export type SlotForBooking = NonNullable<ReturnType<BookingStore['slotForBooking']>>;
