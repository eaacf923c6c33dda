import type Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase } from '../../../db/client';
import {
  backupDirFor,
  ensureDir,
  fsyncDir,
  fsyncPath,
  listBackupFiles,
  newBackupPath,
  pruneBackups,
  removeScratch,
  setAside,
  type BackupFile,
  type BackupKind,
} from './files';
import { checkConnection, checkDatabaseFile } from './integrity';
import { driverOptions, openRaw } from './sqlite-driver';

// Hand-written SQL on purpose (issue 11): backups and restores work on whole files and on every
// table generically (VACUUM INTO, ATTACH, copying each table the schema has, sqlite_sequence),
// not on one domain's rows, so no domain store owns these statements.

export const DEFAULT_KEEP = 24;

export interface BackupTarget {
  /** The live database file (names the backup folder and the backup files). */
  dbFile: string;
  /** Defaults to `<stem>-backups/` beside the database. */
  dir?: string;
  /** How many of each kind to keep. */
  keep?: number;
}

/**
 * Online backup through SQLite's backup API (better-sqlite3 `db.backup`): pages are copied in
 * small steps between requests, so the kiosk keeps serving while it runs. The copy is then
 * made self-contained (rollback journal instead of WAL), checked with integrity_check,
 * fsynced and only then given its final name, so a half-written backup is never listed.
 */
export async function takeBackup(sqlite: Database.Database, target: BackupTarget, kind: BackupKind, now: number): Promise<BackupFile> {
  const dir = target.dir ?? backupDirFor(target.dbFile);
  ensureDir(dir);
  const finalPath = newBackupPath(dir, target.dbFile, kind, now);
  const partial = `${finalPath}.partial`;
  try {
    await sqlite.backup(partial);
    return finish(partial, finalPath, dir, kind, target.keep ?? DEFAULT_KEEP);
  } catch (error) {
    removeScratch(partial);
    throw error;
  }
}

/**
 * The same, synchronously, for the one place that cannot wait: just before migrations run at
 * start-up (openDatabase's beforeMigrate hook). `VACUUM INTO` writes a consistent snapshot.
 */
export function takeBackupSync(sqlite: Database.Database, target: BackupTarget, kind: BackupKind, now: number): BackupFile {
  const dir = target.dir ?? backupDirFor(target.dbFile);
  ensureDir(dir);
  const finalPath = newBackupPath(dir, target.dbFile, kind, now);
  const partial = `${finalPath}.partial`;
  try {
    sqlite.prepare('VACUUM INTO ?').run(partial);
    return finish(partial, finalPath, dir, kind, target.keep ?? DEFAULT_KEEP);
  } catch (error) {
    removeScratch(partial);
    throw error;
  }
}

function finish(partial: string, finalPath: string, dir: string, kind: BackupKind, keep: number): BackupFile {
  const copy = openRaw(partial);
  try {
    copy.pragma('journal_mode = DELETE');
    const verdict = checkConnection(copy, 'full');
    if (!verdict.ok) throw new Error(`The new backup failed its integrity check: ${verdict.problem}`);
  } finally {
    copy.close();
  }
  fsyncPath(partial);
  renameSync(partial, finalPath);
  fsyncDir(dir);
  pruneBackups(dir, kind, keep);
  const file = listBackupFiles(dir).find((candidate) => candidate.path === finalPath);
  if (!file) throw new Error(`The backup ${finalPath} vanished right after it was written.`);
  return file;
}

/** The newest backup that passes a full integrity check, or undefined. */
export function newestGoodBackup(dir: string): { file: BackupFile; rejected: { name: string; problem: string }[] } | undefined {
  const rejected: { name: string; problem: string }[] = [];
  for (const file of listBackupFiles(dir)) {
    const verdict = checkDatabaseFile(file.path, 'full');
    if (verdict.ok) return { file, rejected };
    rejected.push({ name: file.name, problem: verdict.problem });
  }
  return undefined;
}

/**
 * Tables about who may do what right now rather than the lot's history stay as they are live:
 * a restore neither lifts a PIN lock-out nor logs out the staff member doing it.
 */
const KEEP_LIVE = new Set(['throttles', 'staff_sessions', '__drizzle_migrations']);

/**
 * Restores a backup into the open, live database in one transaction: the backup is copied to
 * a scratch file, migrated to the current schema, checked, attached, and every table's rows
 * are replaced by its rows. Readers never see a half-restored lot; if anything fails the
 * transaction rolls back and the live data stays as it was.
 */
