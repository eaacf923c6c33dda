import { DomainError } from './errors';

const SEPARATORS = /[\s\-._/]+/g;
const ALLOWED = /^[A-Z0-9\s\-._/]+$/;

/**
 * One spelling per vehicle: `kl 08 az 1234`, `KL-08-AZ-1234` and `KL08AZ1234` all become
 * `KL-08-AZ-1234` (upper case, separators dropped, one hyphen between letter and digit runs),
 * so booking, find and search agree on who is who.
 */
export function normalizeVehicleNumber(raw: string): string {
  const trimmed = raw.trim().toUpperCase();
  if (trimmed.length === 0) throw new DomainError('BAD_REQUEST', 'Enter the vehicle number.');
  if (trimmed.length > 20 || !ALLOWED.test(trimmed)) {
    throw new DomainError('BAD_REQUEST', 'A vehicle number has only letters, digits, spaces and hyphens.');
  }
  const compact = trimmed.replace(SEPARATORS, '');
  if (compact.length < 3 || compact.length > 12) {
    throw new DomainError('BAD_REQUEST', 'A vehicle number has 3 to 12 letters and digits.');
  }
  if (!/[0-9]/.test(compact)) {
    throw new DomainError('BAD_REQUEST', 'A vehicle number has at least one digit.');
  }
  return compact.match(/[A-Z]+|[0-9]+/g)!.join('-');
}

/** The same rule without throwing, for live validation on the kiosk keyboard. */
export function checkVehicleNumber(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  try {
    return { ok: true, value: normalizeVehicleNumber(raw) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
