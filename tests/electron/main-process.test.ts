import { createTRPCClient } from '@trpc/client';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppRouter } from '../../electron/api/router';
import { IPC_CHANNELS, type IpcSubscriptionEvent } from '../../shared/ipc-protocol';
import { ipcLink } from '../../src/api/ipc-link';
import type { FakeElectron } from './support/fake-electron';
import { loadMain } from './support/load-main';
import { waitFor } from '../support/wait';
import { fakeRenderer } from './support/fake-electron-ipc';

/**
 * electron/main.ts itself, run in plain Node against a recording fake of Electron's API
 * (vi.doMock('electron')): the wiring — window options, navigation lock, permissions,
 * shortcuts, crash recovery, IPC over a real database, shutdown — without the binary.
 */

const keyDown = (key: string, mods: { control?: boolean; shift?: boolean } = {}) => ({
  type: 'keyDown',
  key,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

function preventable(extra: Record<string, unknown> = {}) {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
    ...extra,
  };
}

describe('electron/main.ts, started in production', () => {
  let fake: FakeElectron;
  let dataDir: string;
  const kioskWindow = () => fake.BrowserWindow.all[0]!;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiosk-main-'));
    fake = await loadMain({ KIOSK_DATA_DIR: dataDir, KIOSK_STAFF_PIN: '482916', NODE_ENV: 'production' });
  });
  afterAll(() => {
    fake.app.emit('will-quit');
  });

  it('registers the kiosk:// scheme as standard and secure, and keeps its data in KIOSK_DATA_DIR', () => {
    expect(fake.calls.errorBoxes).toEqual([]);
    expect(fake.calls.privilegedSchemes).toEqual([{ scheme: 'kiosk', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fake.app.getPath('userData')).toBe(dataDir);
    expect(existsSync(join(dataDir, 'kiosk.db'))).toBe(true);
    expect(fake.protocolHandlers.has('kiosk')).toBe(true);
  });

  it('opens one fullscreen kiosk window: no menu, isolated, sandboxed, no Node, no devtools', () => {
    expect(fake.BrowserWindow.all).toHaveLength(1);
    const window = kioskWindow();
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true, show: false });
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      devTools: false,
    });
    expect(window.options.webPreferences.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(fake.calls.applicationMenu).toEqual([null]);
    expect(window.menuRemoved).toBe(true);
    expect(window.webContents.zoomLimits).toEqual([1, 1]);
    expect(window.webContents.loaded).toEqual(['kiosk://app/index.html']);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'fullscreen']) {
      fake.permission.request(kioskWindow().webContents, permission, (granted: boolean) => answers.push(granted), {});
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(fake.permission.check(null, 'clipboard-read', 'kiosk://app', {})).toBe(false);
  });

  it('keeps navigation on the app: will-navigate, redirects, new windows and webviews', () => {
    const contents = kioskWindow().webContents;
    const away = preventable({ url: 'https://example.com/' });
    contents.emit('will-navigate', away);
    expect(away.prevented).toBe(true);
    const inside = preventable({ url: 'kiosk://app/index.html#/find' });
    contents.emit('will-navigate', inside);
    expect(inside.prevented).toBe(false);
    const redirect = preventable({ url: 'http://169.254.169.254/' });
    contents.emit('will-redirect', redirect);
    expect(redirect.prevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'kiosk://app/index.html' })).toEqual({ action: 'deny' });
    const webview = preventable();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.prevented).toBe(true);
  });

  it('serves the built renderer on kiosk:// only from out/renderer, 404 otherwise', async () => {
    const handler = fake.protocolHandlers.get('kiosk')!;
    const missing = await handler(new Request('kiosk://app/assets/nothing-here.js'));
    expect(missing.status).toBe(404);
  });

  it('answers the renderer over IPC from the real database, with the demo lot seeded', async () => {
    const renderer = fakeRenderer(fake.ipcMain, 'kiosk://app/index.html');
    const client = createTRPCClient<AppRouter>({ links: [ipcLink(renderer.bridge, () => undefined)] });
    const slots = await client.slot.list.query({});
    expect(slots.length).toBeGreaterThanOrEqual(20);
    const booking = await client.booking.create.mutate({ slotId: slots[0]!.id, vehicleNumber: 'KL07AB1234', bookingType: 'instant' });
    expect(booking.status).toBe('booked');
    const stranger = fakeRenderer(fake.ipcMain, 'https://example.com/');
    expect(await stranger.bridge.call({ type: 'query', path: 'lot.list', input: undefined })).toMatchObject({
      ok: false,
      error: { data: { code: 'FORBIDDEN' } },
    });
  });

  it("stops a window's subscriptions when it starts a new document or its renderer dies, then reloads it", async () => {
    const contents = kioskWindow().webContents;
    const event = { sender: contents, senderFrame: { url: 'kiosk://app/index.html' } };
    const events = () => contents.sent.filter((m) => m.channel === IPC_CHANNELS.event).map((m) => m.args[0] as IpcSubscriptionEvent);
    const subscribe = (id: string) => fake.ipcMain.emit(IPC_CHANNELS.subscribe, event, id, { type: 'subscription', path: 'slot.watch', input: {} });

    subscribe('a');
    await waitFor(() => events().some((e) => e.id === 'a' && e.kind === 'data'));
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'kiosk://app/index.html#/find' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events().some((e) => e.id === 'a' && e.kind === 'stopped')).toBe(false);
    contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'kiosk://app/index.html' });
    await waitFor(() => events().some((e) => e.id === 'a' && e.kind === 'stopped'));

    subscribe('b');
    await waitFor(() => events().some((e) => e.id === 'b' && e.kind === 'data'));
    const loadsBefore = contents.loaded.length;
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    await waitFor(() => events().some((e) => e.id === 'b' && e.kind === 'stopped'));
    await waitFor(() => contents.loaded.length === loadsBefore + 1);
    expect(contents.loaded.at(-1)).toBe('kiosk://app/index.html');
  });

  it('shows a window that never became ready (its renderer died before painting) after 10 s', async () => {
    vi.useFakeTimers();
    try {
      // A staff window created under fake timers that never sends ready-to-show.
      kioskWindow().webContents.emit('before-input-event', preventable(), keyDown('S', { control: true, shift: true }));
      const staff = fake.BrowserWindow.all.at(-1)!;
      expect(staff.shown).toBe(false);
      vi.advanceTimersByTime(9_999);
      expect(staff.shown).toBe(false);
      vi.advanceTimersByTime(1);
      expect(staff.shown).toBe(true);
      staff.close();
      expect(fake.BrowserWindow.getAllWindows()).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('restarts a renderer that stays unresponsive past the grace period', () => {
    vi.useFakeTimers();
    try {
      const window = kioskWindow();
      const loads = window.webContents.loaded.length;
      window.emit('unresponsive');
      vi.advanceTimersByTime(9_000);
      expect(window.webContents.crashed).toBe(0);
      vi.advanceTimersByTime(1_000);
      expect(window.webContents.crashed).toBe(1);
      expect(window.webContents.loaded.length).toBe(loads + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('swallows reload keys in production and opens the staff console on Ctrl+Shift+S, once', () => {
    const contents = kioskWindow().webContents;
    const reload = preventable();
    contents.emit('before-input-event', reload, keyDown('r', { control: true }));
    expect(reload.prevented).toBe(true);
    const typing = preventable();
    contents.emit('before-input-event', typing, keyDown('K'));
    expect(typing.prevented).toBe(false);

    contents.emit('before-input-event', preventable(), keyDown('S', { control: true, shift: true }));
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(2);
    const staff = fake.BrowserWindow.getAllWindows()[1]!;
    expect(staff.options.kiosk).toBeUndefined();
    expect(staff.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(staff.webContents.loaded).toEqual(['kiosk://app/index.html#/staff']);

    // Again, or from a second launch with --staff-window: the same window comes forward.
    contents.emit('before-input-event', preventable(), keyDown('S', { control: true, shift: true }));
    fake.app.emit('second-instance', {}, ['/opt/kiosk/electron', '--staff-window'], '/');
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(2);
    expect(staff.focused).toBe(2);
  });

  it('quits when the kiosk window closes and releases IPC and the database on will-quit', () => {
    const quits = fake.calls.quit;
    kioskWindow().close();
    expect(fake.calls.quit).toBe(quits + 1);
    fake.app.emit('will-quit');
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fake.ipcMain.listeners.size).toBe(0);
  });
});

describe('electron/main.ts, other starts', () => {
  it('leaves at once when another kiosk already holds the single-instance lock', async () => {
    const fake = await loadMain({ KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-main-')) }, { singleInstance: false });
    expect(fake.calls.quit).toBe(1);
    expect(fake.BrowserWindow.all).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('opens the staff window too with KIOSK_STAFF_WINDOW, with devtools outside production', async () => {
    const fake = await loadMain({ KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-main-')), KIOSK_STAFF_WINDOW: '1', NODE_ENV: 'development' });
    try {
      expect(fake.BrowserWindow.all.map((window) => window.webContents.loaded[0])).toEqual(['kiosk://app/index.html', 'kiosk://app/index.html#/staff']);
      expect(fake.BrowserWindow.all[0]!.options.webPreferences.devTools).toBe(true);
    } finally {
      fake.app.emit('will-quit');
    }
  });

  it('serves the same app and database over HTTP with --serve-lan, and stops serving on quit', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    let fake: FakeElectron | undefined;
    try {
      fake = await loadMain({ KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-main-')), KIOSK_SERVE_LAN: '127.0.0.1:0' });
      await waitFor(() => lines.some((line) => line.includes('staff console over HTTP')));
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(lines.find((line) => line.includes('staff console over HTTP'))!)![0];
      const response = await fetch(`${url}/trpc/slot.list`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { data: unknown[] } };
      expect(body.result.data.length).toBeGreaterThanOrEqual(20);

      // A booking made over IPC is seen over HTTP: one process, one database.
      const renderer = fakeRenderer(fake.ipcMain);
      const client = createTRPCClient<AppRouter>({ links: [ipcLink(renderer.bridge, () => undefined)] });
      const booking = await client.booking.create.mutate({ slotId: 1, vehicleNumber: 'KA01AB1111', bookingType: 'instant' });
      const after = (await (await fetch(`${url}/trpc/slot.list`)).json()) as { result: { data: { id: number; available: boolean }[] } };
      expect(after.result.data.find((slot) => slot.id === booking.slotId)?.available).toBe(false);

      fake.app.emit('will-quit');
      fake = undefined;
      await expect(fetch(`${url}/trpc/slot.list`)).rejects.toThrow();
    } finally {
      fake?.app.emit('will-quit');
      spy.mockRestore();
    }
  });

  it('shows the reason in plain words and exits when the database cannot be opened', async () => {
    const fake = await loadMain({
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-main-')),
      KIOSK_SQLITE_BINDING: '/nonexistent/better_sqlite3.node',
    });
    expect(fake.calls.exit).toEqual([1]);
    expect(fake.calls.errorBoxes).toHaveLength(1);
    expect(fake.calls.errorBoxes[0]!.content).toMatch(/KIOSK_SQLITE_BINDING names a file that does not exist/);
    expect(fake.BrowserWindow.all).toHaveLength(0);
  });
});
