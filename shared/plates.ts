import { DomainError } from './errors';

const SEPARATORS = /[\s\-._/]+/g;
const ALLOWED = /^[A-Z0-9\s\-._/]+$/;

/**
 * Why a typed vehicle number is not one. The names are the renderer's catalog keys
 * (`t.plate[problem]`), so screens translate the problem, never the English sentence.
 */
export type PlateProblem = 'empty' | 'characters' | 'length' | 'digit';

/** The server's sentence for each problem (the English of BAD_REQUEST messages, as before). */
export const PLATE_PROBLEM_MESSAGES: Readonly<Record<PlateProblem, string>> = {
  empty: 'Enter the vehicle number.',
  characters: 'A vehicle number has only letters, digits, spaces and hyphens.',
  length: 'A vehicle number has 3 to 12 letters and digits.',
  digit: 'A vehicle number has at least one digit.',
};

export type PlateCheck = { ok: true; value: string } | { ok: false; problem: PlateProblem; message: string };

const problem = (name: PlateProblem): PlateCheck => ({ ok: false, problem: name, message: PLATE_PROBLEM_MESSAGES[name] });

/**
 * One spelling per vehicle: `kl 08 az 1234`, `KL-08-AZ-1234` and `KL08AZ1234` all become
 * `KL-08-AZ-1234` (upper case, separators dropped, one hyphen between letter and digit runs),
 * so booking, find and search agree on who is who. Never throws: for live validation on the
 * kiosk keyboard and for normalizeVehicleNumber below.
 */
export function checkVehicleNumber(raw: string): PlateCheck {
  const trimmed = raw.trim().toUpperCase();
  if (trimmed.length === 0) return problem('empty');
  if (trimmed.length > 20 || !ALLOWED.test(trimmed)) return problem('characters');
  const compact = trimmed.replace(SEPARATORS, '');
  if (compact.length < 3 || compact.length > 12) return problem('length');
  if (!/[0-9]/.test(compact)) return problem('digit');
  return { ok: true, value: compact.match(/[A-Z]+|[0-9]+/g)!.join('-') };
}

/** The same rule for the core: the normalised plate, or a BAD_REQUEST DomainError saying why not. */
export function normalizeVehicleNumber(raw: string): string {
  const result = checkVehicleNumber(raw);
  if (!result.ok) throw new DomainError('BAD_REQUEST', result.message);
  return result.value;
}

/** Letters and digits of a typed plate, separators dropped (how long it really is). */
export const compactPlateLength = (raw: string): number => raw.trim().toUpperCase().replace(SEPARATORS, '').length;
