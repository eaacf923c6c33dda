import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** Why a backup was taken; each kind keeps its own last N so hourly copies never push out a pre-migration one. */
/** `manual` is an owner's; `staff` a plain staff member's, with its own quota so it never pushes out the owner's. */
export type BackupKind = 'scheduled' | 'manual' | 'staff' | 'pre-migrate' | 'pre-restore';
export const BACKUP_KINDS: readonly BackupKind[] = ['scheduled', 'manual', 'staff', 'pre-migrate', 'pre-restore'];

export interface BackupFile {
  /** File name inside the backup folder; the handle staff and the CLI use to pick one. */
  name: string;
  path: string;
  kind: BackupKind;
  takenAt: number;
  bytes: number;
}

/** Backups live beside the database, in `<stem>-backups/`, so copying the folder copies both. */
export function backupDirFor(dbFile: string): string {
  const stem = basename(dbFile, extname(dbFile)) || 'kiosk';
  return join(dirname(dbFile), `${stem}-backups`);
}

const NAME = /^(.+)-(\d{8}T\d{9}Z)-(\d{4})-(scheduled|manual|staff|pre-migrate|pre-restore)\.db$/;

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:.]/g, '');
const unstamp = (text: string) =>
  Date.parse(
    `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 11)}:${text.slice(11, 13)}:${text.slice(13, 15)}.${text.slice(15, 18)}Z`,
  );

let sequence = 0;

/** A fresh, unused name; the sequence keeps two backups in one millisecond apart. */
export function newBackupPath(dir: string, dbFile: string, kind: BackupKind, at: number): string {
  const stem = basename(dbFile, extname(dbFile)) || 'kiosk';
  for (;;) {
    sequence = (sequence + 1) % 10_000;
    const path = join(dir, `${stem}-${stamp(at)}-${String(sequence).padStart(4, '0')}-${kind}.db`);
    if (!existsSync(path)) return path;
  }
}

/** Every backup in the folder, newest first. Files that do not look like backups are left alone. */
export function listBackupFiles(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const files: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const match = NAME.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    files.push({ name, path, kind: match[4] as BackupKind, takenAt: unstamp(match[2]!), bytes: statSync(path).size });
  }
  return files.sort((a, b) => b.takenAt - a.takenAt || b.name.localeCompare(a.name));
}

/** Keeps the newest `keep` backups of one kind and removes older ones (only our own backup files). */
export function pruneBackups(dir: string, kind: BackupKind, keep: number): string[] {
  const removed: string[] = [];
  for (const old of listBackupFiles(dir)
    .filter((file) => file.kind === kind)
    .slice(Math.max(1, keep))) {
    unlinkSync(old.path);
    removed.push(old.name);
  }
  return removed;
}

/** Resolves a name given by a person to a file inside the folder, refusing paths that climb out. */
export function backupByName(dir: string, name: string): BackupFile | undefined {
  return listBackupFiles(dir).find((file) => file.name === name);
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** fsync a file and its folder, so a rename that follows survives a power cut. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  try {
    fsyncPath(dir);
  } catch {
    // Some filesystems refuse to fsync a directory; the data itself is already synced.
  }
}

/**
 * Moves a database and its -wal/-shm companions aside (never deletes them) and returns the
 * new name of the main file. The WAL must move with it: a stale WAL beside a different
 * database file would be replayed into it.
 */
export function setAside(dbFile: string, label: string, at: number): string {
  const target = `${dbFile}.${label}-${stamp(at)}`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(dbFile + suffix)) renameSync(dbFile + suffix, target + suffix);
  }
  fsyncDir(dirname(dbFile));
  return target;
}

/** Removes a scratch file we made ourselves, with its companions. */
export function removeScratch(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(path + suffix)) unlinkSync(path + suffix);
  }
}

/** Deletes `.partial` backups and restore scratch files left by a crash (never a finished backup). */
export function removeLeftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!/\.db\.partial$|^restore-.*\.scratch$/.test(name)) continue;
    removeScratch(join(dir, name));
    removed.push(name);
  }
  return removed;
}
