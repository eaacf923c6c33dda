import { statement, type KioskCore } from '../shared/core';
import { defaultTariffFromFlatRate, type TariffDocument } from '../tariffs/model';

/** The tariff a stay is priced under, and where it came from. */
export interface TariffInForce {
  tariff: TariffDocument;
  /** tariff_versions.id; null: the slot's flat rate (the lot has no saved tariff). */
  versionId: number | null;
  /** The version number; null with versionId. */
  version: number | null;
}

export interface TariffVersionRow {
  id: number;
  version: number;
  document: string;
  createdAt: number;
  createdBy: string;
}

/** What the flat tariff needs of a slot and its lot. */
export interface FlatRateSource {
  lotId: number;
  hourlyPrice: number;
  bookingMinutes: number;
  currency: string;
}

// Versions are append-only, so a parsed document can be kept for as long as the connection.
const parsed = new WeakMap<object, Map<number, TariffDocument>>();
const flat = new Map<string, TariffDocument>();

function documentOf(core: KioskCore, row: { id: number; document: string }): TariffDocument {
  let cache = parsed.get(core.db.sqlite);
  if (!cache) parsed.set(core.db.sqlite, (cache = new Map()));
  let doc = cache.get(row.id);
  // Validated by the tariffDocument schema when saved (tariff.save); the row cannot change since.
  if (!doc) cache.set(row.id, (doc = JSON.parse(row.document) as TariffDocument));
  return doc;
}

/** Today's rule for a slot (defaultTariffFromFlatRate), built once per price, length and currency. */
export function flatTariff(source: FlatRateSource): TariffDocument {
  const key = `${source.hourlyPrice}:${source.bookingMinutes}:${source.currency}`;
  let doc = flat.get(key);
  if (!doc) {
    if (flat.size > 1000) flat.clear();
    flat.set(key, (doc = defaultTariffFromFlatRate(source.hourlyPrice, source.bookingMinutes, source.currency)));
  }
  return doc;
}

export function newestVersion(core: KioskCore, lotId: number): TariffVersionRow | undefined {
  return statement(
    core,
    `SELECT id, version, document, created_at AS createdAt, created_by AS createdBy
       FROM tariff_versions WHERE lot_id = ? ORDER BY version DESC LIMIT 1`,
  ).get(lotId) as TariffVersionRow | undefined;
}

/** The lot's newest saved tariff, else the slot's flat rate: what a new stay is sold under. */
export function currentTariff(core: KioskCore, slot: FlatRateSource): TariffInForce {
  const row = newestVersion(core, slot.lotId);
  if (!row) return { tariff: flatTariff(slot), versionId: null, version: null };
  return { tariff: documentOf(core, row), versionId: row.id, version: row.version };
}

/** The tariff a booking was sold under: its own version, or the slot's flat rate for versionless ones. */
export function bookingTariff(core: KioskCore, versionId: number | null, slot: FlatRateSource): TariffInForce {
  if (versionId === null) return { tariff: flatTariff(slot), versionId: null, version: null };
  const row = statement(core, 'SELECT id, version, document FROM tariff_versions WHERE id = ?').get(versionId) as TariffVersionRow;
  return { tariff: documentOf(core, row), versionId: row.id, version: row.version };
}
