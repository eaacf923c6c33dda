import { existsSync } from 'node:fs';
import { newestGoodBackup, restoreIntoFile } from './backups';
import { setAside } from './files';
import { checkDatabaseFile } from './integrity';

export type RecoveryReport =
  | { action: 'none' }
  | {
      action: 'restored';
      problem: string;
      /** Where the damaged file (and its -wal/-shm) now lies, untouched. */
      setAsidePath: string;
      backupName: string;
      backupTakenAt: string;
      skippedBackups: { name: string; problem: string }[];
      at: string;
    }
  | { action: 'started-empty'; problem: string; setAsidePath: string; skippedBackups: { name: string; problem: string }[]; at: string };

/**
 * Start-up check, before the database is opened for use. Rule: a file that fails
 * `PRAGMA quick_check` (or cannot be opened as a database) is renamed aside, never deleted,
 * and the newest backup that passes a full integrity_check is put in its place automatically,
 * so an unattended kiosk comes back on its own. With no good backup the kiosk starts on an
 * empty database. Either way the report is logged, stored for the staff console and returned.
 */
export function recoverAtBoot(dbFile: string, backupDir: string, now: number): RecoveryReport {
  if (!existsSync(dbFile)) return { action: 'none' };
  const verdict = checkDatabaseFile(dbFile, 'quick');
  // Only a file shown to be damaged is moved; any other failure to open it is left for
  // openDatabase to report as it is.
  if (verdict.ok || !verdict.damaged) return { action: 'none' };
  const at = new Date(now).toISOString();
  const good = newestGoodBackup(backupDir);
  if (!good) {
    const setAsidePath = setAside(dbFile, 'damaged', now);
    return { action: 'started-empty', problem: verdict.problem, setAsidePath, skippedBackups: [], at };
  }
  const { setAsidePath } = restoreIntoFile(good.file.path, dbFile, now, 'damaged');
  return {
    action: 'restored',
    problem: verdict.problem,
    setAsidePath: setAsidePath!,
    backupName: good.file.name,
    backupTakenAt: new Date(good.file.takenAt).toISOString(),
    skippedBackups: good.rejected,
    at,
  };
}

export function describeRecovery(report: RecoveryReport): string {
  switch (report.action) {
    case 'none':
      return 'Database passed its start-up check.';
    case 'restored':
      return `Database failed its start-up check (${report.problem}). It was moved to ${report.setAsidePath} and the newest good backup, ${report.backupName} (taken ${report.backupTakenAt}), was restored. Bookings made after that backup are in the moved file.`;
    case 'started-empty':
      return `Database failed its start-up check (${report.problem}) and no good backup exists. It was moved to ${report.setAsidePath}; the kiosk started on an empty database.`;
  }
}
