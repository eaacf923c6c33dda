import { openDatabase, type OpenOptions } from '../../db/client';
import { createAppRouter, type AppRouter } from '../api/router';
import type { ApiEnvironment } from '../api/context';
import { addStaff, staffCount } from '../core/auth/staff';
import { seedDemoLot } from '../core/lots/service';
import { AdjustableClock, MonotonicClock, type Clock } from '../core/shared/clock';
import { createKioskCore, type KioskCore } from '../core/shared/core';

export interface BootOptions extends Omit<OpenOptions, 'file'> {
  dbFile: string;
  /** Seed the demo lot when the database has no lot yet. */
  demo?: boolean;
  /** PIN for the first owner account on a database with no staff. */
  staffPin?: string;
  /** Let tests move time (clock.advance / clock.now). */
  testClock?: boolean;
  /** Override the clock entirely (unit tests). */
  clock?: Clock;
}

export interface BootedKiosk {
  core: KioskCore;
  router: AppRouter;
  env: ApiEnvironment;
  close(): void;
}

/** Opens the database and wires the core and router; shared by Electron and server mode. */
export function bootKiosk(options: BootOptions): BootedKiosk {
  const db = openDatabase({ ...options, file: options.dbFile });
  const base = options.clock ?? new MonotonicClock(newestInstant(db.sqlite));
  const testClock = options.testClock ? new AdjustableClock(base) : undefined;
  const core = createKioskCore(db, testClock ?? base);
  if (options.demo) seedDemoLot(core);
  if (options.staffPin && staffCount(core) === 0) addStaff(core, 'Owner', 'owner', options.staffPin);
  core.expiry.start();
  return {
    core,
    router: createAppRouter({ testClock: testClock !== undefined }),
    env: { core, testClock },
    close() {
      core.expiry.stop();
      db.close();
    },
  };
}

/** The latest instant already written, so a clock set back at boot cannot move "now" behind stored data. */
function newestInstant(sqlite: import('better-sqlite3').Database): number {
  const row = sqlite.prepare('SELECT max(created_at) AS at FROM bookings').get() as { at: number | null };
  return row.at ?? 0;
}
