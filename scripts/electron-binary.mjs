// Where Electron's binary is, without triggering its download. Since Electron 45 the npm
// package has no install script: `require('electron')` downloads the binary on first use,
// which on a machine without internet fails (slowly). This only looks.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** @returns {string | null} the Electron executable, or null when it is not installed */
export function electronBinary(root = process.cwd(), env = process.env) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary) ? binary : null;
  }
  if (!relative) return null;
  const binary = join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** Chromium refuses to run as root with its sandbox on (containers, CI). */
export function needsNoSandbox() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Electron needs better-sqlite3 built for its own ABI (docs/electron.md). There is one when
 * KIOSK_SQLITE_BINDING or resources/native/better_sqlite3.node names it, or when the copy in
 * node_modules was rebuilt for Electron — which shows as Node failing to load it.
 */
export function electronSqliteAvailable(root = process.cwd(), env = process.env) {
  if (env.KIOSK_SQLITE_BINDING || existsSync(join(root, 'resources', 'native', 'better_sqlite3.node'))) return true;
  try {
    const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
    new Database(':memory:').close();
    return false;
  } catch {
    return true;
  }
}
