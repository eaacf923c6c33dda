// `npm start`: the Electron kiosk where Electron's binary is installed; otherwise the same
// app in server mode with the demo lot, printing the URLs to open.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dist = join(require.resolve('electron/package.json'), '..', 'dist');
    return existsSync(dist) ? require('electron') : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary) {
  const built = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  spawn(binary, ['.'], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Electron is not installed on this machine: starting the kiosk in server mode instead.');
  if (!existsSync('dist/web/index.html')) {
    const built = spawnSync('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  const dataDir = process.env.KIOSK_DATA_DIR ?? join(homedir(), '.parking-kiosk');
  mkdirSync(dataDir, { recursive: true });
  const args = ['tsx', 'electron/server/cli.ts', '--demo', '--db', join(dataDir, 'kiosk.db'), '--port', process.env.PORT ?? '4780'];
  spawn('npx', args, { stdio: 'inherit', env: { KIOSK_STAFF_PIN: '1234', ...process.env } }).on('exit', (code) => process.exit(code ?? 0));
}
