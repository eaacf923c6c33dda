import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSubscriptionId, parseIpcRequest } from '../../shared/ipc-protocol';
import { explainStartupError, migrationsFolderCandidates, resolveMigrationsFolder, resolveNativeBinding, type AppPlaces } from '../../electron/window/paths';

const dev: AppPlaces = { mainDir: '/src/kiosk/out/main', appPath: '/src/kiosk', resourcesPath: '/usr/lib/electron/resources', env: {} };
const packaged: AppPlaces = {
  mainDir: '/opt/Kiosk/resources/app.asar/out/main',
  appPath: '/opt/Kiosk/resources/app.asar',
  resourcesPath: '/opt/Kiosk/resources',
  env: {},
};
const existing =
  (...files: string[]) =>
  (path: string) =>
    files.includes(path);

describe('finding the migrations', () => {
  it('uses the copy the build put beside the main bundle', () => {
    const journal = join(packaged.mainDir, 'migrations', 'meta', '_journal.json');
    expect(resolveMigrationsFolder(packaged, existing(journal))).toBe(join(packaged.mainDir, 'migrations'));
  });

  it('falls back to db/migrations of the project, and obeys KIOSK_MIGRATIONS_DIR first', () => {
    expect(resolveMigrationsFolder(dev, existing('/src/kiosk/db/migrations/meta/_journal.json'))).toBe('/src/kiosk/db/migrations');
    const custom = { ...dev, env: { KIOSK_MIGRATIONS_DIR: '/srv/m' } };
    expect(migrationsFolderCandidates(custom)[0]).toBe('/srv/m');
    expect(resolveMigrationsFolder(custom, () => true)).toBe('/srv/m');
  });

  it('says where it looked when they are nowhere', () => {
    expect(() => resolveMigrationsFolder(dev, () => false)).toThrow(/\/src\/kiosk\/db\/migrations/);
  });

  it('finds the real folder in this repository', async () => {
    const { existsSync } = await import('node:fs');
    const here = { mainDir: '/nowhere', appPath: process.cwd(), resourcesPath: undefined, env: {} };
    expect(resolveMigrationsFolder(here, existsSync)).toBe(join(process.cwd(), 'db', 'migrations'));
  });
});

describe('finding an Electron build of better-sqlite3', () => {
  it('prefers KIOSK_SQLITE_BINDING, then resources/native beside the asar, then the repository', () => {
    const env = { KIOSK_SQLITE_BINDING: '/x/better_sqlite3.node' };
    expect(resolveNativeBinding({ ...packaged, env }, () => true)).toBe('/x/better_sqlite3.node');
    expect(resolveNativeBinding(packaged, () => true)).toBe('/opt/Kiosk/resources/native/better_sqlite3.node');
    expect(resolveNativeBinding(dev, existing('/src/kiosk/resources/native/better_sqlite3.node'))).toBe('/src/kiosk/resources/native/better_sqlite3.node');
  });

  it("falls back to better-sqlite3's own lookup when there is none", () => {
    expect(resolveNativeBinding(dev, () => false)).toBeUndefined();
  });

  it('refuses a KIOSK_SQLITE_BINDING that names a missing file instead of silently ignoring it', () => {
    expect(() => resolveNativeBinding({ ...dev, env: { KIOSK_SQLITE_BINDING: '/gone.node' } }, () => false)).toThrow(/gone\.node/);
  });

  it('explains an ABI mismatch in plain words with the way forward', () => {
    const abi = new Error(
      "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 150.",
    );
    const text = explainStartupError(abi, undefined);
    expect(text).toMatch(/built for\nNode\.js, not for Electron/);
    expect(text).toMatch(/resources\/native\/better_sqlite3\.node/);
    expect(text).toMatch(/docs\/electron\.md/);
    expect(explainStartupError(new Error('disk full'), undefined)).toMatch(/could not start[\s\S]*disk full/);
  });
});

describe('the IPC request guard', () => {
  it('accepts what the renderer link sends', () => {
    expect(parseIpcRequest({ type: 'query', path: 'booking.get', input: { id: 1 }, token: 'bk_x' })).toEqual({
      type: 'query',
      path: 'booking.get',
      input: { id: 1 },
      token: 'bk_x',
    });
    expect(parseIpcRequest({ type: 'subscription', path: 'booking.watch', input: { id: 1 } })).not.toHaveProperty('token');
  });

  it('rejects anything else', () => {
    for (const bad of [
      null,
      'lot.list',
      { type: 'delete', path: 'lot.list' },
      { type: 'query', path: '' },
      { type: 'query', path: '../../etc' },
      { type: 'query', path: 'a'.repeat(201) },
      { type: 'query', path: 'lot.list', token: 42 },
      { type: 'query', path: 'lot.list', token: 'x'.repeat(1001) },
    ]) {
      expect(parseIpcRequest(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(isSubscriptionId('sub-1')).toBe(true);
    expect(isSubscriptionId('')).toBe(false);
    expect(isSubscriptionId(7)).toBe(false);
    expect(isSubscriptionId('x'.repeat(101))).toBe(false);
  });
});
