import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';

/**
 * `npm start` (scripts/start.mjs) both ways: with an Electron binary it builds and launches
 * it on the project; without one it starts server mode with the demo lot and prints the
 * URL and the staff PIN. ELECTRON_OVERRIDE_DIST_PATH (Electron's own override) points it at
 * a stand-in binary or at an empty folder.
 */
const root = join(import.meta.dirname, '..', '..');
const start = join(root, 'scripts', 'start.mjs');

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['KIOSK_STAFF_PIN', 'KIOSK_SERVER_MODE', 'PORT', 'KIOSK_SQLITE_BINDING']) delete env[key];
  return { ...env, ...extra };
}

describe('finding the Electron binary', () => {
  it('finds none here without downloading, and honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-electron-'));
    expect(electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: empty })).toBeNull();
    writeFileSync(join(empty, 'electron'), '');
    expect(electronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: empty })).toBe(join(empty, 'electron'));
    expect(electronBinary(mkdtempSync(join(tmpdir(), 'no-project-')), {})).toBeNull();
  });
});

describe('npm start', () => {
  it('builds the app and launches Electron on the project when the binary exists', () => {
    const dist = mkdtempSync(join(tmpdir(), 'fake-electron-'));
    const record = join(dist, 'launched.txt');
    writeFileSync(
      join(dist, 'electron'),
      `#!/bin/sh\nprintf 'args=%s\\ncwd=%s\\npin=%s\\ngenerate=%s\\ndevtools=%s\\nrunAsNode=%s\\n' "$*" "$(pwd)" "$KIOSK_STAFF_PIN" "$KIOSK_GENERATE_STAFF_PIN" "$KIOSK_DEVTOOLS" "$ELECTRON_RUN_AS_NODE" > "${record}"\nexit 7\n`,
    );
    chmodSync(join(dist, 'electron'), 0o755);
    const run = spawnSync(process.execPath, [start, '--staff-window'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
      env: baseEnv({ ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1', KIOSK_SQLITE_BINDING: join(dist, 'better_sqlite3.node') }),
    });
    // The launcher passes Electron's exit code through.
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(7);
    expect(existsSync(join(root, 'out', 'main', 'index.js'))).toBe(true);
    expect(existsSync(join(root, 'out', 'preload', 'index.cjs'))).toBe(true);
    const launched = Object.fromEntries(
      (existsSync(record) ? readFileSync(record, 'utf8') : '')
        .trim()
        .split('\n')
        .map((line: string) => line.split(/=(.*)/).slice(0, 2)),
    );
    expect(launched.args).toMatch(/^\. --staff-window/);
    expect(launched.cwd).toBe(root);
    // No fixed PIN any more: the kiosk makes up one on a fresh database and prints it once.
    expect(launched.pin).toBe('');
    expect(launched.generate).toBe('1');
    // npm start is not a developer session: no devtools.
    expect(launched.devtools).toBe('0');
    expect(launched.runAsNode).toBe('');
    expect(run.stdout).toContain('owner PIN made up at random');
    expect(run.stdout).not.toMatch(/\b1234\b/);
  }, 200_000);

  it('uses server mode when Electron is there but better-sqlite3 has no Electron build', () => {
    const dist = mkdtempSync(join(tmpdir(), 'fake-electron-'));
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\nexit 9\n');
    chmodSync(join(dist, 'electron'), 0o755);
    // PORT=-1 makes the server refuse to start, so the run ends right after choosing its mode.
    const run = spawnSync(process.execPath, [start], {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
      env: baseEnv({ ELECTRON_OVERRIDE_DIST_PATH: dist, PORT: '-1', KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-start-')) }),
    });
    expect(run.status).not.toBe(9);
    expect(run.stdout).toContain('better-sqlite3 has no Electron build yet: starting the kiosk in server mode instead.');
  }, 200_000);

  it('falls back to server mode without Electron: prints the URL and PIN, serves the demo lot, stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-'));
    const child = spawn(process.execPath, [start], {
      cwd: root,
      env: baseEnv({ ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(tmpdir(), 'no-electron-')), KIOSK_DATA_DIR: dataDir, PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 150_000;
      while (!/Driver kiosk:\s+http:\/\/\S+/.test(output) || !/Owner PIN for this new database/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server mode did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain('Electron is not installed on this machine: starting the kiosk in server mode instead.');
      expect(output).toContain('owner PIN made up at random');
      const pin = /Owner PIN for this new database[^:]*: (\d{6,8})/.exec(output)?.[1];
      expect(pin, output).toMatch(/^\d{6,8}$/);
      expect(output).toContain(join(dataDir, 'kiosk.db'));
      const url = /Driver kiosk:\s+(http:\/\/\S+?)\/?\s/.exec(output)![1]!;
      expect(output).toContain(`Staff console: ${url}/#/staff`);

      const slots = (await (await fetch(`${url}/trpc/slot.list`)).json()) as { result: { data: unknown[] } };
      expect(slots.result.data.length).toBeGreaterThanOrEqual(20);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('id="root"');
      const login = await fetch(`${url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin }),
      });
      expect(login.status).toBe(200);

      child.kill('SIGTERM');
      await exited;
      await expect(fetch(`${url}/trpc/slot.list`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 200_000);
});
