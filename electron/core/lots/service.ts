import { iso } from '../bookings/mapping';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction, runRead } from '../shared/unit-of-work';
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
  /** Grace after a flat-rate stay ends (a saved tariff's own graceMinutes wins): pricing/stay.ts graceMs. */
  graceMinutes: number;
  totalSlots: number;
  freeSlots: number;
  freeByVehicleType: Partial<Record<VehicleType, number>>;
  serverTime: string;
}

export function listLots(core: KioskCore): LotView[] {
  return runRead(core, (tx) => {
    const lots = core.lots.all();
    const free = core.lots.freeCounts(tx.now);
    return lots.map((lot) => {
      const mine = free.filter((row) => row.lotId === lot.id);
      return {
        ...lot,
        totalSlots: mine.reduce((sum, row) => sum + row.total, 0),
        freeSlots: mine.reduce((sum, row) => sum + row.free, 0),
        freeByVehicleType: Object.fromEntries(mine.map((row) => [row.vehicleType, row.free])),
        serverTime: iso(tx.now),
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

/** The schema's default zone (the demo lot is in Mumbai). */
const DEMO_TIME_ZONE = 'Asia/Kolkata';

/** Seeds a ready-to-use demo lot (24 slots) when the database has no lot yet. */
export function seedDemoLot(core: KioskCore, name = 'Marine Drive Parking'): boolean {
  return runInTransaction(core, (tx) => {
    if (core.lots.first()) return false;
    const lotId = core.lots.insert({ name, currency: 'INR', bookingMinutes: 60, carWashPrice: 15000, timeZone: DEMO_TIME_ZONE, createdAt: tx.now });
    let position = 0;
    for (const group of DEMO_ROWS) {
      for (let n = 1; n <= group.count; n += 1) {
        core.slots.insert({
          lotId,
          label: `${group.row}${n}`,
          vehicleType: group.vehicleType,
          hourlyPrice: group.hourlyPrice,
          position: position++,
          createdAt: tx.now,
        });
      }
    }
    tx.events.push({ kind: 'slots', lotId });
    return true;
  });
}
