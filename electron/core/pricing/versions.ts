import type { KioskCore } from '../kiosk-core';
import { defaultTariffFromFlatRate, type TariffDocument } from '../tariffs/model';

/** The tariff a stay is priced under, and where it came from. */
export interface TariffInForce {
  tariff: TariffDocument;
  /** tariff_versions.id; null: the slot's flat rate (the lot has no saved tariff). */
  versionId: number | null;
  /** The version number; null with versionId. */
  version: number | null;
}

export type { TariffVersionRow } from './store';

/** What the flat tariff needs of a slot and its lot. */
export interface FlatRateSource {
  lotId: number;
  hourlyPrice: number;
  bookingMinutes: number;
  currency: string;
  /** The lot's grace setting (lots.grace_minutes). */
  graceMinutes: number;
}

const flat = new Map<string, TariffDocument>();

/** Today's rule for a slot (defaultTariffFromFlatRate), built once per price, length, currency and grace. */
export function flatTariff(source: FlatRateSource): TariffDocument {
  const key = `${source.hourlyPrice}:${source.bookingMinutes}:${source.currency}:${source.graceMinutes}`;
  let doc = flat.get(key);
  if (!doc) {
    if (flat.size > 1000) flat.clear();
    flat.set(key, (doc = defaultTariffFromFlatRate(source.hourlyPrice, source.bookingMinutes, source.currency, source.graceMinutes)));
  }
  return doc;
}

export const newestVersion = (core: KioskCore, lotId: number) => core.tariffs.newest(lotId);

/** The lot's newest saved tariff, else the slot's flat rate: what a new stay is sold under. */
export function currentTariff(core: KioskCore, slot: FlatRateSource): TariffInForce {
  const row = newestVersion(core, slot.lotId);
  if (!row) return { tariff: flatTariff(slot), versionId: null, version: null };
  return { tariff: core.tariffs.documentOf(row), versionId: row.id, version: row.version };
}

/** The tariff a booking was sold under: its own version, or the slot's flat rate for versionless ones. */
export function bookingTariff(core: KioskCore, versionId: number | null, slot: FlatRateSource): TariffInForce {
  if (versionId === null) return { tariff: flatTariff(slot), versionId: null, version: null };
  const row = core.tariffs.byId(versionId)!;
  return { tariff: core.tariffs.documentOf(row), versionId: row.id, version: row.version };
}
