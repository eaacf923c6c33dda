import Database from 'better-sqlite3';

/**
 * Which SQLite build and migrations the backup code uses for the extra connections it opens
 * (checks, backup copies, restore scratch files). Electron loads a second better-sqlite3
 * build for its own ABI; a check that opened files with the wrong build would fail for
 * reasons that have nothing to do with the file, so boot hands its choice over here first.
 */
let driver: { nativeBinding?: string; migrationsFolder?: string } = {};

export function useSqliteDriver(options: { nativeBinding?: string; migrationsFolder?: string }): void {
  driver = { nativeBinding: options.nativeBinding, migrationsFolder: options.migrationsFolder };
}

export function openRaw(file: string, options: { fileMustExist?: boolean } = {}): Database.Database {
  return new Database(file, { ...options, ...(driver.nativeBinding ? { nativeBinding: driver.nativeBinding } : {}) });
}

export const driverOptions = (): { nativeBinding?: string; migrationsFolder?: string } => ({ ...driver });
