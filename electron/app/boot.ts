import { openDatabase, type OpenOptions } from '../../db/client';
import { createAppRouter, type AppRouter } from '../api/router';
import type { ApiEnvironment } from '../api/context';
import { addStaff, endAllSessions, issueSetupCode, staffCount } from '../core/auth/staff';
import { generatePin } from '../core/auth/pins';
import { seedDemoLot } from '../core/lots/service';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema';
import { newestAuditInstant } from '../core/audit/store';
import { newestBookingInstant } from '../core/bookings/store';
import { AdjustableClock, MonotonicClock, type Clock } from '../core/shared/clock';
import { createKioskCore, type KioskCore } from '../core/kiosk-core';
import { preMigrationBackup } from '../core/backup/backups';
import { backupDirFor } from '../core/backup/files';
import { describeRecovery, recoverAtBoot, type RecoveryReport } from '../core/backup/recovery';
import { BackupScheduler, configureBackups, recordRecovery } from '../core/backup/service';
import { useSqliteDriver } from '../core/backup/sqlite-driver';

export interface BootOptions extends Omit<OpenOptions, 'file'> {
  dbFile: string;
  /** Seed the demo lot when the database has no lot yet. */
  demo?: boolean;
  /** PIN for the first owner account on a database with no staff. */
  staffPin?: string;
  /**
   * On a database with no staff and no staffPin, make the owner with a random valid PIN
   * (returned once as firstOwnerPin, for the launcher to print). `npm start` asks for this.
   */
  generateOwnerPin?: boolean;
  /** Let tests move time (clock.advance / clock.now). */
  testClock?: boolean;
  /** Override the clock entirely (unit tests). */
  clock?: Clock;
  /** Backup folder, how many of each kind to keep, and the schedule (0 = off). Defaults: beside the db, 24, 60 min. */
  backups?: { dir?: string; keep?: number; everyMs?: number };
  /** Run PRAGMA quick_check before opening and recover from a backup if it fails (default true). */
  integrityCheck?: boolean;
}

export interface BootedKiosk {
  core: KioskCore;
  router: AppRouter;
  env: ApiEnvironment;
  /** What the start-up integrity check found and did. */
  recovery: RecoveryReport;
  backups: BackupScheduler;
  /** One-time first-run code for setup from another device; null when already set up. */
  setupCode: string | null;
  /** The generated owner PIN of a fresh database (generateOwnerPin), shown once; else null. */
  firstOwnerPin: string | null;
  /** What this start did for a first run, so the CLI can tell the person what to do next. */
  firstRun: { seededDemoLot: boolean; createdOwnerFromEnv: boolean };
  close(): void;
}

/** Opens the database and wires the core and router; shared by Electron and server mode. */
export function bootKiosk(options: BootOptions): BootedKiosk {
  useSqliteDriver({ nativeBinding: options.nativeBinding, migrationsFolder: options.migrationsFolder });
  const backupDir = options.backups?.dir ?? backupDirFor(options.dbFile);
  const keep = options.backups?.keep ?? envNumber('KIOSK_BACKUP_KEEP', 24);
  const recovery: RecoveryReport = options.integrityCheck === false ? { action: 'none' } : recoverAtBoot(options.dbFile, backupDir, Date.now());
  if (recovery.action !== 'none') console.error(`[recovery] ${describeRecovery(recovery)}`);
  const db = openDatabase({
    ...options,
    file: options.dbFile,
    beforeMigrate: options.beforeMigrate ?? preMigrationBackup({ dbFile: options.dbFile, dir: backupDir, keep }),
  });
  const base = options.clock ?? new MonotonicClock(newestInstant(db.sqlite));
  const testClock = options.testClock ? new AdjustableClock(base) : undefined;
  const core = createKioskCore(db, testClock ?? base);
  const seededDemoLot = options.demo ? seedDemoLot(core) : false;
  if (recovery.action !== 'none') endAllSessions(core);
  let firstOwnerPin: string | null = null;
  const createdOwnerFromEnv = Boolean(options.staffPin) && staffCount(core) === 0;
  if (staffCount(core) === 0 && (options.staffPin || options.generateOwnerPin)) {
    firstOwnerPin = options.staffPin || generatePin();
    addStaff(core, 'Owner', 'owner', firstOwnerPin);
    if (options.staffPin) firstOwnerPin = null;
  }
  const setupCode = issueSetupCode(core);
  core.expiry.start();
  configureBackups(core, { dir: backupDir, keep });
  recordRecovery(core, recovery);
  const backups = new BackupScheduler(core, options.backups?.everyMs ?? envNumber('KIOSK_BACKUP_EVERY_MIN', 60) * 60_000);
  backups.start();
  return {
    core,
    router: createAppRouter({ testClock: testClock !== undefined }),
    env: { core, testClock },
    recovery,
    backups,
    setupCode,
    firstOwnerPin,
    firstRun: { seededDemoLot, createdOwnerFromEnv },
    close() {
      backups.stop();
      core.expiry.stop();
      core.ids.close();
      db.close();
    },
  };
}

/** The latest instant already written, so a clock set back at boot cannot move "now" behind stored data. */
export function newestInstant(sqlite: import('better-sqlite3').Database): number {
  // A completed booking proves time passed its end, a cancellation or an audit entry that time
  // reached that instant. The latest of these is the earliest "now" can honestly be.
  const orm = drizzle(sqlite, { schema });
  return Math.max(newestBookingInstant(orm), newestAuditInstant(orm));
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Prints, once, what a fresh database needs: the generated owner PIN, or the one-time setup code. */
export function announceFirstRun(kiosk: Pick<BootedKiosk, 'firstOwnerPin' | 'setupCode'>, print: (line: string) => void = console.log): void {
  if (kiosk.firstOwnerPin) print(`Owner PIN for this new database (shown once, change it by adding a new owner): ${kiosk.firstOwnerPin}`);
  if (kiosk.setupCode) {
    print(`First-run setup code: ${kiosk.setupCode}`);
    print('  (open the staff console on this machine to set up the owner, or enter this code when setting up from another device)');
  }
}
