import { closeSync, openSync, readSync } from 'node:fs';
import { fail } from '../shared/errors';
import type { KioskCore } from '../kiosk-core';
import { backupByName } from './files';
import { checkDatabaseFile, type IntegrityResult } from './integrity';
import { backupConfig, type BackupSummary } from './service';
import { listBackupFiles } from './files';

/**
 * A backup travels to the console in pieces of 1 MiB (base64 in a tRPC query), so the same
 * download works over IPC and HTTP and no single answer holds a whole (possibly large) file.
 * Backup files are written once and renamed into place, so the pieces of one name always fit.
 */
export const CHUNK_BYTES = 1 << 20;

export interface BackupChunk {
  name: string;
  totalBytes: number;
  offset: number;
  /** base64 of the bytes from `offset`, at most CHUNK_BYTES of them. */
  data: string;
  done: boolean;
}

export function readBackupChunk(core: KioskCore, name: string, offset: number): BackupChunk {
  const file = backupByName(backupConfig(core).dir, name) ?? fail('NOT_FOUND', `There is no backup called ${name} (it may have been replaced by a newer one).`);
  if (offset > file.bytes) fail('BAD_REQUEST', `The backup ${name} has only ${file.bytes} bytes.`);
  const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, file.bytes - offset));
  const fd = openSync(file.path, 'r');
  try {
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return { name, totalBytes: file.bytes, offset, data: buffer.subarray(0, read).toString('base64'), done: offset + read >= file.bytes };
  } finally {
    closeSync(fd);
  }
}

export interface AutomaticBackupHealth {
  backup: BackupSummary | null;
  /** SQLite's quick_check on that file; backups never change, so each name is checked once. */
  integrity: IntegrityResult | null;
  /** How often automatic backups run (0 = off). */
  everyMinutes: number | null;
}

/** The newest scheduled backup and whether SQLite finds it sound. */
export function lastAutomaticBackup(core: KioskCore): Omit<AutomaticBackupHealth, 'everyMinutes'> {
  const newest = listBackupFiles(backupConfig(core).dir).find((file) => file.kind === 'scheduled');
  if (!newest) return { backup: null, integrity: null };
  const verdicts = core.backup.verdicts;
  let integrity = verdicts.get(newest.path);
  if (!integrity) {
    integrity = checkDatabaseFile(newest.path, 'quick');
    if (verdicts.size > 100) verdicts.clear();
    verdicts.set(newest.path, integrity);
  }
  return {
    backup: { name: newest.name, kind: newest.kind, takenAt: new Date(newest.takenAt).toISOString(), bytes: newest.bytes },
    integrity,
  };
}
