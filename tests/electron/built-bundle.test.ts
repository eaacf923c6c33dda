import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `electron-vite build` works without the Electron binary, and what it builds boots: the
 * bundled main process runs in plain Node with 'electron' resolved to a recording fake
 * (support/bundle/), opens its database from the migrations the build carries, answers
 * IPC and serves the renderer on kiosk://. This catches bundling mistakes (a dependency
 * inlined or missing, an ES-module preload, migrations left behind) that type-checking
 * the sources cannot.
 */
const root = join(import.meta.dirname, '..', '..');
// Absolute: electron-vite resolves a relative --outDir against the renderer's root (src/).
const outDir = join(root, '.tmp', 'electron-build');
const support = join(import.meta.dirname, 'support', 'bundle');

beforeAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  const built = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(built.status, `electron-vite build failed:\n${built.stdout}\n${built.stderr}`).toBe(0);
}, 200_000);

describe('npx electron-vite build', () => {
  it('writes main (ESM), the migrations beside it, a CommonJS preload and the renderer', () => {
    for (const file of ['main/index.js', 'main/migrations/meta/_journal.json', 'preload/index.cjs', 'renderer/index.html']) {
      expect(existsSync(join(outDir, file)), file).toBe(true);
    }
    const journal = JSON.parse(readFileSync(join(outDir, 'main/migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    for (const entry of journal.entries) expect(existsSync(join(outDir, 'main/migrations', `${entry.tag}.sql`)), entry.tag).toBe(true);

    const main = readFileSync(join(outDir, 'main/index.js'), 'utf8');
    expect(main).toMatch(/^import .* from "electron";/m);
    // Dependencies stay in node_modules: better-sqlite3's native binary cannot be bundled.
    expect(main).toMatch(/^import \w+ from "better-sqlite3";/m);
    expect(main).toMatch(/from "@trpc\/server"/);

    // A sandboxed preload is a classic script: CommonJS, requiring nothing but electron.
    const preload = readFileSync(join(outDir, 'preload/index.cjs'), 'utf8');
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld("kioskIpc"');

    // Relative asset URLs, so the same files work on kiosk://app/ and over HTTP.
    expect(readFileSync(join(outDir, 'renderer/index.html'), 'utf8')).toMatch(/src="\.\/assets\//);
  });

  it('boots the built main process: kiosk window, database from the bundled migrations, IPC, kiosk:// renderer', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bundle-'));
    // An app path with no db/ folder: only the migrations inside the build can be found.
    const appPath = mkdtempSync(join(tmpdir(), 'kiosk-app-'));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', join(support, 'register-fake-electron.mjs'), join(support, 'run-built-main.mts'), join(outDir, 'main/index.js')],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_FAKE_APP_PATH: appPath, NODE_ENV: 'production' },
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(`migrations: ${join(outDir, 'main', 'migrations')}`);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({
      errors: [],
      windows: 1,
      loaded: ['kiosk://app/index.html'],
      preload: join(outDir, 'preload', 'index.cjs'),
      preloadExists: true,
      page: { status: 200, type: 'text/html; charset=utf-8', root: true },
    });
    expect(report.slots).toBeGreaterThanOrEqual(20);
    expect(report.page.csp).toContain("default-src 'self'");
    expect(existsSync(join(dataDir, 'kiosk.db'))).toBe(true);
  });
});
