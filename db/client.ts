import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Orm = BetterSQLite3Database<typeof schema>;

export interface KioskDatabase {
  readonly file: string;
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  close(): void;
}

export interface OpenOptions {
  file: string;
  /** Folder of drizzle-kit migrations; defaults to db/migrations beside this file. */
  migrationsFolder?: string;
  /** A second better-sqlite3 build (Electron's ABI) to load instead of the Node one. */
  nativeBinding?: string;
  /** Called before pending migrations run, e.g. to take a backup first. */
  beforeMigrate?: (sqlite: Database.Database, pending: number) => void;
  /** Called with the SQL of every statement run (tests count statements with it). */
  verbose?: (sql: unknown) => void;
}

export const defaultMigrationsFolder = (): string => fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens (creating if needed) the kiosk's database and brings its schema up to date. */
export function openDatabase(options: OpenOptions): KioskDatabase {
  const sqlite = new Database(options.file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.verbose ? { verbose: options.verbose } : {}),
  });
  // WAL lets readers proceed during a write; synchronous=FULL fsyncs every commit so a
  // booking that was confirmed on screen survives a power cut.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const orm = drizzle(sqlite, { schema });
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (options.beforeMigrate) {
    const pending = countPendingMigrations(sqlite, migrationsFolder);
    if (pending > 0) options.beforeMigrate(sqlite, pending);
  }
  migrate(orm, { migrationsFolder });
  return {
    file: options.file,
    sqlite,
    orm,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}

function countPendingMigrations(sqlite: Database.Database, folder: string): number {
  const journal = readJournal(folder);
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!hasTable) return journal.length;
  const applied = (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
  return Math.max(0, journal.length - applied);
}

function readJournal(folder: string): unknown[] {
  // Read synchronously: opening happens once at start-up, before anything is served.
  const text = readFileSync(`${folder}/meta/_journal.json`, 'utf8');
  return (JSON.parse(text) as { entries: unknown[] }).entries;
}
