import { DomainError } from '../../../electron/core/shared/errors';
import { tariffDocument, type TariffDocument } from '../../../electron/core/tariffs/model';

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** A plain tariff (₹60.00 an hour, 15-minute steps, nothing else) with the given changes, validated. */
export function tariff(changes: Partial<TariffDocument> = {}): TariffDocument {
  return tariffDocument.parse({
    schemaVersion: 1,
    currency: 'INR',
    stepMinutes: 15,
    minimumCharge: 0,
    dailyCap: null,
    maxStayMinutes: null,
    durations: { minMinutes: 15, maxMinutes: 1440, stepMinutes: 15 },
    graceMinutes: 10,
    rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] }],
    ...changes,
  });
}

/** UTC instant from a UTC wall time: utc('2026-01-05T10:00') or utc('2026-01-05T10:07:30'). */
export const utc = (wall: string) => Date.parse(wall.length === 16 ? `${wall}:00Z` : `${wall}Z`);

/** The error a call throws (fails the test if it does not throw). */
export function thrown(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to throw a DomainError');
}
