import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
import { groupedPlate, oneSwapLookAlikes, patternSuggestion } from '../../../shared/plate-lookalikes';
import { normalizeVehicleNumber } from '../../../shared/plates';

/** How far back "a plate this kiosk has seen recently" looks. */
export const RECENT_PLATE_DAYS = 30;

export interface PlateCheck {
  normalized: string;
  /** The plate the way it is written (`KL 08 AZ 1234`), for reading it back large. */
  grouped: string;
  /** The common-pattern reading when the plate differs from it only by look-alike characters. */
  patternSuggestion: string | null;
  /** A plate booked here recently that differs by one look-alike character (only for the kiosk's screen and staff). */
  seenLookAlike: string | null;
  /** Whether recent plates were consulted at all (false for callers from the network). */
  seenChecked: boolean;
}

/**
 * Reads a typed plate back and warns about look-alikes. `seen` is decided by the router: only
 * the kiosk's own screen and staff may learn that a near plate was booked here, and even they
 * only ever hear about the few plates one look-alike character away from what they typed (the
 * candidates are computed here, never taken from the caller), so it cannot be used to list plates.
 */
/** What a plate check says without the lot's history (a satellite off line answers with this). */
export function plateReading(raw: string): PlateCheck {
  const normalized = normalizeVehicleNumber(raw);
  return { normalized, grouped: groupedPlate(normalized), patternSuggestion: patternSuggestion(normalized), seenLookAlike: null, seenChecked: false };
}

export function checkPlate(core: KioskCore, raw: string, options: { seen: boolean; lotId?: number }): PlateCheck {
  const answer: PlateCheck = { ...plateReading(raw), seenChecked: options.seen };
  const normalized = answer.normalized;
  if (!options.seen) return answer;
  const candidates = oneSwapLookAlikes(normalized);
  if (candidates.length === 0) return answer;
  answer.seenLookAlike = runRead(core, (tx) => {
    const plates = [normalized, ...candidates];
    const rows = core.bookings.platesBookedSince(plates, tx.now - RECENT_PLATE_DAYS * 24 * 3600_000, options.lotId);
    // A plate that was itself booked here recently is a returning driver, not a slip.
    if (rows.some((row) => row.plate === normalized)) return null;
    return rows[0]?.plate ?? null;
  });
  return answer;
}
