import { storageFailure } from '../shared/sqlite-errors';
import type { BackupState } from './state';

/**
 * Turns a storage failure from SQLite (disk full, file turned read-only, I/O error, damage)
 * into something a person can act on. Transport-free: the router maps it to
 * SERVICE_UNAVAILABLE; the staff console reads the last one back.
 */
export type StorageFaultKind = 'full' | 'read-only' | 'io-error' | 'damaged' | 'busy';

export interface StorageFault {
  kind: StorageFaultKind;
  /** SQLite's own code, e.g. SQLITE_FULL. */
  sqliteCode: string;
  message: string;
  at: number;
}

const SAFE = 'Bookings already made are safe.';

const MESSAGES: Record<StorageFaultKind, string> = {
  full: `The kiosk's storage is full, so nothing new can be saved right now. ${SAFE} Please ask lot staff for help.`,
  'read-only': `The kiosk cannot write to its storage (it has become read-only), so nothing new can be saved right now. ${SAFE} Please ask lot staff for help.`,
  'io-error': `The kiosk could not write to its storage, so nothing new was saved. ${SAFE} Please try again or ask lot staff for help.`,
  damaged: 'The kiosk found damage in its database and stopped writing to it. Please ask lot staff: it can be restored from a backup.',
  busy: 'The kiosk is busy right now. Please try again in a moment.',
};

/** The storage failure inside `error` (see shared/sqlite-errors.ts), with SQLite's code. */
export function classifyStorageError(error: unknown): { kind: StorageFaultKind; sqliteCode: string } | null {
  const failure = storageFailure(error);
  return failure ? { kind: failure.kind, sqliteCode: failure.code } : null;
}

const LOG_EVERY_MS = 60_000;

/**
 * Classifies `error`; when it is a storage fault, remembers it in the kiosk core,
 * logs it (at most once a minute per kind, so a full disk does not also fill the log) and
 * returns the message to show.
 */
export function noteStorageFault(core: { readonly backup: BackupState }, error: unknown, now = Date.now()): StorageFault | null {
  const classified = classifyStorageError(error);
  if (!classified) return null;
  const fault: StorageFault = { ...classified, message: MESSAGES[classified.kind], at: now };
  core.backup.lastFault = fault;
  const key = classified.sqliteCode;
  const lastLogged = core.backup.faultLoggedAt;
  if ((lastLogged.get(key) ?? -Infinity) + LOG_EVERY_MS <= now) {
    lastLogged.set(key, now);
    console.error(`[storage] ${classified.sqliteCode}: ${error instanceof Error ? error.message : String(error)} — refusing writes until it clears.`);
  }
  return fault;
}

export function lastStorageFault(core: { readonly backup: BackupState }): StorageFault | undefined {
  return core.backup.lastFault;
}
