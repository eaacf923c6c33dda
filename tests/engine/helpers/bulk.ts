import type Database from 'better-sqlite3';
import { plate } from './kiosk';

/**
 * Writes `count` bookings straight into the table in one transaction (fast set-up for large
 * tables). Statuses cycle through `statuses`; each row lasts one hour from `startMs + i * stepMs`.
 */
export function bulkInsertBookings(
  sqlite: Database.Database,
  options: {
    count: number;
    slotIds: number[];
    lotId?: number;
    startMs: number;
    stepMs?: number;
    statuses?: ('booked' | 'completed' | 'cancelled')[];
    tag?: string;
  },
): number[] {
  const statuses = options.statuses ?? ['completed'];
  const insert = sqlite.prepare(
    `INSERT INTO bookings (reference, lot_id, slot_id, vehicle_number, vehicle_type, booking_type, status, start_ms, end_ms, price, created_at)
     VALUES (?, ?, ?, ?, 'car', 'instant', ?, ?, ?, 6000, ?)`,
  );
  const ids: number[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < options.count; i += 1) {
      const start = options.startMs + i * (options.stepMs ?? 0);
      const slotId = options.slotIds[i % options.slotIds.length]!;
      ids.push(
        Number(
          insert.run(
            `${options.tag ?? 'Z'}${i.toString(36).toUpperCase().padStart(7, '0')}`,
            options.lotId ?? 1,
            slotId,
            plate(i),
            statuses[i % statuses.length],
            start,
            start + 3_600_000,
            start,
          ).lastInsertRowid,
        ),
      );
    }
  })();
  return ids;
}
