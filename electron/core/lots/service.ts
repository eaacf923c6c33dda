import { heldSql, holdStartSql } from '../bookings/holds';
import { NEW_STAY_SQL } from '../pricing/lot-rule';
import { heldUntilSql } from '../bookings/completion';
import { runInTransaction, runRead, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';
import type { VehicleType } from '../../../shared/vocabulary';

export interface LotView {
  id: number;
  name: string;
  currency: string;
  bookingMinutes: number;
  carWashPrice: number;
  /** IANA zone of the lot's wall clock: report days and hours, the console clock. */
  timeZone: string;
  /** How long choosing a slot holds it (issue 13); the kiosk renews it while the driver types. */
  slotHoldMinutes: number;
  /** Minutes after booking in which the driver may correct the plate once (plate-correction.ts). */
  plateCorrectionMinutes: number;
  totalSlots: number;
  freeSlots: number;
  freeByVehicleType: Partial<Record<VehicleType, number>>;
  serverTime: string;
}

interface LotRow {
  id: number;
  name: string;
  currency: string;
  bookingMinutes: number;
  carWashPrice: number;
  timeZone: string;
  slotHoldMinutes: number;
  plateCorrectionMinutes: number;
}

export function listLots(core: KioskCore): LotView[] {
  return runRead(core, (tx) => {
    const lots = statement(
      core,
      `SELECT id, name, currency, booking_minutes AS bookingMinutes, car_wash_price AS carWashPrice,
              time_zone AS timeZone, slot_hold_minutes AS slotHoldMinutes, plate_correction_minutes AS plateCorrectionMinutes FROM lots ORDER BY id`,
    ).all() as LotRow[];
    const free = statement(
      core,
      // Free: no hold (bookings/holds.ts) meets an Instant stay of the default length now.
      `WITH rule AS MATERIALIZED (${NEW_STAY_SQL})
       SELECT s.lot_id AS lotId, s.vehicle_type AS vehicleType, count(*) AS total,
              sum(s.enabled = 1 AND NOT EXISTS (
                SELECT 1 FROM bookings b
                 WHERE b.slot_id = s.id AND ${heldSql('b')}
                   AND ${holdStartSql('b')} < @now + (rule.minutes + rule.grace) * 60000)
              AND ${heldUntilSql('s.id')} IS NULL) AS free
         FROM slots s JOIN rule ON rule.lotId = s.lot_id GROUP BY s.lot_id, s.vehicle_type`,
    ).all({ now: tx.now, holdTokenHash: null }) as { lotId: number; vehicleType: VehicleType; total: number; free: number }[];
    return lots.map((lot) => {
      const mine = free.filter((row) => row.lotId === lot.id);
      return {
        ...lot,
        totalSlots: mine.reduce((sum, row) => sum + row.total, 0),
        freeSlots: mine.reduce((sum, row) => sum + row.free, 0),
        freeByVehicleType: Object.fromEntries(mine.map((row) => [row.vehicleType, row.free])),
        serverTime: new Date(tx.now).toISOString(),
      };
    });
  });
}

export function getLot(core: KioskCore, lotId: number): LotView {
  const lot = listLots(core).find((candidate) => candidate.id === lotId);
  if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
  return lot;
}

const DEMO_ROWS: { row: string; vehicleType: VehicleType; hourlyPrice: number; count: number }[] = [
  { row: 'A', vehicleType: 'car', hourlyPrice: 6000, count: 8 },
  { row: 'B', vehicleType: 'suv', hourlyPrice: 8000, count: 4 },
  { row: 'E', vehicleType: 'ev', hourlyPrice: 7000, count: 4 },
  { row: 'M', vehicleType: 'bike', hourlyPrice: 2000, count: 6 },
  { row: 'T', vehicleType: 'truck', hourlyPrice: 12000, count: 2 },
];

/** Seeds a ready-to-use demo lot (24 slots) when the database has no lot yet. */
export function seedDemoLot(core: KioskCore, name = 'Marine Drive Parking'): boolean {
  return runInTransaction(core, (tx) => {
    if (statement(core, 'SELECT 1 FROM lots LIMIT 1').get()) return false;
    const lotId = Number(
      statement(core, `INSERT INTO lots (name, currency, booking_minutes, car_wash_price, created_at) VALUES (?, 'INR', 60, 15000, ?)`)
        .run(name, tx.now).lastInsertRowid,
    );
    const insertSlot = statement(
      core,
      `INSERT INTO slots (lot_id, label, vehicle_type, hourly_price, enabled, position, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)`,
    );
    let position = 0;
    for (const group of DEMO_ROWS) {
      for (let n = 1; n <= group.count; n += 1) {
        insertSlot.run(lotId, `${group.row}${n}`, group.vehicleType, group.hourlyPrice, position++, tx.now);
      }
    }
    tx.events.push({ kind: 'slots', lotId });
    return true;
  });
}
