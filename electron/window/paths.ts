import { join } from 'node:path';

/**
 * Where the Electron main process finds what lives outside its bundle. Pure: it takes the
 * places Electron reports and an `exists` check, so every case is tested in Node.
 */
export interface AppPlaces {
  /** Folder of the built main bundle (out/main). */
  mainDir: string;
  /** `app.getAppPath()`: the project root in development, the app folder or asar when packaged. */
  appPath: string;
  /** `process.resourcesPath`: the folder beside the asar in a packaged app. */
  resourcesPath: string | undefined;
  env: Record<string, string | undefined>;
}

/** The file name better-sqlite3 builds; a copy built for Electron's ABI is looked up by it. */
export const SQLITE_BINDING_NAME = 'better_sqlite3.node';

/**
 * drizzle-kit migrations. The electron-vite build copies db/migrations into out/main/migrations,
 * so the bundle carries them (inside the asar when packaged; Electron's fs reads it there).
 */
export function migrationsFolderCandidates(places: AppPlaces): string[] {
  return [
    places.env.KIOSK_MIGRATIONS_DIR,
    join(places.mainDir, 'migrations'),
    places.resourcesPath && join(places.resourcesPath, 'migrations'),
    join(places.appPath, 'db', 'migrations'),
  ].filter((path): path is string => Boolean(path));
}

/**
 * A better-sqlite3 binary built for Electron's ABI. The one in node_modules is built for Node
 * (the tests and server mode need that), so Electron loads its own copy when there is one:
 * KIOSK_SQLITE_BINDING, then resources/native/ (packaged: beside the asar; development: the
 * repository's resources/ folder). None found: better-sqlite3's default lookup.
 */
export function nativeBindingCandidates(places: AppPlaces): string[] {
  return [
    places.env.KIOSK_SQLITE_BINDING,
    places.resourcesPath && join(places.resourcesPath, 'native', SQLITE_BINDING_NAME),
    join(places.appPath, 'resources', 'native', SQLITE_BINDING_NAME),
  ].filter((path): path is string => Boolean(path));
}

export function firstExisting(candidates: readonly string[], exists: (path: string) => boolean): string | undefined {
  return candidates.find((path) => exists(path));
}

/** The migrations folder, or an error naming every place looked at. */
export function resolveMigrationsFolder(places: AppPlaces, exists: (path: string) => boolean): string {
  const candidates = migrationsFolderCandidates(places);
  const found = candidates.find((folder) => exists(join(folder, 'meta', '_journal.json')));
  if (!found) throw new Error(`The database migrations were not found. Looked in:\n  ${candidates.join('\n  ')}`);
  return found;
}

/** The Electron-ABI better-sqlite3 binary, or undefined for better-sqlite3's default. */
export function resolveNativeBinding(places: AppPlaces, exists: (path: string) => boolean): string | undefined {
  const explicit = places.env.KIOSK_SQLITE_BINDING;
  if (explicit && !exists(explicit)) throw new Error(`KIOSK_SQLITE_BINDING names a file that does not exist: ${explicit}`);
  return firstExisting(nativeBindingCandidates(places), exists);
}

/** Plain words for a failure to open the database at start-up, with the way forward. */
export function explainStartupError(error: unknown, nativeBinding: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application|mach-o/i.test(message)) {
    return [
      'The kiosk could not open its database: the SQLite driver (better-sqlite3) was built for',
      nativeBinding ? `another runtime (${nativeBinding}).` : 'Node.js, not for Electron.',
      'Build one for Electron and put it at resources/native/better_sqlite3.node (or point',
      'KIOSK_SQLITE_BINDING at it); docs/electron.md shows how. Until then, `npm start` without',
      'Electron runs the same kiosk in server mode.',
      '',
      `Details: ${message}`,
    ].join('\n');
  }
  return `The kiosk could not start.\n\nDetails: ${message}`;
}