export function restoreIntoLive(
  sqlite: Database.Database,
  backupPath: string,
  scratchDir: string,
  keepSession?: { staffId: number; name: string },
): { tables: number; rows: number } {
  const verdict = checkDatabaseFile(backupPath, 'full');
  if (!verdict.ok) throw new Error(`That backup is damaged (${verdict.problem}); choose another.`);
  ensureDir(scratchDir);
  const scratch = join(scratchDir, `restore-${process.pid}-${Date.now()}.scratch`);
  copyFileSync(backupPath, scratch);
  try {
    openDatabase({ ...driverOptions(), file: scratch }).close();
    sqlite.prepare('ATTACH DATABASE ? AS restore_src').run(scratch);
    try {
      return sqlite
        .transaction(() => {
          sqlite.pragma('defer_foreign_keys = ON');
          const tables = (sqlite.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
            .map((row) => row.name)
            .filter((name) => !KEEP_LIVE.has(name));
          let rows = 0;
          for (const table of tables) {
            const quoted = `"${table.replaceAll('"', '""')}"`;
            const hasSource = sqlite.prepare("SELECT 1 FROM restore_src.sqlite_master WHERE type = 'table' AND name = ?").get(table);
            sqlite.prepare(`DELETE FROM main.${quoted}`).run();
            if (!hasSource) continue;
            const columns = (sqlite.pragma(`main.table_info(${quoted})`) as { name: string }[])
              .map((column) => `"${column.name.replaceAll('"', '""')}"`)
              .join(', ');
            rows += sqlite.prepare(`INSERT INTO main.${quoted} (${columns}) SELECT ${columns} FROM restore_src.${quoted}`).run().changes;
          }
          // Ids never go back: every counter ends at the higher of the live and the restored one.
          const hasSequence = sqlite.prepare("SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'").get();
          const srcSequence = sqlite.prepare("SELECT 1 FROM restore_src.sqlite_master WHERE name = 'sqlite_sequence'").get();
          if (hasSequence) {
            const live = sqlite.prepare('SELECT name, seq FROM main.sqlite_sequence').all() as { name: string; seq: number }[];
            sqlite.prepare('DELETE FROM main.sqlite_sequence').run();
            if (srcSequence) sqlite.prepare('INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM restore_src.sqlite_sequence').run();
            const update = sqlite.prepare('UPDATE main.sqlite_sequence SET seq = max(seq, ?) WHERE name = ?');
            const insert = sqlite.prepare('INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)');
            for (const { name, seq } of live) if (update.run(seq, name).changes === 0) insert.run(name, seq);
          }
          // Sessions do not survive a restore, except the restorer's own when the restored file
          // knows the same person (same id and name); staff ids in it may mean other people.
          if (tables.includes('staff')) {
            if (keepSession) {
              sqlite
                .prepare(
                  `DELETE FROM main.staff_sessions WHERE NOT (staff_id = ? AND EXISTS (SELECT 1 FROM main.staff WHERE id = ? AND name = ? AND active = 1))`,
                )
                .run(keepSession.staffId, keepSession.staffId, keepSession.name);
            } else {
              sqlite.prepare('DELETE FROM main.staff_sessions').run();
            }
          }
          return { tables: tables.length, rows };
        })
        .immediate();
    } finally {
      sqlite.prepare('DETACH DATABASE restore_src').run();
    }
  } finally {
    removeScratch(scratch);
  }
}

/**
 * Puts a backup in place of a database file that is closed (start-up recovery, or the CLI
 * with the server stopped). Whatever was there is set aside under a new name, never deleted.
 */
export function restoreIntoFile(backupPath: string, dbFile: string, now: number, label = 'replaced'): { setAsidePath: string | null } {
  const verdict = checkDatabaseFile(backupPath, 'full');
  if (!verdict.ok) throw new Error(`That backup is damaged (${verdict.problem}); choose another.`);
  const incoming = `${dbFile}.restoring`;
  removeScratch(incoming);
  copyFileSync(backupPath, incoming);
  endSessionsIn(incoming);
  fsyncPath(incoming);
  const setAsidePath = existsSync(dbFile) ? setAside(dbFile, label, now) : null;
  renameSync(incoming, dbFile);
  fsyncDir(dirname(dbFile));
  return { setAsidePath };
}

/**
 * openDatabase's `beforeMigrate` hook: a synchronous snapshot before any schema change, so a
 * migration that goes wrong can be undone. A brand-new, empty file has nothing to keep.
 */
export function preMigrationBackup(target: BackupTarget): (sqlite: Database.Database, pending: number) => void {
  return (sqlite) => {
    const hasTables = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1").get();
    if (!hasTables) return;
    const file = takeBackupSync(sqlite, target, 'pre-migrate', Date.now());
    console.log(`[backup] saved ${file.name} before migrating the database.`);
  };
}

/** A file put back in place carries the sessions of its day: none of them may log anyone in. */
function endSessionsIn(file: string): void {
  const copy = openRaw(file);
  try {
    if (copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'staff_sessions'").get()) {
      copy.prepare('DELETE FROM staff_sessions').run();
    }
  } finally {
    copy.close();
  }
}
