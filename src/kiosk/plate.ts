import { checkVehicleNumber } from '../../electron/core/shared/plates';
import type { Messages } from '../i18n';

/** The engine's own rule (shared code), with its English sentences mapped to the catalog. */
export function validatePlate(
  raw: string,
  t: Messages,
): { ok: true; value: string } | { ok: false; message: string; empty: boolean; hopeless: boolean } {
  if (raw.trim() === '') return { ok: false, message: t.plate.empty, empty: true, hopeless: false };
  const result = checkVehicleNumber(raw);
  if (result.ok) return result;
  // Hopeless: no more typing can make it valid (a stray character, or already too long).
  const compact = raw.trim().toUpperCase().replace(/[\s\-._/]+/g, '');
  const hopeless = result.message === 'A vehicle number has only letters, digits, spaces and hyphens.' || compact.length > 12;
  const byEnglish: Record<string, string> = {
    'A vehicle number has only letters, digits, spaces and hyphens.': t.plate.characters,
    'A vehicle number has 3 to 12 letters and digits.': t.plate.length,
    'A vehicle number has at least one digit.': t.plate.digit,
  };
  return { ok: false, message: byEnglish[result.message] ?? result.message, empty: false, hopeless };
}

export const PLATE_MAX_LENGTH = 20;
