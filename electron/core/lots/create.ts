import { recordAudit, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { fail } from '../shared/errors';
import { canonicalTimeZone, checkCurrency } from './locale-rules';

export interface NewLot {
  name: string;
  currency: string;
  timeZone: string;
  bookingMinutes: number;
  /** Minor units (hundredths). */
  carWashPrice: number;
}

export interface CreatedLot {
  id: number;
  name: string;
  currency: string;
  timeZone: string;
  bookingMinutes: number;
  carWashPrice: number;
}

/**
 * First run without the demo: the owner creates the kiosk's lot. A kiosk serves one lot (every
 * screen shows the first), so a second one is refused; a double-submitted form gets the same
 * clear CONFLICT instead of a twin lot.
 */
export function createLot(core: KioskCore, actor: AuditActor, input: NewLot): CreatedLot {
  const timeZone = canonicalTimeZone(input.timeZone);
  const currency = checkCurrency(input.currency);
  const name = input.name.trim();
  if (name.length === 0) fail('BAD_REQUEST', 'Give the lot a name.');
  if (!Number.isInteger(input.bookingMinutes) || input.bookingMinutes < 5 || input.bookingMinutes > 1440) {
    fail('BAD_REQUEST', 'A booking lasts 5 to 1440 minutes.');
  }
  if (!Number.isInteger(input.carWashPrice) || input.carWashPrice < 0)
    fail('BAD_REQUEST', 'The car wash price is a whole, non-negative number of minor units.');
  return runInTransaction(core, (tx) => {
    const existing = core.lots.first();
    if (existing) fail('CONFLICT', `This kiosk already has its lot (${existing.name}). Change it under Settings.`, 'LOT_EXISTS');
    const id = core.lots.insert({ name, currency, bookingMinutes: input.bookingMinutes, carWashPrice: input.carWashPrice, timeZone, createdAt: tx.now });
    const lot = { id, name, currency, timeZone, bookingMinutes: input.bookingMinutes, carWashPrice: input.carWashPrice };
    recordAudit(core, tx.now, actor, 'lot.create', { lotId: id, name, currency, timeZone, bookingMinutes: lot.bookingMinutes, carWashPrice: lot.carWashPrice });
    tx.events.push({ kind: 'slots', lotId: id });
    return lot;
  });
}
