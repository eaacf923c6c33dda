import { recordAudit, type AuditActor } from '../audit/service';
import { iso } from '../bookings/mapping';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction, runRead } from '../shared/unit-of-work';
import { DomainError } from '../shared/errors';
import { MINUTE_MS } from '../../../shared/local-time';
import { lotTariffFromSlotPrices, type TariffDocument, type TariffVehicleType } from '../tariffs/model';
import { priceStay } from '../tariffs/price';
import { toBreakdown, type BreakdownItem } from './stay';
import { newestVersion } from './versions';

export interface CurrentTariffView {
  version: number | null;
  document: TariffDocument;
  savedAt: string | null;
  savedBy: string | null;
  /** For a lot with no saved tariff: whether the prefill keeps every slot's price (lotTariffFromSlotPrices). */
  prefill: { uniform: boolean } | null;
}

function mustFindLot(core: KioskCore, lotId: number) {
  const lot = core.lots.byId(lotId);
  if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
  return lot;
}

/** The lot's tariff as the console edits it: the newest version, else a prefill from today's slot prices. */
export function currentLotTariff(core: KioskCore, lotId: number): CurrentTariffView {
  return runRead(core, () => {
    const lot = mustFindLot(core, lotId);
    const row = newestVersion(core, lotId);
    if (row) return { version: row.version, document: core.tariffs.documentOf(row), savedAt: iso(row.createdAt), savedBy: row.createdBy, prefill: null };
    const slots = core.slots.ratesOfLot(lotId);
    const { tariff, uniform } = lotTariffFromSlotPrices(slots, lot.bookingMinutes, lot.currency);
    return { version: null, document: tariff, savedAt: null, savedBy: null, prefill: { uniform } };
  });
}

export function tariffHistory(core: KioskCore, lotId: number): { version: number; savedAt: string; savedBy: string }[] {
  return runRead(core, () => {
    mustFindLot(core, lotId);
    const rows = core.tariffs.history(lotId);
    return rows.map((row) => ({ version: row.version, savedAt: iso(row.createdAt), savedBy: row.createdBy }));
  });
}

/**
 * Saves a new version (documents are validated by the tariffDocument schema at the router).
 * Bookings already made keep their own version and price; new stays use this one. Audited in
 * the same transaction, with the old and new version numbers.
 */
export function saveLotTariff(core: KioskCore, actor: AuditActor, lotId: number, document: TariffDocument): { version: number } {
  return runInTransaction(core, (tx) => {
    mustFindLot(core, lotId);
    const previous = newestVersion(core, lotId)?.version ?? null;
    const version = (previous ?? 0) + 1;
    core.tariffs.insert({ lotId, version, document, createdAt: tx.now, createdBy: actor.name });
    recordAudit(core, tx.now, actor, 'tariff.save', { lotId, fromVersion: previous, toVersion: version });
    tx.events.push({ kind: 'slots', lotId });
    return { version };
  });
}

/** A price for a sample stay under an unsaved document, in the lot's zone. */
export function previewTariff(
  core: KioskCore,
  lotId: number,
  input: { document: TariffDocument; vehicleType: TariffVehicleType; startMs: number; durationMinutes: number },
): { price: number; breakdown: BreakdownItem[] } {
  const lot = runRead(core, () => mustFindLot(core, lotId));
  const stay = priceStay(input.document, {
    vehicleType: input.vehicleType,
    startMs: input.startMs,
    endMs: input.startMs + input.durationMinutes * MINUTE_MS,
    timeZone: lot.timeZone,
  });
  return { price: stay.amount, breakdown: toBreakdown(stay.breakdown) };
}
