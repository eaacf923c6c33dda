// `npm start`: the Electron kiosk where Electron's binary is installed; otherwise the same
// app in server mode with the demo lot, printing the URLs to open and the staff PIN.
//
//   npm start                      kiosk (Electron) or server mode (no Electron)
//   npm start -- --staff-window    Electron: also open the staff console window
//   npm start -- --serve-lan       Electron: also serve HTTP on 127.0.0.1:4780
//   KIOSK_SERVER_MODE=1 npm start  server mode even where Electron is installed
//   PORT=8080 npm start            server mode on that port (default 4780, or a free one)
//   KIOSK_DATA_DIR=dir npm start   keep kiosk.db in dir
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { electronBinary, electronSqliteAvailable, needsNoSandbox } from './electron-binary.mjs';

const root = join(import.meta.dirname, '..');
const bin = (path) => join(root, 'node_modules', path);
const passThrough = process.argv.slice(2);
// No fixed PIN: with KIOSK_STAFF_PIN unset, a fresh database gets an owner with a random
// valid PIN that the kiosk prints once (KIOSK_GENERATE_STAFF_PIN=1).
const staffPin = process.env.KIOSK_STAFF_PIN || '';
const pinEnv = staffPin ? { KIOSK_STAFF_PIN: staffPin } : { KIOSK_GENERATE_STAFF_PIN: '1' };
const pinNote = staffPin
  ? 'Staff PIN on a fresh database: the KIOSK_STAFF_PIN you set'
  : 'A fresh database gets an owner PIN made up at random, printed once below (set KIOSK_STAFF_PIN to choose one).';
const binary = process.env.KIOSK_SERVER_MODE === '1' ? null : electronBinary(root);

const sqliteForElectron = binary ? electronSqliteAvailable(root) : false;

/** Runs a child with our signals forwarded, and exits with its code. */
function runToEnd(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function build(args, { fallback } = {}) {
  const status = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status;
  if (status === 0) return;
  if (fallback && existsSync(fallback)) {
    console.log('The build failed (see above); starting with the previous build instead.');
    return;
  }
  process.exit(status ?? 1);
}

/** Flags only the Electron kiosk understands; server mode drops them with a note. */
const ELECTRON_ONLY = /^--(staff-window|serve-lan|data-dir)(=|$)/;

/** The newest modification time under a folder, to tell whether a build is stale. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

if (binary && sqliteForElectron) {
  console.log('Starting the Electron kiosk (building it first)…');
  build([bin('electron-vite/bin/electron-vite.js'), 'build']);
  const args = ['.', ...passThrough];
  if (needsNoSandbox()) {
    console.log('Running as root: Chromium needs --no-sandbox here (run as a normal user on a real kiosk).');
    args.push('--no-sandbox');
  }
  console.log('Staff console: Ctrl+Shift+S in the kiosk window.');
  console.log(pinNote);
  // A kiosk started this way is not a developer session: no devtools (KIOSK_DEVTOOLS=1 to allow).
  const env = { ...process.env, ...pinEnv, KIOSK_DEVTOOLS: process.env.KIOSK_DEVTOOLS === '1' ? '1' : '0' };
  delete env.ELECTRON_RUN_AS_NODE;
  runToEnd(binary, args, env);
} else {
  if (binary) {
    console.log('Electron is installed, but better-sqlite3 has no Electron build yet: starting the kiosk in server mode instead.');
    console.log('(docs/electron.md, "better-sqlite3 for Electron", shows how to make one.)');
  } else if (process.env.KIOSK_SERVER_MODE !== '1') {
    console.log('Electron is not installed on this machine: starting the kiosk in server mode instead.');
    console.log('(With internet, `npx install-electron` fetches it; see docs/electron.md.)');
  }
  const webDir = join(root, 'dist', 'web');
  const web = join(webDir, 'index.html');
  if (!existsSync(web) || newest(join(root, 'src')) > statSync(web).mtimeMs) {
    console.log('Building the kiosk screens…');
    // Build beside dist/web and swap it in, so a server already serving dist/web never sees
    // a half-written folder, and a failed build leaves the previous one in place.
    const staging = join(root, 'dist', `.web-${process.pid}`);
    build([bin('vite/bin/vite.js'), 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn', '--outDir', staging], { fallback: web });
    if (existsSync(join(staging, 'index.html'))) {
      rmSync(webDir, { recursive: true, force: true });
      renameSync(staging, webDir);
    } else {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const dataDir = process.env.KIOSK_DATA_DIR ?? join(homedir(), '.parking-kiosk');
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, 'kiosk.db');
  const port = process.env.PORT ?? String(await freePort(4780));
  console.log(`Database: ${dbFile} (demo lot seeded on first start)`);
  console.log(pinNote);
  const dropped = passThrough.filter((arg) => ELECTRON_ONLY.test(arg));
  if (dropped.length) console.log(`Server mode ignores ${dropped.join(' ')} (Electron only); the staff console is at /#/staff.`);
  const serverArgs = passThrough.filter((arg) => !ELECTRON_ONLY.test(arg));
  const args = [bin('tsx/dist/cli.mjs'), 'electron/server/cli.ts', '--demo', '--db', dbFile, '--port', port, ...serverArgs];
  runToEnd(process.execPath, args, { ...process.env, ...pinEnv });
}
