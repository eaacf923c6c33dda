import { recordAudit, type AuditActor } from '../audit/service';
import { canonicalTimeZone, checkCurrency } from '../lots/locale-rules';
import type { LotSettingKey } from '../lots/store';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';

export interface LotSettings {
  lotId: number;
  name: string;
  currency: string;
  /** IANA zone: tariff windows, report days and hours are local to it. */
  timeZone: string;
  bookingMinutes: number;
  carWashPrice: number;
  slotHoldMinutes: number;
  /** Minutes after booking in which the driver may correct the plate once (0 = not at all). */
  plateCorrectionMinutes: number;
  /** Minutes a flat-rate stay's slot stays held for its driver after the end (a saved tariff's graceMinutes wins). */
  graceMinutes: number;
}

export interface LotSettingsChanges {
  name?: string;
  currency?: string;
  timeZone?: string;
  bookingMinutes?: number;
  carWashPrice?: number;
  /** 1–10 (the router checks); applies to holds placed from then on. */
  slotHoldMinutes?: number;
  plateCorrectionMinutes?: number;
  /** 0–GRACE_MINUTES_MAX; applies to stays sold from then on (a booking keeps its hold end). */
  graceMinutes?: number;
}

export const PLATE_CORRECTION_MINUTES_MAX = 60;
/** The same bound as a tariff's graceMinutes (tariffs/model.ts). */
export const GRACE_MINUTES_MAX = 120;

/** The settings a lot has, in the order a change is applied and audited. */
const KEYS: readonly LotSettingKey[] = [
  'name',
  'currency',
  'timeZone',
  'bookingMinutes',
  'carWashPrice',
  'slotHoldMinutes',
  'plateCorrectionMinutes',
  'graceMinutes',
];

function settingsOf(core: KioskCore, lotId: number): LotSettings | undefined {
  const lot = core.lots.byId(lotId);
  if (!lot) return undefined;
  const { id, name, currency, timeZone, bookingMinutes, carWashPrice, slotHoldMinutes, plateCorrectionMinutes, graceMinutes } = lot;
  return { lotId: id, name, currency, timeZone, bookingMinutes, carWashPrice, slotHoldMinutes, plateCorrectionMinutes, graceMinutes };
}

/**
 * Renames the lot, moves its clock to another time zone, sets how long a booking lasts and what
 * a car wash costs. Bookings already made keep their end time and price; the new values apply
 * from the next booking on. The currency can change only while no booking exists: stored
 * prices would otherwise silently change meaning.
 */
export function updateLotSettings(core: KioskCore, actor: AuditActor, lotId: number, changes: LotSettingsChanges): LotSettings {
  const wanted: LotSettingsChanges = {
    ...changes,
    name: changes.name?.trim(),
    timeZone: changes.timeZone === undefined ? undefined : canonicalTimeZone(changes.timeZone),
    currency: changes.currency === undefined ? undefined : checkCurrency(changes.currency),
  };
  if (wanted.name === '') fail('BAD_REQUEST', 'Give the lot a name.');
  const hold = wanted.slotHoldMinutes;
  if (hold !== undefined && !(Number.isInteger(hold) && hold >= 1 && hold <= 10)) fail('BAD_REQUEST', 'A slot hold lasts 1 to 10 minutes.');
  const minutes = wanted.plateCorrectionMinutes;
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0 || minutes > PLATE_CORRECTION_MINUTES_MAX)) {
    fail('BAD_REQUEST', `The plate correction window is 0 to ${PLATE_CORRECTION_MINUTES_MAX} whole minutes.`);
  }
  const grace = wanted.graceMinutes;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > GRACE_MINUTES_MAX)) {
    fail('BAD_REQUEST', `The grace period is 0 to ${GRACE_MINUTES_MAX} whole minutes.`);
  }
  return runInTransaction(core, (tx) => {
    const before = settingsOf(core, lotId);
    if (!before) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of KEYS) {
      const to = wanted[key];
      if (to === undefined || to === before[key]) continue;
      if (key === 'currency' && core.bookings.anyInLot(lotId)) {
        fail('PRECONDITION_FAILED', `The lot already has bookings priced in ${before.currency}, so its currency cannot change.`, 'CURRENCY_UNSUPPORTED');
      }
      core.lots.set(lotId, key, to);
      changed[key] = { from: before[key], to };
    }
    if (Object.keys(changed).length > 0) {
      recordAudit(core, tx.now, actor, changed.carWashPrice ? 'price.lot' : 'settings.lot', { lotId, changes: changed });
      tx.events.push({ kind: 'slots', lotId });
    }
    return settingsOf(core, lotId)!;
  });
}
