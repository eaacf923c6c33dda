import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { isDamage } from '../shared/sqlite-errors';
import { openRaw } from './sqlite-driver';

/**
 * `damaged` is true only on positive evidence that the file itself is bad (the check found
 * problems, or SQLite says it is corrupt or not a database). A file we merely could not open
 * (permissions, a lock, a missing driver) is not damaged, and start-up never moves it aside.
 */
export type IntegrityResult = { ok: true } | { ok: false; problem: string; damaged: boolean };

/**
 * Runs SQLite's own consistency check on a file. `quick` (PRAGMA quick_check) is what start-up
 * uses: it reads every page but skips the index-versus-table cross-check, so it stays fast on a
 * kiosk's small file. `full` (PRAGMA integrity_check) vets a backup before we trust it.
 */
export function checkDatabaseFile(file: string, depth: 'quick' | 'full' = 'quick'): IntegrityResult {
  if (!existsSync(file)) return { ok: false, problem: 'the file does not exist', damaged: false };
  let sqlite: Database.Database | undefined;
  try {
    sqlite = openRaw(file, { fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    return checkConnection(sqlite, depth);
  } catch (error) {
    return { ok: false, problem: describe(error), damaged: isDamage(error) };
  } finally {
    try {
      sqlite?.close();
    } catch {
      // Closing a damaged file can fail too; the verdict above stands.
    }
  }
}

export function checkConnection(sqlite: Database.Database, depth: 'quick' | 'full' = 'full'): IntegrityResult {
  try {
    const rows = sqlite.pragma(depth === 'quick' ? 'quick_check' : 'integrity_check') as Record<string, string>[];
    const messages = rows.map((row) => Object.values(row)[0]);
    if (messages.length === 1 && messages[0] === 'ok') return { ok: true };
    return { ok: false, problem: messages.slice(0, 5).join('; ') || 'no answer from the check', damaged: true };
  } catch (error) {
    return { ok: false, problem: describe(error), damaged: isDamage(error) };
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error));
