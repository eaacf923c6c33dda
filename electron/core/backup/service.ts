import { auditNow, recordAudit, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import type { SettingKey } from '../settings/store';
import { runInTransaction } from '../shared/unit-of-work';
import { DomainError, fail } from '../shared/errors';
import type { ChangeEvent } from '../shared/events';
import { DEFAULT_KEEP, restoreIntoLive, takeBackup } from './backups';
import { backupByName, backupDirFor, listBackupFiles, removeLeftovers, type BackupFile, type BackupKind } from './files';
import type { RecoveryReport } from './recovery';
import { classifyStorageError, lastStorageFault, type StorageFault } from './storage-faults';

export interface BackupConfig {
  dir: string;
  keep: number;
}

export interface BackupSummary {
  name: string;
  kind: BackupKind;
  takenAt: string;
  bytes: number;
}

const RECOVERY_KEY = 'last_recovery' satisfies SettingKey;
/** Lets start-up (migrations, the first screens) finish before the first catch-up backup. */
const FIRST_BACKUP_DELAY_MS = 10_000;

export function configureBackups(core: KioskCore, config: Partial<BackupConfig>): BackupConfig {
  const full = { dir: config.dir ?? backupDirFor(core.db.file), keep: config.keep ?? DEFAULT_KEEP };
  core.backup.config = full;
  return full;
}

export const backupConfig = (core: KioskCore): BackupConfig => core.backup.config ?? configureBackups(core, {});

const summary = (file: BackupFile): BackupSummary => ({
  name: file.name,
  kind: file.kind,
  takenAt: new Date(file.takenAt).toISOString(),
  bytes: file.bytes,
});

export function listBackups(core: KioskCore): BackupSummary[] {
  return listBackupFiles(backupConfig(core).dir).map(summary);
}

/** Takes an online backup now. Failures (e.g. a full disk) are remembered for the status view and rethrown. */
export async function backupNow(core: KioskCore, kind: BackupKind = 'manual'): Promise<BackupSummary> {
  const config = backupConfig(core);
  try {
    return summary(await takeBackup(core.db.sqlite, { dbFile: core.db.file, dir: config.dir, keep: config.keep }, kind, core.clock.now()));
  } catch (error) {
    core.backup.lastError = { at: new Date(core.clock.now()).toISOString(), message: error instanceof Error ? error.message : String(error) };
    if (classifyStorageError(error)) throw error;
    throw new DomainError('SERVICE_UNAVAILABLE', `The backup could not be written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A backup staff asked for, and its `backup.create` entry (recorded once the file is written). */
export async function createBackup(core: KioskCore, actor: AuditActor, kind: 'manual' | 'staff'): Promise<BackupSummary> {
  const backup = await backupNow(core, kind);
  auditNow(core, actor, 'backup.create', { backup: backup.name });
  return backup;
}

/**
 * Replaces the live data with a backup, after first backing up the current state
 * (kind `pre-restore`), so a restore can itself be undone. Every screen hears a change.
 */
export async function restoreBackup(
  core: KioskCore,
  name: string,
  actor: AuditActor,
): Promise<{ restored: BackupSummary; safetyBackup: BackupSummary; rows: number }> {
  const config = backupConfig(core);
  const file = backupByName(config.dir, name) ?? fail('NOT_FOUND', `There is no backup called ${name}.`);
  if (core.backup.restoring) fail('CONFLICT', 'A restore is already running. Please wait for it to finish.');
  core.backup.restoring = true;
  try {
    const safetyBackup = await backupNow(core, 'pre-restore');
    let rows: number;
    try {
      rows = restoreIntoLive(core.db.sqlite, file.path, config.dir, actor.staffId === null ? undefined : { staffId: actor.staffId, name: actor.name }).rows;
    } catch (error) {
      if (classifyStorageError(error)) throw error;
      throw new DomainError('PRECONDITION_FAILED', `That backup could not be restored: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The restored file has its own central documents: read when the next one is due again (after this write).
    core.pendingDocuments.stale = true;
    runInTransaction(core, (tx) => {
      recordAudit(core, tx.now, actor, 'backup.restore', { backup: file.name, safetyBackup: safetyBackup.name });
      tx.events.push(...core.lots.ids().map((lotId): ChangeEvent => ({ kind: 'slots', lotId })));
    });
    core.expiry.reschedule();
    return { restored: summary(file), safetyBackup, rows };
  } finally {
    core.backup.restoring = false;
  }
}

export function recordRecovery(core: KioskCore, report: RecoveryReport): void {
  if (report.action === 'none') return;
  core.settings.set(RECOVERY_KEY, JSON.stringify(report));
}

export interface StorageStatus {
  backupDir: string;
  keep: number;
  newestBackup: BackupSummary | null;
  lastBackupError: { at: string; message: string } | null;
  lastStorageFault: StorageFault | null;
  lastRecovery: RecoveryReport | null;
}

export function storageStatus(core: KioskCore): StorageStatus {
  const config = backupConfig(core);
  const recovery = core.settings.get(RECOVERY_KEY);
  const newest = listBackupFiles(config.dir)[0];
  return {
    backupDir: config.dir,
    keep: config.keep,
    newestBackup: newest ? summary(newest) : null,
    lastBackupError: core.backup.lastError ?? null,
    lastStorageFault: lastStorageFault(core) ?? null,
    lastRecovery: recovery === undefined ? null : (JSON.parse(recovery) as RecoveryReport),
  };
}

/** Backups on a fixed interval of real (monotonic) time; one at a time; failures are logged and retried next round. */
export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly core: KioskCore,
    private readonly intervalMs: number,
  ) {}

  private first: NodeJS.Timeout | undefined;

  /**
   * Starts the interval. A kiosk that restarts more often than the interval would otherwise
   * never get a scheduled backup, so when the newest backup is older than one interval (or
   * there is none) one is taken shortly after start. Leftovers of a backup cut short by a
   * crash are cleared first.
   */
  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    const { dir } = backupConfig(this.core);
    removeLeftovers(dir);
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref?.();
    const newest = listBackupFiles(dir)[0];
    if (!newest || this.core.clock.now() - newest.takenAt >= this.intervalMs) {
      this.first = setTimeout(() => void this.runOnce(), Math.min(FIRST_BACKUP_DELAY_MS, this.intervalMs));
      this.first.unref?.();
    }
  }

  async runOnce(): Promise<BackupSummary | undefined> {
    if (this.running) return undefined;
    const run = backupNow(this.core, 'scheduled').catch((error: unknown) => {
      if (this.core.db.sqlite.open) console.error(`[backup] scheduled backup failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  stop(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
