import { checkVehicleNumber, compactPlateLength } from '../../shared/plates';
import type { Messages } from '../i18n';

/** The engine's own rule (shared code), its typed problem translated by the catalog. */
export function validatePlate(raw: string, t: Messages): { ok: true; value: string } | { ok: false; message: string; empty: boolean; hopeless: boolean } {
  const result = checkVehicleNumber(raw);
  if (result.ok) return result;
  // Hopeless: no more typing can make it valid (a stray character, or already too long).
  const hopeless = result.problem === 'characters' || compactPlateLength(raw) > 12;
  return { ok: false, message: t.plate[result.problem], empty: result.problem === 'empty', hopeless: result.problem !== 'empty' && hopeless };
}

export const PLATE_MAX_LENGTH = 20;
