import { recordAudit, type AuditActor } from '../audit/service';
import { runInTransaction, statement, type KioskCore } from '../shared/core';
import { DomainError } from '../shared/errors';

export interface LotSettings {
  lotId: number;
  name: string;
  currency: string;
  bookingMinutes: number;
  carWashPrice: number;
  /** IANA zone: tariff windows, report days and hours are local to it. */
  timeZone: string;
}

export interface LotSettingsChanges {
  bookingMinutes?: number;
  carWashPrice?: number;
  timeZone?: string;
}

const SELECT = `SELECT id AS lotId, name, currency, booking_minutes AS bookingMinutes, car_wash_price AS carWashPrice, time_zone AS timeZone FROM lots WHERE id = ?`;

/**
 * Sets how long a booking lasts and what a car wash costs. Bookings already made keep their
 * end time and price; the new values apply from the next booking on.
 */
export function updateLotSettings(core: KioskCore, actor: AuditActor, lotId: number, changes: LotSettingsChanges): LotSettings {
  return runInTransaction(core, (tx) => {
    const before = statement(core, SELECT).get(lotId) as LotSettings | undefined;
    if (!before) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const changed: Record<string, { from: number | string; to: number | string }> = {};
    if (changes.timeZone !== undefined && changes.timeZone !== before.timeZone) {
      statement(core, 'UPDATE lots SET time_zone = ? WHERE id = ?').run(changes.timeZone, lotId);
      changed.timeZone = { from: before.timeZone, to: changes.timeZone };
    }
    if (changes.bookingMinutes !== undefined && changes.bookingMinutes !== before.bookingMinutes) {
      statement(core, 'UPDATE lots SET booking_minutes = ? WHERE id = ?').run(changes.bookingMinutes, lotId);
      changed.bookingMinutes = { from: before.bookingMinutes, to: changes.bookingMinutes };
    }
    if (changes.carWashPrice !== undefined && changes.carWashPrice !== before.carWashPrice) {
      statement(core, 'UPDATE lots SET car_wash_price = ? WHERE id = ?').run(changes.carWashPrice, lotId);
      changed.carWashPrice = { from: before.carWashPrice, to: changes.carWashPrice };
    }
    if (Object.keys(changed).length > 0) {
      recordAudit(core, tx.now, actor, changed.carWashPrice ? 'price.lot' : 'settings.lot', { lotId, changes: changed });
      tx.events.push({ kind: 'slots', lotId });
    }
    return statement(core, SELECT).get(lotId) as LotSettings;
  });
}
