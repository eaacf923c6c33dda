import type { BackupConfig } from './service';
import type { IntegrityResult } from './integrity';
import type { StorageFault } from './storage-faults';

/**
 * What the backup domain remembers while the kiosk runs, held by the KioskCore (never in
 * module globals), so two cores in one process (tests, the bench) never see each other's.
 */
export interface BackupState {
  config?: BackupConfig;
  /** A restore is running. */
  restoring: boolean;
  lastError?: { at: string; message: string };
  lastFault?: StorageFault;
  /** When each storage fault code was last logged (at most once a minute each). */
  readonly faultLoggedAt: Map<string, number>;
  /** quick_check verdicts of backup files by path: backups never change, so each is checked once. */
  readonly verdicts: Map<string, IntegrityResult>;
}

export const createBackupState = (): BackupState => ({
  restoring: false,
  faultLoggedAt: new Map(),
  verdicts: new Map(),
});
